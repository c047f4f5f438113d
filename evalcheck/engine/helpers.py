"""The functions a rule may call: an explicit table, nothing discovered, nothing imported.

Each helper receives already-evaluated arguments (absent values arrive as None) and the source
text of each argument, for messages.  Helpers never loop over anything but the report's own
lists, so their work is bounded by the size of the report.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from typing import Any

from ..inputs.records import dataclass
from ..report.normalise import PRECISION, Comparison, Target, is_blank
from ..report.template import is_instruction
from .types import ValueKind
from .values import EvalError, Missing, Quantity, constant
from .values import number as _number

_EXACT = Context(prec=PRECISION)  # as Quantity's own arithmetic: sums of figures are exact

__all__ = ["HELPERS", "Helper"]


@dataclass(frozen=True, slots=True)
class Helper:
    """A function rules may call, and what an explanation needs to know of it.

    ``picks``: returns one of its arguments (coalesce), so a label shows the one it picked;
    ``adds``: adds its arguments up (sum), so a label shows them joined by ``+``;
    ``presence``: says a value is filled in (True, exists) or blank (False, blank), so a
    failing check is said in words.
    """

    fn: Callable[[list[Any], tuple[str, ...]], Any]
    min_args: int
    max_args: int
    returns: ValueKind
    doc: str
    picks: bool = False
    adds: bool = False
    presence: bool | None = None

    @property
    def arity(self) -> str:
        if self.min_args == self.max_args:
            return str(self.min_args)
        return f"{self.min_args}–{self.max_args}"


def _flatten(values: list[Any]) -> list[Any]:
    flat: list[Any] = []
    for value in values:
        if isinstance(value, list):
            flat.extend(value)
        else:
            flat.append(value)
    return flat


def _numbers(values: list[Any], sources: tuple[str, ...]) -> list[Quantity]:
    """The present numbers among the arguments (lists flattened); none at all → not applicable."""
    label = "、".join(sources)
    present = [v for v in _flatten(values) if v is not None]
    if not present:
        raise Missing(label)
    return [_number(v, label) for v in present]


def _sum(values: list[Any], sources: tuple[str, ...]) -> Quantity:
    """``numbers[0] + numbers[1] + …``, added up field by field (one quantity made, not one
    per row: the same operations in the same order, so the same exact result)."""
    numbers = _numbers(values, sources)
    if len(numbers) == 1:
        return numbers[0]
    first = numbers[0]
    value, lo, hi, decimals, percent, unit = (
        first.value,
        first.lo,
        first.hi,
        first.decimals,
        first.percent,
        first.unit,
    )
    add = _EXACT.add
    for number in numbers[1:]:
        value, lo, hi = add(value, number.value), add(lo, number.lo), add(hi, number.hi)
        decimals = max(decimals, number.decimals)
        percent = percent and number.percent
        unit = unit if unit == number.unit else ""
    return Quantity(value, lo, hi, decimals, percent, unit=unit)


def _count(values: list[Any], sources: tuple[str, ...]) -> Quantity:
    return constant(Decimal(sum(1 for v in _flatten(values) if v is not None)))


def _abs(values: list[Any], sources: tuple[str, ...]) -> Quantity:
    q = _number(values[0], sources[0])
    return q if q.value >= 0 else -q


def _min(values: list[Any], sources: tuple[str, ...]) -> Quantity:
    """The least value, standing for the least of what each argument may be (its interval):
    min(10, 10 × 100%) with the rate printed whole may be anything from 9.95 to 10."""
    numbers = _numbers(values, sources)
    least = min(numbers, key=lambda q: q.value)
    return _spanning(least, min(q.lo for q in numbers), min(q.hi for q in numbers))


def _max(values: list[Any], sources: tuple[str, ...]) -> Quantity:
    numbers = _numbers(values, sources)
    most = max(numbers, key=lambda q: q.value)
    return _spanning(most, max(q.lo for q in numbers), max(q.hi for q in numbers))


def _spanning(chosen: Quantity, lo: Decimal, hi: Decimal) -> Quantity:
    if (lo, hi) == (chosen.lo, chosen.hi):
        return chosen  # a printed figure stays itself (its text, its place)
    return Quantity(chosen.value, lo, hi, chosen.decimals, chosen.percent, chosen.text, chosen.unit)


def _exists(values: list[Any], sources: tuple[str, ...]) -> bool:
    value = values[0]
    if isinstance(value, list):
        return any(_present(v) for v in value)
    return _present(value)


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and is_blank(value))


def _blank(values: list[Any], sources: tuple[str, ...]) -> bool:
    return not _exists(values, sources)


def _ratio(values: list[Any], sources: tuple[str, ...]) -> Quantity:
    numerator = _number(values[0], sources[0])
    denominator = _number(values[1], sources[1])  # not printed: not applicable
    if denominator.value == 0:
        raise EvalError(f"分母「{sources[1]}」为零")
    return numerator / denominator


def _pct(values: list[Any], sources: tuple[str, ...]) -> Quantity:
    if len(values) == 1:
        return _number(values[0], sources[0]).as_percent()
    return _ratio(values, sources).as_percent()


def _grade(values: list[Any], sources: tuple[str, ...]) -> str:
    score = _number(values[0], sources[0])
    bands = values[1]
    if not isinstance(bands, dict) or not bands:
        raise EvalError(f"「{sources[1]}」应为等次表，如 {{优秀: 90, 良好: 80, 中: 60, 差: 0}}")
    ranked = sorted(((_number(_plain(v), k).value, k) for k, v in bands.items()), reverse=True)
    for lower, name in ranked:
        if score.value >= lower:
            return str(name)
    return str(ranked[-1][1])


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return constant(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return constant(Decimal(value))
    return value


def _round(values: list[Any], sources: tuple[str, ...]) -> Quantity:
    q = _number(values[0], sources[0])
    places = _number(values[1], sources[1]) if len(values) > 1 else constant(Decimal(0))
    digits = int(places.value)
    if not 0 <= digits <= 10:
        raise EvalError("round 的位数应在 0 到 10 之间")
    exponent = Decimal(1).scaleb(-digits)
    with localcontext() as ctx:
        ctx.prec = max(ctx.prec, q.value.adjusted() + digits + 2)  # quantize needs every digit
        rounded = q.value.quantize(exponent, rounding=ROUND_HALF_UP)
    return constant(rounded, q.percent)


def _coalesce(values: list[Any], sources: tuple[str, ...]) -> Any:
    for value in values:
        if value is not None:
            return value
    raise Missing("、".join(sources))


def _meets(values: list[Any], sources: tuple[str, ...]) -> bool:
    target, actual = values
    if not isinstance(target, Target) or target.figure is None:
        raise Missing(f"{sources[0]}（非定量指标）")
    if isinstance(actual, Target):
        if actual.figure is None:
            raise Missing(f"{sources[1]}（非数值）")
        reached = actual.figure.value
    elif isinstance(actual, Quantity):
        reached = actual.value
    else:
        raise Missing(sources[1])
    goal = target.figure.value
    comparison = target.comparison or Comparison.AT_LEAST
    if comparison is Comparison.AT_LEAST:
        return reached >= goal
    if comparison is Comparison.AT_MOST:
        return reached <= goal
    if comparison is Comparison.MORE:
        return reached > goal
    if comparison is Comparison.LESS:
        return reached < goal
    return reached == goal


def _contains(values: list[Any], sources: tuple[str, ...]) -> bool:
    haystack, needle = values
    if haystack is None:
        raise Missing(sources[0])
    if not isinstance(needle, str):
        raise EvalError(f"「{sources[1]}」应为文字")
    texts = haystack if isinstance(haystack, list) else [haystack]
    return any(needle in str(text) for text in texts if text is not None)


def _others(values: list[Any], sources: tuple[str, ...]) -> list[str]:
    """The keys of a section or map that the list of known names does not hold (blank ones
    left out): a sum over a category includes them, and a rule says so instead of hiding it."""
    section, known = values
    if section is None:
        raise Missing(sources[0])
    if not isinstance(section, dict):
        raise EvalError(f"「{sources[0]}」应为一组项目")
    names = _names(known, sources[1])
    return [str(k) for k, v in section.items() if k not in names and _present(v)]


def _names(value: Any, source: str) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset({value})
    if isinstance(value, (list, dict)):
        return frozenset(str(v) for v in value)
    raise EvalError(f"「{source}」应为名称的列表")


def _among(values: list[Any], sources: tuple[str, ...]) -> bool:
    """Whether a text is one of a list of names (exact, after trimming spaces)."""
    value, names = values
    if value is None:
        raise Missing(sources[0])
    text = value.text if isinstance(value, Target) else str(value)
    return text.strip() in {n.strip() for n in _names(names, sources[1])}


def _direction(values: list[Any], sources: tuple[str, ...]) -> str:
    """A target's direction: ≥ (the default for a bare number), ≤ (also for a lower-is-better
    indicator, see :mod:`evalcheck.report.recognise`), = , > , < ; 定性 when it holds no number."""
    target = values[0]
    if target is None:
        raise Missing(sources[0])
    if not isinstance(target, Target) or target.figure is None:
        return "定性"
    return (target.comparison or Comparison.AT_LEAST).value


def _shortfall(values: list[Any], sources: tuple[str, ...]) -> Quantity:
    """Σ (分值 − 得分) over the rows that print both: the points certainly lost."""
    maxes, scores = (v if isinstance(v, list) else [v] for v in values)
    if len(maxes) != len(scores):
        raise EvalError(f"「{sources[0]}」与「{sources[1]}」的行数不同")
    # Σ (most − got) from 0, field by field as Quantity's − and + compute it (one quantity
    # made, not two per row: the same operations in the same order, the same exact result).
    total = constant(Decimal(0))
    value, lo, hi, decimals, percent, unit = (
        total.value,
        total.lo,
        total.hi,
        total.decimals,
        total.percent,
        total.unit,
    )
    add, subtract = _EXACT.add, _EXACT.subtract
    added = False
    for most, got in zip(maxes, scores, strict=True):
        if most is not None and got is not None:
            a, b = _number(most, sources[0]), _number(got, sources[1])
            value = add(value, subtract(a.value, b.value))
            lo = add(lo, subtract(a.lo, b.hi))
            hi = add(hi, subtract(a.hi, b.lo))
            decimals = max(decimals, a.decimals, b.decimals)
            percent = percent and a.percent and b.percent
            unit = unit if unit == (a.unit if a.unit == b.unit else "") else ""
            added = True
    return Quantity(value, lo, hi, decimals, percent, unit=unit) if added else total


def _sumif(values: list[Any], sources: tuple[str, ...]) -> Quantity:
    """Σ of the values whose label (same row) is ``label``; a blank label below a labelled row
    continues it (a merged cell).  No value at all → not applicable."""
    numbers, labels, label = values
    numbers = numbers if isinstance(numbers, list) else [numbers]
    labels = labels if isinstance(labels, list) else [labels]
    if len(numbers) != len(labels):
        raise EvalError(f"「{sources[0]}」与「{sources[1]}」的行数不同")
    wanted = _label(label)
    picked, current = [], None
    for number, name in zip(numbers, labels, strict=True):
        current = _label(name) or current
        if current == wanted and number is not None:
            picked.append(number)
    return _sum(picked, (sources[0],))


def _label(value: Any) -> str | None:
    if value is None:
        return None
    text = "".join(str(value).split())
    return text or None


def _distinct(values: list[Any], sources: tuple[str, ...]) -> Quantity:
    """How many different items a list holds (blanks left out, spaces ignored)."""
    items = {_label(v) for v in _flatten(values)} - {None}
    return constant(Decimal(len(items)))


def _template(values: list[Any], sources: tuple[str, ...]) -> bool:
    """Whether a cell holds the blank form's own instructions (（100字以内）, 1.预算执行率=…)."""
    value = values[0]
    if value is None:
        raise Missing(sources[0])
    return is_instruction(str(value))


HELPERS: dict[str, Helper] = {
    "sum": Helper(
        _sum, 1, 20, ValueKind.NUMBER, "各项之和；空白项不计，全部空白则规则不适用", adds=True
    ),
    "count": Helper(_count, 1, 20, ValueKind.NUMBER, "非空白项的个数（列表展开）"),
    "abs": Helper(_abs, 1, 1, ValueKind.NUMBER, "绝对值"),
    "min": Helper(_min, 1, 20, ValueKind.NUMBER, "最小值"),
    "max": Helper(_max, 1, 20, ValueKind.NUMBER, "最大值"),
    "exists": Helper(_exists, 1, 1, ValueKind.BOOL, "已填写（非空白）", presence=True),
    "blank": Helper(_blank, 1, 1, ValueKind.BOOL, "空白（未填写）", presence=False),
    "ratio": Helper(
        _ratio, 2, 2, ValueKind.NUMBER, "a ÷ b；分母印为零本身即为问题，分母未印则规则不适用"
    ),
    "pct": Helper(_pct, 1, 2, ValueKind.NUMBER, "以百分数显示：pct(a, b) = a ÷ b"),
    "grade": Helper(_grade, 2, 2, ValueKind.TEXT, "按等次表（名称 → 下限）给出分数对应的等次"),
    "round": Helper(_round, 1, 2, ValueKind.NUMBER, "四舍五入到指定小数位（明确的舍入）"),
    "coalesce": Helper(_coalesce, 1, 10, ValueKind.ANY, "第一个已填写的值", picks=True),
    "meets": Helper(
        _meets, 2, 2, ValueKind.BOOL, "实际完成值是否达到定量的年度指标值（≥、≤、>、<、=）"
    ),
    "contains": Helper(_contains, 2, 2, ValueKind.BOOL, "文字中是否含有指定内容"),
    "others": Helper(_others, 2, 2, ValueKind.LIST, "一组项目中不在已知名称之列的项（空白项不计）"),
    "among": Helper(_among, 2, 2, ValueKind.BOOL, "文字是否为所列名称之一（完全相同）"),
    "direction": Helper(
        _direction, 1, 1, ValueKind.TEXT, "指标值的方向：≥、≤、=、>、<，无数字为“定性”"
    ),
    "shortfall": Helper(_shortfall, 2, 2, ValueKind.NUMBER, "同时印有分值与得分的各行所扣分数之和"),
    "sumif": Helper(_sumif, 3, 3, ValueKind.NUMBER, "标签（同一行）为指定名称的各值之和"),
    "distinct": Helper(_distinct, 1, 20, ValueKind.NUMBER, "不同项的个数（空白不计）"),
    "template": Helper(_template, 1, 1, ValueKind.BOOL, "单元格里是否只是表式自带的填表说明"),
}
