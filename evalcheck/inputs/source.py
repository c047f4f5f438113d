"""Where a report's text came from, and the way back from a key path to ``file:line:col``.

Every reader (JSON, YAML, Word, Excel, text) produces a :class:`Source`: the decoded text (line
endings normalised to ``\\n``) and a :class:`PositionIndex` built only when a position is first
asked for, so a clean report never pays for positions.  Anything wrong with a file is a
:class:`LoadError` carrying ``file:line:column`` and a message in Chinese.  The limits keep
hostile files (deep nesting, billion laughs, huge files) from costing more than a fraction of
a second.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import field
from decimal import Decimal
from typing import Any

from .records import dataclass

__all__ = [
    "MAX_ALIAS_BYTES",
    "MAX_ALIAS_NODES",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_FILE_VALUES",
    "MAX_RADIX_DIGITS",
    "TOP_LEVEL",
    "Document",
    "ItemSource",
    "KeyPath",
    "LoadError",
    "NotAReport",
    "Position",
    "PositionIndex",
    "Source",
    "format_path",
    "kind_name",
    "top_level_problem",
]

KeyPath = tuple[str | int, ...]

# A report is a few hundred kilobytes; 64 MiB leaves room for attachments pasted in as text.
MAX_FILE_BYTES = 64 * 1024 * 1024
# A report nests maybe six levels; 200 is generous and far below Python's recursion limit.
MAX_DEPTH = 200
# Values and keys in one JSON or YAML file.  A report has a few thousand; 64 MiB of ``0,`` would
# be 32 million Decimals (4 GB) before any other limit is looked at.
MAX_FILE_VALUES = 1_000_000
# Values YAML aliases may add by repetition; a billion-laughs file needs far more.
MAX_ALIAS_NODES = 100_000
# Bytes YAML aliases may add: a few aliases of a long string are few values but much text
# (a 100 KB file of them expanded to 11.7 GB).  Counted as the UTF-8 text written out.
MAX_ALIAS_BYTES = 16 * 1024 * 1024
# Non-decimal YAML integers (0x…, 0o…, 0b…) longer than this are refused: converting them is slow.
MAX_RADIX_DIGITS = 1000


class LoadError(Exception):
    """The file cannot be read as a report; ``str(err)`` is ``file:line:column: message``."""

    def __init__(self, file: str, line: int, column: int, message: str) -> None:
        super().__init__(file, line, column, message)
        self.file = file
        self.line = max(line, 1)
        self.column = max(column, 1)
        self.message = " ".join(message.split())

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


# Formats whose Source text is evalcheck's own rendering (one line per paragraph or table row).
RENDERED_FORMATS = frozenset({"docx", "xlsx", "xls", "pdf"})


class NotAReport(LoadError):
    """A file evalcheck wrote itself (a baseline, a JSON, SARIF or GitLab report): skipped,
    never checked as a report and never counted as unreadable."""


Position = tuple[int, int]


@dataclass(frozen=True)
class Source:
    """The decoded text of a report file, and the way back from key paths to lines and columns.

    ``indexer`` builds the position index from the text when a position is first asked for
    (the reader that made the source knows how); ``_index`` is an index the reader already has.
    """

    name: str
    text: str
    format: str
    encoding: str = "utf-8"
    _index: PositionIndex | None = field(default=None, compare=False, repr=False)
    indexer: Callable[[Source], PositionIndex] | None = field(
        default=None, compare=False, repr=False
    )
    _cache: dict[str, Any] = field(default_factory=dict, init=False, compare=False, repr=False)

    @property
    def rendered(self) -> bool:
        """Lines and columns point into a rendering of the file (Word, Excel, PDF), not into
        the file itself: findings then name the place in the original (附件1-2!C5, 第3页)."""
        return self.format in RENDERED_FORMATS

    def position(self, path: KeyPath) -> Position | None:
        """1-based (line, column) of the value at ``path``; None if there is no such value.

        Columns count characters.  Computed on first call and cached.
        """
        found = self._positions().lookup(path)
        return None if found is None else found[1]

    def span(self, path: KeyPath, *, key: bool = False) -> int | None:
        """How many characters the value at ``path`` (its key, with ``key``) takes where it is
        written: what a code frame underlines.  None when the reader did not record it."""
        return self._positions().length(tuple(path), key)

    def key_position(self, path: KeyPath) -> Position | None:
        """Position of the key of the last element of ``path`` (or of the value, for list items)."""
        found = self._positions().lookup(path)
        if found is None:
            return None
        return found[1] if found[0] is None else found[0]

    def line_text(self, line: int) -> str:
        """The source line ``line`` (1-based) without its line ending; "" when out of range."""
        starts = self._line_starts()
        if not 1 <= line <= len(starts):
            return ""
        end = starts[line] - 1 if line < len(starts) else len(self.text)
        return self.text[starts[line - 1] : end]

    def offset_position(self, offset: int) -> Position:
        """1-based (line, column) of a character offset into :attr:`text`."""
        starts = self._line_starts()
        line = bisect.bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    def _line_starts(self) -> list[int]:
        starts: list[int] | None = self._cache.get("line_starts")
        if starts is None:
            starts = [0, *(m.end() for m in re.finditer("\n", self.text))]
            self._cache["line_starts"] = starts
        return starts

    def _positions(self) -> PositionIndex:
        if self._index is not None:
            return self._index
        index: PositionIndex | None = self._cache.get("index")
        if index is None:
            index = PositionIndex() if self.indexer is None else self.indexer(self)
            self._cache["index"] = index
        return index


@dataclass(frozen=True)
class ItemSource(Source):
    """One report of a file that holds a list of them: key paths are the report's own, and
    positions are looked up under its index in the file (``[1].预算执行.执行率``)."""

    inner: Source | None = None
    prefix: KeyPath = ()

    @classmethod
    def within(cls, source: Source, index: int) -> ItemSource:
        return cls(
            name=source.name,
            text=source.text,
            format=source.format,
            encoding=source.encoding,
            inner=source,
            prefix=(index,),
        )

    def position(self, path: KeyPath) -> Position | None:
        return None if self.inner is None else self.inner.position((*self.prefix, *path))

    def key_position(self, path: KeyPath) -> Position | None:
        return None if self.inner is None else self.inner.key_position((*self.prefix, *path))

    def span(self, path: KeyPath, *, key: bool = False) -> int | None:
        return None if self.inner is None else self.inner.span((*self.prefix, *path), key=key)

    def origin(self, path: KeyPath) -> Any:
        """The place in a Word/Excel/HTML original, when the file was imported from one."""
        describe = getattr(self.inner, "origin", None)
        return None if describe is None else describe((*self.prefix, *path))


@dataclass(frozen=True)
class Document:
    """A loaded report: plain data plus the source it came from."""

    source: Source
    data: Any


class PositionIndex:
    """Key path → (key position or None, value position); ``redirects`` maps a path that YAML
    aliases or merge keys copied to the path where the copied values are written."""

    def __init__(self) -> None:
        self.table: dict[KeyPath, tuple[Position | None, Position]] = {}
        self.redirects: dict[KeyPath, KeyPath] = {}
        self.lengths: dict[tuple[KeyPath, bool], int] = {}  # (path, of the key?) → characters

    def length(self, path: KeyPath, key: bool) -> int | None:
        return self.lengths.get((path, key))

    def lookup(self, path: KeyPath) -> tuple[Position | None, Position] | None:
        path = tuple(path)
        for _ in range(MAX_DEPTH):
            found = self.table.get(path)
            if found is not None:
                return found
            for cut in range(len(path), 0, -1):
                target = self.redirects.get(path[:cut])
                if target is not None:
                    path = target + path[cut:]
                    break
            else:
                return None
        return None


_KIND_NAMES = (
    (dict, "对象"),
    (list, "数组"),
    (str, "文字"),
    (bool, "布尔值"),
    (Decimal, "数值"),
    (int, "数值"),
    (float, "数值"),
    (type(None), "null"),
)


TOP_LEVEL = "报告的顶层必须是一个对象（{…}）"


def top_level_problem(data: Any) -> tuple[KeyPath, str] | None:
    """What is wrong with a file's top level, if anything: a report is an object, and a file may
    hold a list of reports (one page with two project tables), each an object."""
    if isinstance(data, dict):
        return None
    if not isinstance(data, list):
        return (), f"{TOP_LEVEL}，实际为{kind_name(data)}"
    if not data:
        return (), f"{TOP_LEVEL}或一组报告（[{{…}}, {{…}}]），实际为空数组"
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            return (index,), (
                f"{TOP_LEVEL}或一组报告（[{{…}}, {{…}}]）：第 {index + 1} 项实际为{kind_name(item)}"
            )
    return None


def format_path(path: KeyPath) -> str:
    """``("绩效指标", 0, "指标", 3, "得分")`` → ``绩效指标[0].指标[3].得分``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def kind_name(value: object) -> str:
    """What a loaded value is, in the words of the error messages (数组, 文字, 数值 …)."""
    return next((word for cls, word in _KIND_NAMES if isinstance(value, cls)), type(value).__name__)
