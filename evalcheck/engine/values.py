"""Values while rules run: quantities (see :class:`evalcheck.report.normalise.Quantity`), absence,
evaluation errors, and how values are shown in labels and messages."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from ..report.normalise import PRECISION, Quantity, Target

__all__ = [
    "BLANK",
    "EvalError",
    "Missing",
    "Quantity",
    "constant",
    "difference",
    "display",
    "number",
    "show",
    "truth",
]

BLANK = "（空白）"


class Missing(Exception):
    """A value the rule needs is absent: the rule does not apply here."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class EvalError(Exception):
    """The rule cannot be computed (zero denominator, wrong type): a finding of its own."""


def constant(value: Decimal, percent: bool = False) -> Quantity:
    decimals = max(-int(value.as_tuple().exponent), 0)
    return Quantity(value, value, value, decimals, percent)


def number(value: Any, what: str) -> Quantity:
    """A value used as a number: a quantity, or the figure of a quantitative 指标值."""
    if isinstance(value, Quantity):
        return value
    if isinstance(value, Target) and value.figure is not None:
        return value.figure
    if value is None:
        raise Missing(what)
    raise EvalError(f"「{what}」应为数值，实际为「{value}」")


def truth(value: Any, what: str) -> bool:
    """A value used as a condition: only a truth value will do."""
    if isinstance(value, bool):
        return value
    if value is None:
        raise Missing(what)
    raise EvalError(f"「{what}」应为真假判断，实际为「{value}」")


def show(value: Any) -> str:
    """A value as a label or a message prints it (blank as （空白））."""
    if value is None:
        return BLANK
    if isinstance(value, Quantity):
        return display(value)
    if isinstance(value, Target):
        return value.text
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(show(v) for v in value)
    return str(value)


# A computed amount whose figures were all printed in 元 (budget pages) is shown in 元 too.
_SHOWN_IN = {"元": 4, "千元": 1, "亿元": -4}


def display(q: Quantity) -> str:
    """How a computed value is shown: as printed for figures, else at a sensible precision."""
    if q.text is not None:
        return q.text
    if q.percent:
        return f"{_round(q.value * 100, 2)}%"
    shift = _SHOWN_IN.get(q.unit)
    if shift is not None:
        return _round(q.value.scaleb(shift), min(max(q.decimals - shift, 0), 6)) + q.unit
    return _trimmed(_round(q.value, min(max(q.decimals, 0), 6)))


def _trimmed(text: str, keep: int = 2) -> str:
    """A computed value without the zeros its arithmetic padded beyond the usual two places
    (10 × 97.52% is 9.752, not 9.7520)."""
    whole, dot, fraction = text.partition(".")
    if not dot or len(fraction) <= keep:
        return text
    fraction = fraction.rstrip("0").ljust(keep, "0")
    return f"{whole}.{fraction}"


def _round(value: Decimal, decimals: int) -> str:
    with localcontext() as ctx:
        ctx.prec = max(PRECISION, value.adjusted() + decimals + 2)  # quantize needs every digit
        rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return format(rounded, "f")


def difference(a: Quantity, b: Quantity) -> str:
    with localcontext() as ctx:
        ctx.prec = PRECISION
        diff = abs(a.value - b.value)
    if a.percent or b.percent:
        return f"{_round(diff * 100, 2)} 个百分点"
    shift = _SHOWN_IN.get(a.unit) if a.unit == b.unit else None
    if shift is not None:
        decimals = max(a.decimals, b.decimals) - shift
        return _round(diff.scaleb(shift), min(max(decimals, 0), 6)) + a.unit
    return _trimmed(_round(diff, min(max(a.decimals, b.decimals), 6)))
