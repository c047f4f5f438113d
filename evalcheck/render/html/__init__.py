"""``--format html``: one self-contained page for reviewers and clerks who do not live in a
terminal — a batch overview, small charts, and each report's tables drawn as the forms print
them with the cells of every finding marked and the finding's arithmetic and diagnosis beside.

The page works opened from disk: no network, no external asset (its Content-Security-Policy
allows nothing but its own one style sheet and one script, by hash), and everything a report
holds is escaped (:func:`evalcheck.inputs.escape.markup`).  Each report's section is drawn as
its result arrives, so a batch holds one string per report, not its findings and data; the
overview, which must come first, is drawn at the end from a small row per report.

Modules: :mod:`.marks` (which cells a finding involves), :mod:`.draw` (cells and generic
tables), :mod:`.forms` (the forms), :mod:`.prose` (正文 with its figures marked), :mod:`.cards`
(a finding beside its table), :mod:`.section` (one report), :mod:`.overview` and
:mod:`.charts` (the batch), :mod:`.page` (the document around them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...findings import Counts, Summary
from .. import RenderOptions
from .marks import severity_class
from .overview import Row
from .page import page
from .section import report_section, title_of

if TYPE_CHECKING:
    from ...findings import FileResult

__all__ = ["HtmlReporter"]


class HtmlReporter:
    def __init__(self, options: RenderOptions) -> None:
        self.options = options
        self.fixes = {rule.id: rule.fix for rule in options.rules}
        self.titles = {rule.id: rule.title for rule in options.rules}
        self.rows: list[Row] = []
        self.sections: list[str] = []
        self.per_rule: dict[str, tuple[str, str, int]] = {}  # id → (title, severity, count)

    def file(self, result: FileResult) -> str:
        number = len(self.rows) + 1
        section, numbered = report_section(result, number, self.fixes)
        self.sections.append(section)
        header = result.header
        coverage = result.coverage
        row = Row(
            number=number,
            title=title_of(result),
            file=result.file,
            kind=header.kind if header else "",
            year=header.year if header else "",
            score=header.score if header else "",
            grade=header.grade if header else "",
            counts=Counts.of(result.findings),
            figures=coverage.figures if coverage else None,
            checked=coverage.checked if coverage else None,
            score_value=header.score_value if header else None,
            rate_value=header.rate_value if header else None,
            error=result.error.message if result.error is not None else "",
        )
        for n, finding in numbered:
            row.rules.setdefault(finding.rule_id, n)
            row.severities.add(severity_class(finding))
            title, severity, count = self.per_rule.get(
                finding.rule_id, (finding.title, str(finding.severity), 0)
            )
            self.per_rule[finding.rule_id] = (title, severity, count + 1)
        self.rows.append(row)
        return ""

    def finish(self, summary: Summary) -> str:
        rules = sorted(
            ((rule, t, s, n) for rule, (t, s, n) in self.per_rule.items()),
            key=lambda r: (-r[3], r[0]),
        )
        return page(self.rows, self.sections, rules, summary, self.options)
