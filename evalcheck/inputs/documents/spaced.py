"""5./6. A money table whose cells are apart by single spaces, a row per line, as PDF text or a
pasted web page gives it (``年初预算数 全年预算数 全年执行数 分值 执行率 得分`` then
``年度资金总额: 80 80 72 10 90% 9``): a helper of :mod:`.text`.

Its empty cells vanish from the text, so a row is read only when it still has a value for every
column of its header; a row with fewer values (``年度资金总额: 80 80 72 10 9``: which one is
missing?) is not guessed at but listed as not read, and a row of placeholders only (``- -``)
keeps its label.  Only headers whose every column holds figures are read this way: in a
table with text columns (targets, reasons) the words of one cell cannot be told from the next.
"""

from __future__ import annotations

import re

from .characters import fold
from .headers import NUMERIC, TOTAL_COLUMN, column_meaning, header_key, is_figure, source_name
from .layout import Cell, Origin, Span, Unread

__all__ = ["spaced_header", "spaced_rows"]

_PLACEHOLDERS = frozenset({"-", "—", "/", "／", "－", "--", "——"})
_LABELS = frozenset({"项目", "科目", "项目名称", "名称"})
_PROSE = re.compile(r"[，。；;！？]")


def _tokens(line: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group(0)) for m in re.finditer(r"\S+", line)]


def spaced_header(line: str) -> bool:
    """Three column names at least, apart by single spaces, each a column of figures; the first
    token may be the label column's name (项目)."""
    stripped = line.strip()
    if len(stripped) > 400 or not 2 <= stripped.count(" ") <= 40 or "  " in stripped:
        return False
    texts = [t for _, t in _tokens(fold(line)[0])]  # 項目 2016-執行數: as the cells will read
    labelled = bool(texts) and texts[0] in _LABELS
    texts = texts[labelled:]
    meanings = [column_meaning(t) for t in texts]
    wide = len(texts) >= 3 or (labelled and len(texts) == 2)
    split = labelled and bool(texts) and TOTAL_COLUMN.match(header_key(texts[0])) is not None
    if split:  # 项目 合计 一般公共预算 政府性基金预算 …: a total split by source of funds
        return wide and all(source_name(t) is not None for t in texts[1:])
    return wide and all(m in NUMERIC or m == "年份列" for m in meanings)


def _value(text: str) -> bool:
    return is_figure(text) or text in _PLACEHOLDERS


def _split(line: str) -> tuple[list[tuple[int, str]], list[tuple[int, str]]] | None:
    """The label tokens and the value tokens of a row line, or None if it is no row."""
    tokens = _tokens(line)
    at = len(tokens)
    while at and _value(tokens[at - 1][1]):
        at -= 1
    label, values = tokens[:at], tokens[at:]
    text = " ".join(t for _, t in label)
    if not label or len(text) > 30 or _PROSE.search(text) or any(_value(t) for _, t in label):
        return None
    return label, values


def _cell(line: int, at: int, text: str) -> Cell:
    return Cell([Span(text, line, at + 1)], f"{line}:{at + 1}")


def spaced_rows(lines: list[str], number: int) -> tuple[list[list[Cell]], list[Unread], int]:
    """The rows from the header at ``number`` on, what could not be read, the line after them."""
    header_line = lines[number - 1]
    names = _tokens(header_line)
    labelled = fold(names[0][1])[0] in _LABELS
    width = len(names) - labelled
    first = names[0][0]
    header = [] if labelled else [_cell(number, first, "")]
    rows = [header + [_cell(number, at, text) for at, text in names]]
    unread: list[Unread] = []
    end = last = number + 1  # the line after the last row with values: where the table ends
    while end <= len(lines):
        line = lines[end - 1]
        split = _split(line) if line.strip() else None
        if split is None or spaced_header(line):
            break
        label, values = split
        start = label[0][0]
        label_text = " ".join(t for _, t in label)
        label_cell = Cell([Span(label_text, end, start + 1)], f"{end}:{start + 1}")
        if values:
            last = end + 1
        if len(values) == width:
            rows.append([label_cell, *(_cell(end, at, text) for at, text in values)])
        elif any(is_figure(t) for _, t in values):
            shown = " ".join(t for _, t in values)
            unread.append(
                Unread(
                    Origin(f"{end}:{start + 1}", end, start + 1, line.strip()[:80]),
                    f"{label_text} {shown}"[:40],
                    f"以空格分隔的表格中此行有 {len(values)} 个数值，表头有 {width} 栏："
                    "空白单元格在文本中消失，无法确定各数值所属的栏目，此行未读取",
                )
            )
        else:
            rows.append([label_cell])  # a label, or placeholders only: nothing to misplace
        end += 1
    # words-only lines after the last row with values are the text after the table (a heading)
    rows = [r for r in rows if len(r) > 1 or r[0].spans[0].line < last]
    return rows, unread, last
