"""``正文数据``: the report as its prose states it, and the lists the prose rules check.

* the field tree: the first value the prose gives for each field (``正文数据.基本支出.人员经费``),
  which the rules of ``rules/narrative.yaml`` compare with the tables;
* ``语句``: every figure statement, assigned or not;
* ``复述``: each later statement of a field that gives another value than the first, with the
  table's figure for the same field when the report prints one;
* ``构成`` ``占比`` ``占比合计`` ``变动`` ``无变化`` ``计数`` ``编号`` ``年份`` ``残留``: the relations read
  from the prose (:mod:`.relations`, :mod:`.lists`, :mod:`.leftovers`).

:func:`stated_section` also says where each key path is printed (:class:`Place`): at a statement,
at a quote of a text, or — for a table's figure copied into ``复述`` — at that figure.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from ...inputs.records import dataclass
from ...inputs.source import KeyPath
from ..normalise import to_halfwidth
from ..tree import get_mapped
from .lexicon import in_wan
from .reading import Reading, Statement

__all__ = ["LISTS", "REPEATS", "STATEMENTS", "Place", "format_key", "stated_section"]

STATEMENTS = "语句"
AGAIN = "复述"
LISTS = ("构成", "占比", "占比合计", "变动", "无变化", "计数", "编号", "年份", "残留")
# Lists whose figures repeat statements of 语句 (coverage counts each figure read once).
REPEATS = ("正文数据", frozenset({*LISTS, AGAIN}))


@dataclass(frozen=True, slots=True)
class Place:
    """Where a key path of 正文数据 is printed: a statement, a quote of a text, or a table key."""

    statement: int | None = None
    text: int | None = None
    start: int = 0
    end: int = 0
    table: KeyPath | None = None


def format_key(path: KeyPath) -> str:
    return ".".join(str(p) for p in path)


def _same(a: Statement, b: Statement) -> bool:
    try:
        x = in_wan(a.number, a.unit)
        y = in_wan(b.number, b.unit)
    except InvalidOperation:
        return a.value == b.value
    return x == y


def stated_section(
    reading: Reading,
    data: dict[str, Any] | None = None,
    from_prose: Callable[[KeyPath], bool] | None = None,
) -> tuple[dict[str, Any], dict[KeyPath, Place]]:
    """``正文数据`` and where each of its key paths is printed (paths start after 正文数据)."""
    figures: dict[str, Any] = {}
    places: dict[KeyPath, Place] = {}
    listed: list[dict[str, Any]] = []
    by_field: dict[KeyPath, list[int]] = {}
    used: dict[int, str] = {}
    lists: dict[str, list[dict[str, Any]]] = {}
    for text_index, entry in reading.entries:
        if entry.kind in ("构成", "计数") and _told_by_report(
            entry, reading.statements, data or {}
        ):
            continue
        rows = lists.setdefault(entry.kind, [])
        base: KeyPath = (entry.kind, len(rows))
        rows.append(entry.values)
        for key, number in entry.figures.items():
            places[(*base, *key)] = Place(statement=number)
            used.setdefault(number, f"{entry.kind}[{len(rows) - 1}]")
        first = min(entry.figures.values()) if entry.figures else None
        whole = (
            Place(statement=first)
            if first is not None
            else Place(text=text_index, start=entry.start, end=entry.end)
        )
        places[base] = whole
        places.setdefault((*base, "原文"), whole)
        for name in entry.values:
            places.setdefault((*base, name), whole)
    for number, statement in enumerate(reading.statements):
        entry_: dict[str, Any] = {
            "标签": statement.label,
            "数值": statement.value,
            "单位": statement.unit,
        }
        if statement.column:
            entry_["列"] = statement.column
        if statement.role != "数值":
            entry_["种类"] = statement.role
        entry_["原文"] = statement.sentence
        entry_["出处"] = statement.where
        if statement.field is not None:
            entry_["对应项目"] = format_key(statement.field)
            by_field.setdefault(statement.field, []).append(number)
            _set_first(figures, statement.field, statement.value, places, number)
        elif number in used:
            entry_["用于"] = used[number]
        else:
            entry_["说明"] = statement.reason
        listed.append(entry_)
        row: KeyPath = (STATEMENTS, number)
        places[row] = Place(statement=number)
        for name in entry_:
            places[(*row, name)] = Place(statement=number)
    again = _again(reading.statements, by_field, data or {}, from_prose, places)
    figures[STATEMENTS] = listed
    if again:
        figures[AGAIN] = again
    for kind in LISTS:
        if lists.get(kind):
            figures[kind] = lists[kind]
    return figures, places


def _told_by_report(entry: Any, statements: list[Statement], data: dict[str, Any]) -> bool:
    """A total and its parts that are all report fields holding these very figures: the
    report's own rules check that identity (EC101, EC104, EC111, EC212 …), so the prose's copy
    of it would only say the same again."""
    if not entry.figures or ("构成" in entry.values and "列举" in entry.values):
        return False
    for number in entry.figures.values():
        statement = statements[number]
        if statement.field is None:
            return False
        value = get_mapped(data, statement.field)
        if value is None or isinstance(value, (dict, list)):
            return False
        if not _same_text(str(value), statement):
            return False
    return True


def _same_text(value: str, statement: Statement) -> bool:
    try:
        # the table's own text as the figure reader reads it: “５８６．８８” is 586.88
        text = to_halfwidth(value).replace(",", "").replace("\u3000", " ")
        printed = Decimal(text.strip().rstrip("万元人名个").strip() or "x")
        stated = Decimal(statement.number.replace(",", ""))
    except InvalidOperation:
        return False
    return printed == stated and statement.unit in ("万元", "万", "人", "名", "个", "")


def _set_first(
    tree: dict[str, Any], path: KeyPath, value: str, places: dict[KeyPath, Place], number: int
) -> None:
    node = tree
    for key in path[:-1]:
        child = node.setdefault(str(key), {})
        if not isinstance(child, dict):
            return
        node = child
    if str(path[-1]) not in node:
        node[str(path[-1])] = value
        places[tuple(path)] = Place(statement=number)


_YEAR_WORD = re.compile(r"((?:19|20)\d\d)\s*年")


def _other_years(one: str, other: str) -> bool:
    """Two sentences that each name years, not the same ones (``2010年……预算中，……1229.65万元``
    and ``2011年……预算中，……1205.06万元``): their figures may be of different years."""
    a, b = set(_YEAR_WORD.findall(one)), set(_YEAR_WORD.findall(other))
    return bool(a) and bool(b) and a != b


def _differs(table: Any, statement: Statement) -> bool:
    """The table prints a figure for the field and it is not the statement's (EC423: the prose
    says it twice alike, the table is the odd one out)."""
    if table is None or not str(table).strip():
        return False
    try:
        printed = Decimal(to_halfwidth(str(table)).replace(",", "").strip().rstrip("人名分"))
        stated = Decimal(statement.number.replace(",", ""))
    except InvalidOperation:
        return False
    # counts and scores only: a table of amounts may be printed in 元 while the prose says 万元
    return statement.unit in ("人", "名", "分") and printed != stated


def _again(
    statements: list[Statement],
    by_field: dict[KeyPath, list[int]],
    data: dict[str, Any],
    from_prose: Callable[[KeyPath], bool] | None,
    places: dict[KeyPath, Place],
) -> list[dict[str, Any]]:
    """Later statements of a field that differ from the first (and the table's figure)."""
    rows: list[dict[str, Any]] = []
    for path, numbers in by_field.items():
        first = statements[numbers[0]]
        table = get_mapped(data, path)
        if isinstance(table, (dict, list)) or (from_prose is not None and from_prose(path)):
            table = None
        for number in numbers[1:]:
            later = statements[number]
            if _other_years(later.sentence, first.sentence):
                continue
            if _same(later, first) and not _differs(table, later):
                continue  # said again alike, and the table (if any) agrees or is not printed
            row: dict[str, Any] = {
                "对应项目": format_key(path),
                "数值": later.value,
                "前文": first.value,
            }
            base: KeyPath = (AGAIN, len(rows))
            places[base] = places[(*base, "数值")] = Place(statement=number)
            places[(*base, "前文")] = Place(statement=numbers[0])
            if table is not None and str(table).strip():
                row["表中"] = str(table)
                places[(*base, "表中")] = Place(table=tuple(path))
            row["原文"] = later.sentence
            places[(*base, "原文")] = places[(*base, "对应项目")] = Place(statement=number)
            rows.append(row)
    return rows
