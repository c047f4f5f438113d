"""Formula slips: a printed figure that the right inputs with a wrong formula explain.

A clerk who computes 执行率 against 年初预算数 instead of 全年预算数 types every digit right:
no digit slip names that, and blaming an innocent figure would mislead.  Each detector here
looks at a failing check and asks whether the printed figure is what a known wrong formula
gives from the report's own figures, within the rounding of the printed figure:

* **wrong denominator / numerator** — ``R == A ÷ B`` fails, but R = A ÷ B′ (or A′ ÷ B) for a
  figure B′ printed beside B (年初预算数 beside 全年预算数);
* **inverted ratio** — R = B ÷ A (编制数 ÷ 实际在职人数);
* **a part that does not belong counted in** — a count that less a figure printed beside it
  which is never part of it (离退休人数 in 实际在职人数) makes the failing checks hold.

A hypothesis proposes the corrected figure; the search (:mod:`.search`) also corrects the
figures computed from it (the 得分 derived from the wrong 执行率) and verifies the whole
against every rule.  A total not updated after a part changed and a percentage typed as a
fraction are slips of one figure and are named by :mod:`.typos`.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import TYPE_CHECKING

from ..engine.nodes import Expr, Quotient, Trace
from ..engine.values import show
from ..inputs.records import dataclass
from ..report.normalise import Figure, Kind
from .entries import Baseline, Entry, Group
from .fields import at_precision
from .tree import Path, get

if TYPE_CHECKING:
    from .trial import Budget

__all__ = ["EXCLUDED_PARTS", "Hypothesis", "hypotheses"]

PRECISION = 40
# A formula that reproduces the printed figure from the report's own figures is strong
# evidence: stronger than any single typing slip.
FORMULA = 0.9
# A count less a figure that never belongs in it: the checks then hold, but nothing shows
# the part was counted in (the clerk may simply be over establishment).
EXTRA_PART = 0.7
# Figures never counted in a count printed beside them (离退休人员 are neither 编制 nor 在职).
EXCLUDED_PARTS = {
    "实际在职人数": ("离退休人数", "遗属补助人数"),
    "编制数": ("离退休人数", "遗属补助人数"),
}


@dataclass(frozen=True, slots=True)
class Hypothesis:
    """A formula slip: what went wrong, said in words, and the corrected figure(s)."""

    kind: str
    reason: str
    plausibility: float
    changes: tuple[tuple[Path, Figure], ...]


def hypotheses(base: Baseline, group: Group, budget: Budget) -> Iterator[Hypothesis]:
    """Every formula slip that reproduces a printed figure of the group."""
    seen: set[tuple[str, tuple[tuple[Path, Decimal], ...]]] = set()
    for entry in group.entries:
        for found in (*_ratios(base, entry, budget), *_extra_parts(base, entry)):
            key = (found.kind, tuple((p, f.value) for p, f in found.changes))
            if key not in seen:
                seen.add(key)
                yield found


# --- ratios -----------------------------------------------------------------------------------


def _ratios(base: Baseline, entry: Entry, budget: Budget) -> list[Hypothesis]:
    sides = entry.sides
    if sides is None or entry.output is None:
        return []
    budget.tick()
    _, trace = entry.traced(base.report)
    rate_path = entry.output
    rate = get(base.report, rate_path)
    if not isinstance(rate, Figure) or rate.kind is not Kind.RATE:
        return []
    found = []
    for side in sides:
        quotient = next((n for n in side.walk() if isinstance(n, Quotient)), None)
        if quotient is None:
            continue
        a, b = _one(base, quotient.left, trace), _one(base, quotient.right, trace)
        if a is None or rate_path == a:
            continue
        if b is None:
            found += _one_of_the_denominator(base, rate_path, rate, a, quotient.right, trace)
        elif rate_path != b:
            found += _wrong_ratio(base, rate_path, rate, a, b)
    return found


def _one_of_the_denominator(
    base: Baseline, rate_path: Path, rate: Figure, a: Path, bottom: Expr, trace: Trace
) -> list[Hypothesis]:
    """A denominator computed from figures (上年数 = 本年数 − 增减额) where the printed rate is
    the numerator over one of them: 增减率 over 本年数 instead of over 上年数."""
    value = getattr(bottom.seen(trace), "value", None)
    top = base.figure(a)
    if not isinstance(value, Decimal) or value == 0:
        return []
    with localcontext() as ctx:
        ctx.prec = PRECISION
        right = top.value / value
    corrected = None if _reproduces(rate, right) else at_precision(right, rate, rate_path)
    if corrected is None:
        return []
    read = {p for sub in bottom.walk() for p in trace.paths.get(sub, [])}
    taken = bottom.chosen(trace) or bottom  # 本年数 - 增减额, the branch the rule took
    found = []
    shown = (show(bottom.seen(trace)), taken.source)
    for other in sorted(read - {a, rate_path}, key=str):
        figure = get(base.report, other)
        if isinstance(figure, Figure):
            found += _over(rate_path, rate, corrected, top, (other, figure), shown)
    return found


def _over(
    rate_path: Path,
    rate: Figure,
    corrected: Figure,
    top: Figure,
    wrong: tuple[Path, Figure],
    right: tuple[str, str],
) -> list[Hypothesis]:
    """The printed rate is ``top`` over the ``wrong`` figure instead of over ``right`` (its
    value as shown, its name)."""
    other, bottom = wrong
    ratio = _ratio(top, bottom)
    # A wrong figure equal to the right one's partner gives exactly 100 %: any figure that
    # happens to equal it would, so that reproduces nothing (遗属补助人数 1 beside 在职 1).
    if ratio is None or ratio == 1 or not _reproduces(rate, ratio):
        return []
    reason = (
        f"{rate_path[-1]}按{_key(other)}计算：{top.text} ÷ {bottom.text} = {rate.text}；"
        f"应为 {top.text} ÷ {right[0]}（{right[1]}）= {corrected.text}"
    )
    return [Hypothesis("wrong-denominator", reason, FORMULA, ((rate_path, corrected),))]


def _one(base: Baseline, node: Expr, trace: Trace) -> Path | None:
    """The one printed figure an operand reads, if it reads exactly one."""
    paths = {p for sub in node.walk() for p in trace.paths.get(sub, [])}
    figures = [p for p in paths if isinstance(get(base.report, p), Figure)]
    return figures[0] if len(figures) == 1 and len(paths) == 1 else None


def _wrong_ratio(
    base: Baseline, rate_path: Path, rate: Figure, a: Path, b: Path
) -> list[Hypothesis]:
    top, bottom = base.figure(a), base.figure(b)
    right = _ratio(top, bottom)
    if right is None or _reproduces(rate, right):
        return []
    corrected = at_precision(right, rate, rate_path)
    if corrected is None:
        return []
    shown = corrected.text
    name = str(rate_path[-1])
    found = []
    inverted = _ratio(bottom, top)
    if inverted is not None and _reproduces(rate, inverted):
        reason = (
            f"{name}的分子分母颠倒：按 {_key(b)} ÷ {_key(a)} 计算，{bottom.text} ÷ {top.text} = "
            f"{rate.text}；应为 {_key(a)} ÷ {_key(b)} = {shown}"
        )
        found.append(Hypothesis("inverted-ratio", reason, FORMULA, ((rate_path, corrected),)))
    for other in _beside(base, b, exclude=(a, rate_path)):
        beside = (other, base.figure(other))
        found += _over(rate_path, rate, corrected, top, beside, (bottom.text, _key(b)))
    for other in _beside(base, a, exclude=(b, rate_path)):
        wrong = _ratio(base.figure(other), bottom)
        if wrong is not None and wrong != 1 and _reproduces(rate, wrong):
            reason = (
                f"{name}按{_key(other)}计算：{base.figure(other).text} ÷ {bottom.text} = {rate.text}；"
                f"应为 {top.text}（{_key(a)}）÷ {bottom.text} = {shown}"
            )
            found.append(Hypothesis("wrong-numerator", reason, FORMULA, ((rate_path, corrected),)))
    return found


def _beside(base: Baseline, path: Path, exclude: tuple[Path, ...]) -> Iterator[Path]:
    """Figures of the same kind printed in the same block (the other columns of the row)."""
    parent = get(base.report, path[:-1])
    kind = base.figure(path).kind
    if not isinstance(parent, dict):
        return
    for key, value in parent.items():
        other = (*path[:-1], key)
        if other == path or other in exclude:
            continue
        if isinstance(value, Figure) and value.kind is kind and value.value != 0:
            yield other


def _ratio(top: Figure, bottom: Figure) -> Decimal | None:
    if bottom.value == 0:
        return None
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return top.value / bottom.value


def _reproduces(printed: Figure, value: Decimal) -> bool:
    """The printed figure is ``value`` as printed: correctly rounded, or within its rounding."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        rounded = value.quantize(Decimal(1).scaleb(-printed.decimals), ROUND_HALF_UP)
    return rounded == printed.value or printed.lo <= value <= printed.hi


def _key(path: Path) -> str:
    return str(path[-1])


# --- parts that do not belong -----------------------------------------------------------------


def _extra_parts(base: Baseline, entry: Entry) -> Iterator[Hypothesis]:
    for path in entry.figures:
        excluded = EXCLUDED_PARTS.get(str(path[-1]))
        count = get(base.report, path)
        if excluded is None or not isinstance(count, Figure) or count.kind is not Kind.COUNT:
            continue
        parent = get(base.report, path[:-1])
        for key in excluded:
            part = parent.get(key) if isinstance(parent, dict) else None
            if not isinstance(part, Figure) or part.value <= 0 or part.value > count.value:
                continue
            value = count.value - part.value
            corrected = Figure(value, 0, Kind.COUNT, True, format(value, "f"))
            reason = (
                f"{path[-1]}计入了{key.removesuffix('人数')}人员：{count.text} − {key} "
                f"{part.text} = {corrected.text}"
            )
            kind = "retirees-in-staff" if "离退休" in key else "extra-part"
            yield Hypothesis(kind, reason, EXTRA_PART, ((path, corrected),))
