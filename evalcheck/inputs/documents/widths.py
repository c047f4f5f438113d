"""Row widths of tables copied one cell per line (shapes 3 and 4 of LAYOUTS.md): from the header's
column names, from doubled bars that mark the rows, or from rows that are each a label and its
figures.  The helpers of :mod:`.text`."""

from __future__ import annotations

import itertools
import re

from .headers import column_meaning, is_figure
from .layout import Cell

__all__ = ["MAX_HEADER", "by_header", "header_width", "marked_rows"]

MAX_HEADER = 40  # cells of a header row at most


def header_width(cells: list[Cell], at: int) -> int | None:
    """The width of the header row starting at ``at``: a short label cell (“项目”) or a column
    name, then column names; None unless two names at least are there."""
    if at >= len(cells):
        return None
    first = cells[at].flat
    named = column_meaning(first) is not None
    if not named and (len(first) > 12 or is_figure(first) or re.search(r"[，。；,;]", first)):
        return None
    width = 1
    for cell in cells[at + 1 : at + MAX_HEADER]:
        if column_meaning(cell.flat) is None:
            break
        width += 1
    names = width - 1 + named
    single = re.sub(r"\s+", "", first) in ("项目", "科目", "项目名称", "名称", "項目")
    return width if names >= 2 or (single and names == 1) else None


def marked_rows(cells: list[Cell], marks: list[int]) -> list[list[Cell]] | None:
    """Cells cut into rows where doubled bars mark them, if two marks at least do and no row
    comes out wider than the table's header (an empty cell printed as a doubled bar would
    push a row's cells into the next); None otherwise."""
    if len(marks) < 2:
        return None
    bounds = [0, *marks, len(cells)]
    rows = [cells[a:b] for a, b in itertools.pairwise(bounds) if b > a]
    widths = [header_width(row, 0) for row in rows]
    widest = max((w for w in widths if w), default=max(len(r) for r in rows))
    return rows if all(len(r) <= widest for r in rows) else None


def by_header(cells: list[Cell]) -> list[list[Cell]]:
    """Cells of unmarked rows cut into rows as wide as the header; a row ends early where the
    next header starts (that table's rows are as wide as its own header)."""
    at = next((i for i in range(len(cells)) if header_width(cells, i)), None)
    if at is None:
        return _labelled_rows(cells) or [[c] for c in cells]  # nothing else tells the width
    rows: list[list[Cell]] = [[c] for c in cells[:at]]
    width = 1
    while at < len(cells):
        width = header_width(cells, at) or width
        end = min(at + width, len(cells))
        following = next((p for p in range(at + 1, end) if header_width(cells, p)), None)
        if following is not None and not header_width(cells, at):
            end = following  # a short row: the next table's header starts inside it
        rows.append(cells[at:end])
        at = end
    return rows


def _labelled_rows(cells: list[Cell]) -> list[list[Cell]] | None:
    """Rows that are each a label and its figures (``2016年 | 2364 | 12 | …``) under a header of
    words: a row is its label and the figures after it, the header everything before the first
    label.  None unless two rows at least, each of as many figures (two or more, fewer than the
    header has cells), and nothing but those rows after the header."""
    first = next((i for i, c in enumerate(cells) if is_figure(c.flat)), None)
    if first is None or first < 4:
        return None
    header, rows = cells[: first - 1], []
    if any(not c.flat or is_figure(c.flat) or len(c.flat) > 20 for c in header):
        return None
    at = first - 1
    while at < len(cells):
        end = at + 1
        while end < len(cells) and is_figure(cells[end].flat):
            end += 1
        label = cells[at].flat
        if not label or is_figure(label) or len(label) > 20 or not 2 <= end - at - 1 < len(header):
            return None
        rows.append(cells[at:end])
        at = end
    widths = {len(r) for r in rows}
    return [header, *rows] if len(rows) >= 2 and len(widths) == 1 else None
