"""Plain text extracted or copied from a report, in every shape of LAYOUTS.md.

The shapes, and how each is told apart (``../shared/LAYOUTS.md`` numbers them):

1. tab cells — lines starting with a tab, a blank line between rows (the seeds).  A line
   without a tab right after a cell continues that cell (“年度\\n指标值”).
2. pipe rows — ``项目 | 预算数 | 决算数 |``, empty cells ``|  |``, rows cut short; Markdown
   tables with their ``---|---`` rule.
3. one cell per line ending in `` |`` — rows are not marked;
4. one cell per line between bare ``|`` lines, or between blank lines — nor here;
   for 3 and 4 the row width is the width of the header, recognised by its column names.
5. space-aligned columns (PDF extraction) — cells apart by two spaces or more, columns by
   position; header cells broken over two lines and figures broken over lines are joined.
6. a flattened table on one line, single spaces, row numbers interleaved.
8. CSV with quoted cells (and any ``.csv`` file).
9. prose — every other line is a paragraph.

Lines and columns are those of the file itself.  What a shape cannot say for sure (a row too
short to tell which of its cells are missing) is listed in :attr:`Layout.unread`.
"""

from __future__ import annotations

import itertools
import re

from ..source import Source
from .characters import PINYIN as _PINYIN
from .columns import (
    aligned_rows,
    csv_cells,
    flat_header,
    flat_rows,
    is_header_line,
    joined_rows,
    padded_rows,
    split_chunks,
)
from .headers import COLUMNS, NUMERIC, column_meaning, is_figure
from .layout import CUT_ROW, Cell, Layout, Origin, Paragraph, Row, Span, Unread
from .spaced import spaced_header, spaced_rows
from .widths import MAX_HEADER, by_header, header_width, marked_rows

__all__ = ["read_text"]

_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_GAP = re.compile(r"\S+(?: \S+)*")  # chunks of a space-aligned line: apart by 2+ spaces
_FLAT_BLANK = "—"  # a flattened row prints an empty cell inside the row as a dash
_GLUED_FIGURES = re.compile(r"\d+\.\d+\.\d|[%％]\d")  # 64.864.8, 100%9: two figures in one
_NAMES = re.compile(
    "|".join(sorted({n for names in COLUMNS.values() for n in names if len(n) >= 2}, key=len)[::-1])
)
_SEPARATOR = re.compile(r"[\s，,、；;|:：。]")
_WORD = re.compile(r"[\u4e00-\u9fff]")  # words between two names: a sentence (决算数小于预算数)


def read_text(source: Source, csv_file: bool = False) -> Layout:
    reader = _TextReader(source, csv_file)
    reader.run()
    return reader.layout


class _TextReader:
    def __init__(self, source: Source, csv_file: bool) -> None:
        self.layout = Layout(source.name, source.text, "text", encoding=source.encoding)
        self.lines = source.text.split("\n")
        self.csv_file = csv_file
        self.table = 0

    # --- output

    def paragraph(self, number: int) -> None:
        line = self.lines[number - 1]
        if line.strip():
            self.layout.items.append(Paragraph(Span(line, number, 1), f"{number}:1"))

    def rows(self, rows: list[list[Cell]], form: bool = False) -> None:
        rows = [r for r in rows if r]
        if not rows:
            return
        self.table += 1
        for index, cells in enumerate(rows, start=1):
            quote = "\t".join(c.flat for c in cells)
            self.layout.items.append(Row(cells, self.table, index, quote, f"表{self.table}", form))

    # --- the walk

    def run(self) -> None:
        number = 1
        total = len(self.lines)
        while number <= total:
            line = self.lines[number - 1]
            for shape in (
                self._key_values,
                self._tab,
                self._csv,
                self._pipes,
                self._bars,
                self._spaced,
                self._flat,
                self._single_spaced,
                self._blank_separated,
            ):
                after = shape(number)
                if after is not None:
                    number = after
                    break
            else:
                if line.strip() and not self._run_together(number):
                    self.paragraph(number)
                number += 1

    def _run_together(self, number: int) -> bool:
        """7. Cells concatenated with nothing between (document-sharing sites:
        “全年执行数(B)执行率(B/A)64.864.864.8100%”).  Which digits belong to which cell cannot be
        told, so the line is not read — neither as cells nor as prose — and is said to be so."""
        line = self._line(number)
        glued = _GLUED_FIGURES.search(line)
        names = list(_NAMES.finditer(line))
        # two column names with nothing between but figures (“执行数(B)执行率”) — or, in a
        # line that is no sentence, anything but punctuation and spaces
        sentence = (
            len(re.findall(r"[，,；;。]", line)) >= 2 and len(re.findall(r"\s", line.strip())) <= 2
        )
        joined = sum(
            1
            for a, b in itertools.pairwise(names)
            if not _SEPARATOR.search(gap := line[a.end() : b.start()])
            and not (sentence and _WORD.search(gap))
        )
        # a long line with figures and no punctuation or spaces at all is a row, not a sentence
        row_like = (
            len(line.strip()) > 40
            and not re.search(r"[\s，,；;。]", line.strip())
            and len(re.findall(r"\d+(?:\.\d+)?", line)) >= 4
        )
        if glued is None and joined < 2 and not row_like:
            return False
        at = len(line) - len(line.lstrip())
        self.layout.unread.append(
            Unread(
                Origin(f"{number}:{at + 1}", number, at + 1, line.strip()[:80]),
                line.strip()[:40],
                "单元格连在一起，无法可靠拆分，此行未读取",
            )
        )
        return True

    def _line(self, number: int) -> str:
        return self.lines[number - 1] if 1 <= number <= len(self.lines) else ""

    # 1. tab cells ------------------------------------------------------------------------

    def _tab(self, number: int) -> int | None:
        """Rows separated by blank lines are one table; free text after a blank line ends it."""
        if not self._line(number).startswith("\t"):
            return None
        rows: list[list[Cell]] = []
        cells: list[Cell] = []
        while number <= len(self.lines):
            line = self._line(number)
            if line.startswith("\t"):
                cells.append(Cell([Span(line[1:], number, 2)], f"{number}:2"))
            elif not line.strip():
                if cells:
                    rows.append(cells)
                cells = []
            elif cells:
                cells[-1].spans.append(Span(line, number, 1))
            else:
                break
            number += 1
        if cells:
            rows.append(cells)
        self.rows(rows)
        return number

    # 8. CSV ------------------------------------------------------------------------------

    def _csv(self, number: int) -> int | None:
        def is_csv(line: str) -> bool:
            if not line.strip():
                return False
            if self.csv_file:
                return True
            return line.lstrip().startswith('"') and bool(re.search(r'",\s*"|",|,"', line))

        if not is_csv(self._line(number)):
            return None
        rows: list[list[Cell]] = []
        while number <= len(self.lines) and is_csv(self._line(number)):
            rows.append(csv_cells(self._line(number), number))
            number += 1
        self.rows(rows)
        return number

    # 2./3. pipes -------------------------------------------------------------------------

    def _pipes(self, number: int) -> int | None:
        def piped(line: str) -> bool:
            return "|" in line and line != "|"

        if not piped(self._line(number)):
            return None
        lines: list[int] = []
        while number <= len(self.lines) and (
            piped(self._line(number)) or self._empty_cell(lines, number)
        ):
            lines.append(number)
            number += 1
        texts = [self._line(n) for n in lines]
        if len(texts) == 1 and len([t for t in texts[0].split("|") if t.strip()]) == 1:
            self.paragraph(lines[0])  # “……情况。 |”, “…汇总情况表 |”: a page's bar, no table
            return number
        markdown = all(t.startswith("|") for t in texts)
        split = [
            _pipe_cells(t, n, markdown)
            for n, t in zip(lines, texts, strict=True)
            if not _RULE.match(t)
        ]
        padded = padded_rows(split)
        joined = joined_rows(split) if padded is None else None
        if padded is not None:
            self.rows(padded)
        elif joined is not None:
            rows, cut = joined
            self.rows(rows)
            if cut:
                at = cut[0]
                self.layout.unread.append(
                    Unread(
                        Origin(at.description, at.spans[0].line, at.spans[0].column, at.flat[:80]),
                        "、".join(c.flat for c in cut if c.flat)[:40],
                        CUT_ROW,
                    )
                )
        elif any(len(cells) >= 2 for cells in split):
            self.rows(split)
        else:
            self.rows(by_header([c for cells in split for c in cells]))
        return number

    def _empty_cell(self, lines: list[int], number: int) -> bool:
        """3. a line holding a bare ``|`` between cells that end in `` |``: an empty cell — in a
        narrow table only (项目 | 预算数 | 决算数): in a wide one a rowspan's missing cells would
        put every later cell of the run under the wrong column."""
        head = [_cell(self._line(n).rstrip(" |"), n) for n in lines[:6]]
        width = header_width(head, 0) if head else None
        if width is None or width > 4:
            return False

        def closed(n: int) -> bool:
            text = self._line(n).rstrip()
            return text.endswith("|") and text != "|" and text.count("|") == 1

        cells = [n for n in lines[-9:] if self._line(n).strip() != "|"]
        if not cells or not closed(cells[-1]) or self._line(number).strip() != "|":
            return False
        after = number + 1
        while self._line(after).strip() == "|" and after - number < 8:
            after += 1
        return closed(after)

    # 4. bare bars ------------------------------------------------------------------------

    def _bars(self, number: int) -> int | None:
        """Cells between lines holding a bare ``|``; a header word broken over short lines
        (“一般公共” / “预算”) is one cell; the table ends at a cell no bar follows.  A bar
        right after a cell's own bar marks a row's end (a page row's ``|`` at both ends): when
        such marks cut the cells into rows no wider than the table's header, they are its rows."""
        first = number
        while self._line(first).strip() == "|" and first - number < 8:  # bounded: a run of
            first += 1  # bars is looked at again from each of its lines
        if self._cell_lines(first) is None or (first > number and "|" in self._line(first)):
            return None
        number = first
        cells: list[Cell] = []
        marks: list[int] = []  # where a doubled bar starts a row
        while number <= len(self.lines):
            if self._line(number).strip() == "|":
                if cells and (not marks or marks[-1] != len(cells)):
                    marks.append(len(cells))
                number += 1
                continue
            lines = self._cell_lines(number)
            if lines is None:
                break
            cell = _cell(self._line(number), number)
            for k in range(1, lines):
                extra = self._line(number + k)
                cell.spans.append(
                    Span(extra.strip(), number + k, len(extra) - len(extra.lstrip()) + 1)
                )
            cells.append(cell)
            number += lines + 1
        marked = marked_rows(cells, marks)
        if marked is None and self._line(number).strip():
            cells.append(_cell(self._line(number), number))  # the last cell, no bar after it
            number += 1
        self.rows(marked or by_header(cells))
        return number

    def _cell_lines(self, number: int) -> int | None:
        """How many lines the cell at ``number`` has before its bar, or None if no bar follows."""
        if self._line(number).strip() == "|":
            return None
        if self._line(number + 1).strip() == "|":
            return 1
        parts = [self._line(number + k).strip() for k in range(3)]
        for count in (2, 3):
            words = parts[:count]
            if self._line(number + count).strip() == "|" and all(  # 經(jīng)營(yíng): 2 characters
                w and w != "|" and len(_PINYIN.sub("", w)) <= 6 and not is_figure(w) for w in words
            ):
                return count
        return None

    # 4. a key/value form: 人员编制 / 21 / 实有人数 / 21, one cell per line, blank lines between

    def _key_values(self, number: int) -> int | None:
        """Two column names of figures at least, each followed by its figure (a form's fields
        copied cell by cell): one header row of the names and one row of the figures."""
        pairs: list[tuple[int, int]] = []
        at = number
        while (
            at + 2 <= len(self.lines)
            and not self._line(at + 1).strip()
            and len(pairs) < MAX_HEADER  # a form's fields: a row of at most a header's width
        ):
            name, value = self._line(at).strip(), self._line(at + 2).strip()
            if not 2 <= len(name) <= 12 or len(value) > 20 or not is_figure(value):
                break  # (cheap tests first: this is tried at every line of the text)
            if column_meaning(name) not in NUMERIC:
                break
            pairs.append((at, at + 2))
            at += 3
            if self._line(at).strip() or not self._line(at + 1).strip():
                break  # the next pair, if any, starts after one blank line
            at += 1
        if len(pairs) < 2:
            return None
        names = [_cell(self._line(n), n) for n, _ in pairs]
        self.rows([names, [_cell(self._line(v), v) for _, v in pairs]], form=True)
        return pairs[-1][1] + 1

    # 4. blank lines ----------------------------------------------------------------------

    def _blank_separated(self, number: int) -> int | None:
        """Cells on lines of their own with blank lines between (one more blank line for each
        empty cell), from a recognised header on; a cell followed directly by text is the last."""
        if not self._line(number).strip() or self._line(number + 1).strip():
            return None
        cells: list[Cell] = []
        probe = number
        total = len(self.lines)
        while probe <= total:
            cells.append(_cell(self._line(probe), probe))
            probe += 1
            if len(cells) == MAX_HEADER and header_width(cells, 0) is None:
                return None
            blanks = 0
            while probe + blanks <= total and not self._line(probe + blanks).strip():
                blanks += 1
            if blanks == 0 or probe + blanks > total:
                probe += blanks
                break
            cells += [_cell("", probe + k) for k in range(blanks - 1)]
            probe += blanks
        if header_width(cells, 0) is None:
            return None
        self.rows(by_header(cells))
        return probe

    # 5. space-aligned --------------------------------------------------------------------

    def _spaced(self, number: int) -> int | None:
        if not is_header_line(split_chunks(self._line(number))):
            return None
        start = number
        while start > 1 and len(split_chunks(self._line(start - 1))) >= 2:
            start -= 1
        if any(isinstance(i, Paragraph) and i.span.line >= start for i in self.layout.items):
            self.layout.items = [
                i
                for i in self.layout.items
                if not (isinstance(i, Paragraph) and i.span.line >= start)
            ]
        end = number + 1
        while end <= len(self.lines):
            chunks = split_chunks(self._line(end))
            if len(chunks) >= 2 or (chunks and chunks[0][0] > 0):
                end += 1
                continue
            ahead = (len(split_chunks(self._line(end + k))) >= 2 for k in range(1, 7))
            if not chunks and any(len(split_chunks(self._line(end + k))) >= 2 for k in (1, 2)):
                end += 1  # an empty row of the table
                continue
            if len(chunks) == 1 and len(chunks[0][1]) <= 30 and any(ahead):
                end += 1  # a row whose only cell is its label (“项目支出：”)
                continue
            break
        self.rows(aligned_rows(self.lines, start, end, number))
        return end

    def _single_spaced(self, number: int) -> int | None:
        """5./6. a money table with cells apart by single spaces, a row per line (spaced.py)."""
        if not spaced_header(self._line(number)):
            return None
        rows, unread, end = spaced_rows(self.lines, number)
        self.layout.unread.extend(unread)
        self.rows(rows)
        return end

    # 6. flattened ------------------------------------------------------------------------

    def _flat(self, number: int) -> int | None:
        line = self._line(number)
        tokens = [(m.start(), m.group(0)) for m in re.finditer(r"\S+", line)]
        if len(tokens) < 6 or re.search(r"\S {2,}\S", line.strip()):
            return None
        texts = [t for _, t in tokens]
        header_end = flat_header(texts)
        if header_end is None:
            return None
        rows, problem = flat_rows(tokens, header_end, number)
        if problem:
            self.layout.unread.append(problem)
        self.rows(rows)
        return number + 1


# --- cells ----------------------------------------------------------------------------------


def _cell(text: str, line: int, column: int = 1) -> Cell:
    lead = len(text) - len(text.lstrip())
    body = text.strip()
    return Cell([Span(body, line, column + lead)], f"{line}:{column + lead}")


def _pipe_cells(line: str, number: int, markdown: bool) -> list[Cell]:
    """``a | b |  | c |`` → cells; in a Markdown table a leading ``|`` opens the row, a
    trailing ``|`` always closes it (`` |`` alone is one empty cell)."""
    bounds = [m.start() for m in re.finditer(r"\|", line)]
    starts = [0, *(b + 1 for b in bounds)]
    ends = [*bounds, len(line)]
    pieces = [(s, line[s:e]) for s, e in zip(starts, ends, strict=True)]
    if markdown:
        pieces = pieces[1:]
    if line.rstrip().endswith("|"):
        pieces = pieces[:-1]
    return [_cell(text, number, start + 1) for start, text in pieces]
