"""Word documents (.docx), read with python-docx.

Paragraphs and tables are taken in document order.  A merged cell (gridSpan across columns,
vMerge down rows) is resolved: every grid position it covers gets the same cell, so a 一级指标
merged down its rows names each of them.  The rendering that positions point into has one line
per paragraph and one per table row, cells separated by tabs and a merged cell printed only at
its first position, much like the text extracted from the same document.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from ..source import LoadError
from .layout import Cell, Layout, Paragraph, Row, Span
from .package import check_package

__all__ = ["read_docx"]


def read_docx(name: str, data: bytes) -> Layout:
    try:
        import docx
    except ImportError:  # pragma: no cover - the "office" extra is not installed
        raise LoadError(
            name, 1, 1, "读取 Word 文件需要 python-docx：pip install 'evalcheck[office]'"
        ) from None
    check_package(name, data, "Word（.docx）")
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise LoadError(name, 1, 1, f"不是有效的 Word（.docx）文件：{exc}") from None
    lines: list[str] = []
    layout = Layout(name, "", "docx")
    paragraphs = tables = 0
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            tables += 1
            _table(block, tables, lines, layout)
        else:
            paragraphs += 1
            text = block.text.replace("\n", " ")
            lines.append(text)
            style = block.style.name if block.style is not None else ""
            layout.items.append(
                Paragraph(Span(text, len(lines), 1), f"第{paragraphs}段", style or "")
            )
    layout.text = "\n".join(lines)
    return layout


def _table(table: Any, number: int, lines: list[str], layout: Layout) -> None:
    seen: dict[int, Cell] = {}
    alive: list[Any] = []  # lxml reuses ids of freed proxies: keep each cell element alive
    for row_number, row in enumerate(table.rows, start=1):
        line = len(lines) + 1
        rendered: list[str] = []
        cells: list[Cell] = []
        column = 1
        for column_number, cell in enumerate(row.cells, start=1):
            alive.append(cell._tc)
            key = id(cell._tc)
            if key in seen:
                cells.append(seen[key])
                rendered.append("")
                column += 1
                continue
            spans: list[Span] = []
            parts: list[str] = []
            offset = column
            for paragraph in cell.paragraphs:
                text = paragraph.text.replace("\n", " ")
                spans.append(Span(text, line, offset))
                parts.append(text)
                offset += len(text) + 1
            if not spans:
                spans.append(Span("", line, column))
            mine = Cell(spans, f"表{number} 第{row_number}行 第{column_number}列")
            seen[key] = mine
            cells.append(mine)
            text = " ".join(parts)
            rendered.append(text)
            column += len(text) + 1
        lines.append("\t".join(rendered))
        quote = "\t".join(t for t in rendered)
        layout.items.append(Row(cells, number, row_number, quote, f"表{number}"))
