"""Saved web pages (.html, .htm): tables with rowspan/colspan resolved, the rest as paragraphs.

Read with the standard library's tokenizer (:class:`html.parser.HTMLParser`) rather than a tree
builder: it reports the line and column of every tag and text it meets, so each cell and
paragraph is placed in the HTML source itself (``12:34``) as well as by table, row and column
(``表2 第3行 第4列``); it builds no tree, so deep nesting costs no recursion; it fetches nothing,
runs nothing (``<script>``, ``<style>`` and ``<template>`` are skipped) and expands only HTML's own
character references.  Tables are assembled here: a cell with ``rowspan``/``colspan`` is placed
at every grid position it covers (the same cell, as merged Word cells are), tags the page forgot
to close (``<td>`` without ``</td>``) are closed as browsers do, and a table inside a cell is a
table of its own.
"""

from __future__ import annotations

import re
from dataclasses import field
from html.parser import HTMLParser

from ..records import dataclass
from ..source import LoadError, Source
from .layout import Cell, Layout, Paragraph, Row, Span

__all__ = ["MAX_HTML_CELLS", "MAX_SPAN", "read_html"]

# A form has a few hundred cells; a table whose grid would need more is refused, not built.
MAX_HTML_CELLS = 200_000
MAX_SPAN = 1000  # colspan and rowspan above this are read as this (browsers clamp too)
_SKIP = {"script", "style", "template", "noscript", "head", "title", "svg", "math", "iframe"}
_BLOCK = {
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "header", "footer", "blockquote", "pre", "ul", "ol", "dl", "dt", "dd", "hr", "center",
    "form", "caption", "body", "html", "main", "nav", "aside", "figure", "figcaption",
}  # fmt: skip
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


@dataclass
class _Line:
    """Text collected for one line of a paragraph or cell, placed at its first character."""

    parts: list[str] = field(default_factory=list)
    line: int = 0
    column: int = 0

    def add(self, text: str, line: int, column: int) -> None:
        if not self.parts:
            self.line, self.column = line, column
        self.parts.append(text)

    @property
    def text(self) -> str:
        return re.sub(r"[ \t\r\n\f]+", " ", "".join(self.parts)).strip()


@dataclass
class _Cell:
    lines: list[_Line] = field(default_factory=lambda: [_Line()])
    rowspan: int = 1
    colspan: int = 1
    line: int = 0
    column: int = 0


@dataclass
class _Table:
    rows: list[list[_Cell]] = field(default_factory=list)
    line: int = 0

    @property
    def cell(self) -> _Cell | None:
        return self.rows[-1][-1] if self.rows and self.rows[-1] else None


class _Page(HTMLParser):
    def __init__(self, source: Source) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.layout = Layout(source.name, source.text, "html", encoding=source.encoding)
        self.skipping: list[str] = []
        self.tables: list[_Table] = []  # open tables, innermost last
        self.paragraph = _Line()
        self.heading = False
        self.numbered = 0
        self.cells = 0

    # --- tokens

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.append(tag)
            return
        if tag in _SKIP:
            self.skipping.append(tag)
            return
        line, column = self.getpos()
        if tag == "table":
            self._end_paragraph()
            self.tables.append(_Table(line=line))
        elif tag == "tr" and self.tables:
            self.tables[-1].rows.append([])
        elif tag in ("td", "th") and self.tables:
            table = self.tables[-1]
            if not table.rows:
                table.rows.append([])
            values = dict(attrs)
            table.rows[-1].append(
                _Cell(
                    rowspan=_span(values.get("rowspan")),
                    colspan=_span(values.get("colspan")),
                    line=line,
                    column=column + 1,
                )
            )
        elif tag in _BLOCK:
            self._break()
            if tag in _HEADINGS:
                self.heading = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" or tag in _BLOCK:
            self._break()
        elif tag not in _SKIP:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag == "table" and self.tables:
            self._end_table(self.tables.pop())
        elif tag in _BLOCK:
            self._break()
            if tag in _HEADINGS:
                self.heading = False

    def handle_data(self, data: str) -> None:
        if self.skipping or not data:
            return
        line, column = self.getpos()
        lead = len(data) - len(data.lstrip())
        if not data.strip():
            target = self._target()
            if target.parts:
                target.add(" ", line, column + 1)
            return
        before = data[:lead]
        line += before.count("\n")
        column = (lead - before.rfind("\n") - 1) if "\n" in before else column + lead
        self._target().add(data.strip(), line, column + 1)

    # --- building

    def _target(self) -> _Line:
        if self.tables:
            cell = self.tables[-1].cell
            if cell is not None:
                return cell.lines[-1]
            return _Line()  # text between rows of a table: not a cell, dropped as browsers do
        return self.paragraph

    def _break(self) -> None:
        if self.tables:
            cell = self.tables[-1].cell
            if cell is not None and cell.lines[-1].parts:
                cell.lines.append(_Line())
            return
        self._end_paragraph()

    def _end_paragraph(self) -> None:
        text = self.paragraph.text
        if text:
            self.numbered += 1
            self.layout.items.append(
                Paragraph(
                    Span(text, self.paragraph.line, self.paragraph.column),
                    f"{self.paragraph.line}:{self.paragraph.column}",
                    "标题" if self.heading else "",
                )
            )
        self.paragraph = _Line()

    def _end_table(self, table: _Table) -> None:
        number = sum(isinstance(i, Row) and i.number == 1 for i in self.layout.items) + 1
        grid: dict[tuple[int, int], Cell] = {}
        height = 0
        for r, raws in enumerate(table.rows):
            c = 0
            for raw in raws:
                while (r, c) in grid:
                    c += 1
                self.cells += raw.rowspan * raw.colspan
                if self.cells > MAX_HTML_CELLS:
                    raise LoadError(
                        self.source.name,
                        raw.line,
                        raw.column,
                        f"网页表格过大（超过 {MAX_HTML_CELLS} 个单元格），无法检查",
                    )
                spans = [Span(p.text, p.line, p.column) for p in raw.lines if p.text]
                mine = Cell(
                    spans or [Span("", raw.line, raw.column)],
                    f"表{number} 第{r + 1}行 第{c + 1}列",
                )
                for dr in range(raw.rowspan):
                    for dc in range(raw.colspan):
                        grid[(r + dr, c + dc)] = mine
                height = max(height, r + raw.rowspan)
                c += raw.colspan
        if not grid:
            return
        width = max(c for _, c in grid) + 1
        for r in range(min(height, len(table.rows) + MAX_SPAN)):
            if not any((r, c) in grid for c in range(width)):
                continue
            cells = [
                grid.get((r, c))
                or Cell([Span("", table.line, 1)], f"表{number} 第{r + 1}行 第{c + 1}列")
                for c in range(width)
            ]
            quote = "\t".join(cell.flat for cell in cells)
            self.layout.items.append(Row(cells, number, r + 1, quote, f"表{number}"))

    def close(self) -> None:
        super().close()
        while self.tables:
            self._end_table(self.tables.pop())
        self._end_paragraph()


def _span(value: str | None) -> int:
    try:
        return max(1, min(int((value or "1").strip()), MAX_SPAN))
    except ValueError:
        return 1


def read_html(source: Source) -> Layout:
    page = _Page(source)
    page.feed(source.text)
    page.close()
    return page.layout
