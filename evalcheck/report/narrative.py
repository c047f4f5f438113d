"""The narrative: headings and paragraphs, and what the prose states.

Reports repeat their tables in prose (“本年实际支出586.88万元（基本支出586.88万元、项目支出0万元）”,
“编制数19人，实际在职人数19人”, “自评分数为96分”) and say more: parts, shares, changes, counts.
:mod:`evalcheck.report.prose` reads the 正文 sections and the table cells that hold prose
(年度总体目标, 原因, 偏差原因分析); :func:`with_statements` adds what it read to a loaded report as
``正文数据`` — the report as the prose states it, every statement, and the relations — so the
rules in ``rules/narrative.yaml`` and ``rules/prose.yaml`` can check them.  A figure whose
field the grammar does not name is kept without a field, with the reason; nothing is dropped
silently.
"""

from __future__ import annotations

import functools
import re
from dataclasses import field, replace
from typing import Any

from ..inputs.documents.layout import ImportedSource, Origin
from ..inputs.records import dataclass
from ..inputs.source import Document, KeyPath, Position, Source
from .normalise import MAX_TABLE_ROWS
from .prose.clauses import normalise
from .prose.reading import Reading, Statement, Text, context_of, read_texts
from .prose.stated import Place, format_key, stated_section
from .tree import ShapeError, get_mapped

__all__ = [
    "MAX_PROSE_CHARS",
    "MAX_STATEMENTS",
    "Statement",
    "find_statements",
    "format_key",
    "heading_split",
    "is_heading",
    "place_all",
    "texts_of",
    "with_statements",
]

NARRATIVE = "正文"
STATED = "正文数据"
STATEMENTS = "语句"
# Figures read from the prose of one report: each becomes a row of 正文数据.语句 that rules
# iterate over.  20,000 is already far beyond any report; past the limit the report is refused.
MAX_STATEMENTS = 50_000
# Characters of one text the prose reader reads (a 正文 section's body, a cell of prose): a
# whole report's prose is a few ten thousand; ten million took the reader over twenty seconds.
MAX_PROSE_CHARS = 1_000_000

# --- headings ---------------------------------------------------------------------------------

_CHAPTER = re.compile(r"^[一二三四五六七八九十]+[、.．]")
_CLAUSE = re.compile(r"^[（(][一二三四五六七八九十\d]+[）)]")
_ITEM = re.compile(r"^\d+[、.．]")
_HEADING_MAX = 30


def is_heading(text: str, is_last: bool) -> bool:
    """A heading is short, numbered like 一、（一）1. or a short unnumbered title.

    Numbered list items in the prose (“13、承办……事项。”) are told apart by length and by the
    full stop: an item-numbered heading ending in 。 is at most a dozen characters.
    """
    text = text.strip()
    if not text or len(text) > _HEADING_MAX or re.search(r"[，,；;]", text):
        return False
    if _CHAPTER.match(text) or _CLAUSE.match(text):
        return True
    if _ITEM.match(text):
        return not text.endswith("。") or len(text) <= 12
    if is_last or text.startswith("无") or re.search(r"[：:]", text):
        return False
    return len(text) <= 15


def heading_split(text: str) -> tuple[str, str] | None:
    """A run-in heading: “（一）评价小组情况。在此次绩效自评中，……” → heading and body."""
    text = text.strip()
    if not (_CHAPTER.match(text) or _CLAUSE.match(text)):
        return None
    stop = text.find("。")
    if stop < 0 or stop + 1 >= len(text):
        return None
    head = text[: stop + 1]
    if len(head) > _HEADING_MAX or re.search(r"[，,；;]", head):
        return None
    return head, text[stop + 1 :].strip()


# --- reading ----------------------------------------------------------------------------------

# Table cells that hold prose: what a 年度总体目标 or 原因 cell says is read like the 正文.
_CELLS: tuple[KeyPath, ...] = (
    ("年度总体目标", "预期目标"),
    ("年度总体目标", "实际完成情况"),
    ("预算执行", "说明"),
    ("厉行节约保障措施",),
)


def texts_of(data: dict[str, Any]) -> list[Text]:
    """The texts the prose reader reads, in reading order: 正文 (headings and bodies), then
    the cells that hold prose."""
    texts = [
        Text((NARRATIVE, index, part), text)
        for index, (heading, body) in enumerate(sections_of(data))
        for part, text in (("标题", heading), ("内容", body))
        if text
    ]
    for path in _CELLS:
        value = get_mapped(data, path)
        if isinstance(value, str) and value.strip():
            texts.append(Text(path, value))
    groups = data.get("绩效指标")
    if not isinstance(groups, list) or len(groups) > MAX_TABLE_ROWS:
        groups = []  # more groups or rows than the model takes: the report is refused anyway
    for g, group in enumerate(groups):
        rows = group.get("指标") if isinstance(group, dict) else None
        if not isinstance(rows, list) or len(rows) > MAX_TABLE_ROWS:
            continue
        for r, row in enumerate(rows):
            reason = row.get("偏差原因分析及改进措施") if isinstance(row, dict) else None
            if isinstance(reason, str) and reason.strip():
                texts.append(Text(("绩效指标", g, "指标", r, "偏差原因分析及改进措施"), reason))
    return texts


def read_report(data: dict[str, Any], from_prose: Any = None) -> Reading:
    texts = texts_of(data)
    return read_texts(texts, context_of(data, texts, from_prose), MAX_STATEMENTS, MAX_PROSE_CHARS)


def find_statements(
    sections: list[tuple[str | None, str | None]], data: dict[str, Any] | None = None
) -> list[Statement]:
    """Every figure statement of the 正文 sections, in reading order."""
    texts = [
        Text((NARRATIVE, index, part), text)
        for index, (heading, body) in enumerate(sections)
        for part, text in (("标题", heading), ("内容", body))
        if text
    ]
    return read_texts(
        texts, context_of(data or {}, texts), MAX_STATEMENTS, MAX_PROSE_CHARS
    ).statements


def sections_of(data: dict[str, Any]) -> list[tuple[str | None, str | None]]:
    """(heading, body) of each 正文 section; anything malformed reads as empty."""
    narrative = data.get(NARRATIVE)
    if not isinstance(narrative, list) or len(narrative) > MAX_TABLE_ROWS:
        return []  # not a narrative at all; or one the report model refuses (too many sections)
    sections: list[tuple[str | None, str | None]] = []
    for item in narrative:
        if not isinstance(item, dict):
            sections.append((None, None))
            continue
        heading, body = item.get("标题"), item.get("内容")
        sections.append(
            (heading if isinstance(heading, str) else None, body if isinstance(body, str) else None)
        )
    return sections


# --- adding 正文数据 to a loaded report --------------------------------------------------------


def with_statements(document: Document) -> Document:
    """The document with ``正文数据`` read from its prose (unless the report gives one itself).

    Each statement is placed at its words in the file: its text is searched for from where
    the 正文 section or cell starts, so line and column point at the label and number.  For a
    JSON or YAML report the search runs only when a finding asks for a position.
    """
    data = document.data
    if not isinstance(data, dict) or STATED in data:
        return document
    source = document.source
    from_prose = _from_prose(source)
    try:
        reading = read_report(data, from_prose)
    except ShapeError as exc:
        raise exc.located(source) from None
    if not reading.statements and not reading.entries:
        return document
    section, places = stated_section(reading, data, from_prose)
    stated = {**data, STATED: section}
    if isinstance(source, ImportedSource):
        located = placements(source, reading, places)
        return Document(replace(source, located={**source.located, **located}), stated)
    return Document(StatedSource.around(source, reading, places), stated)


def _from_prose(source: Source) -> Any:
    """Whether the report's own field at a path was filled from the prose (an imported text
    report whose table lacks it): then it is no second printing to compare with."""
    if not isinstance(source, ImportedSource):
        return None
    located = source.located

    def check(path: KeyPath) -> bool:
        origin = located.get(tuple(path))
        return origin is not None and origin.description.startswith(f"{NARRATIVE}[")

    return check


def placements(
    source: Source, reading: Reading, places: dict[KeyPath, Place]
) -> dict[KeyPath, Origin]:
    """Key path in ``正文数据`` → where it is printed."""
    texts = reading.texts
    origins = place_all(source, reading.statements, {t.place: t.text for t in texts})
    located: dict[KeyPath, Origin] = {}
    for path, place in places.items():
        origin: Origin | None = None
        if place.statement is not None:
            origin = origins[place.statement]
        elif place.text is not None:
            origin = _quote_origin(source, texts[place.text], place.start, place.end)
        elif place.table is not None:
            origin = _table_origin(source, place.table)
        if origin is not None:
            located[(STATED, *path)] = origin
    return located


def _quote_origin(source: Source, text: Text, start: int, end: int) -> Origin:
    quote = text.text[start:end].strip() or text.text.strip()[:40]
    at = _text_start(source, text.place)
    found = _readable(source.text).find(quote, max(at, 0)) if quote and at >= 0 else -1
    if found >= 0:
        line, column = source.offset_position(found)
    else:
        line, column = _within(source, text, start)
    return Origin(f"{_where(text.place)}：{quote[:40]}", line, column, quote)


@functools.lru_cache(maxsize=2)  # the report being placed: a batch keeps no texts
def _readable(text: str) -> str:
    """The file's text as the prose reader read it (萬元 as 万元, （ as ( …), where the quotes it
    read are found: every reading keeps the length, so an offset in it is one in the file."""
    read = normalise(text)
    return read if len(read) == len(text) else text


def _within(source: Source, text: Text, offset: int) -> Position:
    """Where ``offset`` of a text is printed when its words are not found as they are in the
    file (the reader read 萬(wàn)元 as 万元): by its line and column within the text, from where
    the text starts."""
    position = source.position(text.place)
    if position is None:
        return 1, 1
    line, column = position
    before = text.text[:offset]
    breaks = before.count("\n")
    if breaks:
        return line + breaks, len(before) - before.rfind("\n")
    return line, column + len(before)


def _table_origin(source: Source, path: KeyPath) -> Origin | None:
    if isinstance(source, ImportedSource):
        return source.located.get(tuple(path))
    position = source.position(path)
    if position is None:
        return None
    return Origin(format_key(path), *position, source.line_text(position[0]).strip())


def _where(place: KeyPath) -> str:
    from .prose.reading import where_of

    return where_of(place)


def _text_start(source: Source, place: KeyPath) -> int:
    position = source.position(place)
    if position is None:
        return -1
    starts = [0, *(m.end() for m in re.finditer("\n", source.text))]
    line, column = position
    return starts[line - 1] + column - 1 if 1 <= line <= len(starts) else -1


def place_all(
    source: Source, statements: list[Statement], texts: dict[KeyPath, str] | None = None
) -> list[Origin]:
    """Where each statement is printed: searched in order from the start of its text, so two
    statements with the same words (“决算数0万元”) land on their own places."""
    origins: list[Origin] = []
    after: dict[KeyPath, int] = {}
    starts: dict[KeyPath, int] = {}
    for statement in statements:
        place = statement.place
        if place not in starts:
            starts[place] = _text_start(source, place)
        offset = after.get(place, starts[place])
        at = _readable(source.text).find(statement.quote, max(offset, 0)) if statement.quote else -1
        if at >= 0:
            after[place] = at + len(statement.quote)
            line, column = source.offset_position(at)
        elif texts is not None and place in texts:
            line, column = _within(source, Text(place, texts[place]), statement.offset)
        elif starts[place] >= 0:
            line, column = source.offset_position(starts[place])
        else:
            line, column = 1, 1
        where = f"{statement.where}：{statement.quote}"
        length = len(statement.quote) if at >= 0 else 0
        origins.append(Origin(where, line, column, statement.sentence, length=length))
    return origins


@dataclass(frozen=True)
class StatedSource(Source):
    """A loaded report's source, plus the places of what was read from its prose.

    The places are searched for on the first position asked for, so a clean report never pays.
    """

    inner: Source | None = None
    reading: Reading | None = None
    places: dict[KeyPath, Place] = field(default_factory=dict, compare=False, repr=False)
    cache: dict[KeyPath, Origin] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def around(cls, source: Source, reading: Reading, places: dict[KeyPath, Place]) -> StatedSource:
        return cls(
            name=source.name,
            text=source.text,
            format=source.format,
            encoding=source.encoding,
            inner=source,
            reading=reading,
            places=places,
        )

    def _placed(self) -> dict[KeyPath, Origin]:
        if not self.cache and self.reading is not None and self.inner is not None:
            self.cache.update(placements(self.inner, self.reading, self.places))
        return self.cache

    def printing(self, path: KeyPath) -> int | KeyPath | None:
        """What printed a key path of ``正文数据``: the statement (one figure of the prose) it
        was read from, or the key path of the table figure it quotes (``复述[0].表中``).  Two
        paths of one statement (``正文数据.基本支出.人员经费`` and the same figure as a part of
        ``正文数据.构成[0]``) are one printing, not two that agree."""
        if not path or path[0] != STATED:
            return None
        place = self.places.get(tuple(path[1:]))
        if place is None:
            return None
        return place.statement if place.statement is not None else place.table

    def position(self, path: KeyPath) -> Position | None:
        origin = self._placed().get(tuple(path))
        if origin is not None:
            return origin.line, origin.column
        return None if self.inner is None else self.inner.position(path)

    def key_position(self, path: KeyPath) -> Position | None:
        origin = self._placed().get(tuple(path))
        if origin is not None:
            return origin.line, origin.column
        return None if self.inner is None else self.inner.key_position(path)

    def span(self, path: KeyPath, *, key: bool = False) -> int | None:
        origin = self._placed().get(tuple(path))
        if origin is not None:
            return origin.length or None
        return None if self.inner is None else self.inner.span(path, key=key)
