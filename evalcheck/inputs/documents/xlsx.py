"""Excel workbooks (.xlsx), read with openpyxl.

Each sheet is one table.  A merged range is resolved: every cell it covers gets the value of
its top-left cell.  Rows with a single filled cell before the first and after the last row of
two or more cells are free text (titles, “填报单位：…”, “填表人：…”); a sheet with no such row at
all is prose, one paragraph per row.  Numbers are written as the cell's number format shows
them (``10.00``, ``100.00%``), because the decimals printed are part of the figure.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from typing import Any

from ..source import LoadError
from .layout import Cell, Layout, Paragraph, Row, Span

__all__ = ["read_xlsx"]


def read_xlsx(name: str, data: bytes) -> Layout:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - the "office" extra is not installed
        raise LoadError(
            name, 1, 1, "读取 Excel 文件需要 openpyxl：pip install 'evalcheck[office]'"
        ) from None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise LoadError(name, 1, 1, f"不是有效的 Excel（.xlsx）文件：{exc}") from None
    layout = Layout(name, "", "xlsx")
    lines: list[str] = []
    for number, sheet in enumerate(workbook.worksheets, start=1):
        _sheet(sheet, number, lines, layout)
    layout.text = "\n".join(lines)
    return layout


def _sheet(sheet: Any, number: int, lines: list[str], layout: Layout) -> None:
    merged: dict[tuple[int, int], tuple[int, int]] = {}
    for cell_range in sheet.merged_cells.ranges:
        top = (cell_range.min_row, cell_range.min_col)
        for r in range(cell_range.min_row, cell_range.max_row + 1):
            for c in range(cell_range.min_col, cell_range.max_col + 1):
                merged[(r, c)] = top
    width = sheet.max_column or 0
    texts = {
        (cell.row, cell.column): _text(cell)
        for cells in sheet.iter_rows(min_row=1, max_row=sheet.max_row, max_col=width)
        for cell in cells
    }
    grid = [
        [texts.get(merged.get((r, c), (r, c)), "") for c in range(1, width + 1)]
        for r in range(1, (sheet.max_row or 0) + 1)
    ]
    filled = [
        len({merged.get((r + 1, c + 1), (r + 1, c + 1)) for c, t in enumerate(row) if t})
        for r, row in enumerate(grid)
    ]
    wide = [i for i, n in enumerate(filled) if n >= 2]
    first, last = (wide[0], wide[-1]) if wide else (len(grid), -1)
    made: dict[tuple[int, int], Cell] = {}
    for index, row in enumerate(grid):
        line = len(lines) + 1
        r = index + 1
        if not first <= index <= last:
            text = next((t for t in row if t), "")
            lines.append(text.replace("\n", " "))
            if text:
                column = next(c for c, t in enumerate(row, start=1) if t)
                where = f"{sheet.title}!{_letter(column)}{r}"
                layout.items.append(Paragraph(Span(text.replace("\n", " "), line, 1), where))
            continue
        cells: list[Cell] = []
        rendered: list[str] = []
        position = 1
        for c, text in enumerate(row, start=1):
            top = merged.get((r, c), (r, c))
            if top in made:
                cells.append(made[top])
                rendered.append("")
                position += 1
                continue
            spans = []
            offset = position
            for part in text.split("\n") or [""]:
                spans.append(Span(part, line, offset))
                offset += len(part) + 1
            cell = Cell(spans, f"{sheet.title}!{_letter(top[1])}{top[0]}")
            made[top] = cell
            cells.append(cell)
            flat = text.replace("\n", " ")
            rendered.append(flat)
            position += len(flat) + 1
        lines.append("\t".join(rendered))
        layout.items.append(Row(cells, number, r, "\t".join(rendered), f"工作表「{sheet.title}」"))


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


def _letter(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
