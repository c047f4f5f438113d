"""Step 2 of the pipeline: turn the way figures are written in reports into exact values.

Reports write one number many ways: ``586.88``, ``"586.88万元"``, ``"5,868,800元"``,
``"５８６．８８"``, ``"　19"``, ``"100.00%"``.  Each becomes a :class:`Figure`: an exact
Decimal that remembers how many decimals were printed, because a printed figure stands
for an interval (586.88 means 586.875 … 586.885) and the rules compare intervals.
Blank cells (``""``, ``"—"``, ``"/"``, ``"无"`` …) are *absent*, never zero.
"""

from __future__ import annotations

import re
from decimal import Context, Decimal, InvalidOperation
from enum import Enum

from ..inputs.records import dataclass
from ..inputs.source import kind_name

__all__ = [
    "BLANKS",
    "MAX_TABLE_ROWS",
    "Figure",
    "Kind",
    "NumberError",
    "Quantity",
    "Target",
    "is_blank",
    "read_figure",
    "read_target",
    "read_text",
    "to_halfwidth",
]

# A 自评表 has 20 to 60 indicator rows; a table far longer is not a report, and checking every
# row of it would take minutes and gigabytes (rules run per row).  The report model declares it
# on every table (and on 正文); it lives here, with no pydantic, so the narrative reader can use it.
MAX_TABLE_ROWS = 1000

# The largest figure a report can hold: 10^15 万元 is far beyond any budget, and the bound keeps
# Decimal arithmetic cheap and away from overflow (``1e999999999`` is refused, not computed).
MAX_DIGITS = 30
MAX_EXPONENT = 15

BLANKS = frozenset({"", "—", "——", "-", "--", "/", "／", "无", "空", "－", "─", "…", "……"})

_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９．，＋－％：　（）",
    "0123456789.,+-%: ()",
)


class Kind(str, Enum):
    """What a figure measures; it decides the unit and whether an integer is exact."""

    AMOUNT = "amount"  # 万元 unless the field says otherwise
    RATE = "rate"  # a percentage, stored as a fraction (100.00% -> 1.0000)
    COUNT = "count"  # people, items: integers are exact
    SCORE = "score"  # points: integers are exact, decimals are rounded products


class NumberError(ValueError):
    """A value that should be a number but cannot be read as one (message in Chinese)."""


PRECISION = 40
_EXACT = Context(prec=PRECISION)  # sums of bounded figures are exact at this precision


@dataclass(frozen=True, slots=True)
class Quantity:
    """An exact value with the interval of values it may stand for."""

    value: Decimal
    lo: Decimal
    hi: Decimal
    decimals: int
    percent: bool = False
    text: str | None = None  # as printed, for a figure read from the report
    unit: str = ""  # 元 / 千元 / 亿元 when printed so (values are 万元): sums are shown in it

    @property
    def exact(self) -> bool:
        return self.lo == self.hi

    def __add__(self, other: Quantity) -> Quantity:
        return Quantity(
            _EXACT.add(self.value, other.value),
            _EXACT.add(self.lo, other.lo),
            _EXACT.add(self.hi, other.hi),
            max(self.decimals, other.decimals),
            self.percent and other.percent,
            unit=self.unit if self.unit == other.unit else "",
        )

    def __sub__(self, other: Quantity) -> Quantity:
        return Quantity(
            _EXACT.subtract(self.value, other.value),
            _EXACT.subtract(self.lo, other.hi),
            _EXACT.subtract(self.hi, other.lo),
            max(self.decimals, other.decimals),
            self.percent and other.percent,
            unit=self.unit if self.unit == other.unit else "",
        )

    def __mul__(self, other: Quantity) -> Quantity:
        times = _EXACT.multiply
        corners = (
            times(self.lo, other.lo),
            times(self.lo, other.hi),
            times(self.hi, other.lo),
            times(self.hi, other.hi),
        )
        return Quantity(
            times(self.value, other.value),
            min(corners),
            max(corners),
            max(self.decimals, other.decimals),
        )

    def __truediv__(self, other: Quantity) -> Quantity:
        if other.value == 0:
            raise ZeroDivisionError("分母为零")  # rules check denominators before dividing
        over = _EXACT.divide
        value = over(self.value, other.value)
        if other.lo <= 0 <= other.hi:
            lo = hi = value  # the interval is unbounded; keep the printed ratio only
        else:
            corners = (
                over(self.lo, other.lo),
                over(self.lo, other.hi),
                over(self.hi, other.lo),
                over(self.hi, other.hi),
            )
            lo, hi = min(corners), max(corners)
        return Quantity(value, lo, hi, max(self.decimals, other.decimals, 4), percent=True)

    def __neg__(self) -> Quantity:
        return Quantity(
            -self.value, -self.hi, -self.lo, self.decimals, self.percent, unit=self.unit
        )

    def overlaps(self, other: Quantity) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def as_percent(self) -> Quantity:
        return Quantity(self.value, self.lo, self.hi, self.decimals, True)


class Figure(Quantity):
    """A number as printed in a report: an exact value and the interval it stands for.

    ``decimals`` is the number of decimals as printed, in the field's unit; ``exact`` says
    whether the figure stands for itself (counts, whole scores, zero) rather than for a
    rounding interval of half a unit of its last printed digit.  ``text`` is the figure as
    written, for messages.
    """

    __slots__ = ("exact", "kind")
    kind: Kind
    exact: bool
    text: str

    def __init__(
        self, value: Decimal, decimals: int, kind: Kind, exact: bool, text: str, unit: str = ""
    ) -> None:
        half = Decimal(0) if exact else Decimal(5).scaleb(-decimals - 1)
        setattr_ = object.__setattr__
        setattr_(self, "value", value)
        setattr_(self, "lo", value - half)
        setattr_(self, "hi", value + half)
        setattr_(self, "decimals", decimals)
        setattr_(self, "percent", kind is Kind.RATE)
        setattr_(self, "text", text)
        setattr_(self, "kind", kind)
        setattr_(self, "exact", exact)
        setattr_(self, "unit", unit)

    @property
    def half_unit(self) -> Decimal:
        """Half a unit of the last printed digit: the rounding radius of the printed figure."""
        return self.hi - self.value

    def __reduce__(self) -> tuple[type[Figure], tuple[Decimal, int, Kind, bool, str, str]]:
        return (Figure, (self.value, self.decimals, self.kind, self.exact, self.text, self.unit))

    def __repr__(self) -> str:
        return f"Figure({self.text!r}, value={self.value}, decimals={self.decimals}, kind={self.kind.value})"

    def __str__(self) -> str:
        return self.text


class Comparison(str, Enum):
    AT_LEAST = "≥"
    AT_MOST = "≤"
    MORE = ">"
    LESS = "<"
    EQUAL = "="


@dataclass(frozen=True, slots=True)
class Target:
    """An indicator's 年度指标值: ``≥98%`` keeps its comparison; ``计划内`` stays text."""

    text: str
    comparison: Comparison | None = None
    figure: Figure | None = None

    @property
    def quantitative(self) -> bool:
        return self.figure is not None

    def __str__(self) -> str:
        return self.text


def to_halfwidth(text: str) -> str:
    """Full-width digits and punctuation to ASCII, ideographic spaces to plain ones."""
    return text if text.isascii() else text.translate(_FULLWIDTH)


def is_blank(text: str) -> bool:
    stripped = text.strip()  # str.strip() also removes ideographic spaces
    return len(stripped) <= 2 and to_halfwidth(stripped).strip() in BLANKS


_UNIT_SCALE = {"万元": 0, "元": -4, "亿元": 4, "千元": -1}


# Cells read so far, by their exact form (class and text: Decimal("1.0") and Decimal("1.00")
# are equal and hash alike, yet print differently): a batch reads the same 0, 100.00% and
# scores again and again.  A Figure is immutable, so one object may stand for them all.
_READ: dict[tuple[object, ...], Figure | None] = {}
_READ_MAX = 2048  # about 1 MB: memory stays flat in a batch of any size


def read_figure(raw: object, kind: Kind, unit: str = "万元") -> Figure | None:
    """Read one cell. Returns None for a blank; raises NumberError when unreadable."""
    if raw is None:
        return None
    cls = raw.__class__
    if cls is Decimal or cls is str or cls is int:
        key = (cls, raw if cls is not Decimal else str(raw), kind, unit)
        try:
            return _READ[key]
        except KeyError:
            pass
        found = _read_figure(raw, kind, unit)  # an unreadable cell raises: not kept
        if len(_READ) >= _READ_MAX:
            _READ.clear()
        _READ[key] = found
        return found
    return _read_figure(raw, kind, unit)


def _read_figure(raw: object, kind: Kind, unit: str) -> Figure | None:
    if isinstance(raw, bool):
        raise NumberError("应为数值，实际为布尔值")
    if isinstance(raw, int):
        return _figure(Decimal(raw), str(raw), kind, percent=False, scale=0)
    if isinstance(raw, Decimal):
        text = str(raw)
        return _figure(raw, _plain(raw) if "E" in text else text, kind, percent=False, scale=0)
    if isinstance(raw, float):
        return _figure(Decimal(repr(raw)), repr(raw), kind, percent=False, scale=0)
    if not isinstance(raw, str):
        raise NumberError(f"应为数值，实际为{kind_name(raw)}")
    return _read_text(raw, kind, unit)


_CELL = re.compile(
    r"(?P<number>[+-]?(?:\d+(?:,\d{3})*|\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*"
    r"(?P<unit>万元|亿元|千元|元|人|名|分|个|次|期|项|万)?\s*(?P<percent>%)?"
)


def _read_text(raw: str, kind: Kind, unit: str) -> Figure | None:
    text = to_halfwidth(raw).strip()
    if text in BLANKS:
        return None
    if len(text) > 64:
        raise NumberError("数值文字过长（超过 64 个字符）")
    match = _CELL.fullmatch(text)
    number = match.group("number") if match else ""
    if not number.strip("+-."):
        raise NumberError(f"无法识别的数值「{raw.strip()}」")
    assert match is not None
    percent = match.group("percent") is not None
    if percent and kind is not Kind.RATE:
        raise NumberError(f"此处不应是百分数「{raw.strip()}」")
    suffix = match.group("unit")
    scale = 0
    if kind is Kind.AMOUNT and suffix in _UNIT_SCALE:
        scale = _UNIT_SCALE[suffix] - _UNIT_SCALE.get(unit, 0)
    try:
        value = Decimal(number.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid forms
        raise NumberError(f"无法识别的数值「{raw.strip()}」") from exc
    figure = _figure(value, raw.strip(), kind, percent=percent, scale=scale)
    if scale and suffix in _UNIT_SCALE and suffix != unit:
        return Figure(figure.value, figure.decimals, kind, figure.exact, figure.text, suffix)
    return figure


def _figure(value: Decimal, text: str, kind: Kind, *, percent: bool, scale: int) -> Figure:
    if not value.is_finite():
        raise NumberError("数值不能是 NaN 或无穷大")
    digits = value.as_tuple()
    exponent = int(digits.exponent)
    if len(digits.digits) > MAX_DIGITS or value.adjusted() > MAX_EXPONENT or exponent < -MAX_DIGITS:
        raise NumberError(
            f"数值超出可处理范围（最多 {MAX_DIGITS} 位有效数字，量级不超过 10^{MAX_EXPONENT}）"
        )
    decimals = max(-exponent, 0)
    if kind is Kind.RATE:
        # Rates are printed as percentages; a bare number in a rate field is a percentage too.
        value = value.scaleb(-2)
        decimals += 2
    elif scale:
        value = value.scaleb(scale)
        decimals = max(decimals - scale, 0)
    exact = value == 0 or (decimals == 0 and kind in (Kind.COUNT, Kind.SCORE))
    if kind is Kind.COUNT and decimals:
        raise NumberError(f"人数或个数应为整数「{text}」")
    return Figure(value=value, decimals=decimals, kind=kind, exact=exact, text=text)


def _plain(value: Decimal) -> str:
    """A Decimal as the report wrote it: ``1E+3`` (JSON ``1e3``) is shown as 1000."""
    if value.adjusted() < MAX_EXPONENT + 1 and int(value.as_tuple().exponent) > -MAX_DIGITS:
        return format(value, "f")
    return str(value)


_COMPARISONS = {
    "≥": Comparison.AT_LEAST,
    ">=": Comparison.AT_LEAST,
    "不低于": Comparison.AT_LEAST,
    "不少于": Comparison.AT_LEAST,
    "大于等于": Comparison.AT_LEAST,
    "≤": Comparison.AT_MOST,
    "<=": Comparison.AT_MOST,
    "不高于": Comparison.AT_MOST,
    "不超过": Comparison.AT_MOST,
    "小于等于": Comparison.AT_MOST,
    ">": Comparison.MORE,
    "大于": Comparison.MORE,
    "高于": Comparison.MORE,
    "<": Comparison.LESS,
    "小于": Comparison.LESS,
    "低于": Comparison.LESS,
    "=": Comparison.EQUAL,
    "═": Comparison.EQUAL,  # box-drawing signs some Yunnan tables print for = ≥ ≤
    "≧": Comparison.AT_LEAST,
    "≦": Comparison.AT_MOST,
    "＝": Comparison.EQUAL,
    "等于": Comparison.EQUAL,
}
_COMPARISON = re.compile(
    "|".join(re.escape(s) for s in sorted(_COMPARISONS, key=len, reverse=True))
)


_TARGETS: dict[tuple[object, ...], Target | None] = {}


def read_target(raw: object) -> Target | None:
    """Read a 年度指标值 or 实际完成值: a comparison with a number, a bare number, or text."""
    if raw is None:
        return None
    cls = raw.__class__
    if cls is Decimal or cls is str or cls is int:  # kept as read_figure keeps figures
        key = (cls, raw if cls is not Decimal else str(raw))
        try:
            return _TARGETS[key]
        except KeyError:
            pass
        found = _read_target(raw)
        if len(_TARGETS) >= _READ_MAX:
            _TARGETS.clear()
        _TARGETS[key] = found
        return found
    return _read_target(raw)


def _read_target(raw: object) -> Target | None:
    if isinstance(raw, (int, Decimal, float)) and not isinstance(raw, bool):
        figure = read_figure(raw, Kind.SCORE)
        return Target(text=str(raw), figure=figure)
    if not isinstance(raw, str):
        raise NumberError(f"应为文字或数值，实际为{kind_name(raw)}")
    text = to_halfwidth(raw).strip()
    if text in BLANKS:
        return None
    comparison: Comparison | None = None
    body = text
    spelled = _COMPARISON.match(text)
    if spelled is not None:
        comparison, body = _COMPARISONS[spelled.group()], text[spelled.end() :].strip()
    body = _with_unit_word(body)
    kind = Kind.RATE if body.endswith("%") else Kind.SCORE
    try:
        figure = _read_text(body, kind, "万元")
    except NumberError:
        figure = None
    if figure is None:
        return Target(text=raw.strip())
    return Target(text=raw.strip(), comparison=comparison, figure=figure)


# A target's unit may be any short word (人次, 台, 米, 户, 百分比): the number is what is compared.
_UNIT_WORD = re.compile(
    r"(?P<number>[+-]?\d+(?:,\d{3})*(?:\.\d+)?)\s*(?P<unit>[\u4e00-\u9fff]{1,4})"
)
_DATE_WORDS = ("年", "月", "日", "季度", "周")


def _with_unit_word(body: str) -> str:
    """``100百分比`` → ``100%``; ``735人次`` → ``735``; anything else as it is."""
    match = _UNIT_WORD.fullmatch(body)
    if match is None or _CELL.fullmatch(body) is not None:
        return body
    unit = match.group("unit")
    if unit.startswith(_DATE_WORDS):
        return body
    return match.group("number") + ("%" if unit == "百分比" else "")


def read_text(raw: object) -> str | None:
    """A text cell: numbers written where text is expected are kept as written."""
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, (str, int, Decimal)):
        raise NumberError(f"应为文字，实际为{kind_name(raw)}")
    text = raw if isinstance(raw, str) else str(raw)
    return None if is_blank(text) else text
