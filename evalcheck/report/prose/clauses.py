"""A piece of prose as the grammar reads it: the text read as meant, its sentences, its figures.

Every step keeps the text's length, so an offset in the folded text is an offset in the
original: traditional characters and mirror sites' pinyin (``經(jīng)費``) are folded
(:func:`~evalcheck.inputs.documents.characters.fold`), full-width digits and punctuation made
half-width.  Lines of a PDF or a copied page break sentences anywhere (``占一般公共预算支出的`` /
``96.74%``): a line break is a sentence end only where the line ends a sentence or the next
line starts an item of its own.

Figures are numbers with a unit.  A figure glued to another (``保障人数102370人2370人``: cells
of a table run together, ``10`` and ``2370人``) is marked, never read; so are figures in page
furniture (``发布时间``, ``浏览次数``) and in the form's own instructions and scoring notes.
"""

from __future__ import annotations

import bisect
import re

from ...inputs.documents.characters import fold
from ...inputs.records import dataclass
from ..normalise import to_halfwidth
from ..template import is_instruction
from .lexicon import AMOUNT_UNITS, COUNT_UNITS

__all__ = ["Fig", "Piece", "normalise", "read_piece"]

_FIGURE = re.compile(
    r"(?<![\d.,A-Za-z])(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d.])\s*"
    r"(?P<unit>万\s*元|亿\s*元|千元|元|万(?=[,，。；;、)）:：]|$)|%|人次|批次|人|名|分(?![别为配之成类钟期批局校院数值])|"
    r"个(?!百分点|月|工作日)|家|项|辆|所|条|户|批|台|次)"
)
_SENTENCE_END = re.compile(r"[。！？!?]")
_MARKER_LINE = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|\(\s*[一二三四五六七八九十\d]+\s*\)|\d+\s*[、.．](?!\d)|"
    r"第[一二三四五六七八九十]+|[-•·*]\s|附件|注[:：])"
)
_TERMINAL = re.compile(r"[。！？!?；;]\s*$")
_TITLE_END = re.compile(r"(?:说明|情况|报告|公开|汇总表|统计表|预算表|决算表|明细表)\s*$")
# Page furniture and cover lines: a figure there is never a figure of the report.
_FURNITURE = re.compile(
    r"^[\s\-•·*]*(?:索\s*引\s*号|发布(?:机构|日期|时间)|生成日期|成文日期|发文日期|文\s*号|来\s*源|作\s*者|"
    r"浏览(?:次数|量)?|点击(?:数|量|率)?|阅读(?:数|量)?|字\s*号|打印|分享|时效性|公开(?:日期|时间|方式)|"
    r"联系(?:电话|方式|人)|电\s*话|邮\s*编|地\s*址|责任部门|所属机构|主题分类|信息分类|保密审查|"
    r"编辑|审核|校对|日期|时间|URL|QUERY)\s*[:：]|发布时间\s*[:：]|浏览(?:次数|量)\s*[:：]|"
    r"\(\s*联系(?:方式|电话)"
)
# Scoring notes of a form (计8分；每超过一个百分点扣0.5分，扣完为止) and the form's instructions.
_CRITERIA = re.compile(
    r"每(?:超过|低于|高于|少于|多于|增加|减少|下降|提高|降低)[^,，。；;]{0,14}(?:扣|加|得|计)|扣完为止|"
    r"不得分|计满分|得满分|[≥≤><＞＜]\s*\d|\d\s*[-—~～]\s*\d+\s*%[(（]含"
)


@dataclass(frozen=True, slots=True)
class Fig:
    """A number with its unit, at ``start``..``end`` of the piece (number first, unit last)."""

    start: int
    end: int
    number: str
    unit: str
    kind: str  # amount, rate, count, score
    glued: bool = False
    skipped: str = ""  # why the figure is not read: furniture, instruction, glued

    @property
    def value_text(self) -> str:
        return self.number + self.unit


@dataclass(frozen=True, slots=True)
class Piece:
    """One text (a 正文 section's heading or body, or a table cell holding prose), folded."""

    text: str  # folded: same length as the original
    original: str
    sentences: tuple[tuple[int, int], ...]  # (start, end) of each sentence
    figures: tuple[Fig, ...]
    lines: tuple[tuple[int, int], ...]  # (start, end) of each line


# A figure a PDF line broke before its decimal point (``400`` / ``.6万元``): the line break moves
# after the decimals, so the number reads whole and the text keeps its length.
_BROKEN_DECIMAL = re.compile(r"(?<=\d)\n(\.\d+)")


def normalise(text: str) -> str:
    folded, _ = fold(text)
    folded = to_halfwidth(folded)
    folded = _BROKEN_DECIMAL.sub(lambda m: m.group(1) + "\n", folded)
    return folded.replace("％", "%")


# Pieces read so far, by text: a batch meets the same headings and the same form sentences
# (无偏差, 资金下达较晚……) in report after report.  A Piece is immutable; long texts are not kept.
_PIECES: dict[str, Piece] = {}
_PIECES_MAX = 1024
_PIECE_CHARS = 2000


def read_piece(text: str) -> Piece:
    found = _PIECES.get(text)
    if found is None:
        found = _read_piece(text)
        if len(text) <= _PIECE_CHARS:
            if len(_PIECES) >= _PIECES_MAX:
                _PIECES.clear()
            _PIECES[text] = found
    return found


def _read_piece(text: str) -> Piece:
    folded = normalise(text)
    lines = _lines(folded)
    sentences = _sentences(folded, lines)
    figures = tuple(_figures(folded, lines, sentences))
    return Piece(folded, text, tuple(sentences), figures, tuple(lines))


def _lines(text: str) -> list[tuple[int, int]]:
    lines = []
    start = 0
    for match in re.finditer("\n", text):
        lines.append((start, match.start()))
        start = match.end()
    lines.append((start, len(text)))
    return lines


def _sentences(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans: ended by 。！？, by the end of a line that ends a sentence, or before a
    line that starts an item of its own (一、 (二) 3. 附件); other line breaks are soft."""
    cuts: list[int] = []
    for index, (start, end) in enumerate(lines):
        cuts.extend(_ends(text, start, end))
        line = text[start:end]
        following = (
            text[lines[index + 1][0] : lines[index + 1][1]] if index + 1 < len(lines) else ""
        )
        hard = (
            not line.strip()
            or _TERMINAL.search(line) is not None
            or _TITLE_END.search(line) is not None
            or _FURNITURE.search(line) is not None
            or _FURNITURE.search(following) is not None
            or not following.strip()
            or _MARKER_LINE.match(following) is not None
            or len(line.strip()) < 12
        )
        if hard:
            cuts.append(end)
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in sorted(set(cuts)):
        if cut > start and text[start:cut].strip():
            spans.append((start, cut))
        start = max(start, cut)
    if start < len(text) and text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _ends(text: str, start: int, end: int) -> list[int]:
    """Where sentences end on the line ``[start, end)``: a 。 inside （……。） does not end the
    sentence around the brackets.  Brackets are counted as the line is walked, once."""
    found: list[int] = []
    opened = closed = 0
    at = start
    last_close = text.rfind(")", start, end)
    for match in _SENTENCE_END.finditer(text, start, end):
        opened += text.count("(", at, match.start())
        closed += text.count(")", at, match.start())
        at = match.start()
        if opened > closed and last_close > match.start():
            continue
        found.append(match.end())
    return found


def _kind(unit: str) -> str:
    if unit in AMOUNT_UNITS:
        return "amount"
    if unit == "%":
        return "rate"
    if unit == "分":
        return "score"
    assert unit in COUNT_UNITS, unit
    return "count"


def _holds_figure(found: list[re.Match[str]], starts: list[int], s: int, e: int) -> bool:
    """Some figure lies wholly in ``[s, e)``."""
    index = bisect.bisect_left(starts, s)
    while index < len(found) and found[index].start() < e:
        if found[index].end() <= e:
            return True
        index += 1
    return False


def _within(spans: list[tuple[int, int]], at: int) -> bool:
    """``at`` lies in one of ``spans`` (sorted, not overlapping)."""
    index = bisect.bisect_right(spans, (at, float("inf"))) - 1
    return index >= 0 and spans[index][0] <= at < spans[index][1]


def _figures(
    text: str, lines: list[tuple[int, int]], sentences: list[tuple[int, int]]
) -> list[Fig]:
    found = list(_FIGURE.finditer(text))
    glued: set[int] = set()
    for index, match in enumerate(found):
        after = text[match.end() : match.end() + 1]
        if after.isdigit():  # 102370人2370人, 10100%9: cells run together
            glued.add(index)
            if index + 1 < len(found) and found[index + 1].start() == match.end():
                glued.add(index + 1)
    # spans sorted by start: the span a figure is in is found by bisect (a long text with
    # thousands of figures and sentences stays linear)
    furniture = [(s, e) for s, e in lines if _FURNITURE.search(text[s:e])]
    starts = [m.start() for m in found]
    instructions = [
        (s, e)
        for s, e in sentences
        if _holds_figure(found, starts, s, e)
        and (is_instruction(text[s:e]) or _CRITERIA.search(text[s:e]))
    ]
    figures = []
    for index, match in enumerate(found):
        start, end = match.start(), match.end()
        unit = re.sub(r"\s+", "", match.group("unit"))
        reason = ""
        if index in glued:
            reason = "数字与相邻数字连在一起（疑为表格单元格粘连），无法确定各是多少，未读取"
        elif _within(furniture, start):
            reason = "网页或封面的信息栏（发布时间、联系方式等），不是报告的数字"
        elif _within(instructions, start):
            reason = "填表说明或评分标准中的数字，不是报告的数字"
        figures.append(
            Fig(start, end, match.group("number"), unit, _kind(unit), index in glued, reason)
        )
    return figures
