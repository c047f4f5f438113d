"""Step 2 of the pipeline: turn the way figures are written in reports into exact values.

Reports write one number many ways: ``586.88``, ``"586.88万元"``, ``"5,868,800元"``,
``"５８６．８８"``, ``"　19"``, ``"100.00%"``.  Each becomes a :class:`Figure`: an exact
Decimal that remembers how many decimals were printed, because a printed figure stands
for an interval (586.88 means 586.875 … 586.885) and the rules compare intervals.
Blank cells (``""``, ``"—"``, ``"/"``, ``"无"`` …) are *absent*, never zero.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "BLANKS",
    "Figure",
    "Kind",
    "NumberError",
    "ReportTree",
    "ShapeError",
    "Target",
    "is_blank",
    "normalise_report",
    "read_figure",
    "read_target",
    "read_text",
    "to_halfwidth",
]

# The largest figure a report can hold: 10^15 万元 is far beyond any budget, and the bound keeps
# Decimal arithmetic cheap and away from overflow (``1e999999999`` is refused, not computed).
MAX_DIGITS = 30
MAX_EXPONENT = 15

BLANKS = frozenset({"", "—", "——", "-", "--", "/", "／", "无", "空", "－", "─", "…", "……"})

_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９．，＋－％：　（）",
    "0123456789.,+-%: ()",
)
_NUMBER = re.compile(r"[+-]?(?:\d+(?:,\d{3})*|\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")


class Kind(str, Enum):
    """What a figure measures; it decides the unit and whether an integer is exact."""

    AMOUNT = "amount"  # 万元 unless the field says otherwise
    RATE = "rate"  # a percentage, stored as a fraction (100.00% -> 1.0000)
    COUNT = "count"  # people, items: integers are exact
    SCORE = "score"  # points: integers are exact, decimals are rounded products


class NumberError(ValueError):
    """A value that should be a number but cannot be read as one (message in Chinese)."""


@dataclass(frozen=True, slots=True)
class Figure:
    """A number as printed in a report.

    ``value`` is exact; ``decimals`` is the number of decimals as printed, in the field's unit;
    ``exact`` says whether the figure stands for itself rather than a rounding interval.
    ``text`` is the figure as written, for messages.
    """

    value: Decimal
    decimals: int
    kind: Kind
    exact: bool
    text: str

    @property
    def half_unit(self) -> Decimal:
        """Half a unit of the last printed digit: the rounding radius of the printed figure."""
        if self.exact:
            return Decimal(0)
        return Decimal(5).scaleb(-self.decimals - 1)

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
_SUFFIXES = ("万元", "亿元", "千元", "元", "人", "名", "分", "个", "次", "期", "项", "万")


def read_figure(raw: object, kind: Kind, unit: str = "万元") -> Figure | None:
    """Read one cell. Returns None for a blank; raises NumberError when unreadable."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise NumberError("应为数值，实际为布尔值")
    if isinstance(raw, int):
        return _figure(Decimal(raw), str(raw), kind, percent=False, scale=0)
    if isinstance(raw, Decimal):
        return _figure(raw, _plain(raw), kind, percent=False, scale=0)
    if isinstance(raw, float):
        return _figure(Decimal(repr(raw)), repr(raw), kind, percent=False, scale=0)
    if not isinstance(raw, str):
        raise NumberError(f"应为数值，实际为{_type_name(raw)}")
    return _read_text(raw, kind, unit)


def _read_text(raw: str, kind: Kind, unit: str) -> Figure | None:
    text = to_halfwidth(raw).strip()
    if text in BLANKS:
        return None
    if len(text) > 64:
        raise NumberError("数值文字过长（超过 64 个字符）")
    percent = text.endswith("%")
    body = text[:-1].strip() if percent else text
    scale = 0
    for suffix in _SUFFIXES:
        if body.endswith(suffix):
            body = body[: -len(suffix)].strip()
            if kind is Kind.AMOUNT and suffix in _UNIT_SCALE:
                scale = _UNIT_SCALE[suffix] - _UNIT_SCALE.get(unit, 0)
            break
    if not body or _NUMBER.fullmatch(body) is None:
        raise NumberError(f"无法识别的数值「{raw.strip()}」")
    try:
        value = Decimal(body.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid forms
        raise NumberError(f"无法识别的数值「{raw.strip()}」") from exc
    if percent and kind is not Kind.RATE:
        raise NumberError(f"此处不应是百分数「{raw.strip()}」")
    return _figure(value, raw.strip(), kind, percent=percent, scale=scale)


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
    """A Decimal as the report wrote it (no exponent for ordinary magnitudes)."""
    return format(value, "f") if -30 < value.as_tuple().exponent <= 0 else str(value)  # type: ignore[operator]


_COMPARISONS = (
    (("≥", ">=", "不低于", "不少于", "大于等于"), Comparison.AT_LEAST),
    (("≤", "<=", "不高于", "不超过", "小于等于"), Comparison.AT_MOST),
    ((">", "大于", "高于"), Comparison.MORE),
    (("<", "小于", "低于"), Comparison.LESS),
    (("=", "＝", "等于"), Comparison.EQUAL),
)


def read_target(raw: object) -> Target | None:
    """Read a 年度指标值 or 实际完成值: a comparison with a number, a bare number, or text."""
    if raw is None:
        return None
    if isinstance(raw, (int, Decimal, float)) and not isinstance(raw, bool):
        figure = read_figure(raw, Kind.SCORE)
        return Target(text=str(raw), figure=figure)
    if not isinstance(raw, str):
        raise NumberError(f"应为文字或数值，实际为{_type_name(raw)}")
    text = to_halfwidth(raw).strip()
    if text in BLANKS:
        return None
    comparison: Comparison | None = None
    body = text
    for spellings, meaning in _COMPARISONS:
        for spelling in spellings:
            if body.startswith(spelling):
                comparison, body = meaning, body[len(spelling) :].strip()
                break
        if comparison:
            break
    kind = Kind.RATE if body.endswith("%") else Kind.SCORE
    try:
        figure = _read_text(body, kind, "万元")
    except NumberError:
        figure = None
    if figure is None:
        return Target(text=raw.strip())
    return Target(text=raw.strip(), comparison=comparison, figure=figure)


def _type_name(raw: object) -> str:
    if isinstance(raw, dict):
        return "对象"
    if isinstance(raw, list):
        return "数组"
    if isinstance(raw, bool):
        return "布尔值"
    if isinstance(raw, str):
        return "文字"
    return type(raw).__name__


def read_text(raw: object) -> str | None:
    """A text cell: numbers written where text is expected are kept as written."""
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, (str, int, Decimal)):
        raise NumberError(f"应为文字，实际为{_type_name(raw)}")
    text = raw if isinstance(raw, str) else str(raw)
    return None if is_blank(text) else text


# --- whole reports -------------------------------------------------------------------------------

KeyPath = tuple[str | int, ...]


class ShapeError(ValueError):
    """A value of the wrong type at ``path`` (message in Chinese)."""

    def __init__(self, path: KeyPath, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


@cache
def report_shape() -> dict[str, Any]:
    """The report's shape, derived from :mod:`evalcheck.model` and shipped as data."""
    shape: dict[str, Any] = json.loads(
        (Path(__file__).with_name("report_shape.json")).read_text(encoding="utf-8")
    )
    return shape


class ReportTree(dict[str, Any]):
    """A normalised report: what the rules read.  Normalising it again returns it as is."""


def normalise_report(data: object) -> ReportTree:
    """Turn loaded plain data into the report tree the rules read: every cell read exactly.

    Sections stay dicts keyed by the Chinese terms; figures become :class:`Figure`, indicator
    targets :class:`Target`, blanks None.  Unknown keys are kept as they are.
    """
    if isinstance(data, ReportTree):
        return data
    if not isinstance(data, dict):
        raise ShapeError((), f"报告的顶层必须是一个对象，实际为{_type_name(data)}")
    return ReportTree(_section(data, report_shape(), ()))


def _section(data: dict[str, Any], shape: dict[str, Any], path: KeyPath) -> dict[str, Any]:
    fields = shape["fields"]
    out: dict[str, Any] = {}
    for key, value in data.items():
        node = fields.get(key)
        out[key] = value if node is None else _value(value, node, (*path, key))
    return out


def _value(value: object, node: dict[str, Any], path: KeyPath) -> Any:
    kind = node["type"]
    if value is None:
        return None
    try:
        if kind == "figure":
            return value if isinstance(value, Figure) else read_figure(value, Kind(node["kind"]))
        if kind == "target":
            return value if isinstance(value, Target) else read_target(value)
        if kind == "text":
            return read_text(value)
    except NumberError as exc:
        raise ShapeError(path, str(exc)) from None
    if kind == "section":
        if not isinstance(value, dict):
            raise ShapeError(path, f"应为对象（{{…}}），实际为{_type_name(value)}")
        return _section(value, node, path)
    if kind == "list":
        if not isinstance(value, list):
            raise ShapeError(path, f"应为数组（[…]），实际为{_type_name(value)}")
        item = node["of"]
        return [_value(v, item, (*path, i)) for i, v in enumerate(value)]
    if not isinstance(value, dict):  # "map": free keys, one kind of value
        raise ShapeError(path, f"应为对象（{{…}}），实际为{_type_name(value)}")
    item = node["of"]
    return {k: _value(v, item, (*path, k)) for k, v in value.items()}
