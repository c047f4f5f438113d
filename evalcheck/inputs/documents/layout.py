"""What every reader hands to the assembler: paragraphs and table rows, each cell placed.

A Word file, a workbook and an extracted text all become the same thing: a sequence of
:class:`Paragraph` and :class:`Row` items.  Each piece of text knows its 1-based line and column
in :attr:`Layout.text` (the text file itself, or a rendering of the Office file with one line per
paragraph or table row, cells separated by tabs) and a description of where it sits in the
original (``附件1-2!F14``, ``表2 第14行 第6列``, ``第12段``), so findings can point at both.
"""

from __future__ import annotations

from dataclasses import field

from ..records import dataclass
from ..source import KeyPath, Position, Source

__all__ = [
    "CUT_ROW",
    "Cell",
    "ImportedSource",
    "Layout",
    "Origin",
    "Paragraph",
    "Row",
    "Span",
    "Unread",
]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a value of the imported report was printed.

    ``description`` names the place in the original file; ``line``/``column`` point into the
    source text (the rendering for Office files); ``quote`` is the row or sentence to show.
    """

    description: str
    line: int
    column: int
    quote: str
    box: tuple[float, float, float, float] | None = None  # PDF: x0, top, x1, bottom in points
    length: int = 0  # characters the value takes at line:column (0: not recorded)


CUT_ROW = "此行不完整（文本在行中结束），未读取"  # the reason an Unread gives for a cut-off row


@dataclass(frozen=True, slots=True)
class Unread:
    """Something a reader or the table recognition could not place: where, what, and why."""

    origin: Origin
    content: str
    reason: str


@dataclass(frozen=True, slots=True)
class Span:
    """One physical line of a cell or paragraph: its text and where that text starts."""

    text: str
    line: int
    column: int


@dataclass(slots=True)
class Cell:
    """A table cell: its lines as printed (merged cells resolved by the reader)."""

    spans: list[Span]
    description: str
    box: tuple[float, float, float, float] | None = None  # PDF: the cell's bounding box

    @property
    def text(self) -> str:
        """Lines stripped and joined with newlines; blank lines dropped."""
        return "\n".join(s.text.strip() for s in self.spans if s.text.strip())

    @property
    def flat(self) -> str:
        """The cell as one run of text: the line breaks a narrow column forced are removed."""
        return "".join(s.text.strip() for s in self.spans)

    def find(self, needle: str) -> Position:
        """Position of ``needle`` in the cell (its first character), else of the cell itself."""
        line, column, _ = self.locate(needle)
        return line, column

    def locate(self, needle: str) -> tuple[int, int, int]:
        """Line, column and length of ``needle`` in the cell, else of the cell's first line."""
        for span in self.spans:
            at = span.text.find(needle) if needle else -1
            if at >= 0:
                return span.line, span.column + at, len(needle)
        first = next(
            (s for s in self.spans if s.text.strip()), self.spans[0] if self.spans else None
        )
        if first is None:
            return 1, 1, 0
        text = first.text.strip()
        return first.line, first.column + len(first.text) - len(first.text.lstrip()), len(text)


@dataclass(slots=True)
class Row:
    """A table row; ``table`` numbers the tables of the file from 1, ``number`` its rows."""

    cells: list[Cell]
    table: int
    number: int
    quote: str
    table_name: str = ""
    form: bool = False  # a form's fields (人员编制 / 21 …): the text around them stays narrative

    @property
    def texts(self) -> list[str]:
        return [c.flat for c in self.cells]

    def blank(self) -> bool:
        return not any(self.texts)


@dataclass(slots=True)
class Paragraph:
    """A paragraph (or a line of free text outside tables)."""

    span: Span
    description: str
    style: str = ""

    @property
    def text(self) -> str:
        return self.span.text.strip()


@dataclass(slots=True)
class Layout:
    """A file as paragraphs and rows, in reading order, plus the text positions point into."""

    name: str
    text: str
    format: str
    items: list[Paragraph | Row] = field(default_factory=list)
    encoding: str = "utf-8"
    unread: list[Unread] = field(default_factory=list)  # what the reader itself could not read


@dataclass(frozen=True)
class ImportedSource(Source):
    """A :class:`~evalcheck.inputs.source.Source` whose positions come from the importer's own table.

    ``text`` is the file (plain text) or its rendering (Office files), so code frames, line
    numbers and columns work unchanged; :meth:`origin` adds the place in the original file.
    """

    located: dict[KeyPath, Origin] = field(default_factory=dict, compare=False, repr=False)
    keys: dict[KeyPath, Origin] = field(default_factory=dict, compare=False, repr=False)

    def position(self, path: KeyPath) -> Position | None:
        origin = self.located.get(tuple(path))
        return None if origin is None else (origin.line, origin.column)

    def key_position(self, path: KeyPath) -> Position | None:
        origin = self.keys.get(tuple(path)) or self.located.get(tuple(path))
        return None if origin is None else (origin.line, origin.column)

    def span(self, path: KeyPath, *, key: bool = False) -> int | None:
        table = self.keys if key else self.located
        origin = table.get(tuple(path)) or (None if key else self.keys.get(tuple(path)))
        return origin.length or None if origin is not None else None

    def origin(self, path: KeyPath) -> Origin | None:
        """The value's origin, or that of the nearest enclosing section that has one."""
        probe = tuple(path)
        while probe:
            found = self.located.get(probe) or self.keys.get(probe)
            if found is not None:
                return found
            probe = probe[:-1]
        return None
