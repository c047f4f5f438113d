"""``--format xlsx``: the findings as the workbook offices already pass around.

Sheet 问题 has a row per finding — 单位名称, 文件, 位置, 规则, 级别, 问题, 诊断, then 数据项 and
已说明 — the reports worst first (as the batch table orders them), each report's findings in
file order; a file that could not be read is one row of its own.  Sheet 报告 has a row per
report: the overview's cells (who, what kind, which year, what score, the counts, coverage).

A report's strings are written as text, never as formulas (a cell from a report that starts
with ``=`` stays that text in Excel), with their control characters shown as escapes
(:func:`evalcheck.inputs.escape.visible`: the XML of a workbook cannot hold them) and cut to
the 32,767 characters a cell holds.  The workbook is written with openpyxl's write-only mode,
so a batch of thousands of reports is streamed to the file row by row.
"""

from __future__ import annotations

import io
from dataclasses import field
from typing import TYPE_CHECKING, Any

from ..findings import Counts, Summary
from ..findings.counts import SEVERITY_LABEL
from ..inputs.escape import visible
from ..inputs.records import dataclass
from . import RenderOptions
from .json_format import finding_text

if TYPE_CHECKING:
    from ..findings import FileResult, Finding

__all__ = ["FINDING_HEADINGS", "REPORT_HEADINGS", "WORKBOOK_CREATOR", "XlsxReporter"]

FINDING_HEADINGS = ("单位名称", "文件", "位置", "规则", "级别", "问题", "诊断", "数据项", "已说明")
REPORT_HEADINGS = (
    "单位名称",
    "报告类型",
    "评价年度",
    "自评分数",
    "评价等次",
    "错误",
    "警告",
    "提示",
    "已说明",
    "读取的数字",
    "核对的数字",
    "文件",
    "无法读取",
)
_WIDTHS = {"单位名称": 30, "文件": 36, "位置": 22, "问题": 70, "诊断": 50, "数据项": 28}
# Written in the workbook's properties: how evalcheck knows its own output in a folder.
WORKBOOK_CREATOR = "evalcheck"
MAX_CELL_CHARS = 32_767  # what one Excel cell holds
MAX_SHEET_ROWS = 1_048_576  # rows of one sheet; the findings go on to 问题（2）…


@dataclass(slots=True)
class _Report:
    order: int
    file: str
    name: str
    cells: tuple[Any, ...]  # the 报告 row
    counts: Counts
    findings: list[tuple[str, ...]] = field(default_factory=list)


def _text(value: str) -> str:
    shown = visible(value, keep="\n\t")
    return shown if len(shown) <= MAX_CELL_CHARS else shown[: MAX_CELL_CHARS - 1] + "…"


def _place(finding: Finding) -> str:
    """Where to look in the file as the user has it, without the file name."""
    if finding.rendered and finding.origin:
        return finding.origin
    place = f"第 {finding.line} 行第 {finding.column} 列" if finding.line else ""
    if finding.origin:
        return f"{place}（{finding.origin}）" if place else finding.origin
    return place


def _finding_row(name: str, file: str, finding: Finding) -> tuple[str, ...]:
    return (
        name,
        file,
        _place(finding),
        finding.rule_id,
        SEVERITY_LABEL.get(finding.severity, finding.severity),
        finding_text(finding),
        finding.diagnosis.text if finding.diagnosis is not None else "",
        finding.path,
        finding.explanation or "",
    )


class XlsxReporter:
    def __init__(self, options: RenderOptions) -> None:
        self.options = options
        self.reports: list[_Report] = []

    def file(self, result: FileResult) -> str:
        header = result.header
        name = header.unit if header is not None and header.unit else result.file
        counts = Counts.of(result.findings)
        coverage = result.coverage
        error = result.error.message if result.error is not None else ""
        cells = (
            name,
            header.kind if header else "",
            header.year if header else "",
            header.score if header else "",
            header.grade if header else "",
            counts.errors,
            counts.warnings,
            counts.infos,
            counts.explained,
            coverage.figures if coverage else None,
            coverage.checked if coverage else None,
            result.file,
            error,
        )
        report = _Report(len(self.reports), result.file, name, cells, counts)
        if result.error is not None:
            where = f"第 {result.error.line} 行第 {result.error.column} 列"
            report.findings.append(
                (name, result.file, where, "", SEVERITY_LABEL["error"], f"无法读取：{error}")
                + ("",) * 3
            )
        report.findings.extend(_finding_row(name, result.file, f) for f in result.findings)
        self.reports.append(report)
        return ""

    def finish(self, summary: Summary) -> bytes:
        from openpyxl import Workbook

        def bad(r: _Report) -> tuple[int, ...]:
            unreadable = 1 if r.cells[-1] else 0
            c = r.counts
            return (-unreadable, -c.errors, -c.warnings, -c.infos, -c.explained, r.order)

        ordered = sorted(self.reports, key=bad)
        book = Workbook(write_only=True)
        book.properties.creator = WORKBOOK_CREATOR
        book.properties.title = "evalcheck 检查结果"
        rows = (row for report in ordered for row in report.findings)
        part = 1
        sheet = _sheet(book, "问题", FINDING_HEADINGS)
        used = 1
        for row in rows:
            if used == MAX_SHEET_ROWS:
                part += 1
                sheet = _sheet(book, f"问题（{part}）", FINDING_HEADINGS)
                used = 1
            sheet.append([_cell(sheet, value) for value in row])
            used += 1
        reports = _sheet(book, "报告", REPORT_HEADINGS)
        for report in ordered:
            reports.append([_cell(reports, value) for value in report.cells])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()


def _sheet(book: Any, title: str, headings: tuple[str, ...]) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    for number, heading in enumerate(headings, 1):
        sheet.column_dimensions[get_column_letter(number)].width = _WIDTHS.get(heading, 10)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headings))}1"
    bold = Font(bold=True)
    cells = []
    for heading in headings:
        cell = WriteOnlyCell(sheet, value=heading)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    return sheet


def _cell(sheet: Any, value: Any) -> Any:
    """A cell holding ``value``: a number as a number, a string always as text."""
    from openpyxl.cell import WriteOnlyCell

    if not isinstance(value, str):
        return WriteOnlyCell(sheet, value=value)
    cell = WriteOnlyCell(sheet, value=_text(value))
    cell.data_type = "s"  # never a formula, whatever the report's text starts with
    return cell
