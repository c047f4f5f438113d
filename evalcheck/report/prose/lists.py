"""Counts with their lists (``内设8个机构：办公室、……``), and numbered lists (1、2、3 / (一)(二)).

A list is read only where the sentence says it is one — after 即/分别是/包括/为 and a colon, in
brackets right after the count, or right before the count in the same clause (``内设A、B、C 3个部室``)
— and only when the sentence ends inside the text: a page cut off mid-list is not counted.
Items are split at 、 outside brackets; a last item joined by 及/和/以及 is two items unless one
item is what makes the count agree (``劳动就业和社会保障服务所`` is one name).
"""

from __future__ import annotations

import re
from typing import Any

from .clauses import Piece
from .grammar import Sentence, Use
from .relations import Entry

__all__ = ["count_lists", "numbered_lists"]

_LIST_UNITS = ("个", "家", "项", "所", "条", "处", "辆")
_INTRO = re.compile(
    r"^(?P<noun>[\u4e00-\u9fff]{0,12}?)\s*(?:[,，]?\s*(?:即|分别是|分别为|包括|具体为|具体是|为|是|有)?\s*:"
    r"|[,，]\s*(?:即|分别是|分别为|具体为|具体是)(?![\u4e00-\u9fff]{0,3}\d))\s*"
)
_NEXT_INTRO = re.compile(
    r"^\s*(?P<noun>[\u4e00-\u9fff]{2,14}?)(?:分别|具体)?(?:是|为|有|包括)\s*:?\s*"
)
_VERB = re.compile(r"^(?:共设|下设|内设|设有|设立|共有|包括|含|有|设|辖|管辖)")
_END = re.compile(r"[,，;；。!！?？]")


def _split(text: str) -> list[str]:
    """Items separated by 、 outside brackets."""
    items, depth, current = [], 0, ""
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        if char == "、" and depth == 0:
            items.append(current.strip())
            current = ""
        else:
            current += char
    items.append(current.strip())
    return [i for i in items if i]


def _last_split(items: list[str]) -> list[str]:
    """The last item split at 及/和/以及 (outside brackets): ``A、B及C``."""
    if not items:
        return items
    last = items[-1]
    match = None
    depth = 0
    for index, char in enumerate(last):
        depth += char == "("
        depth -= char == ")"
        if depth == 0 and last.startswith(("以及", "及", "和", "与"), index) and index > 0:
            match = index
    if match is None:
        return items
    word = "以及" if last.startswith("以及", match) else last[match]
    return [*items[:-1], last[:match], last[match + len(word) :]]


def _names(items: list[str]) -> bool:
    return len(items) >= 2 and all(
        1 <= len(i) <= 30 and not re.search(r"\d+(?:\.\d+)?\s*(?:万元|元|%|人)", i) for i in items
    )


def _entry(
    use: Use, number: dict[int, int], subject: str, items: list[str], quote: str, start: int
) -> Entry | None:
    split = _last_split(items)
    count = int(use.fig.number) if use.fig.number.isdigit() else None
    chosen = items if count == len(items) and len(split) != len(items) else split
    if not _names(chosen):
        return None
    seen: set[str] = set()
    repeated = []
    for item in chosen:
        key = re.sub(r"\s+", "", item)
        if key in seen:
            repeated.append(item)
        seen.add(key)
    values: dict[str, Any] = {
        "对象": subject,
        "数目": use.fig.number,
        "单位": use.fig.unit,
        "列举": chosen,
    }
    if repeated:
        values["重复"] = repeated
    values["原文"] = quote
    return Entry("计数", values, {("数目",): number[id(use)]}, start, start + len(quote))


def count_lists(piece: Piece, sentences: list[Sentence], number: dict[int, int]) -> list[Entry]:
    text = piece.text
    entries: list[Entry] = []
    counted: set[int] = set()
    for index, sentence in enumerate(sentences):
        ended = sentence.end < len(text) or bool(re.search(r"[。!！?？]\s*$", text[: sentence.end]))
        quote = piece.original[sentence.start : sentence.end].strip()
        for use in sentence.uses:
            if use.role != "计数" or use.fig.unit not in _LIST_UNITS or not ended:
                continue
            entry = _after(use, text, sentence, number, quote) or _before(use, text, number, quote)
            if entry is not None:
                entries.append(entry)
                counted.add(id(use))
        for following in sentences[index + 1 : index + 3]:
            entries.extend(_next(sentence, following, piece, number, counted))
        entry = _year_parts(sentence, number, quote)
        if entry is not None:
            entries.append(entry)
    return entries


def _year_parts(sentence: Sentence, number: dict[int, int], quote: str) -> Entry | None:
    """``实施项目共15个……年初批复预算8个项目……年中增加8个项目``: the total is the projects at the
    start of the year and those added during it."""
    counts = [u for u in sentence.uses if u.role == "计数" and u.fig.unit in _LIST_UNITS]
    total = next((u for u in counts if re.search(r"共(?:计|有)?\s*$", u.lead)), None)
    if total is None:
        return None
    start = next((u for u in counts if u is not total and u.label.startswith("年初")), None)
    added = next((u for u in counts if re.match(r"年中(?:增加|新增|追加)", u.label)), None)
    if start is None or added is None or start.fig.unit != total.fig.unit != added.fig.unit:
        return None
    values: dict[str, Any] = {
        "对象": total.item.name or total.label,
        "数目": total.fig.number,
        "单位": total.fig.unit,
        "构成": {"年初": start.fig.number, "年中增加": added.fig.number},
        "完整": "是",
        "原文": quote,
    }
    figures = {
        ("数目",): number[id(total)],
        ("构成", "年初"): number[id(start)],
        ("构成", "年中增加"): number[id(added)],
    }
    return Entry("计数", values, figures)


def _noun_after(use: Use, text: str) -> str:
    match = re.match(
        r"[\u4e00-\u9fff]{0,8}?(?=及|和|与|、|[^\u4e00-\u9fff]|$)", text[use.fig.end :]
    )
    return match.group(0) if match else ""


def _after(
    use: Use, text: str, sentence: Sentence, number: dict[int, int], quote: str
) -> Entry | None:
    """``直属事业单位10个，即 A、B、……`` / ``内设 8 个机构：A、B……``."""
    rest = text[use.fig.end : sentence.end]
    bracket = re.match(
        r"(?P<noun>[\u4e00-\u9fff]{0,10})\((?P<list>[^()]*(?:\([^()]*\)[^()]*)*)\)", rest
    )
    if (bracket and "、" in bracket.group("list")) or (
        bracket and re.search("[和及]", bracket.group("list"))
    ):
        items = _split(bracket.group("list"))
        items = items if len(items) > 1 else _last_split(items)
        subject = bracket.group("noun") or use.item.name
        return _entry(use, number, subject, items, quote, use.quote_start)
    intro = _INTRO.match(rest)
    if intro is None or not re.search(r"即|分别|包括|具体|:", intro.group(0)):
        return None
    body = rest[intro.end() :]
    end = _END.search(body)
    body = body[: end.start()] if end else body
    if end is None and not re.search(r"[。!！?？]\s*$", rest):
        return None
    items = _split(body)
    subject = (use.item.name or "") + intro.group("noun")
    return _entry(use, number, subject or use.label, items, quote, use.quote_start)


def _before(use: Use, text: str, number: dict[int, int], quote: str) -> Entry | None:
    """``内设综合部、信息技术部、……、财务部5个部室``: the list is the lead of the count."""
    lead = text[use.quote_start : use.fig.start]
    lead = re.sub(r"(?:等|共|计|合计|总计)+\s*$", "", lead)
    if "、" not in lead or lead.rstrip().endswith("等"):
        return None
    items = _split(_VERB.sub("", lead.strip()))
    noun = _noun_after(use, text)
    return _entry(use, number, noun or use.label, items, quote, use.quote_start)


def _next(
    sentence: Sentence, following: Sentence, piece: Piece, number: dict[int, int], counted: set[int]
) -> list[Entry]:
    """``内设8个机构……。内设机构分别是：A、B……。``: the list in the next sentence names the count."""
    text = piece.text
    body = text[following.start : following.end]
    intro = _NEXT_INTRO.match(body)
    if intro is None or (not re.search(r"[。!！?？]\s*$", body) and following.end >= len(text)):
        return []
    noun = intro.group("noun")
    found = []
    for use in sentence.uses:
        if use.role != "计数" or id(use) in counted or use.fig.unit not in _LIST_UNITS:
            continue
        phrase = re.sub(r"^(?:共|计)", "", use.label) + _noun_after(use, text)
        phrase = re.sub(r"(?:共|计|有)", "", phrase)
        if phrase and (phrase == noun or noun.endswith(phrase) or phrase.endswith(noun)):
            rest = body[intro.end() :]
            end = re.search(r"[。!！?？;；]", rest)
            items = _split(rest[: end.start()] if end else rest)
            quote = piece.original[following.start : following.end].strip()
            entry = _entry(use, number, noun, items, quote, following.start)
            if entry is not None:
                found.append(entry)
                counted.add(id(use))
    return found


# --- numbered lists ---------------------------------------------------------------------------

_CHINESE = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}
_STYLES = (
    ("(n)", r"\(\s*(\d{1,2})\s*\)"),
    ("n、", r"(\d{1,2})\s*、"),
    ("n.", r"(\d{1,2})\s*[.．](?!\d)"),
    ("(一)", r"\(\s*([一二三四五六七八九十]{1,3})\s*\)"),
    ("一、", r"([一二三四五六七八九十]{1,3})\s*、"),
)
# An item starts a line, or follows the end of the item before it on the same line (PDF text
# and copied pages join lines: ……的干部教育工作。8、制订……).
_STARTS = r"(?:^|(?<=\n)|(?<=[。;；:]))\s*"
# Each style's scan, and what any match of it holds: a character the style prints, then the
# item's number and mark anywhere in the text.  Both are necessary, so a text without them has
# no item of that style, and the scan (a few lookbehinds at every character, the slow part of
# reading a text) is skipped.
_SCANS = tuple(
    (style, re.compile(_STARTS + pattern), marks, re.compile(pattern))
    for (style, pattern), marks in zip(
        _STYLES, (("(",), ("、",), (".", "．"), ("(",), ("、",)), strict=True
    )
)


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if len(text) == 1:
        return _CHINESE.get(text, 0)
    if text.startswith("十"):
        return 10 + _CHINESE.get(text[1:], 0)
    if text.endswith("十"):
        return _CHINESE.get(text[0], 0) * 10
    return _CHINESE.get(text[0], 0) * 10 + _CHINESE.get(text[-1], 0)


def numbered_lists(piece: Piece) -> list[Entry]:
    """Items of one text numbered in one style — at the start of a line or after the item
    before them ends — 1, 2, 3 … with no number repeated or skipped.  A list whose numbers were
    stripped (lines starting with a bare 、) is not judged."""
    text = piece.text
    lines = [(s, e) for s, e in piece.lines if text[s:e].strip()]
    if any(re.match(r"^\s*[、.．]", text[s:e]) for s, e in lines):
        return []
    entries = []
    for style, scan, marks, item in _SCANS:
        if not any(mark in text for mark in marks) or item.search(text) is None:
            continue  # no item of this style anywhere: none at a line's start either
        found = []
        for match in scan.finditer(text):
            end = text.find("\n", match.end())
            found.append((_number(match.group(1)), match.start(1), len(text) if end < 0 else end))
        entries.extend(_runs(found, piece, style))
    return entries


def _runs(found: list[tuple[int, int, int]], piece: Piece, style: str) -> list[Entry]:
    runs: list[list[tuple[int, int, int]]] = []
    for item in found:
        if item[0] == 1 or not runs:
            runs.append([item])
        else:
            runs[-1].append(item)
    entries = []
    for run in runs:
        numbers = [n for n, _, _ in run]
        if len(numbers) < 2 or numbers[0] != 1:
            continue
        expected = list(range(1, len(numbers) + 1))
        if numbers == expected:
            continue
        repeated = sorted({n for n in numbers if numbers.count(n) > 1})
        bad = next(
            i for i, (n, want) in enumerate(zip(numbers, expected, strict=True)) if n != want
        )
        start, end = run[bad][1], run[bad][2]
        values: dict[str, Any] = {"样式": style, "编号": [str(n) for n in numbers]}
        if repeated:
            values["重复"] = [str(n) for n in repeated]
        values["原文"] = piece.original[start:end].strip()[:80]
        entries.append(Entry("编号", values, {}, start, end))
    return entries
