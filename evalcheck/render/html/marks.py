"""Which drawn cells a report's findings involve, and how each is marked.

Every cell the page draws knows the key path of the value it shows (``预算执行.年初预算数``,
``绩效指标[0].指标[3].得分``), the same path findings carry.  A finding's *culprit* is the figure
most likely wrong — the diagnosis' suspect(s) when there is one, else the place the finding
points at; its *operands* are the other figures the rule used.  A cell is drawn with the
strongest mark any finding gives it (culprit over operand, error over warning over info) and
with the numbers of those findings, so the page can link both ways and the script can focus
one finding's cells.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import field
from typing import TYPE_CHECKING

from ...findings import SEVERITY_RANK
from ...inputs.escape import markup
from ...inputs.records import dataclass

if TYPE_CHECKING:
    from ...findings import Finding

__all__ = ["Marks", "severity_class"]


def severity_class(finding: Finding) -> str:
    """``error``, ``warning``, ``info``; ``explained`` once an office explained it."""
    return "explained" if finding.explanation is not None else str(finding.severity)


def culprits(finding: Finding) -> list[str]:
    if finding.diagnosis is not None and finding.diagnosis.changes:
        return [change.path for change in finding.diagnosis.changes]
    return [finding.path]


@dataclass(slots=True)
class _Mark:
    findings: list[int] = field(default_factory=list)
    culprit: bool = False
    rank: int = -1
    severity: str = ""

    def add(self, number: int, culprit: bool, severity: str) -> None:
        if number not in self.findings:
            self.findings.append(number)
        rank = SEVERITY_RANK.get(severity, 0) if severity != "explained" else -1
        stronger = (culprit and not self.culprit) or (culprit == self.culprit and rank > self.rank)
        if stronger or not self.severity:
            self.severity, self.rank = severity, rank
        self.culprit |= culprit


_ROOT = re.compile(r"\[\d+\]|[^.\[]+")


class Marks:
    """Marks of one report's cells, by key path; remembers where each path was drawn."""

    def __init__(self, report_id: str, findings: Sequence[Finding]) -> None:
        self.report_id = report_id
        self._marks: dict[str, _Mark] = {}
        self._blamed: dict[int, list[str]] = {}
        self._involved: dict[int, list[str]] = {}
        self.where: dict[str, str] = {}  # path → id of the part that drew it first
        self._part = ""
        self._parts = 0
        for number, finding in enumerate(findings, 1):
            severity = severity_class(finding)
            blamed = culprits(finding)
            others = [
                p for p in (finding.path, *(f.path for f in finding.figures)) if p not in blamed
            ]
            self._blamed[number] = blamed
            self._involved[number] = others
            for path in blamed:
                self._mark(path).add(number, True, severity)
            for path in others:
                self._mark(path).add(number, False, severity)
        # First keys of the marked paths (``预算执行``, ``[1]``): a cell under any other key is
        # drawn without looking up its path at all — most cells of most reports.
        self.roots = frozenset(m.group() for p in self._marks if (m := _ROOT.match(p)))

    def _mark(self, path: str) -> _Mark:
        found = self._marks.get(path)
        if found is None:
            found = self._marks[path] = _Mark()
        return found

    def new_part(self) -> str:
        """A new part (a table) of the report: cells drawn from now on belong to it."""
        self._parts += 1
        self._part = f"{self.report_id}-p{self._parts}"
        return self._part

    def attributes(self, paths: Sequence[str], css: str = "") -> str:
        """`` data-path=… class=… data-f=…`` for an element that shows the value at ``paths``
        (the first is its own path; the others name the same figure elsewhere in the tree);
        only ``class`` for a cell no finding involves."""
        if not paths:
            return ""
        for path in paths:
            self.where.setdefault(path, self._part)
        found = [m for m in (self._marks.get(p) for p in paths) if m is not None]
        if not found:  # unmarked cells carry no path: 2,000 reports of them add up
            return f' class="{css}"' if css else ""
        text = f' data-path="{markup(paths[0])}"'
        culprit = any(m.culprit for m in found)
        strongest = max((m for m in found if m.culprit == culprit), key=lambda m: m.rank)
        numbers = " ".join(str(n) for n in sorted({n for m in found for n in m.findings}))
        role = "culprit" if culprit else "operand"
        classes = f"{css} m {role} s-{strongest.severity}".lstrip()
        return f'{text} class="{classes}" data-f="{numbers}"'

    def cell(self, paths: Sequence[str], css: str = "") -> tuple[str, str]:
        """:meth:`attributes` and :meth:`refs` of one cell."""
        attributes = self.attributes(paths, css)
        return attributes, self.refs(paths) if "data-f" in attributes else ""

    def refs(self, paths: Sequence[str]) -> str:
        """Small links from a marked cell to its findings' cards."""
        numbers = sorted({n for p in paths if (m := self._marks.get(p)) for n in m.findings})
        return "".join(f'<a class="ref" href="#{self.report_id}-f{n}">{n}</a>' for n in numbers)

    def place(self, number: int) -> str | None:
        """The part beside which finding ``number`` is shown: where its culprit is drawn,
        else where another of its figures is; None when no part drew any."""
        for path in (*self._blamed.get(number, ()), *self._involved.get(number, ())):
            part = self.where.get(path)
            if part is not None:
                return part
        return None

    def undrawn(self) -> list[str]:
        """Marked paths no part drew (a figure no form shows): drawn in a table of their own."""
        return [p for p in self._marks if p not in self.where]
