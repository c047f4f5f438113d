"""What a printed field can hold, and how a suggested value is printed in it.

A suggestion is printed as the report would print it, with the decimals of the figure it
replaces; it is refused when the field cannot hold it: a negative amount, count, score or
rate (增减 and 结转结余 figures may be negative), a count that is not whole, a rate above
200 %.  Ranges the report's rules set (0 ≤ 得分 ≤ 分值, 总分 ≤ 满分) are checked by evaluating
the rules themselves (:mod:`.search`)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, localcontext

from ..report.normalise import Figure, Kind
from .tree import Path
from .typos import USUAL_PLACES, display_value, drops_one_digit

__all__ = [
    "RATE_LIMIT",
    "SIGNED",
    "as_printed",
    "at_precision",
    "like",
    "places",
    "precision_weight",
    "suggest",
]

PRECISION = 40
RATE_LIMIT = Decimal(2)  # as a fraction: a rate of more than 200 % is not one
SIGNED = ("增减", "结转和结余")  # keys whose figures may be negative
# A digit slip that restores the precision of the group's other figures: more decimals than
# they have is a strong sign (1259.063), fewer a weaker one (a spreadsheet drops a final 0).
ODD_DECIMALS = 2.5
FEWER_DECIMALS = 1.6


def places(value: Decimal) -> int:
    return max(-int(value.normalize().as_tuple().exponent), 0)


def _signed(path: Path) -> bool:
    return bool(path) and any(word in str(path[-1]) for word in SIGNED)


def suggest(value: Decimal, printed: Figure, path: Path = ()) -> Figure | None:
    """The value as the report would print it at ``path``; None when the field cannot hold it."""
    if not value.is_finite() or value == printed.value:
        return None
    if value < 0 <= printed.value and not _signed(path):
        return None
    if printed.kind is Kind.RATE and not _signed(path) and value > max(RATE_LIMIT, printed.value):
        return None
    with localcontext() as ctx:
        ctx.prec = PRECISION
        value = value.normalize()
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))
    found = places(value)
    if printed.kind is Kind.COUNT and found:
        return None
    usual = USUAL_PLACES[printed.kind]
    # Printed with more decimals than the form's: the extra one may be the slip.
    decimals = max(found, printed.decimals if printed.decimals <= usual else usual)
    widest = max(printed.decimals, usual)
    if decimals > widest + 1:
        return None
    exact = value == 0 or (decimals == 0 and printed.kind in (Kind.COUNT, Kind.SCORE))
    text = as_printed(value, decimals, printed)
    figure = Figure(value, decimals, printed.kind, exact, text, printed.unit)
    # One decimal more than the field prints only when the print dropped it (总分 93.735
    # printed 93.35, as the sum of its parts and the prose's 自评分数 say).
    if decimals > widest and not drops_one_digit(printed, figure):
        return None
    return figure


def at_precision(value: Decimal, printed: Figure, path: Path = ()) -> Figure | None:
    """A computed value printed with the decimals of the figure it replaces (95.70%, never
    95.6983%); None when the field cannot hold it."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        rounded = value.quantize(Decimal(1).scaleb(-printed.decimals), ROUND_HALF_UP)
    found = suggest(rounded, printed, path)
    if found is None or found.decimals >= printed.decimals:
        return found
    text = as_printed(found.value, printed.decimals, printed)
    return Figure(found.value, printed.decimals, found.kind, found.exact, text, printed.unit)


def _unit(text: str) -> str:
    """The unit word a figure is printed with (``262.78万元`` → ``万元``), not the % sign."""
    stripped = text.strip()
    end = len(stripped)
    while end and not (stripped[end - 1].isdigit() or stripped[end - 1] in "%％"):
        end -= 1
    return stripped[end:]


# A figure printed in 元 (or 千元, 亿元) is held in 万元: a suggestion is printed back in its unit.
_SHOWN_IN = {"元": 4, "千元": 1, "亿元": -4}


def as_printed(value: Decimal, decimals: int, printed: Figure) -> str:
    """``value`` (in the field's unit, ``decimals`` places) written as ``printed`` is: with its
    unit word (``17.26万`` beside ``172.6万``; ``172600元`` for 17.26 万元 printed in 元)."""
    shift = _SHOWN_IN.get(printed.unit) if printed.kind is Kind.AMOUNT else None
    if shift is not None:
        with localcontext() as ctx:
            ctx.prec = PRECISION
            shown = value.scaleb(shift)
        return display_value(shown, printed.kind, max(decimals - shift, 0)) + _unit(printed.text)
    return display_value(value, printed.kind, decimals) + _unit(printed.text)


def like(value: Figure, printed: Figure) -> Figure | None:
    """``value`` as another printing of the same number shows it (at its own decimals)."""
    if value.kind is not printed.kind:
        return None
    with localcontext() as ctx:
        ctx.prec = PRECISION
        shown = value.value.quantize(Decimal(1).scaleb(-printed.decimals), ROUND_HALF_UP)
    if shown == printed.value:
        return printed
    text = as_printed(shown, printed.decimals, printed)
    exact = shown == 0 or printed.exact
    return Figure(shown, printed.decimals, printed.kind, exact, text, printed.unit)


def precision_weight(printed: Figure, suggested: Figure, figures: Iterable[Figure]) -> float:
    """How much more likely a digit slip is when the printed figure alone has odd decimals
    among figures of its kind all printed alike (1259.063 among amounts to the fen, 9.2 among
    9.32 and 16.67) and the suggestion has theirs.  A zero says nothing about the decimals
    of its column (a blank part printed ``0`` beside 586.88)."""
    alike = [f.decimals for f in figures if f.kind is printed.kind and f.value != 0]
    others = set(alike)
    if len(others) != 1 or printed.decimals in others:
        return 1.0
    # One other figure (a tie: 总分 97.61 beside 自评分数 97.661) cannot say which of the two is
    # the odd one, unless the form prints that kind at fixed places: amounts to the fen (a score
    # computed from a rate keeps its decimals, 10 × 97.35% = 9.735).
    if len(alike) < 2 and not (
        printed.kind is Kind.AMOUNT and printed.decimals > USUAL_PLACES[printed.kind]
    ):
        return 1.0
    (usual,) = others
    if places(suggested.value) > min(usual, USUAL_PLACES[printed.kind]):
        return 1.0  # toward the others' decimals, never finer than the form prints
    return ODD_DECIMALS if printed.decimals > usual else FEWER_DECIMALS
