"""Excel 97-2003 workbooks (.xls) and WPS spreadsheets (.et), read with xlrd.

xlrd is the reference reader of the BIFF format (the format's last maintained pure-Python
reader; python-calamine would add a Rust wheel for the same).  Sheets are laid out by
:mod:`.sheets` exactly as .xlsx sheets are, numbers written as their cell format shows them.
WPS saves .et files in the same BIFF8 container when it can; an .et that xlrd cannot read is
refused with the advice to save it as .xlsx.
"""

from __future__ import annotations

from typing import Any

from ..source import LoadError
from .extras import library
from .layout import Layout
from .sheets import add_sheet
from .xlsx import _number

__all__ = ["read_xls"]


def read_xls(name: str, data: bytes) -> Layout:
    xlrd = library(name, "xlrd", package="xlrd", what=" .xls 文件", extra="office")
    kind = "WPS 表格（.et）" if name.lower().endswith(".et") else "Excel 97-2003（.xls）"
    if data[:4] == b"PK\x03\x04":
        raise LoadError(name, 1, 1, "此文件实际是 .xlsx 格式，请把扩展名改为 .xlsx 后再检查")
    try:
        book = xlrd.open_workbook(
            file_contents=data,
            formatting_info=True,
            on_demand=True,
            ragged_rows=True,  # rows as long as their last cell: a far cell pads nothing
            logfile=_Quiet(),
        )
    except Exception as exc:  # xlrd raises many kinds on damaged files
        raise LoadError(
            name, 1, 1, f"无法读取{kind}文件（{type(exc).__name__}）：请另存为 .xlsx 后再检查"
        ) from None
    layout = Layout(name, "", "xls")
    lines: list[str] = []
    for number in range(1, book.nsheets + 1):
        sheet = book.sheet_by_index(number - 1)
        texts: dict[tuple[int, int], str] = {}
        for r in range(sheet.nrows):
            for c, cell in enumerate(sheet.row_slice(r)):
                text = _text(book, cell)
                if text:
                    texts[(r + 1, c + 1)] = text
        merges = [(r0 + 1, c0 + 1, r1, c1) for r0, r1, c0, c1 in sheet.merged_cells]
        add_sheet(name, sheet.name, number, texts, merges, lines, layout)
    layout.text = "\n".join(lines)
    return layout


def _text(book: Any, cell: Any) -> str:
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "是" if cell.value else "否"
    if cell.ctype == xlrd.XL_CELL_DATE:
        year, month, day, *_ = xlrd.xldate_as_tuple(cell.value, book.datemode)
        return f"{year}年{month}月{day}日"
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        xf = book.xf_list[cell.xf_index] if cell.xf_index is not None else None
        shown = book.format_map[xf.format_key].format_str if xf is not None else "General"
        return _number(cell.value, shown or "General")
    return str(cell.value)


class _Quiet:
    """xlrd writes warnings to a log file; a report check has no use for them."""

    def write(self, text: str) -> int:
        return len(text)
