"""``--format json``: one stable, documented document for every file checked.

The document (version 1, described in ``docs/formats.md``)::

    {"version": 1,
     "tool": {"name": "evalcheck", "version": "0.1.0"},
     "files": [{"file": ..., "error": null | {"line", "column", "message"},
                "findings": [Finding.to_dict() + "fingerprint"], "not_applicable": [...]}],
     "summary": {"files", "errors", "warnings", "infos", "explained", "unreadable"}}

Nothing is sorted that has a meaningful order: files come in the order they were checked and
findings in file order, so two runs over the same reports give byte-identical output (no
timestamps, no absolute paths added).

The small helpers below (the finding's one-line text, its fingerprint, its path for CI tools)
are shared by every machine format, so the formats cannot drift apart.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from ..findings import Summary
from ..inputs.escape import json_safe
from . import RenderOptions

if TYPE_CHECKING:
    from ..findings import FileResult, Finding

__all__ = [
    "DOCUMENT_VERSION",
    "JsonReporter",
    "file_document",
    "finding_text",
    "fingerprints",
    "placed_text",
    "report_path",
    "tool_version",
]

DOCUMENT_VERSION = 1


def tool_version(options: RenderOptions) -> str:
    """The version the CLI passed, else the installed package's."""
    if options.tool_version:
        return options.tool_version
    from .. import __version__

    return __version__


def finding_text(finding: Finding) -> str:
    """The message with its arithmetic (``…不一致（262.78 ≠ 262.78 + 40.8 = 303.58，差 40.80）``).

    The label is left out when the message already contains it (rounding notes, missing data).
    """
    label = finding.label.strip()
    if not label or label in finding.message:
        return finding.message
    return f"{finding.message}（{label}）"


def placed_text(finding: Finding) -> str:
    """:func:`finding_text`, led by the place in the original for a Word/Excel/PDF report,
    whose lines and columns mean nothing to the reader (``附件1-2!C5：…``)."""
    text = finding_text(finding)
    return f"{finding.origin}：{text}" if finding.rendered and finding.origin else text


def report_path(file: str) -> str:
    """The file as CI tools want it: forward slashes, relative to the working directory when
    it lies inside it (GitHub and GitLab match annotations against repository paths)."""
    path = Path(file)
    if path.is_absolute():
        try:
            path = path.relative_to(Path.cwd())
        except ValueError:
            return path.as_posix()
    return PurePath(os.path.normpath(path)).as_posix()


def fingerprints(findings: list[Finding], file: str) -> list[str]:
    """A stable identity per finding: sha256 of rule id, file, key path and occurrence index.

    Line numbers are deliberately left out, so editing elsewhere in the report (even inserting
    lines above) keeps every fingerprint; two findings of one rule at one key path are told
    apart by the order in which they occur.
    """
    seen: Counter[tuple[str, str]] = Counter()
    result = []
    for finding in findings:
        key = (finding.rule_id, finding.path)
        occurrence = seen[key]
        seen[key] += 1
        text = "\0".join((finding.rule_id, report_path(file), finding.path, str(occurrence)))
        data = text.encode("utf-8", errors="surrogateescape")  # a file name's undecodable bytes
        result.append(hashlib.sha256(data).hexdigest())
    return result


def file_document(result: FileResult) -> dict[str, Any]:
    """The ``files[]`` entry for one checked file."""
    error = None
    if result.error is not None:
        error = {
            "line": result.error.line,
            "column": result.error.column,
            "message": result.error.message,
        }
    findings = []
    for finding, fingerprint in zip(
        result.findings, fingerprints(result.findings, result.file), strict=True
    ):
        data = finding.to_dict()
        data["fingerprint"] = fingerprint
        findings.append(data)
    return {
        "file": result.file,
        "error": error,
        "coverage": None if result.coverage is None else result.coverage.to_dict(),
        "findings": findings,
        "not_applicable": [
            {"rule": n.rule_id, "path": n.path, "reason": n.reason} for n in result.not_applicable
        ],
    }


class JsonReporter:
    """Writes each file's entry as it comes, inside the document ``json.dumps`` would give.

    The document's ``files`` come before its ``summary``, so the entries stream: the text is
    byte for byte ``json.dumps(document, ensure_ascii=False, indent=2)``, yet the run holds
    one file's entry at a time, however many reports it checks."""

    def __init__(self, options: RenderOptions) -> None:
        self.options = options
        self.written = 0  # entries written so far

    def _document(self, files: list[Any], summary: Summary | None) -> dict[str, Any]:
        return {
            "version": DOCUMENT_VERSION,
            "tool": {"name": "evalcheck", "version": tool_version(self.options)},
            "files": files,
            "summary": {} if summary is None else _summary(summary),
        }

    def _around(self, summary: Summary | None) -> tuple[str, str]:
        """The document's text before its first entry and after its last."""
        text = _dumps(self._document([_ENTRY], summary))
        before, after = text.split(f"{_INDENT}{json.dumps(_ENTRY)}", 1)
        return before, after

    def file(self, result: FileResult) -> str:
        entry = _INDENT + _dumps(file_document(result)).replace("\n", "\n" + _INDENT)
        self.written += 1
        if self.written == 1:
            return self._around(None)[0] + entry
        return ",\n" + entry

    def finish(self, summary: Summary) -> str:
        if not self.written:
            return _dumps(self._document([], summary)) + "\n"
        return self._around(summary)[1] + "\n"


# A stand-in for the files' entries while the text around them is made.
_ENTRY = "evalcheck:files"
_INDENT = "    "  # an entry of "files" in a document indented by 2


def _dumps(data: Any) -> str:
    return json_safe(json.dumps(data, ensure_ascii=False, indent=2))


def _summary(summary: Summary) -> dict[str, int]:
    return {
        "files": summary.files,
        "errors": summary.errors,
        "warnings": summary.warnings,
        "infos": summary.infos,
        "explained": summary.explained,
        "unreadable": summary.unreadable,
        "figures": summary.figures,
        "checked": summary.checked,
    }
