"""Excel workbooks (.xlsx), read with openpyxl.

Each sheet is one table, laid out by :mod:`.sheets` (merged ranges, free-text rows, limits).
Numbers are written as the cell's number format shows
them (``10.00``, ``100.00%``), because the decimals printed are part of the figure.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from typing import Any

from ..source import LoadError
from .layout import Layout
from .package import check_package
from .sheets import add_sheet

__all__ = ["read_xlsx"]


def read_xlsx(name: str, data: bytes) -> Layout:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - the "office" extra is not installed
        raise LoadError(
            name, 1, 1, "读取 Excel 文件需要 openpyxl：pip install 'evalcheck[office]'"
        ) from None
    check_package(name, data, "Excel（.xlsx）")
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
    texts = {
        key: text
        for key, cell in sheet._cells.items()  # only the cells the file holds: never a grid
        if (text := _text(cell))
    }
    merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in sheet.merged_cells.ranges]
    add_sheet(layout.name, sheet.title, number, texts, merges, lines, layout)


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
