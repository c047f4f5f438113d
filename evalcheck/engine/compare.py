"""Comparisons that know about rounding: ``==`` between a printed figure and a computed value
holds when the intervals they stand for overlap (586.88 = 303.93 + 282.94 within a cent), and
the comparison is then recorded so the outcome can say it held only within rounding.  Two
printings of one figure at one precision (``1204`` and ``1205`` 万元) must be identical.

:class:`Comparison` is the node of a comparison chain (``0 <= 得分 <= 分值``); the other kinds
of node are in :mod:`.nodes`."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from ..report.normalise import Figure, Target
from .lookup import Env
from .nodes import Expr, Trace
from .operators import EQ, Relation
from .types import ValueKind
from .values import EvalError, Missing, Quantity

__all__ = ["Comparison", "compare", "printed_alike"]


def compare(
    left: Any,
    relation: Relation,
    right: Any,
    left_source: str,
    right_source: str,
    tolerance: Decimal | None,
    env: Env,
) -> bool:
    """One comparison; ``==`` between numbers holds when the rounding intervals overlap."""
    if left is None:
        raise Missing(left_source)
    if right is None:
        raise Missing(right_source)
    if isinstance(left, Target) and left.figure is not None and isinstance(right, Quantity):
        left = left.figure
    if isinstance(right, Target) and right.figure is not None and isinstance(left, Quantity):
        right = right.figure
    if isinstance(left, Quantity) and isinstance(right, Quantity):
        return _numbers(left, relation, right, tolerance, env)
    if isinstance(left, (str, Target)) and isinstance(right, (str, Target)):
        if not relation.equality:
            raise EvalError(f"文字「{left}」与「{right}」不能比较大小")
        return bool(relation.test(str(left), str(right)))
    if isinstance(left, bool) and isinstance(right, bool) and relation.equality:
        return bool(relation.test(left, right))
    raise EvalError(f"「{left_source}」与「{right_source}」类型不同，无法比较")


def _numbers(
    a: Quantity, relation: Relation, b: Quantity, tolerance: Decimal | None, env: Env
) -> bool:
    if not relation.equality:
        return bool(relation.test(a.value, b.value))
    if a.value == b.value or correctly_rounded(a, b) or correctly_rounded(b, a):
        same = True
    elif tolerance is not None:
        same = abs(a.value - b.value) <= tolerance
    elif printed_alike(a, b):
        same = False  # one number printed twice: rounding cannot make 1204 of 1205
    else:
        same = a.overlaps(b)
        if same:
            env.rounding.append((a, b))
    return same == (relation is EQ)


def correctly_rounded(printed: Quantity, computed: Quantity) -> bool:
    """``printed`` is a figure of the report and is exactly ``computed`` rounded half up to the
    decimals it is printed with (94.74% for 18 ÷ 19 = 94.7368…%): simply correct, no note.

    Rounding intervals are for a printed figure that differs from its computation in the last
    digit by more than rounding the exact value explains (586.88 against parts adding to
    586.87): that is 尾数误差, worth a note."""
    if not isinstance(printed, Figure) or printed.exact or isinstance(computed, Figure):
        return False
    places = printed.decimals  # a rate keeps its decimals as a fraction: 94.74% has 4
    try:
        rounded = computed.value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # far beyond the precision of any printed figure
        return False
    return rounded == printed.value


def printed_alike(a: Quantity, b: Quantity) -> bool:
    """Two figures as printed, of one kind, at one precision: two printings of one number.

    Rounding intervals are for computed values (a sum of rounded parts, a ratio); the same
    figure printed twice at the same precision — a table cell and its repetition in prose or
    in another table — is the same rounded number, so it must be identical.
    """
    return (
        a.__class__ is Figure
        and b.__class__ is Figure
        and a.kind is b.kind
        and a.decimals == b.decimals
    )


class Comparison(Expr):
    """``a == b``, ``0 <= a <= b``: a chain of comparisons, each within rounding."""

    __slots__ = ("relations", "terms", "tolerance")

    def __init__(
        self,
        operands: list[Expr],
        relations: list[Relation],
        tolerance: Decimal | None,
        source: str,
    ) -> None:
        super().__init__(ValueKind.BOOL, source, tuple(operands))
        self.terms = self.children
        self.relations = tuple(relations)
        self.tolerance = tolerance  # a rule's explicit tolerance replaces rounding intervals

    def evaluate(self, env: Env, trace: Trace | None = None) -> bool:
        first = self.terms[0]
        left = first.evaluate(env, trace)
        left_source = first.source
        result = True
        for relation, node in zip(self.relations, self.terms[1:], strict=True):
            right = node.evaluate(env, trace)
            if not compare(left, relation, right, left_source, node.source, self.tolerance, env):
                result = False
                break
            left, left_source = right, node.source
        if trace is not None:
            trace.values[self] = result
        return result

    def pairs(self) -> Iterator[tuple[Expr, Relation, Expr]]:
        nodes = self.terms
        return zip(nodes, self.relations, nodes[1:], strict=False)

    def substitute(self, trace: Trace) -> str:
        parts = [self.terms[0].substitute(trace)]
        for relation, node in zip(self.relations, self.terms[1:], strict=False):
            parts.append(f"{relation.shown} {node.substitute(trace)}")
        return " ".join(parts)

    @property
    def sides(self) -> tuple[Expr, Expr] | None:
        if self.relations == (EQ,):
            return self.terms[0], self.terms[1]
        return None
