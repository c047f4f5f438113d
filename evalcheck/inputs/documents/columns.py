"""Tables whose columns are told by position (space-aligned PDF text) or by the header alone
(a flattened one-line table): the helpers of :mod:`.text` for shapes 5 and 6 of LAYOUTS.md."""

from __future__ import annotations

import csv
import re
import unicodedata

from .headers import column_meaning, is_figure
from .layout import Cell, Origin, Span, Unread

__all__ = [
    "aligned_rows",
    "csv_cells",
    "flat_header",
    "flat_rows",
    "is_header_line",
    "joined_rows",
    "padded_rows",
    "split_chunks",
]

_MAX_HEADER = 40
_FLAT_BLANK = "—"  # a flattened row prints an empty cell inside the row as a dash


def _cell(text: str, line: int, column: int = 1) -> Cell:
    lead = len(text) - len(text.lstrip())
    return Cell([Span(text.strip(), line, column + lead)], f"{line}:{column + lead}")


# --- space-aligned columns -------------------------------------------------------------------


def split_chunks(line: str) -> list[tuple[int, str]]:
    """(character offset, text) of each run of text apart from the next by two spaces or more."""
    return [(m.start(), m.group(0)) for m in re.finditer(r"\S+(?: \S+)*", line)]


def _display_columns(line: str) -> list[int]:
    """Display column of each character offset: wide (CJK) characters take two, as in a
    monospaced view of the text, which is what the columns are aligned by."""
    columns = [0]
    for char in line:
        columns.append(columns[-1] + (2 if unicodedata.east_asian_width(char) in "WF" else 1))
    return columns


def is_header_line(chunks: list[tuple[int, str]]) -> bool:
    if len(chunks) < 3:
        return False
    names = sum(column_meaning(text) is not None for _, text in chunks)
    return names >= 2 and not any(is_figure(text) for _, text in chunks)


def aligned_rows(lines: list[str], start: int, end: int, header: int) -> list[list[Cell]]:
    chunked = {n: split_chunks(lines[n - 1]) for n in range(start, end)}
    shown = {n: _display_columns(lines[n - 1]) for n in range(start, end)}
    columns = sorted({shown[n][at] for n, chunks in chunked.items() for at, _ in chunks})
    bounds: list[int] = []
    for at in columns:  # starts within 2 characters of each other are one column
        if not bounds or at - bounds[-1] > 2:
            bounds.append(at)
    rows: list[list[Cell]] = []
    previous_is_header = False
    for number in range(start, end):
        chunks = chunked[number]
        if not chunks:
            continue
        placed: dict[int, tuple[int, str]] = {}
        for at, text in chunks:
            index = max(i for i, b in enumerate(bounds) if b <= shown[number][at] + 2)
            placed.setdefault(index, (at, text))
        if rows and _continues(rows[-1], placed, previous_is_header):
            for index, (at, text) in placed.items():
                spans = rows[-1][index].spans
                if previous_is_header:
                    spans.append(Span(text, number, at + 1))
                else:  # the rest of a broken figure: one value, placed where it starts
                    last = max((s for s in spans if s.text), key=lambda s: s.line)
                    spans[spans.index(last)] = Span(last.text + text, last.line, last.column)
            continue
        row = []
        for index in range(len(bounds)):
            at, text = placed.get(index, (len(lines[number - 1]), ""))
            row.append(Cell([Span(text, number, at + 1)], f"{number}:{at + 1}"))
        rows.append(row)
        previous_is_header = number == header or is_header_line(chunks)
    return rows


def _continues(previous: list[Cell], placed: dict[int, tuple[int, str]], header: bool) -> bool:
    """A line that only finishes the cells above: the second line of a header cell broken
    over two (“年度” / “指标值”), or the rest of a figure broken over lines (“95.” / “10%”)."""
    if 0 in placed or any(index >= len(previous) for index in placed):
        return False
    texts = {index: text for index, (_, text) in placed.items()}
    if header and all(len(t) <= 6 and not is_figure(t) for t in texts.values()):
        return all(previous[i].flat for i in texts)
    return all(
        re.search(r"\d[.．]$", previous[i].flat) and re.match(r"^\d*[%％]?$", t)
        for i, t in texts.items()
    )


# --- flattened -------------------------------------------------------------------------------


def flat_header(texts: list[str]) -> int | None:
    """End of the header tokens (序号 and column names up to the first row number)."""
    names = 0
    for index, text in enumerate(texts[:_MAX_HEADER]):
        if text == "1":
            return index if names >= 2 else None
        if column_meaning(text) is not None:
            names += 1
    return None


def flat_rows(
    tokens: list[tuple[int, str]], header_end: int, line: int
) -> tuple[list[list[Cell]], Unread | None]:
    def cell(at: int, text: str) -> Cell:
        return _cell("" if text == _FLAT_BLANK else text, line, at + 1)

    header = [cell(at, text) for at, text in tokens[:header_end]]
    numbered = header[0].flat == "序号"
    width = len(header) - (1 if numbered else 0)
    rows: list[list[Cell]] = [header[1:] if numbered else header]
    current: list[Cell] = []
    expected = 1
    problem: Unread | None = None
    for index, (at, text) in enumerate(tokens[header_end:], start=header_end):
        starts_row = text == str(expected) and (
            len(current) >= width
            or index + 1 >= len(tokens)
            or (not current and expected == 1)
            or not is_figure(tokens[index + 1][1])
        )
        if starts_row:
            if current:
                rows.append(current)
            current = []
            expected += 1
            continue
        current.append(cell(at, text))
    if current:
        rows.append(current)
    for row in rows[1:]:
        if len(row) > width and problem is None:
            first = row[0].spans[0]
            problem = Unread(
                Origin(f"{first.line}:{first.column}", first.line, first.column, row[0].flat),
                " ".join(c.flat for c in row),
                f"此行有 {len(row)} 个单元格，多于表头的 {width} 栏，无法确定各栏",
            )
    return rows, problem


# --- CSV ------------------------------------------------------------------------------------


def csv_cells(line: str, number: int) -> list[Cell]:
    fields = next(csv.reader([line]))
    cells: list[Cell] = []
    at = 0
    for text in fields:
        while at < len(line) and line[at] in " ,":
            at += 1
        column = at + 1 + (line[at : at + 1] == '"')
        cells.append(Cell([Span(text, number, column)], f"{number}:{column}"))
        if line[at : at + 1] == '"':
            at += 1
            while at < len(line):
                if line[at] == '"' and line[at + 1 : at + 2] == '"':
                    at += 2
                elif line[at] == '"':
                    at += 1
                    break
                else:
                    at += 1
        while at < len(line) and line[at] != ",":
            at += 1
        at += 1
    return cells


# --- pipe rows broken or padded -------------------------------------------------------------


def padded_rows(lines: list[list[Cell]]) -> list[list[Cell]] | None:
    """3. one cell per line, each row padded to the table's width by a line of bars only
    (``合计 |`` ``因公出国（境）费 |`` … then ``||``: two empty cells close a row of four in a
    table six wide).  Read so only when every line is one cell or bars only, every bar line
    closes a row and every closed row has the same width; None otherwise."""
    rows: list[list[Cell]] = []
    current: list[Cell] = []
    for cells in lines:
        if len(cells) == 1 and cells[0].flat:
            current.append(cells[0])
        elif len(cells) >= 2 and not any(c.flat for c in cells) and current:
            rows.append(current + cells)
            current = []
        else:
            return None
    widths = {len(r) for r in rows}
    if len(widths) != 1 or len(current) > max(widths):
        return None
    return [*rows, current] if current else rows


def joined_rows(lines: list[list[Cell]]) -> tuple[list[list[Cell]], list[Cell]] | None:
    """2. pipe rows whose cells are broken over lines (each line break of the page's source ends
    a text line: ``序号 | 一级 指标 |`` / ``二级 指标 |`` / ``三级 指标 |`` / ``指标分值 | … |``): lines
    are joined until a row is as wide as the widest line.  Read so only when every row comes
    out exactly that wide, some row took several lines and a joined row names more columns than
    any one line does; the cells of a last row the text cut short are returned apart."""
    width = max((len(cells) for cells in lines), default=0)
    rows: list[list[Cell]] = []
    current: list[Cell] = []
    broken = False
    for cells in lines:
        broken = broken or bool(current)
        current = current + cells
        if len(current) > width:
            return None
        if len(current) == width:
            rows.append(current)
            current = []

    def names(cells: list[Cell]) -> int:
        return sum(column_meaning(c.flat) is not None for c in cells)

    most = max((names(cells) for cells in lines), default=0)
    if not broken or len(rows) < 2 or max(names(r) for r in rows) < max(3, most + 1):
        return None
    return rows, current
