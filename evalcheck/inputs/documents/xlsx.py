"""Excel workbooks (.xlsx), read with openpyxl.

Each sheet is one table, laid out by :mod:`.sheets` (merged ranges, free-text rows, limits).
Numbers are written as the cell's number format shows
them (``10.00``, ``100.00%``), because the decimals printed are part of the figure.

Sheets are read lazily, row by row (openpyxl's read-only reader), keeping only the cells with
content and stopping at the first one beyond :data:`~.sheets.MAX_SHEET_ROWS` rows or
:data:`~.sheets.MAX_SHEET_COLUMNS` columns: a 200,000-row sheet is refused after its first
10,000 rows instead of being read whole, and formatting far away (an empty cell at XFD1048576)
costs nothing.  Every XML part is parsed and dropped first (:mod:`.ooxml`), so openpyxl only
ever sees well-formed XML without a DTD; whatever it still raises is one line.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from typing import Any

from ..source import LoadError
from .extras import library
from .layout import Layout
from .ooxml import library_error, open_package, scan_xml
from .sheets import MAX_SHEET_COLUMNS, MAX_SHEET_ROWS, add_sheet, letter

__all__ = ["MAX_CELLS", "MAX_SHEETS", "read_xlsx"]

LABEL = "Excel（.xlsx）"
MAX_SHEETS = 100
MAX_CELLS = 200_000  # cells with content, in the whole workbook


def read_xlsx(name: str, data: bytes) -> Layout:
    openpyxl = library(name, "openpyxl", package="openpyxl", what=" Excel 文件", extra="office")
    package = open_package(name, data, LABEL)
    with package:
        for part in package.namelist():
            if part.endswith((".xml", ".rels")):
                scan_xml(package, part, name, LABEL)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return _read(name, workbook)
        finally:
            workbook.close()
    except Exception as exc:  # openpyxl (or its XML parser) on a file it cannot make sense of
        raise library_error(name, LABEL, exc) from None


def _read(name: str, workbook: Any) -> Layout:
    layout = Layout(name, "", "xlsx")
    lines: list[str] = []
    sheets = workbook.worksheets
    if len(sheets) > MAX_SHEETS:
        raise LoadError(name, 1, 1, f"Excel 文件的工作表过多（超过 {MAX_SHEETS} 个）")
    budget = [MAX_CELLS]
    for number, sheet in enumerate(sheets, start=1):
        texts, merges = _cells(name, sheet, budget)
        add_sheet(layout.name, sheet.title, number, texts, merges, lines, layout)
    layout.text = "\n".join(lines)
    return layout


def _cells(
    name: str, sheet: Any, budget: list[int]
) -> tuple[dict[tuple[int, int], str], list[tuple[int, int, int, int]]]:
    """The cells with content, read as a stream, and the sheet's merged ranges."""
    from openpyxl.cell.read_only import ReadOnlyCell
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.worksheet._reader import WorkSheetParser

    workbook = sheet.parent
    texts: dict[tuple[int, int], str] = {}
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=workbook.data_only,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for _, row in parser.parse():
            for raw in row:
                if raw["value"] is None or raw["value"] == "":
                    continue  # formatting only
                r, c = raw["row"], raw["column"]
                if r > MAX_SHEET_ROWS or c > MAX_SHEET_COLUMNS:
                    raise LoadError(
                        name,
                        1,
                        1,
                        f"工作表「{sheet.title}」过大（{sheet.title}!{letter(c)}{r} 有内容；上限为"
                        f" {MAX_SHEET_ROWS} 行、{MAX_SHEET_COLUMNS} 列），无法检查",
                    )
                budget[0] -= 1
                if budget[0] < 0:
                    raise LoadError(
                        name, 1, 1, f"Excel 文件中有内容的单元格过多（超过 {MAX_CELLS} 个）"
                    )
                text = _text(ReadOnlyCell(sheet, **raw))
                if text:
                    texts[(r, c)] = text
        found = parser.merged_cells
    merges = []
    for merged in getattr(found, "mergeCell", None) or []:
        min_col, min_row, max_col, max_row = range_boundaries(merged.ref)
        merges.append((min_row, min_col, max_row, max_col))
    return texts, merges


def _text(cell: Any) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return _number(value, str(cell.number_format or "General"))
    if isinstance(value, datetime | date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def _number(value: float, number_format: str) -> str:
    """The number as its format shows it: the decimals of ``0.00`` and the ``%`` of ``0.00%``."""
    decimals_match = re.search(r"0\.(0+)", number_format)
    decimals = len(decimals_match.group(1)) if decimals_match else None
    if "%" in number_format:
        shown = value * 100
        return f"{shown:.{decimals or 0}f}%"
    if decimals is not None:
        return f"{value:.{decimals}f}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)
