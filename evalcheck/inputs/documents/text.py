"""Plain text extracted from a report, in the layout the seed files have.

Table cells are lines starting with a tab; a line without a tab right after a cell continues
that cell (a line break inside the cell: “年度\\n指标值”); a blank line ends a table row; any
other line is a paragraph.  Merged cells are printed once and left empty in the rows they
cover.  Rows separated only by blank lines belong to one table; free text between rows starts
the next table.  Lines and columns are those of the file itself.
"""

from __future__ import annotations

from ..source import Source
from .layout import Cell, Layout, Paragraph, Row, Span

__all__ = ["read_text"]


def read_text(source: Source) -> Layout:
    layout = Layout(source.name, source.text, "text", encoding=source.encoding)
    lines = source.text.split("\n")
    cells: list[Cell] = []
    table = 0
    rows_in_table = 0
    after_text = True  # free text seen since the last row: the next row starts a table

    def end_row() -> None:
        nonlocal cells, rows_in_table
        if cells:
            rows_in_table += 1
            quote = "\t".join(c.flat for c in cells)
            layout.items.append(Row(cells, table, rows_in_table, quote, f"表{table}"))
        cells = []

    for number, line in enumerate(lines, start=1):
        if line.startswith("\t"):
            if not cells and after_text:
                table += 1
                rows_in_table = 0
                after_text = False
            cells.append(Cell([Span(line[1:], number, 2)], f"{number}:2"))
            continue
        if not line.strip():
            end_row()
            continue
        if cells:
            cells[-1].spans.append(Span(line, number, 1))
            continue
        after_text = True
        layout.items.append(Paragraph(Span(line, number, 1), f"{number}:1"))
    end_row()
    return layout
