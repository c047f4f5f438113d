"""Introspection of a failing check: every operand's value and the arithmetic, as a label.

Given the trace of a re-evaluated check, this finds the comparison that failed (or held only
within rounding) and writes it the way a finance officer would check it by hand:
``586.88 ≠ 303.93 + 282.95 = 586.87，差 0.01``.  How each part of the check is shown is up to
its node (:mod:`.nodes`); this module only picks the part and frames it.
"""

from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING

from ..inputs.records import dataclass
from .compare import compare
from .lookup import Env, Path
from .nodes import Conditional, Expr, Trace
from .operators import EQ, Relation
from .values import EvalError, Missing, Quantity, difference, show

if TYPE_CHECKING:
    from .pack import Rule

__all__ = ["Explanation", "Operand", "explain"]


@dataclass(frozen=True, slots=True)
class Operand:
    """One figure the check used: its name in the rule, its value as printed, its key path."""

    source: str
    display: str
    path: Path
    blank: bool = False  # the report has no value there (absent or empty)


@dataclass(slots=True)
class Explanation:
    """A failed check in words: its label, the figures it read and where it points."""

    label: str
    operands: list[Operand] = field(default_factory=list)
    primary: Path | None = None
    left: str | None = None
    right: str | None = None
    difference: str | None = None


def explain(rule: Rule, trace: Trace, rounding: bool, env: Env) -> Explanation:
    """The label of a check that failed (``rounding``: that held only within rounding)."""
    culprit = _culprit(rule.check, trace, rounding, env)
    operands = _operands(rule.check, trace)
    if culprit is None:
        said = rule.check.claim(trace)
        label = said if said is not None else f"不成立：{rule.check.substitute(trace)}"
        primary_side = rule.check
        result = Explanation(label, operands)
    else:
        left, relation, right = culprit
        result = _comparison(left, relation, right, trace, rounding)
        result.operands = operands
        primary_side = left
    result.primary = _primary(rule, env, primary_side, trace, operands)
    return result


def _culprit(
    check: Expr, trace: Trace, rounding: bool, env: Env
) -> tuple[Expr, Relation, Expr] | None:
    """The first comparison pair that failed, or that held only within rounding."""
    for node in check.walk():
        for left, relation, right in node.pairs():
            a, b = left.seen(trace), right.seen(trace)
            if a is None or b is None:
                continue
            probe = env.again()
            try:
                held = compare(a, relation, b, left.source, right.source, None, probe)
            except (Missing, EvalError):
                continue
            if not rounding and not held:
                return left, relation, right
            if rounding and held and probe.rounding:
                return left, relation, right
    return None


def _comparison(
    left: Expr, relation: Relation, right: Expr, trace: Trace, rounding: bool
) -> Explanation:
    a, b = left.seen(trace), right.seen(trace)
    left_text, right_text = left.side(trace), right.side(trace)
    gap = None
    if isinstance(a, Quantity) and isinstance(b, Quantity) and relation.equality:
        gap = difference(a, b)
    if rounding:
        label = f"{left_text} ≈ {right_text}，差 {gap}，在尾数误差范围内"
    else:
        label = f"{left_text} {relation.negated} {right_text}"
        if gap is not None and relation is EQ:
            label += f"，差 {gap}"
    return Explanation(label, left=show(a), right=show(b), difference=gap)


def _operands(check: Expr, trace: Trace) -> list[Operand]:
    seen: set[Path] = set()
    operands: list[Operand] = []
    unused = {id(n) for node in check.walk() for n in node.passed_over(trace)}
    # An optional column that only decides a branch (指标类型 in ``0 if contains(…) else …``)
    # is not shown where it is left blank: a clerk has nothing to fill in there.
    tests = {id(n) for c in check.walk() if isinstance(c, Conditional) for n in c.test.walk()}
    for node in check.walk():
        if id(node) in unused:
            continue
        for path, value in node.figures(trace):
            if path in seen or (value is None and id(node) in tests):
                continue
            seen.add(path)
            operands.append(Operand(node.source, show(value), path, value is None))
    return operands


def _primary(
    rule: Rule, env: Env, side: Expr, trace: Trace, operands: list[Operand]
) -> Path | None:
    pairs = rule.at.resolve(env) if rule.at is not None else []
    if pairs and pairs[0][0] is not None:
        return pairs[0][1]
    # The rule's ``at:`` is blank or absent (no 总分 row): a figure the side read, if any.
    for node in side.walk():
        paths, seen = trace.paths.get(node), node.seen(trace)
        if paths and seen is not None and seen != [None] * len(paths):
            return paths[0]
    if pairs:
        return pairs[0][1]
    for node in side.walk():
        paths = trace.paths.get(node)
        if paths:
            return paths[0]
    if operands:
        return operands[0].path
    return env.prefix or None
