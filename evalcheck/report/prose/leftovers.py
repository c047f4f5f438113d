"""What should not be in a finished report: the blank form's text, placeholders, Word field
errors, and a year that contradicts the year the report is about."""

from __future__ import annotations

import re
from typing import Any

from ..template import is_instruction
from .clauses import Piece
from .grammar import Sentence, Use
from .relations import Entry

__all__ = ["residue", "wrong_years"]

_RESIDUE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("字数说明", re.compile(r"\(\s*\d+\s*字(?:以内|左右)\s*\)")),
    ("未填的占比", re.compile(r"占(?:比)?\s*(?:为)?\s*%")),
    (
        "未填的增减",
        re.compile(
            r"(?:比上年|较上年|同比|与上年相比)?(?:增加|减少|增长|下降)\s+(?:万\s*元|元|%)|"
            r"(?:增加|减少|增长|下降)(?:万元|元)(?![\u4e00-\u9fff]{0,2}\d)"
        ),
    ),
    (
        "占位符",
        re.compile(
            r"(?<![A-Za-z])(?:20[xX]{2}|[xX]{2,}|×{2,}|\*{2,})(?![A-Za-z])"
            r"(?=\s*(?:年|单位|部门|万元|元|个|人|项|\(|[\u4e00-\u9fff]))"
            r"|(?<=[\u4e00-\u9fff\d])(?:[xX]{2,}|×{2,}|\*{2,})(?![A-Za-z])"
        ),
    ),
    (
        "域代码错误",
        re.compile(r"错误\s*[!！]\s*未(?:定义书签|找到引用源)|PAGEREF\s*_Toc\d+|MERGEFORMAT"),
    ),
)


# What any match of a kind holds (None: scanned always): a text without it has no leftover of
# that kind, and the scan — lookbehinds and alternatives at every character — is skipped.
_HELD: dict[str, re.Pattern[str]] = {
    "未填的增减": re.compile(r"增加|减少|增长|下降"),
    "占位符": re.compile(r"[xX]{2}|×{2}|\*{2}"),
}


def residue(piece: Piece, place: str) -> list[Entry]:
    """Template text and placeholders left in ``piece``; a piece that is nothing but the form's
    instructions is one entry of its own."""
    text = piece.text
    entries: list[Entry] = []
    for kind, pattern in _RESIDUE:
        held = _HELD.get(kind)
        if held is not None and held.search(text) is None:
            continue
        for match in pattern.finditer(text):
            if kind == "未填的增减" and re.search(r"\d\s*$", text[: match.start()]):
                continue
            line_start = text.rfind("\n", 0, match.start()) + 1
            line_end = text.find("\n", match.end())
            line_end = len(text) if line_end < 0 else line_end
            values: dict[str, Any] = {
                "类别": kind,
                "内容": piece.original[match.start() : match.end()].strip() or match.group(0),
                "原文": piece.original[line_start:line_end].strip()[:120],
            }
            entries.append(Entry("残留", values, {}, match.start(), match.end()))
    if not entries and _only_template(piece):
        values = {
            "类别": "只有填表说明",
            "内容": piece.original.strip()[:60],
            "原文": piece.original.strip()[:120],
        }
        start = len(text) - len(text.lstrip())
        entries.append(Entry("残留", values, {}, start, start + len(text.strip())))
    return _one_per_kind(entries)


def _one_per_kind(entries: list[Entry]) -> list[Entry]:
    """A placeholder repeated through a text (20xx in every sentence, a field code on every
    line of a table of contents) is one finding, at its first place; different leftovers of one
    kind (占 % three times on one line) are one too."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for entry in entries:
        content = entry.values["内容"]
        if entry.values["类别"] == "域代码错误":
            content = re.sub(r"\d+", "", content)
        key = (entry.values["类别"], re.sub(r"\s+", "", content))
        if key in seen:
            continue
        seen.add(key)
        kept.append(entry)
    return kept


_FORM_TEXT = re.compile(
    r"字以内|字左右|^\s*(?:对照|根据|结合|请|简要|主要|重点)[^。]{0,40}(?:说明|填写|填报|反映|概述|描述|分析)|"
    r"[\u4e00-\u9fff)]\s*[=＝]\s*[\u4e00-\u9fff(]|应单独说明|未达到\s*\d+\s*%的|"
    r"(?:需|应|须)(?:要)?(?:单独)?(?:说明|填写|填报)(?:理由|原因|情况)\s*[。;；]?\s*$"
)


def _only_template(piece: Piece) -> bool:
    """Every sentence of the text is the blank form's: its instructions, its formulas."""
    sentences = [piece.text[s:e].strip() for s, e in piece.sentences]
    sentences = [s for s in sentences if s]
    if not sentences or len(piece.text.strip()) < 8:
        return False
    return all(_FORM_TEXT.search(s) and is_instruction(s) for s in sentences)


# --- years --------------------------------------------------------------------------------------

_THIS_YEAR = re.compile(r"本年度?|今年|当年|本年末")
_COMPARISON = re.compile(r"比|较|与|同比|相比|上年|去年|以来|至今|连续|累计|截至|截止|-|—|~|至")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")


def wrong_years(
    pieces: list[tuple[Piece, list[Sentence]]], year: int | None
) -> list[tuple[int, Entry]]:
    """Year words that contradict the evaluation year where the text speaks of this year: a
    year beside 本年/今年 in one clause, or a figure printed for the evaluation year and, with
    the same digits, for another year in a sentence that compares nothing."""
    if year is None:
        return []
    found: list[tuple[int, Entry]] = []
    by_year: dict[str, list[tuple[int, Use]]] = {}
    for index, (piece, sentences) in enumerate(pieces):
        for sentence in sentences:
            for use in sentence.uses:
                if _YEAR.search(use.label) is not None and use.fig.kind == "amount":
                    by_year.setdefault(use.fig.number, []).append((index, use))
            # a clause ends at a line break too: a year and a 本年 on two lines of a page are
            # not said together (a page of snippets of several documents)
            for clause in re.finditer(r"[^,，;；。\n]+", piece.text[sentence.start : sentence.end]):
                words = clause.group(0)
                years = [int(y) for y in _YEAR.findall(words)]
                if len(years) == 1 and years[0] != year and _THIS_YEAR.search(words):
                    if _COMPARISON.search(words):
                        continue
                    start = sentence.start + clause.start()
                    found.append(
                        (
                            index,
                            _entry(
                                years[0], year, piece, start, start + len(words), "与“本年”同句"
                            ),
                        )
                    )
    for number, uses in by_year.items():
        digits = len(number.replace(".", "").replace(",", "").lstrip("0"))
        if digits < 4:
            continue
        years_of = {int(_YEAR.findall(u.label)[-1]) for _, u in uses}
        if year not in years_of or len(years_of) < 2:
            continue
        for index, use in uses:
            said = int(_YEAR.findall(use.label)[-1])
            piece = pieces[index][0]
            words = piece.text[_sentence_of(pieces[index][1], use)]
            if said == year or _COMPARISON.search(words):
                continue
            reason = f"同一数字 {use.fig.value_text} 在他处写作{year}年的数"
            found.append((index, _entry(said, year, piece, use.quote_start, use.fig.end, reason)))
    return found


def _sentence_of(sentences: list[Sentence], use: Use) -> slice:
    for sentence in sentences:
        if sentence.start <= use.fig.start < sentence.end:
            return slice(sentence.start, sentence.end)
    return slice(use.fig.start, use.fig.end)


def _entry(said: int, year: int, piece: Piece, start: int, end: int, reason: str) -> Entry:
    values = {
        "年份": str(said),
        "评价年度": str(year),
        "理由": reason,
        "原文": piece.original[start:end].strip()[:120],
    }
    return Entry("年份", values, {}, start, end)
