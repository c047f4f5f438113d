"""``--format gitlab``: a GitLab Code Quality report (a JSON array of issues).

Each finding is an issue with ``description`` (message and arithmetic), ``check_name`` (the
rule id), ``fingerprint``, ``severity`` and ``location.path``/``location.lines.begin``.

Severity mapping (GitLab knows ``info``, ``minor``, ``major``, ``critical``, ``blocker``):
error → ``critical``, warning → ``minor``, info → ``info``; a finding the office explained
becomes ``info`` with the explanation appended (marked, not dropped); a file that cannot be
read is a ``blocker`` issue with check name ``load-error``.

The fingerprint (see :func:`~evalcheck.render.json_format.fingerprints`) hashes rule id, file,
key path and occurrence index but no line number, so GitLab's merge-request widget does not
report every finding as new when lines are inserted elsewhere in the report.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from ..findings import Summary
from ..inputs.escape import json_safe
from . import RenderOptions
from .json_format import fingerprints, placed_text, report_path

if TYPE_CHECKING:
    from ..findings import FileResult, Finding

__all__ = ["SEVERITIES", "GitlabReporter"]

SEVERITIES = {"error": "critical", "warning": "minor", "info": "info"}
LOAD_ERROR = "load-error"


def _issue(finding: Finding, path: str, fingerprint: str) -> dict[str, Any]:
    description = placed_text(finding)
    severity = SEVERITIES.get(finding.severity, "minor")
    if finding.explanation is not None:
        description = f"{description}（已说明：{finding.explanation}）"
        severity = "info"
    return {
        "description": description,
        "check_name": finding.rule_id,
        "fingerprint": fingerprint,
        "severity": severity,
        "location": {
            "path": path,
            "lines": {"begin": 1 if finding.rendered else max(finding.line, 1)},
        },
    }


class GitlabReporter:
    """Writes the array's issues as each file comes: the text ``json.dumps(issues, indent=2)``
    gives, without holding the issues of every file."""

    def __init__(self, options: RenderOptions) -> None:
        self.options = options
        self.written = 0  # issues written so far

    def _text(self, issues: list[dict[str, Any]]) -> str:
        pieces = []
        for issue in issues:
            lead = ",\n  " if self.written else "[\n  "
            self.written += 1
            text = json_safe(json.dumps(issue, ensure_ascii=False, indent=2))
            pieces.append(lead + text.replace("\n", "\n  "))
        return "".join(pieces)

    def file(self, result: FileResult) -> str:
        path = report_path(result.file)
        if result.error is not None:
            digest = hashlib.sha256(f"{LOAD_ERROR}\0{path}".encode()).hexdigest()
            issue = {
                "description": f"无法读取报告：{result.error.message}",
                "check_name": LOAD_ERROR,
                "fingerprint": digest,
                "severity": "blocker",
                "location": {"path": path, "lines": {"begin": result.error.line}},
            }
            return self._text([issue])
        issues = [
            _issue(finding, path, fingerprint)
            for finding, fingerprint in zip(
                result.findings, fingerprints(result.findings, result.file), strict=True
            )
        ]
        return self._text(issues)

    def finish(self, summary: Summary) -> str:
        return "\n]\n" if self.written else "[]\n"
