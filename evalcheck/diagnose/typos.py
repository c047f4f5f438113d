"""Why a printed figure may differ from the value the identities call for: data-entry slips.

Two directions, one vocabulary.  :func:`corrections` proposes values a slip would have turned
into the printed figure (swap two digits back, flip the sign, divide by 10,000 …), so the
culprit search can prefer them over the bare arithmetic solution when rounding leaves several
values possible.  :func:`classify` names the slip between a printed figure and a suggested
value, in Chinese, with a prior plausibility used for ranking (never a probability of truth).

Priors follow what the data-entry literature reports as the common slips (transpositions and
unit or sign mix-ups above single wrong digits); they only order explanations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext

from ..inputs.records import dataclass
from ..report.normalise import Figure, Kind

__all__ = [
    "NO_SLIP",
    "USUAL_PLACES",
    "Neighbour",
    "Slip",
    "as_percent",
    "classify",
    "corrections",
    "display_value",
    "drops_one_digit",
    "explanations",
    "percent_as_fraction",
    "substitutions",
    "typed_digits",
]

PRECISION = 40
# Decimals the forms print, as stored: amounts in 万元 to the fen, rates to two places of a
# percentage (four of the fraction), scores to two places, counts whole.
USUAL_PLACES = {Kind.AMOUNT: 2, Kind.RATE: 4, Kind.SCORE: 2, Kind.COUNT: 0}


@dataclass(frozen=True, slots=True)
class Slip:
    """A named kind of error: machine code, Chinese reason, prior plausibility (0–1).

    ``upstream``: the value was wrong before it was copied (a total not recomputed, a rate
    computed with the wrong formula), so every printing of it carries the same error; a typing
    slip (``upstream`` false) repeated identically in a second printing is much less likely."""

    kind: str
    reason: str
    plausibility: float
    upstream: bool = False


@dataclass(frozen=True, slots=True)
class Neighbour:
    """A figure printed next to the suspect: an adjacent row, or another column of its row.

    ``relation`` is ``row-above`` or ``row-below`` (adjacent row or item), ``last-year``
    (上年决算数 of the same row) or ``column`` (another column of the same row).
    """

    label: str
    figure: Figure
    relation: str


NO_SLIP = Slip("unexplained", "使相关等式成立所需的数值", 0.3)
# A printed total that its parts, as printed, do not add up to, and no typing slip explains:
# it was most likely left as it was before one part changed.
STALE_TOTAL = 0.45
# A printed total short of the sum by exactly one part's value: that part was left out (or, when
# several parts are that much, the total was not updated or left one of them out).
OMITTED_PART = 0.85
# A copy explains a printed figure equal to its neighbour; for whole scores and counts that
# equality is often simply right (5 points beside 5 points), so it explains little.
WHOLE_COPY = 0.35

_SIGN = Slip("sign", "符号错误", 0.8)
_PERCENT = Slip("percent-as-fraction", "百分数写成了小数", 0.85)
_YUAN = Slip("yuan-as-wan", "按元填写（应为万元）", 0.85)
_POINT = Slip("decimal-point", "小数点位置错误", 0.8)
# A point typed one place off is the common slip; two or three places off is rarer (a fraction
# typed for a percentage and 元 for 万元 are slips of their own).
_POINT_BY_PLACES = {
    2: Slip("decimal-point", "小数点位置错误", 0.5),
    3: Slip("decimal-point", "小数点位置错误", 0.35),
}
_SWAP = Slip("transposition", "两位数字颠倒", 0.8)
_DOUBLED = Slip("doubled-digit", "多输了一位数字（数字重复）", 0.65)
_EXTRA = Slip("extra-digit", "多输了一位数字", 0.5)
_DROPPED = Slip("dropped-digit", "漏输了一位数字", 0.55)
_WRONG = Slip("wrong-digit", "输错了一位数字", 0.55)

_RELATION = {
    # Neighbours are often equal by right (编制数 = 实际在职人数), so a copy is a weaker
    # explanation than a slip that also produces the right value.  Of two equal adjacent
    # figures either may be the copy: nothing on the form says which way it was copied.
    "last-year": ("copied-last-year", "抄录了上年决算数", 0.7),
    "column": ("copied-column", "抄录了同一行「{label}」栏的数字", 0.6),
    "row-above": ("copied-neighbour", "抄录了相邻行「{label}」的数字", 0.6),
    "row-below": ("copied-neighbour", "抄录了相邻行「{label}」的数字", 0.6),
}


def display_value(value: Decimal, kind: Kind, decimals: int) -> str:
    """A value as a report would print it in its field's unit (rates as percentages)."""
    shown, places = (value * 100, decimals - 2) if kind is Kind.RATE else (value, decimals)
    with localcontext() as ctx:
        ctx.prec = PRECISION
        text = format(shown.quantize(Decimal(1).scaleb(-max(places, 0)), ROUND_HALF_UP), "f")
    return f"{text}%" if kind is Kind.RATE else text


def _shown(value: Decimal, kind: Kind) -> Decimal:
    """Rates are compared as the percentages people type, not as stored fractions."""
    return value * 100 if kind is Kind.RATE else value


_TYPED = re.compile(r"[+-]?(\d*)\.?(\d*)%?")


def typed_digits(figure: Figure) -> str:
    """The digits as typed, leading zeros kept ("010%" is 100% with two digits swapped)."""
    text = figure.text.strip().replace(",", "")
    match = _TYPED.fullmatch(text)
    if match is not None and any(match.groups()):
        return match.group(1) + match.group(2)
    places = figure.decimals - 2 if figure.kind is Kind.RATE else figure.decimals
    return _digits(_shown(figure.value, figure.kind), places)


def _digits(value: Decimal, places: int) -> str:
    with localcontext() as ctx:
        ctx.prec = PRECISION
        text = format(abs(value).quantize(Decimal(1).scaleb(-max(places, 0))), "f")
    return text.replace(".", "")


def _digit_slip(printed: Figure, suggested: Figure) -> Slip | None:
    if (printed.value < 0) != (suggested.value < 0):
        return None
    a, b = typed_digits(printed), typed_digits(suggested)
    if a == b:
        return None
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return _WRONG
        i, j = diff[0], diff[-1]
        if len(diff) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]:
            return _SWAP
        return None
    if len(a) == len(b) + 1:
        for i in range(len(a)):
            if a[:i] + a[i + 1 :] == b:
                doubled = (i > 0 and a[i - 1] == a[i]) or (i + 1 < len(a) and a[i + 1] == a[i])
                return _DOUBLED if doubled else _EXTRA
    if len(b) == len(a) + 1:
        for i in range(len(b)):
            if b[:i] + b[i + 1 :] == a:
                return _DROPPED
    return None


def drops_one_digit(printed: Figure, suggested: Figure) -> bool:
    """The printed figure is ``suggested`` with one typed digit left out (93.35 for 93.735),
    not the same digits with the point moved (0.09 for 0.009 is a decimal-point slip)."""
    p, s = printed.value, suggested.value
    if s != 0 and p != 0 and _power_of_ten(p / s):
        return False
    return _digit_slip(printed, suggested) is _DROPPED


def classify(
    printed: Figure,
    suggested: Figure,
    neighbours: Sequence[Neighbour] = (),
    parts: Sequence[tuple[str, Decimal]] = (),
) -> Slip:
    """The most plausible slip that turns ``suggested`` into ``printed``.

    ``neighbours``: figures printed beside the suspect (a copy explains the printed value
    whatever the right one is).  ``parts``: when the suspect is a total, the other figures of
    its sum; a total that equals the right sum less one part has left that part out, and one
    that no slip explains was not updated when a part changed.
    """
    return max(explanations(printed, suggested, neighbours, parts), key=lambda s: s.plausibility)


def explanations(
    printed: Figure,
    suggested: Figure,
    neighbours: Sequence[Neighbour] = (),
    parts: Sequence[tuple[str, Decimal]] = (),
) -> list[Slip]:
    """Every slip that explains the printed figure (:data:`NO_SLIP` when none does); for a
    total, also that it was not updated."""
    found = [s for s in _slips(printed, suggested, neighbours, parts) if s is not None]
    if parts:
        total = display_value(suggested.value, suggested.kind, suggested.decimals)
        reason = f"合计数未随组成部分更新（各项之和为 {total}）"
        found.append(Slip("total-not-updated", reason, STALE_TOTAL, upstream=True))
    return found or [NO_SLIP]


def _slips(
    printed: Figure,
    suggested: Figure,
    neighbours: Sequence[Neighbour],
    parts: Sequence[tuple[str, Decimal]],
) -> Iterator[Slip | None]:
    p, s = printed.value, suggested.value
    if p == s:
        return
    with localcontext() as ctx:
        ctx.prec = PRECISION
        if p == -s:
            yield _SIGN
        if percent_as_fraction(printed, s):
            yield _PERCENT
        if printed.kind is Kind.AMOUNT and s != 0 and p == s * 10000:
            yield _YUAN
        if printed.kind is not Kind.COUNT and s != 0 and p != 0 and _power_of_ten(p / s):
            yield _POINT_BY_PLACES.get(abs((p / s).normalize().adjusted()), _POINT)
        yield _digit_slip(printed, suggested)
        shown = _shown(p, printed.kind)
        for neighbour in neighbours:
            if p != 0 and _shown(neighbour.figure.value, neighbour.figure.kind) == shown:
                kind, reason, prior = _RELATION[neighbour.relation]
                if printed.exact and printed.kind in (Kind.COUNT, Kind.SCORE):
                    prior = WHOLE_COPY  # 5 beside 5: equal whole numbers are common by right
                yield Slip(kind, reason.format(label=neighbour.label), prior)
        left_out = [(label, v) for label, v in parts if v != 0 and p != 0 and p == s - v]
        if len(left_out) == 1:
            ((label, value),) = left_out
            yield Slip(
                "omitted-part", f"合计漏加了「{label}」{value:f}", OMITTED_PART, upstream=True
            )
        elif left_out:  # several parts are that much: which one is not known
            total = display_value(s, suggested.kind, suggested.decimals)
            reason = (
                f"合计数未随组成部分更新（各项之和为 {total}；相差的 {left_out[0][1]:f} "
                f"与其中 {len(left_out)} 项相同，也可能是漏加了其中一项）"
            )
            # Each part that much makes the match likelier a coincidence (23 rows scoring 1
            # beside a total short by 1 say nothing): from OMITTED_PART down to STALE_TOTAL.
            weight = STALE_TOTAL + (OMITTED_PART - STALE_TOTAL) / len(left_out)
            yield Slip("total-not-updated", reason, weight, upstream=True)


def percent_as_fraction(printed: Figure, value: Decimal) -> bool:
    """A rate typed as the fraction (``0.9752`` for 97.52%): the printed number, read as a
    fraction, is ``value`` within the rounding of its last printed digit."""
    if printed.kind is not Kind.RATE or printed.text.strip().endswith(("%", "％")):
        return False
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return abs(printed.value * 100 - value) <= printed.half_unit * 100


def as_percent(printed: Figure) -> Figure:
    """The rate a fraction typed in a rate field stands for, as the forms print rates (two
    decimals of the percentage, more when more were typed): 0.9752 → 97.52%, 1.00 → 100.00%."""
    decimals = max(printed.decimals - 2, USUAL_PLACES[Kind.RATE])
    with localcontext() as ctx:
        ctx.prec = PRECISION
        value = (printed.value * 100).normalize()
    text = display_value(value, Kind.RATE, decimals)
    return Figure(value=value, decimals=decimals, kind=Kind.RATE, exact=value == 0, text=text)


def _power_of_ten(ratio: Decimal) -> bool:
    if ratio <= 0 or ratio == 1:
        return False
    normal = ratio.normalize()
    # ×10,000 is 元 against 万元 (its own slip); a point moved further is not a typing slip.
    return normal.as_tuple().digits == (1,) and -3 <= normal.adjusted() <= 3


def corrections(printed: Figure) -> Iterator[Decimal]:
    """Values that one slip would have turned into ``printed``, the likeliest first.

    Only values the figure's own unit and precision can express are proposed; the culprit
    search keeps those the identities accept.
    """
    p = printed.value
    with localcontext() as ctx:
        ctx.prec = PRECISION
        if p != 0:
            yield -p
        if printed.kind is Kind.RATE:
            yield p * 100
        if printed.kind is Kind.AMOUNT:
            yield p / 10000
        for k in (1, 2, 3, 4):
            yield p.scaleb(-k)
            yield p.scaleb(k)
        yield from _digit_edits(printed)


def substitutions(printed: Figure) -> Iterator[Decimal]:
    """Values one wrong digit away: too many to try blindly, cheap to filter by nearness."""
    places = printed.decimals - 2 if printed.kind is Kind.RATE else printed.decimals
    shown = _shown(printed.value, printed.kind)
    digits = _digits(shown, places)
    sign = -1 if shown < 0 else 1
    for i, old in enumerate(digits):
        for new in "0123456789":
            if new != old:
                changed = digits[:i] + new + digits[i + 1 :]
                value = Decimal(changed).scaleb(-max(places, 0)) * sign
                yield value / 100 if printed.kind is Kind.RATE else value


def _digit_edits(printed: Figure) -> Iterator[Decimal]:
    """Swap two adjacent digits back, or drop one typed digit, keeping the decimals."""
    places = printed.decimals - 2 if printed.kind is Kind.RATE else printed.decimals
    shown = _shown(printed.value, printed.kind)
    sign = -1 if shown < 0 else 1
    with localcontext() as ctx:
        ctx.prec = PRECISION
        body = format(abs(shown).quantize(Decimal(1).scaleb(-max(places, 0))), "f")
    whole, frac = body.split(".") if "." in body else (body, "")
    variants: list[tuple[str, str]] = []
    digits = whole + frac
    cut = len(whole)
    for i in range(len(digits) - 1):
        if digits[i] != digits[i + 1]:
            swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
            variants.append((swapped[:cut], swapped[cut:]))
    for i in range(len(whole)):
        variants.append((whole[:i] + whole[i + 1 :], frac))
    if printed.decimals > USUAL_PLACES[printed.kind]:  # more decimals than usual: one extra
        for i in range(len(frac)):
            variants.append((whole, frac[:i] + frac[i + 1 :]))
    for new_whole, new_frac in variants:
        value = Decimal(f"{new_whole or '0'}.{new_frac or '0'}") * sign
        yield value / 100 if printed.kind is Kind.RATE else value
