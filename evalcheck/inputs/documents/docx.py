"""Word documents (.docx), read with python-docx.

Paragraphs and tables are taken in document order.  A merged cell (gridSpan across columns,
vMerge down rows) is resolved: every grid position it covers gets the same cell, so a 一级指标
merged down its rows names each of them.  The rendering that positions point into has one line
per paragraph and one per table row, cells separated by tabs and a merged cell printed only at
its first position, much like the text extracted from the same document.

A hostile file never reaches python-docx: the package and every XML part are scanned first
(:mod:`.ooxml`), and ``word/document.xml`` is counted as it streams by, so 5,000,000 empty
paragraphs (44 KB zipped) are refused at :data:`MAX_PARAGRAPHS` without being read whole.
Merged cells are resolved here, one row after another (python-docx follows a vertical merge
up the table recursively, one lookup per row above: a column merged down 1,100 rows was a
RecursionError).
"""

from __future__ import annotations

import io
from typing import Any

from ..source import LoadError
from .extras import library
from .layout import Cell, Layout, Paragraph, Row, Span
from .ooxml import library_error, open_package, scan_xml

__all__ = ["MAX_COLUMNS", "MAX_PARAGRAPHS", "MAX_ROWS", "read_docx"]

LABEL = "Word（.docx）"  # as check_package names it
# A report has a few hundred paragraphs and a few hundred table rows of about ten columns.
MAX_PARAGRAPHS = 100_000  # every w:p, those in table cells too
MAX_ROWS = 20_000  # table rows in the whole document
MAX_COLUMNS = 200  # grid columns of one table row
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(name: str, data: bytes) -> Layout:
    docx = library(name, "docx", package="python-docx", what=" Word 文件", extra="office")
    _scan(name, data)
    try:
        return _read(name, docx.Document(io.BytesIO(data)))
    except Exception as exc:  # python-docx on a file it cannot make sense of
        raise library_error(name, LABEL, exc) from None


def _scan(name: str, data: bytes) -> None:
    """Every XML part well formed and within the limits; the body's size counted."""
    package = open_package(name, data, LABEL)
    counts = {f"{_W}p": 0, f"{_W}tr": 0}
    limits = {f"{_W}p": (MAX_PARAGRAPHS, "段落"), f"{_W}tr": (MAX_ROWS, "表格行")}

    def count(tag: str) -> None:
        if tag in counts:
            counts[tag] += 1
            limit, what = limits[tag]
            if counts[tag] > limit:
                raise LoadError(name, 1, 1, f"Word 文件中的{what}过多（超过 {limit} 个）")

    with package:
        for part in package.namelist():
            if part.endswith((".xml", ".rels")):
                scan_xml(package, part, name, LABEL, count if part == "word/document.xml" else None)


def _read(name: str, document: Any) -> Layout:
    lines: list[str] = []
    layout = Layout(name, "", "docx")
    paragraphs = tables = 0
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            tables += 1
            _table(name, block, tables, lines, layout)
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


def _grid(name: str, table: Any, number: int) -> list[tuple[int, list[tuple[Any, Any]]]]:
    """Each row as (row number, [(tc element, the tc that holds its text)] per grid column).

    A ``gridSpan`` repeats its cell; a ``vMerge="continue"`` takes the cell above it at the
    same grid column, as python-docx's ``row.cells`` does, but iteratively.
    """
    rows = []
    above: dict[int, Any] = {}
    for row_number, tr in enumerate(table._tbl.tr_lst, start=1):
        column = tr.grid_before
        here: dict[int, Any] = {}
        cells = []
        for tc in tr.tc_lst:
            span = max(1, tc.grid_span)
            if column + span > MAX_COLUMNS:
                raise LoadError(
                    name,
                    1,
                    1,
                    f"Word 文件中表{number}的第{row_number}行过宽（超过 {MAX_COLUMNS} 列）",
                )
            owner = above.get(column, tc) if tc.vMerge == "continue" else tc
            for offset in range(span):
                here[column + offset] = owner
                cells.append((tc, owner))
            column += span
        above = here
        rows.append((row_number, cells))
    return rows


def _table(name: str, table: Any, number: int, lines: list[str], layout: Layout) -> None:
    from docx.table import _Cell

    seen: dict[int, Cell] = {}
    alive: list[Any] = []  # lxml reuses ids of freed proxies: keep each cell element alive
    for row_number, row in _grid(name, table, number):
        line = len(lines) + 1
        rendered: list[str] = []
        cells: list[Cell] = []
        column = 1
        for column_number, (_tc, owner) in enumerate(row, start=1):
            alive.append(owner)
            key = id(owner)
            if key in seen:
                cells.append(seen[key])
                rendered.append("")
                column += 1
                continue
            spans: list[Span] = []
            parts: list[str] = []
            offset = column
            for paragraph in _Cell(owner, table).paragraphs:
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
