"""A worksheet as paragraphs and rows, the same for .xlsx and .xls.

Each sheet is one table.  A merged range is resolved: every cell it covers gets the cell of
its top-left corner.  Rows with a single filled cell before the first and after the last row of
two or more cells are free text (titles, “填报单位：…”, “填表人：…”).  Only the cells a file holds
are looked at; a sheet whose filled cells reach beyond :data:`MAX_SHEET_ROWS` rows or
:data:`MAX_SHEET_COLUMNS` columns is refused, so a file whose only cell is ``XFD1048576`` costs
nothing.
"""

from __future__ import annotations

from ..source import LoadError
from .layout import Cell, Layout, Paragraph, Row, Span

__all__ = ["MAX_SHEET_COLUMNS", "MAX_SHEET_ROWS", "add_sheet", "letter"]

# A 自评表 is a few hundred rows and a dozen columns; these leave room for any real form.
MAX_SHEET_ROWS = 10_000
MAX_SHEET_COLUMNS = 200

Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (1-based)


def add_sheet(
    name: str,
    title: str,
    number: int,
    texts: dict[tuple[int, int], str],
    merges: list[Merge],
    lines: list[str],
    layout: Layout,
) -> None:
    """Add the sheet's rows to ``layout``; ``texts`` holds the filled cells by (row, column)."""
    height = max((r for r, _ in texts), default=0)
    width = max((c for _, c in texts), default=0)
    if height > MAX_SHEET_ROWS or width > MAX_SHEET_COLUMNS:
        far = max(texts, key=lambda rc: (rc[0] > MAX_SHEET_ROWS or rc[1] > MAX_SHEET_COLUMNS, rc))
        raise LoadError(
            name,
            1,
            1,
            f"工作表「{title}」过大（{title}!{letter(far[1])}{far[0]} 有内容；上限为"
            f" {MAX_SHEET_ROWS} 行、{MAX_SHEET_COLUMNS} 列），无法检查",
        )
    merged: dict[tuple[int, int], tuple[int, int]] = {}
    area = sum((min(r1, height) - r0 + 1) * (min(c1, width) - c0 + 1) for r0, c0, r1, c1 in merges)
    if area > MAX_SHEET_ROWS * MAX_SHEET_COLUMNS:
        raise LoadError(name, 1, 1, f"工作表「{title}」的合并单元格过多，无法检查")
    for r0, c0, r1, c1 in merges:
        for r in range(r0, min(r1, height) + 1):
            for c in range(c0, min(c1, width) + 1):
                merged[(r, c)] = (r0, c0)
    grid = [
        [texts.get(merged.get((r, c), (r, c)), "") for c in range(1, width + 1)]
        for r in range(1, height + 1)
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
                where = f"{title}!{letter(column)}{r}"
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
            cell = Cell(spans, f"{title}!{letter(top[1])}{top[0]}")
            made[top] = cell
            cells.append(cell)
            flat = text.replace("\n", " ")
            rendered.append(flat)
            position += len(flat) + 1
        lines.append("\t".join(rendered))
        layout.items.append(Row(cells, number, r, "\t".join(rendered), f"工作表「{title}」"))


def letter(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
