"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run; ``tool.driver.rules`` lists every selected rule (title as short description, the
rule's ``explain`` text as full description and help).  Each finding is a result with its
location, one related location per figure the rule used, and the key path and values in its
property bag.  evalcheck counts columns in Unicode code points, so the run says
``columnKind: unicodeCodePoints`` (SARIF's default is UTF-16 code units).

A finding the office explained keeps its result but carries a suppression of kind
``external`` (the reason lives in the explanations file beside the reports, not in the
analysed report) with the reason as justification.  A file that cannot be read becomes a tool execution
notification, and the invocation is then not successful.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ..findings import META_RULES, Summary
from . import RenderOptions
from .json_format import finding_text, fingerprints, report_path, tool_version
from .spool import Spool, indents, spliced

if TYPE_CHECKING:
    from ..findings import FileResult, Finding
    from ..inputs.source import Source

__all__ = ["SARIF_SCHEMA", "SARIF_VERSION", "SarifReporter", "artifact_uri"]

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = "evalcheck/v1"


def artifact_uri(file: str) -> str:
    """A URI reference for the file: relative (percent-encoded) when inside the working
    directory, else an absolute ``file:`` URI."""
    path = report_path(file)
    if PurePath(path).is_absolute():
        return Path(path).as_uri()
    return quote(path.encode("utf-8", errors="surrogateescape"), safe="/")


def _region(line: int, column: int) -> dict[str, int] | None:
    if line < 1:
        return None
    region = {"startLine": line}
    if column >= 1:
        region["startColumn"] = column
    return region


def _physical(uri: str, line: int, column: int) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    region = _region(line, column)
    if region is not None:
        location["region"] = region
    return location


def _location(finding: Finding, uri: str) -> dict[str, Any]:
    """The file, and the line only where it is the file's own (not a Word/Excel rendering);
    the place in the original as a logical location."""
    if finding.rendered:
        location: dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": uri}}}
    else:
        location = {"physicalLocation": _physical(uri, finding.line, finding.column)}
    if finding.origin:
        location["logicalLocations"] = [{"fullyQualifiedName": finding.origin}]
    return location


def _fixes(finding: Finding, uri: str, source: Source | None) -> list[dict[str, Any]]:
    """A SARIF fix per suggested value, where the printed figure stands at its position in the
    file as written (JSON and YAML reports; not the renderings of Word or Excel files)."""
    diagnosis = finding.diagnosis
    if diagnosis is None or not diagnosis.changes:
        return []  # nothing named: an ambiguous group, a missing part
    if source is None or source.format not in ("json", "yaml"):
        return []
    replacements = []
    for change in diagnosis.changes:
        line_text = source.line_text(change.line)
        start = change.column - 1
        if line_text[start : start + 1] in ('"', "'"):
            start += 1
        if not change.printed or not line_text.startswith(change.printed, start):
            return []  # the figure is not written as printed here: no safe text change
        replacements.append(
            {
                "deletedRegion": {
                    "startLine": change.line,
                    "startColumn": start + 1,
                    "endColumn": start + 1 + len(change.printed),
                },
                "insertedContent": {"text": change.suggested},
            }
        )
    return [
        {
            "description": {"text": diagnosis.text},
            "artifactChanges": [{"artifactLocation": {"uri": uri}, "replacements": replacements}],
        }
    ]


class SarifReporter:
    """Spools results per file to disk and writes one SARIF log at the end (its rules and
    invocation, complete only then, come before the results)."""

    def __init__(self, options: RenderOptions) -> None:
        self.options = options
        self.rules: list[dict[str, Any]] = []
        self.rule_index: dict[str, int] = {}
        for rule in options.rules:
            self._add_rule(
                rule.id,
                rule.name,
                rule.title,
                rule.severity,
                rule.explain.strip(),
                rule.pack,
            )
        # Written to disk as they come (see render/spool): the log lists them last.
        self.notifications = Spool("evalcheck:notifications")
        self.artifacts = Spool("evalcheck:artifacts")
        self.results = Spool("evalcheck:results")
        spools = [self.notifications, self.artifacts, self.results]
        self._indents = indents(self._log(True, {s.stand_in: [s.stand_in] for s in spools}), spools)

    def _add_rule(
        self, rule_id: str, name: str, title: str, severity: str, explain: str, pack: str
    ) -> int:
        descriptor: dict[str, Any] = {
            "id": rule_id,
            "name": name,
            "shortDescription": {"text": title},
            "defaultConfiguration": {"level": LEVELS.get(severity, "warning")},
        }
        if explain:
            descriptor["fullDescription"] = {"text": explain}
            descriptor["help"] = {"text": explain}
        if pack:
            descriptor["properties"] = {"tags": [pack]}
        self.rule_index[rule_id] = len(self.rules)
        self.rules.append(descriptor)
        return self.rule_index[rule_id]

    def _index_of(self, finding: Finding) -> int:
        index = self.rule_index.get(finding.rule_id)
        if index is None:  # a finding of a rule the CLI did not list: describe it from itself
            meta = META_RULES.get(finding.rule_id)
            index = self._add_rule(
                finding.rule_id,
                finding.rule_name,
                finding.title,
                finding.severity,
                meta.explain.strip() if meta else "",
                meta.pack if meta else "",
            )
        return index

    def file(self, result: FileResult) -> str:
        uri = artifact_uri(result.file)
        if result.error is not None:
            self._add(
                self.notifications,
                {
                    "level": "error",
                    "message": {"text": f"无法读取报告：{result.error.message}"},
                    "locations": [
                        {"physicalLocation": _physical(uri, result.error.line, result.error.column)}
                    ],
                    "descriptor": {"id": "load-error"},
                },
            )
            return ""
        if result.coverage is not None:
            self._add(
                self.artifacts,
                {"location": {"uri": uri}, "properties": {"coverage": result.coverage.to_dict()}},
            )
        for finding, fingerprint in zip(
            result.findings, fingerprints(result.findings, result.file), strict=True
        ):
            self._add(self.results, self._result(finding, uri, fingerprint, result.source))
        return ""

    def _add(self, spool: Spool, item: dict[str, Any]) -> None:
        spool.add(item, self._indents[spool.stand_in])

    def _result(
        self, finding: Finding, uri: str, fingerprint: str, source: Source | None
    ) -> dict[str, Any]:
        sarif: dict[str, Any] = {
            "ruleId": finding.rule_id,
            "ruleIndex": self._index_of(finding),
            "level": LEVELS.get(finding.severity, "warning"),
            "message": {"text": finding_text(finding)},
            "locations": [_location(finding, uri)],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        }
        related = []
        for number, figure in enumerate(finding.figures, start=1):
            related.append(
                {
                    "id": number,
                    "physicalLocation": (
                        {"artifactLocation": {"uri": uri}}
                        if finding.rendered
                        else _physical(uri, figure.line, figure.column)
                    ),
                    "message": {"text": f"{figure.name} = {figure.value}"},
                    "properties": {"keyPath": figure.path},
                }
            )
        if related:
            sarif["relatedLocations"] = related
        if finding.explanation is not None:
            sarif["suppressions"] = [
                {"kind": "external", "status": "accepted", "justification": finding.explanation}
            ]
        sarif["properties"] = {
            "keyPath": finding.path,
            "kind": finding.kind,
            "detail": finding.label,
            "values": finding.to_dict()["values"],
        }
        if finding.origin is not None:
            sarif["properties"]["origin"] = finding.origin
        if finding.diagnosis is not None:
            sarif["properties"]["diagnosis"] = finding.diagnosis.to_dict()
            fixes = _fixes(finding, uri, source)
            if fixes:
                sarif["fixes"] = fixes
        return sarif

    def finish(self, summary: Summary) -> str:
        return "".join(self.finish_chunks(summary))

    def finish_chunks(self, summary: Summary) -> Iterator[str]:
        """The log, with the spooled items read back from disk a piece at a time."""
        spools = [self.notifications, self.artifacts, self.results]
        lists = {s.stand_in: [s.stand_in] if s.items else [] for s in spools}
        yield from spliced(self._log(not self.notifications.items, lists), spools)

    def _log(self, successful: bool, lists: dict[str, list[Any]]) -> dict[str, Any]:
        invocation: dict[str, Any] = {"executionSuccessful": successful}
        notifications = lists[self.notifications.stand_in]
        if notifications:
            invocation["toolExecutionNotifications"] = notifications
        return {
            "$schema": SARIF_SCHEMA,
            "version": SARIF_VERSION,
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "evalcheck",
                            "version": tool_version(self.options),
                            "rules": self.rules,
                        }
                    },
                    "invocations": [invocation],
                    "artifacts": lists[self.artifacts.stand_in],
                    "columnKind": "unicodeCodePoints",
                    "results": lists[self.results.stand_in],
                }
            ],
        }
