"""Characters read as meant: radicals from PDF text, traditional forms, OCR slips.

Text extracted from PDFs is often not the text shown.  PDFs printed by headless Chromium with
the Noto CJK fonts map some glyphs to radical code points: ``部⻔整体⽀出绩效⾃评报告`` shows as
部门整体支出绩效自评报告.  NFKC folds the Kangxi radicals (⽀ U+2F40, ⾃ U+2F83) and the CJK
compatibility ideographs, but leaves the CJK Radicals Supplement alone (⻔ U+2ED4, ⻓ U+2ED3,
⻋ U+2ECB …): :data:`RADICALS` maps those that stand for a whole character.  Mirror sites
print traditional characters (萬元, 預算, 執行率, 決算), and OCR of scanned copies gives 万兀 for
万元 and IO for 10.

Every replacement keeps the text's length, so lines and columns still point into the original;
each kind of reading is noted (:class:`Reading`) so the import output can say what was read
as what.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from ..records import dataclass
from . import traditional
from .layout import Cell, Layout, Paragraph, Row, Span

__all__ = ["PINYIN", "RADICALS", "TRADITIONAL", "Reading", "fold", "fold_layout", "is_traditional"]

# CJK Radicals Supplement code points NFKC leaves alone → the ideograph they print as
# (after Unicode's EquivalentUnifiedIdeograph.txt; radicals that are only components are left).
RADICALS: dict[str, str] = {
    "\u2e81": "厂", "\u2e84": "乙", "\u2e85": "亻", "\u2e86": "冂", "\u2e89": "刂",
    "\u2e8b": "㔾", "\u2e8e": "兀", "\u2e8f": "尣", "\u2e90": "尢", "\u2e92": "巳",
    "\u2e93": "幺", "\u2e94": "彑", "\u2e96": "忄", "\u2e98": "扌", "\u2e99": "攵",
    "\u2e9b": "旡", "\u2e9c": "日", "\u2e9d": "月", "\u2e9e": "歺", "\u2ea0": "民",
    "\u2ea1": "氵", "\u2ea2": "氺", "\u2ea3": "灬", "\u2ea4": "爫", "\u2ea6": "丬",
    "\u2ea8": "犭", "\u2ea9": "王", "\u2eaa": "疋", "\u2eab": "罒", "\u2eac": "示",
    "\u2ead": "礻", "\u2eaf": "糸", "\u2eb0": "纟", "\u2eb2": "罒", "\u2eb3": "㓁",
    "\u2eb9": "耂", "\u2eba": "肀", "\u2ebb": "聿", "\u2ebc": "月", "\u2ebd": "臼",
    "\u2ebe": "艹", "\u2ebf": "艹", "\u2ec0": "艹", "\u2ec1": "虎", "\u2ec2": "衤",
    "\u2ec3": "覀", "\u2ec4": "西", "\u2ec5": "见", "\u2ec6": "角", "\u2ec8": "讠",
    "\u2ec9": "贝", "\u2ecb": "车", "\u2ecc": "辶", "\u2ecd": "辶", "\u2ecf": "阝",
    "\u2ed0": "钅", "\u2ed1": "長", "\u2ed3": "长", "\u2ed4": "门", "\u2ed6": "阝",
    "\u2ed7": "雨", "\u2ed8": "青", "\u2ed9": "韦", "\u2eda": "页", "\u2edb": "风",
    "\u2edc": "飞", "\u2edd": "食", "\u2edf": "飠", "\u2ee0": "饣", "\u2ee2": "马",
    "\u2ee3": "骨", "\u2ee4": "鬼", "\u2ee5": "鱼", "\u2ee6": "鸟", "\u2ee7": "卤",
    "\u2ee8": "麦", "\u2ee9": "黄", "\u2eea": "黾", "\u2eeb": "斉", "\u2eec": "齐",
    "\u2eed": "歯", "\u2eee": "齿", "\u2eef": "竜", "\u2ef0": "龙", "\u2ef1": "龜",
    "\u2ef2": "亀",
}  # fmt: skip

# Traditional characters → simplified: OpenCC's one-for-one table (:mod:`.traditional`), then the
# domain vocabulary's own readings on top (forms, units, column names, the words of statements:
# 減少, 較上年, 億元, 無變化, 佔, 於 …).  A document is read with the whole table only when it
# prints some of the domain's own traditional forms: simplified text never pays for it.
_DOMAIN = dict(
    zip(
        "萬預執決數經費項績標實際編員財撥資總額調質時濟會態續滿務對購運維護國採單稱級評價報設門"
        "計劃進備結轉餘準達與據類為況營險納戶稅個兩車節樓館規產業發廳辦區縣鄉鎮職責體組織優輛補貼"
        "訓議導統現顯聯電話號碼構劃築齡權復虧損衛傳書長應當從們這開專項據歸檔參閱"
        "減較億變動無說佔點並於屬來將該處機關黨僅漲幣團學術問題價專權後種類際數與舉併爲況檢滯齊劃師職稱級徑監擬號",
        "万预执决数经费项绩标实际编员财拨资总额调质时济会态续满务对购运维护国采单称级评价报设门"
        "计划进备结转余准达与据类为况营险纳户税个两车节楼馆规产业发厅办区县乡镇职责体组织优辆补贴"
        "训议导统现显联电话号码构划筑龄权复亏损卫传书长应当从们这开专项据归档参阅"
        "减较亿变动无说占点并于属来将该处机关党仅涨币团学术问题价专权后种类际数与举并为况检滞齐划师职称级径监拟号",
        strict=True,
    )
)
TRADITIONAL = {**dict(zip(traditional.SOURCES, traditional.TARGETS, strict=True)), **_DOMAIN}
# OCR slips of the domain vocabulary, each the same length as what it stands for.
_OCR_WORDS = {"万兀": "万元", "万无": "万元", "预箅": "预算", "决箅": "决算"}
_OCR_DIGITS = re.compile(
    r"(?<![A-Za-z])[0-9OoIl.]*[0-9][0-9OoIl.]*(?![A-Za-z])|(?<![A-Za-z])[OoIl]{2,}(?=[分%％人万元])"
)
_DIGIT_SLIPS = str.maketrans("OoIl", "0011")
PINYIN = _PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])\((?:[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńň]+)\)")
_YEAR_DASH = re.compile(r"(?:(?<=\d{4})|(?<=[本上当]))(-)(?=度|“|\"|预|决|預|決|执行|執行)")


@dataclass(slots=True)
class Reading:
    """Text read as something else: how often, and where first (line, column, description)."""

    original: str
    read_as: str
    reason: str
    count: int
    line: int
    column: int
    description: str


# Dashes PDF text gives for “——” (a two-em dash glyph), read as the blank-cell dash.
_DASHES = {"\u2e3a": "—", "\u2e3b": "—"}


def _character(char: str) -> tuple[str, str] | None:
    code = ord(char)
    if char in _DASHES:
        return _DASHES[char], "破折号字形"
    if code < 0x2E80:
        return None
    if char in RADICALS:
        return RADICALS[char], "部首字符"
    if 0x2F00 <= code <= 0x2FD5 or 0xF900 <= code <= 0xFAFF or 0x2F800 <= code <= 0x2FA1F:
        folded = unicodedata.normalize("NFKC", char)
        folded = TRADITIONAL.get(folded, folded)  # ⼾ folds to 戶: the form printed is 户
        return (folded, "部首字符" if code < 0x3000 else "兼容汉字") if len(folded) == 1 else None
    if char in TRADITIONAL:
        return TRADITIONAL[char], "繁体字"
    return None


_RANGES = "\u2f00-\u2fd5\uf900-\ufaff\U0002f800-\U0002fa1f"
# The characters _character may read as another: only they are looked at (a regex scan, not a
# Python call per character: ten million characters of prose fold in well under a second).
_CANDIDATES = re.compile(
    "[" + "".join(re.escape(c) for c in sorted({*_DASHES, *RADICALS, *_DOMAIN})) + _RANGES + "]"
)
_EVERY: list[re.Pattern[str]] = []  # with the whole table: compiled (~15 ms) when first needed


def _every_candidate() -> re.Pattern[str]:
    if not _EVERY:
        chars = "".join(re.escape(c) for c in sorted({*_DASHES, *RADICALS, *TRADITIONAL}))
        _EVERY.append(re.compile("[" + chars + _RANGES + "]"))
    return _EVERY[0]


def is_traditional(text: str) -> bool:
    """Whether ``text`` prints any of the domain's traditional forms (萬元, 預算, 經費 …)."""
    return any(m.group(0) in _DOMAIN for m in _CANDIDATES.finditer(text))


def fold(text: str, traditional: bool | None = None) -> tuple[str, list[tuple[int, str, str, str]]]:
    """``text`` read as meant (same length) and each change: (offset, original, read as, why).

    ``traditional``: read with the whole traditional table (True), with the domain's forms only
    (False), or decide from ``text`` itself (None).
    """
    matches: Iterable[re.Match[str]]
    if traditional is None:  # one scan decides, and serves unless the page is traditional
        matches = list(_CANDIDATES.finditer(text))
        traditional = any(m.group(0) in _DOMAIN for m in matches)
        if traditional:
            matches = _every_candidate().finditer(text)
    else:
        matches = (_every_candidate() if traditional else _CANDIDATES).finditer(text)
    changes: list[tuple[int, str, str, str]] = []
    chars: list[str] | None = None
    for match in matches:
        char = match.group(0)
        found = _character(char)
        if found is not None:
            if chars is None:
                chars = list(text)
            chars[match.start()] = found[0]
            changes.append((match.start(), char, found[0], found[1]))
    folded = "".join(chars) if chars is not None else text
    for wrong, right in _OCR_WORDS.items():
        for match in re.finditer(wrong, folded):
            changes.append((match.start(), wrong, right, "疑似识别错误"))
        folded = folded.replace(wrong, right)
    for match in _PINYIN.finditer(folded):  # 岳陽(yáng)縣: a mirror's reading aids
        changes.append((match.start(), match.group(0), " " * len(match.group(0)), "拼音注音"))
    folded = _PINYIN.sub(lambda m: " " * len(m.group(0)), folded)
    for match in _YEAR_DASH.finditer(folded):  # 2015-“三公” / 本-預算數: 年 replaced by “-”
        changes.append((match.start(1), "-", "年", "镜像站替换"))
    folded = _YEAR_DASH.sub(lambda m: m.group(0).replace("-", "年", 1), folded)
    whole = folded.strip()
    if re.fullmatch(r"[OoIl0-9.]{2,}", whole) and re.search("[OoIl]", whole):
        fixed = whole.translate(_DIGIT_SLIPS)  # a cell that is only a number misread: “IO”
        if re.fullmatch(r"\d+(?:\.\d+)?", fixed):
            at = folded.index(whole)
            changes.append((at, whole, fixed, "疑似识别错误"))
            return folded[:at] + fixed + folded[at + len(whole) :], changes
    if re.search("[OoIl]", folded):
        pieces: list[str] = []
        last = 0
        for match in _OCR_DIGITS.finditer(folded):
            token = match.group(0)
            fixed = token.translate(_DIGIT_SLIPS)
            if fixed != token and re.fullmatch(r"\d+(?:\.\d+)?", fixed):
                changes.append((match.start(), token, fixed, "疑似识别错误"))
                pieces += [folded[last : match.start()], fixed]
                last = match.end()
        folded = "".join([*pieces, folded[last:]])
    return folded, changes


def fold_layout(layout: Layout) -> list[Reading]:
    """Fold every paragraph and cell of ``layout`` in place; the readings, one per kind."""
    readings: dict[tuple[str, str, str], Reading] = {}
    traditional = any(is_traditional(item.text) for item in _spans(layout))

    def span(item: Span, description: str) -> Span:
        text, changes = fold(item.text, traditional)
        for offset, original, read_as, reason in changes:
            key = (original, read_as, reason)
            if key in readings:
                readings[key].count += 1
                continue
            place = description if description else f"{item.line}:{item.column + offset}"
            readings[key] = Reading(
                original, read_as, reason, 1, item.line, item.column + offset, place
            )
        return item if not changes else Span(text, item.line, item.column)

    seen: set[int] = set()
    for entry in layout.items:
        if isinstance(entry, Paragraph):
            entry.span = span(entry.span, entry.description)
        elif isinstance(entry, Row):
            for cell in entry.cells:
                if id(cell) not in seen:
                    seen.add(id(cell))
                    _fold_cell(cell, span)
    return list(readings.values())


def _spans(layout: Layout) -> Iterator[Span]:
    for entry in layout.items:
        if isinstance(entry, Paragraph):
            yield entry.span
        elif isinstance(entry, Row):
            for cell in entry.cells:
                yield from cell.spans


def _fold_cell(cell: Cell, span: object) -> None:
    assert callable(span)
    cell.spans = [span(s, cell.description) for s in cell.spans]
