"""Step 5: findings — engine outcomes placed in the file, with every figure located.

An outcome knows key paths; a finding knows ``file:line:col``.  Positions are looked up only
here, only for outcomes worth reporting, so a clean report never pays for them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import field
from typing import TYPE_CHECKING, Any

from ..engine.run import Outcome, OutcomeKey, Status, outcome_key
from ..engine.spec import Severity
from ..inputs.records import dataclass
from ..inputs.source import LoadError, Source, format_path
from .counts import SEVERITIES, SEVERITY_LABEL, SEVERITY_RANK, Counts, Coverage, Summary
from .rules import META_RULES, RuleInfo, Selector, rule_info

if TYPE_CHECKING:
    from ..diagnose import Diagnosis
    from ..report.header import Header

__all__ = [
    "META_RULES",
    "SEVERITIES",
    "SEVERITY_LABEL",
    "SEVERITY_RANK",
    "Counts",
    "Coverage",
    "FileResult",
    "Finding",
    "Located",
    "NotApplicable",
    "RuleInfo",
    "Selector",
    "Severity",
    "Status",
    "Summary",
    "format_path",
    "locate",
    "meta_finding",
    "not_applicable",
    "rule_info",
    "to_findings",
]


KeyPath = tuple[str | int, ...]


def meta_finding(
    rule: RuleInfo, message: str, file: str, where: tuple[int, int], path: str = ""
) -> Finding:
    """A finding of one of the rules about reading (EC0xx, EC901): no figures, no arithmetic."""
    return Finding(
        rule_id=rule.id,
        rule_name=rule.name,
        severity=rule.severity,
        title=rule.title,
        message=message,
        file=file,
        line=where[0],
        column=where[1],
        path=path,
    )


@dataclass(frozen=True, slots=True)
class NotApplicable:
    """A rule skipped at one place for want of data (listed by ``--verbose``)."""

    rule_id: str
    path: str
    reason: str


# Notes made so far, by their text: a report has hundreds, a batch the same ones in report
# after report, and a frozen note may stand for them all (a frozen init costs ~1 µs).
_NOTES: dict[tuple[str, str, str], NotApplicable] = {}
_NOTES_MAX = 8192  # about 1.5 MB: memory stays flat in a batch of any size


def not_applicable(rule_id: str, path: str, reason: str) -> NotApplicable:
    """``NotApplicable(rule_id, path, reason)``, one object per text."""
    key = (rule_id, path, reason)
    found = _NOTES.get(key)
    if found is None:
        if len(_NOTES) >= _NOTES_MAX:
            _NOTES.clear()
        found = _NOTES[key] = NotApplicable(rule_id, path, reason)
    return found


@dataclass(slots=True)
class FileResult:
    file: str
    findings: list[Finding] = field(default_factory=list)
    not_applicable: list[NotApplicable] = field(default_factory=list)
    error: LoadError | None = None
    source: Source | None = None  # for code frames; None for reports given as objects
    coverage: Coverage | None = None  # None when the file could not be read
    skipped: str | None = None  # why the file is not a report (one of evalcheck's own outputs)
    header: Header | None = None  # who, what kind, which year, what score: for batch overviews
    # The report data as read (with 正文数据; a list for a file of reports), kept only when the
    # format draws the report itself (see render.REPORT_FORMATS): findings' paths point into it.
    report: Any = None


@dataclass(frozen=True, slots=True)
class Located:
    """A figure the rule used: its name in the rule, its value, and where it is printed."""

    name: str
    value: str
    path: str
    line: int
    column: int
    length: int = 0  # characters the figure takes at line:column as written (0: unknown)
    blank: bool = False  # no value there: ``length`` then spans the key or section it belongs to
    exact: bool = True  # line:column is the figure itself, not a section that should hold it
    mark: int = 0  # column where its underline starts, when not at ``column`` (a section's key)


@dataclass(frozen=True, slots=True)
class Place:
    """Where a key path is printed: its own value, or (``exact`` False) the nearest enclosing
    section that is, when the value itself is absent.  ``mark`` and ``length`` are what a code
    frame underlines: the value as written, or the key of a section (``"预算执行": {``)."""

    line: int
    column: int
    length: int = 0
    exact: bool = True
    mark: int = 0  # column where the underline starts (0: at ``column``)


def place(source: Source | None, path: KeyPath, *, key: bool = False) -> Place:
    """The value's place (its key's with ``key``), else the nearest enclosing section's."""
    if source is None:
        return Place(0, 0, 0, False)
    if key and path:
        found = source.key_position(path)
        if found is not None:
            return Place(*found, source.span(path, key=True) or 0)
    probe = path
    while probe:
        position = source.position(probe)
        if position is not None:
            return _marked(source, probe, position, probe == path)
        position = source.key_position(probe)
        if position is not None:
            return Place(*position, source.span(probe, key=True) or 0, probe == path)
        probe = probe[:-1]
    return Place(1, 1, 0, False)


def _marked(source: Source, path: KeyPath, position: tuple[int, int], exact: bool) -> Place:
    """A value's place; a section (no length of its own) is marked by its key on that line."""
    length = source.span(path)
    if length:
        return Place(*position, length, exact)
    key = source.key_position(path)
    if key is not None and key[0] == position[0] and key[1] < position[1]:
        return Place(*position, source.span(path, key=True) or 0, exact, mark=key[1])
    return Place(*position, 0, exact)


@dataclass(slots=True)
class Finding:
    rule_id: str
    rule_name: str
    severity: str
    title: str
    message: str
    file: str
    line: int
    column: int
    path: str
    label: str = ""
    kind: str = Status.FAIL  # fail, rounding, missing, error
    figures: list[Located] = field(default_factory=list)
    explanation: str | None = None  # set when an office explained a warning on purpose
    diagnosis: Diagnosis | None = None  # the figure most likely wrong (never applied)
    origin: str | None = None  # the place in a Word/Excel original, e.g. 附件1-2!C5
    box: tuple[float, float, float, float] | None = None  # PDF: the cell's x0, top, x1, bottom
    rendered: bool = False  # line and column point into a rendering, not the file itself
    length: int = 0  # characters the culprit takes at line:column as written (0: unknown)
    mark: int = 0  # column where its underline starts, when not at ``column`` (a section's key)

    @property
    def where(self) -> str:
        """Where to look, in the file as the user has it: ``r.json:21:14``, ``r.html:40:7
        （表2 第3行 第4列）``, or for Word/Excel/PDF only the place (``r.docx:附件1-2!C5``)."""
        if self.rendered and self.origin:
            return f"{self.file}:{self.origin}"
        place = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return f"{place}（{self.origin}）" if self.origin else place

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.rule_id, self.path)

    def to_dict(self) -> dict[str, Any]:
        """The stable machine form (``--format json``)."""
        data: dict[str, Any] = {
            "rule": self.rule_id,
            "name": self.rule_name,
            "severity": self.severity,
            "title": self.title,
            "message": self.message,
            "detail": self.label,
            "kind": self.kind,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "values": [
                {
                    "name": f.name,
                    "value": f.value,
                    "path": f.path,
                    "line": f.line,
                    "column": f.column,
                }
                for f in self.figures
            ],
        }
        if self.origin is not None:
            data["origin"] = self.origin
        if self.box is not None:
            data["box"] = [round(v, 2) for v in self.box]
        if self.explanation is not None:
            data["explanation"] = self.explanation
        if self.diagnosis is not None:
            data["diagnosis"] = self.diagnosis.to_dict()
        return data


def locate(source: Source | None, path: KeyPath, *, key: bool = False) -> tuple[int, int]:
    """Line and column of :func:`place`."""
    found = place(source, path, key=key)
    return found.line, found.column


def _origin(source: Source | None, path: KeyPath) -> str | None:
    """For an imported Word/Excel/text report: the sheet!cell or table row and column."""
    describe = getattr(source, "origin", None)
    if describe is None:
        return None
    found = describe(path)
    if found is None or found.description == f"{found.line}:{found.column}":
        return None  # extracted text: the line and column already say where
    return str(found.description)


def _box(source: Source | None, path: KeyPath) -> tuple[float, float, float, float] | None:
    """For a report read from a PDF: the box of the cell the value was printed in (points)."""
    describe = getattr(source, "origin", None)
    found = describe(path) if describe is not None else None
    return getattr(found, "box", None)


def _diagnosis(
    diagnoses: Mapping[OutcomeKey, Diagnosis] | None, outcome: Outcome, source: Source | None
) -> Diagnosis | None:
    found = diagnoses.get(outcome_key(outcome)) if diagnoses else None
    return None if found is None else found.placed(lambda path: locate(source, path))


def to_findings(
    outcomes: Iterable[Outcome],
    source: Source | None,
    file: str,
    diagnoses: Mapping[OutcomeKey, Diagnosis] | None = None,
) -> list[Finding]:
    """Findings for the outcomes worth reporting, in file order, with their diagnoses placed."""
    findings = []
    for outcome in outcomes:
        if outcome.status in (Status.PASS, Status.NOT_APPLICABLE):
            continue
        explanation = outcome.explanation
        primary = outcome.where
        at = place(source, primary)
        line, column = at.line, at.column
        figures = []
        if explanation is not None:
            for operand in explanation.operands:
                found = place(source, operand.path)
                figures.append(
                    Located(
                        operand.source,
                        operand.display,
                        format_path(operand.path),
                        found.line,
                        found.column,
                        found.length,
                        operand.blank,
                        found.exact,
                        found.mark,
                    )
                )
        findings.append(
            Finding(
                rule_id=outcome.rule.id,
                rule_name=outcome.rule.spec.name,
                severity=outcome.severity,
                title=outcome.rule.title,
                message=outcome.text,
                file=file,
                line=line,
                column=column,
                path=format_path(primary),
                label=explanation.label if explanation else outcome.reason,
                kind=outcome.status,
                figures=figures,
                diagnosis=_diagnosis(diagnoses, outcome, source),
                origin=_origin(source, primary),
                box=_box(source, primary),
                rendered=source is not None and source.rendered,
                length=at.length,
                mark=at.mark,
            )
        )
    findings.sort(key=lambda f: f.sort_key)
    return findings
