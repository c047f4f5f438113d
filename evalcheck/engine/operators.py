"""The operators of the rule language: arithmetic on quantities and comparisons.

Each is a value with what it does and how an explanation writes it, so nothing downstream
switches on operator strings.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from ..inputs.records import dataclass
from .values import Quantity

__all__ = ["ADD", "DIV", "EQ", "MUL", "NE", "RELATIONS", "SUB", "Operator", "Relation"]


@dataclass(frozen=True, slots=True, eq=False)
class Operator:
    """``+ - × ÷`` (shown as such; ``*`` and ``/`` in the rule)."""

    symbol: str
    apply: Callable[[Quantity, Quantity], Quantity]
    additive: bool


ADD = Operator("+", Quantity.__add__, True)
SUB = Operator("-", Quantity.__sub__, True)
MUL = Operator("×", Quantity.__mul__, False)
DIV = Operator("÷", Quantity.__truediv__, False)


@dataclass(frozen=True, slots=True, eq=False)
class Relation:
    """A comparison operator: as written in a rule, as shown in a label, and its opposite."""

    written: str  # == in the rule
    shown: str  # = in an explanation
    negated: str  # ≠ in the label of a failed check
    test: Callable[[Any, Any], bool]

    @property
    def equality(self) -> bool:
        """``==`` or ``!=``: compared within rounding, and the only ones texts allow."""
        return self.written in ("==", "!=")


EQ = Relation("==", "=", "≠", operator.eq)
NE = Relation("!=", "≠", "=", operator.ne)
RELATIONS: dict[str, Relation] = {
    r.written: r
    for r in (
        EQ,
        NE,
        Relation("<", "<", "≥", operator.lt),
        Relation("<=", "≤", ">", operator.le),
        Relation(">", ">", "≤", operator.gt),
        Relation(">=", "≥", "<", operator.ge),
    )
}
