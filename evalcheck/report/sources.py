"""A “三公”经费 table whose columns split each line by source of funds.

Budget and final-account pages print ``项目 | 合计 | 一般公共预算 | 政府性基金预算 | 国有资本经营预算``
(some ``2017年预算数合计 | 公共财政预算拨款 | …``): one amount per line, its 合计 first, then the
part of it each source pays.  The 合计 column is the line's 本年预算数 or 本年决算数 — as its own
header cell says (预算数合计), or else the table's caption (…“三公”经费预算表); a table that says
neither is not read.  The source columns go under the line's ``资金来源``, whose parts add up to
the 合计 (rules EC546, EC547).  A helper of :mod:`.tables`.
"""

from __future__ import annotations

import re

from ..inputs.documents.headers import TOTAL_COLUMN, header_key, source_name
from ..inputs.documents.layout import Row
from ..inputs.source import KeyPath
from .across import caption_column
from .kinds import LINES, PUBLIC, SOURCE_COLUMN, Kind

__all__ = ["Held", "line_columns", "source_header"]

_HEADINGS = {"项目", "科目", "项目名称", "名称", "科目名称", "类别"}


def source_header(
    row: Row, captions: list[str], after: str | None = None
) -> tuple[Kind, dict[str, int]] | None:
    """``项目 | 合计 | <source> | <source> …`` under a caption that says 预算 or 决算 (unless
    the 合计 cell says it; a page that lost the caption may say it in the heading right after
    the table, ``after``, when that names the “三公”经费; the caption or that heading must name
    the “三公”经费, for a 财政拨款收支 table splits by source too): the 三公 kind and its columns — the 合计
    as 本年预算数 or 本年决算数, each source as ``资金来源:<name>``; None for any other row."""
    cells = [(i, c.flat) for i, c in enumerate(row.cells) if c.flat]
    if len(cells) < 3 or header_key(cells[0][1]) not in _HEADINGS:
        return None
    index, total = cells[1]
    match = TOTAL_COLUMN.match(header_key(total))
    if match is None:
        return None
    seen = {id(row.cells[i]) for i, _ in cells[:2]}
    sources: dict[str, int] = {}
    for at, text in cells[2:]:
        if id(row.cells[at]) in seen:
            continue  # a merged cell, listed once per column it spans
        seen.add(id(row.cells[at]))
        name = source_name(text)
        if name is None or name in sources:
            return None
        sources[name] = at
    basis = {"预算": "本年预算数", "决算": "本年决算数"}.get(match.group(1) or "")
    basis = basis or caption_column(captions)
    heading = re.sub(r"\s+", "", after or "")
    named = len(heading) <= 60 and "三公" in heading
    if basis is None and named:
        basis = caption_column([heading])
    if basis is None or not sources or not (named or "三公" in "".join(captions)):
        return None  # a 财政拨款收支 table splits by source too: only a 三公 table's is read
    columns = {basis: index}
    columns.update({SOURCE_COLUMN + name: at for name, at in sources.items()})
    return PUBLIC, columns


def line_columns(columns: dict[str, int], base: KeyPath) -> list[tuple[KeyPath, str]]:
    """Where each column of a 三公 table's row goes: the line's own columns, then each source's
    part of the 合计, as ``资金来源.<source>.<the 合计's column>``."""
    places = [((*base, meaning), meaning) for meaning in LINES]
    basis = next((m for m in LINES if m in columns), "本年预算数")
    for key in columns:
        if key.startswith(SOURCE_COLUMN):
            places.append(((*base, "资金来源", key.removeprefix(SOURCE_COLUMN), basis), key))
    return places


class Held:
    """The 合计 rows of statement tables not yet known to be “三公”经费 tables.

    A table of 本年预算数 / 上年预算数 columns is a 收支预算总表 as often as a 三公 table, and its
    支出合计 row is no 三公 total; such a row is held until the table shows a 三公 item (出国,
    接待, 公务用车 …) or its caption names the “三公”经费 — and dropped otherwise (its figures are
    then listed as not read)."""

    def __init__(self) -> None:
        self.known: set[int] = set()
        self.rows: dict[int, list[tuple[Row, tuple[int, int]]]] = {}

    def header(self, table: int, captions: list[str]) -> None:
        if "三公" in re.sub(r"\s+", "", "".join(captions)):
            self.known.add(table)

    def hold(self, row: Row, item: str, place: tuple[int, int]) -> bool:
        """Whether ``row`` (of ``item``, aligned by ``place``) waits; an item row makes its
        table known."""
        if item != "合计":
            self.known.add(row.table)
        if row.table in self.known:
            return False
        self.rows.setdefault(row.table, []).append((row, place))
        return True

    def release(self, table: int) -> list[tuple[Row, tuple[int, int]]]:
        """The rows held for ``table`` once it is known to be a 三公 table."""
        return self.rows.pop(table, []) if table in self.known else []
