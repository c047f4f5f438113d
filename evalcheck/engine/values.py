"""Exact, rounding-aware quantities.

A printed figure stands for an interval: 586.88 is anything in [586.875, 586.885].  Sums,
differences, products and quotients carry their intervals (as XBRL Calculations 1.1 treats
rounded facts), so ``==`` can ask "could these be the same number before rounding?" while the
midpoint stays the exact result of the printed figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from ..normalise import Figure, Kind

__all__ = ["EvalError", "Missing", "Quantity", "display", "quantity"]

PRECISION = 40


class Missing(Exception):
    """A value the rule needs is absent: the rule does not apply here."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class EvalError(Exception):
    """The rule cannot be computed (zero denominator, wrong type): a finding of its own."""


@dataclass(frozen=True, slots=True)
class Quantity:
    """An exact value with the interval of values it may stand for."""

    value: Decimal
    lo: Decimal
    hi: Decimal
    decimals: int
    percent: bool = False
    text: str | None = None  # as printed, for a figure read from the report

    @property
    def exact(self) -> bool:
        return self.lo == self.hi

    def __add__(self, other: Quantity) -> Quantity:
        with localcontext() as ctx:
            ctx.prec = PRECISION
            return Quantity(
                self.value + other.value,
                self.lo + other.lo,
                self.hi + other.hi,
                max(self.decimals, other.decimals),
                self.percent and other.percent,
            )

    def __sub__(self, other: Quantity) -> Quantity:
        with localcontext() as ctx:
            ctx.prec = PRECISION
            return Quantity(
                self.value - other.value,
                self.lo - other.hi,
                self.hi - other.lo,
                max(self.decimals, other.decimals),
                self.percent and other.percent,
            )

    def __mul__(self, other: Quantity) -> Quantity:
        with localcontext() as ctx:
            ctx.prec = PRECISION
            corners = (
                self.lo * other.lo,
                self.lo * other.hi,
                self.hi * other.lo,
                self.hi * other.hi,
            )
            return Quantity(
                self.value * other.value,
                min(corners),
                max(corners),
                max(self.decimals, other.decimals),
            )

    def __truediv__(self, other: Quantity) -> Quantity:
        if other.value == 0:
            raise EvalError("分母为零")
        with localcontext() as ctx:
            ctx.prec = PRECISION
            value = self.value / other.value
            if other.lo <= 0 <= other.hi:
                lo = hi = value  # the interval is unbounded; keep the printed ratio only
            else:
                corners = (
                    self.lo / other.lo,
                    self.lo / other.hi,
                    self.hi / other.lo,
                    self.hi / other.hi,
                )
                lo, hi = min(corners), max(corners)
            return Quantity(value, lo, hi, max(self.decimals, other.decimals, 4), percent=True)

    def __neg__(self) -> Quantity:
        return Quantity(-self.value, -self.hi, -self.lo, self.decimals, self.percent)

    def overlaps(self, other: Quantity) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def as_percent(self) -> Quantity:
        return Quantity(self.value, self.lo, self.hi, self.decimals, True)


def quantity(figure: Figure) -> Quantity:
    half = figure.half_unit
    return Quantity(
        figure.value,
        figure.value - half,
        figure.value + half,
        figure.decimals,
        figure.kind is Kind.RATE,
        figure.text,
    )


def constant(value: Decimal, percent: bool = False) -> Quantity:
    decimals = max(-int(value.as_tuple().exponent), 0)
    return Quantity(value, value, value, decimals, percent)


def display(q: Quantity) -> str:
    """How a computed value is shown: as printed for figures, else at a sensible precision."""
    if q.text is not None:
        return q.text
    if q.percent:
        return f"{_round(q.value * 100, 2)}%"
    return _round(q.value, min(max(q.decimals, 0), 6))


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
    return _round(diff, min(max(a.decimals, b.decimals), 6))
