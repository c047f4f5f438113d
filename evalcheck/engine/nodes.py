"""Compiled expressions: one class per kind of node, each evaluating and explaining itself.

As pytest's assertion rewriting pairs each sub-expression's value with its text, every node
computes its value (:meth:`Expr.evaluate`) and shows itself with the values it saw substituted
(:meth:`Expr.substitute`); both are abstract, so no node kind goes unexplained.  Evaluation
takes an optional :class:`Trace`: without one (every check, the first time) nothing is
recorded; with one (a failing check, evaluated again) every node records its value and every
lookup the key paths it read.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from .helpers import Helper
from .lookup import Env, Lookup, Path
from .operators import DIV, MUL, SUB, Operator, Relation
from .trace import Trace
from .types import ValueKind
from .values import EvalError, Quantity, number, show, truth

__all__ = [
    "Arithmetic",
    "Call",
    "Conditional",
    "Constant",
    "Expr",
    "Logic",
    "LoopVariable",
    "Not",
    "Quotient",
    "Read",
    "Sign",
    "Trace",
]


class Expr(ABC):
    """A compiled sub-expression: its static kind and its text in the rule."""

    __slots__ = ("children", "kind", "source")

    def __init__(self, kind: ValueKind, source: str, children: tuple[Expr, ...] = ()) -> None:
        self.kind = kind
        self.source = source
        self.children = children

    @abstractmethod
    def evaluate(self, env: Env, trace: Trace | None = None) -> Any:
        """The value at one place; with a trace, also record what was seen."""

    def __call__(self, env: Env, trace: Trace | None = None) -> Any:
        return self.evaluate(env, trace)

    def walk(self) -> Iterator[Expr]:
        yield self
        for child in self.children:
            yield from child.walk()

    # --- explaining a traced evaluation ------------------------------------------------------

    @abstractmethod
    def substitute(self, trace: Trace) -> str:
        """The expression with every figure replaced by its printed value."""

    def seen(self, trace: Trace) -> Any:
        """The value this node had in the traced evaluation (None if it was not reached)."""
        return trace.values.get(self)

    @property
    def simple(self) -> bool:
        """Shown by its value alone, without ``expression = value``."""
        return False

    @property
    def atomic(self) -> bool:
        """Its substituted text needs no parentheses under a sign."""
        return False

    def side(self, trace: Trace) -> str:
        """One side of a failed comparison: ``303.93 + 280.95 = 584.88``, or just ``586.88``."""
        chosen = self.chosen(trace)
        if chosen is not None:
            return chosen.side(trace)
        shown = show(self.seen(trace))
        return shown if self.simple else f"{self.substitute(trace)} = {shown}"

    def chosen(self, trace: Trace) -> Expr | None:
        """The child whose value is this node's value, when the node only picks one."""
        return None

    def wrapped(self, parent: Operator, trace: Trace, right: bool = False) -> str:
        """The substituted text as an operand of ``parent``, in parentheses where needed."""
        text = self.substitute(trace)
        return f"({text})" if self.loose(parent, right) else text

    def loose(self, parent: Operator, right: bool) -> bool:
        return False

    def pairs(self) -> Iterator[tuple[Expr, Relation, Expr]]:
        """The comparisons this node makes (only a comparison chain makes any)."""
        return iter(())

    def claim(self, trace: Trace, negated: bool = False) -> str | None:
        """A failed check said in words (``预算执行.说明 为空白``), where a node can."""
        return None

    def passed_over(self, trace: Trace) -> tuple[Expr, ...]:
        """Children whose values the result did not use (blank alternatives of coalesce)."""
        return ()

    def figures(self, trace: Trace) -> Iterator[tuple[Path, Any]]:
        """The report figures this node itself read: (key path, value)."""
        return iter(())

    @property
    def sides(self) -> tuple[Expr, Expr] | None:
        """The two sides, when this is one equality ``a == b``."""
        return None

    @property
    def adds(self) -> bool:
        """Adds figures up (``a + b - c``, ``sum(…)``): one side of a printed total."""
        return False


class Constant(Expr):
    """A number, a text, a truth value written in the rule."""

    __slots__ = ("value",)

    def __init__(self, value: Any, kind: ValueKind, source: str) -> None:
        super().__init__(kind, source)
        self.value = value

    def evaluate(self, env: Env, trace: Trace | None = None) -> Any:
        return self.value

    def seen(self, trace: Trace) -> Any:
        return self.value

    @property
    def simple(self) -> bool:
        return True

    @property
    def atomic(self) -> bool:
        return True

    def substitute(self, trace: Trace) -> str:
        return self.source


class Read(Expr):
    """A key path of the report, of the scope item or of the rule's parameters."""

    __slots__ = ("lookup",)

    def __init__(self, lookup: Lookup, kind: ValueKind, source: str) -> None:
        super().__init__(kind, source)
        self.lookup = lookup

    def evaluate(self, env: Env, trace: Trace | None = None) -> Any:
        lookup = self.lookup
        if trace is None:
            return lookup(env)
        pairs = lookup.resolve(env)
        trace.paths[self] = [p for _, p in pairs]
        result = lookup.value(pairs)
        trace.values[self] = result
        return result

    @property
    def simple(self) -> bool:
        return not self.lookup.fan_out

    @property
    def atomic(self) -> bool:
        return not self.lookup.fan_out

    def substitute(self, trace: Trace) -> str:
        if self not in trace.values:
            return self.source  # not reached: ``or`` stopped before it
        value = trace.values[self]
        if isinstance(value, list):
            return " + ".join(show(v) for v in value if v is not None) or show(None)
        return show(value)

    def loose(self, parent: Operator, right: bool) -> bool:
        return self.lookup.fan_out and parent in (MUL, DIV, SUB)

    def figures(self, trace: Trace) -> Iterator[tuple[Path, Any]]:
        if not self.lookup.figure:
            return
        values = trace.values.get(self)
        listed = values if isinstance(values, list) else [values]
        yield from zip(trace.paths.get(self, []), listed, strict=False)


class LoopVariable(Read):
    """A ``for_each`` variable on its own: its value in the current combination."""

    __slots__ = ()

    def evaluate(self, env: Env, trace: Trace | None = None) -> Any:
        value = env.bindings[self.source]
        if trace is not None:
            trace.values[self] = value
        return value


class Arithmetic(Expr):
    """``a + b``, ``a - b``, ``a × b`` on quantities, rounding intervals carried along."""

    __slots__ = ("left", "operator", "right")

    def __init__(self, operator: Operator, left: Expr, right: Expr, source: str) -> None:
        super().__init__(ValueKind.NUMBER, source, (left, right))
        self.operator = operator
        self.left = left
        self.right = right

    def evaluate(self, env: Env, trace: Trace | None = None) -> Quantity:
        a = number(self.left.evaluate(env, trace), self.left.source)
        result = self.operator.apply(a, number(self.right.evaluate(env, trace), self.right.source))
        if trace is not None:
            trace.values[self] = result
        return result

    def chosen(self, trace: Trace) -> Expr | None:
        """The operand shown alone beside a parameter at its neutral value (容差 0)."""
        neutral = Decimal(0) if self.operator.additive else Decimal(1)
        commutes = self.operator.symbol in "+×"
        for fixed, other, may in ((self.right, self.left, True), (self.left, self.right, commutes)):
            if may and _neutral(fixed, trace, neutral):
                return (other.chosen(trace) if isinstance(other, Arithmetic) else None) or other
        return None

    def wrapped(self, parent: Operator, trace: Trace, right: bool = False) -> str:
        kept = self.chosen(trace)
        if kept is None:
            return super().wrapped(parent, trace, right)
        return kept.wrapped(parent, trace, right)

    def substitute(self, trace: Trace) -> str:
        if (kept := self.chosen(trace)) is not None:
            return kept.substitute(trace)
        op = self.operator
        left, right = self.left.wrapped(op, trace), self.right.wrapped(op, trace, right=True)
        if isinstance(self.right, Read) and right.startswith("-"):
            right = f"({right})"  # 9.07 - (-0.71): a negative figure as printed, not a sign
        return f"{left} {op.symbol} {right}"

    def loose(self, parent: Operator, right: bool) -> bool:
        return self.operator.additive and (not parent.additive or (right and parent is SUB))

    @property
    def adds(self) -> bool:
        return self.operator.additive


def _neutral(node: Expr, trace: Trace, neutral: Decimal) -> bool:
    """A rule parameter (or a constant it left alone, as in ``1 + 参数.容差``) at ``neutral``."""
    if isinstance(node, Arithmetic):
        node = node.chosen(trace)  # type: ignore[assignment]
        if not isinstance(node, Constant):
            return False
    elif not (isinstance(node, Read) and node.source.startswith("参数.")):
        return False
    value = getattr(node.seen(trace), "value", node.seen(trace))  # a Quantity's number
    return isinstance(value, int | Decimal) and not isinstance(value, bool) and value == neutral


class Quotient(Arithmetic):
    """``a / b``: a printed zero denominator is a finding of its own; a denominator that is
    not printed makes the rule not applicable, like any absent value."""

    __slots__ = ()

    def evaluate(self, env: Env, trace: Trace | None = None) -> Quantity:
        a = number(self.left.evaluate(env, trace), self.left.source)
        b = number(self.right.evaluate(env, trace), self.right.source)  # None: not applicable
        if b.value == 0:
            raise EvalError(f"分母「{self.right.source}」为零")
        result = a / b
        if trace is not None:
            trace.values[self] = result
        return result


class Sign(Expr):
    """``-a`` and ``+a``."""

    __slots__ = ("minus", "operand")

    def __init__(self, minus: bool, operand: Expr, source: str) -> None:
        super().__init__(ValueKind.NUMBER, source, (operand,))
        self.minus = minus
        self.operand = operand

    def evaluate(self, env: Env, trace: Trace | None = None) -> Quantity:
        value = number(self.operand.evaluate(env, trace), self.operand.source)
        result = -value if self.minus else value
        if trace is not None:
            trace.values[self] = result
        return result

    @property
    def simple(self) -> bool:
        return self.operand.simple and self.operand.atomic

    def substitute(self, trace: Trace) -> str:
        text = self.operand.substitute(trace)
        sign = "-" if self.minus else "+"
        return f"{sign}{text}" if self.operand.atomic else f"{sign}({text})"


class Not(Expr):
    """``not a``."""

    __slots__ = ("operand",)

    def __init__(self, operand: Expr, source: str) -> None:
        super().__init__(ValueKind.BOOL, source, (operand,))
        self.operand = operand

    def evaluate(self, env: Env, trace: Trace | None = None) -> bool:
        result = not truth(self.operand.evaluate(env, trace), self.operand.source)
        if trace is not None:
            trace.values[self] = result
        return result

    def substitute(self, trace: Trace) -> str:
        text = self.operand.substitute(trace)
        return f"not ({text})" if isinstance(self.operand, Logic) else f"not {text}"

    def claim(self, trace: Trace, negated: bool = False) -> str | None:
        return None if negated else self.operand.claim(trace, negated=True)


class Logic(Expr):
    """``a and b and …``, ``a or b or …``: stops at the first part that decides."""

    __slots__ = ("conjunction", "parts")

    def __init__(self, conjunction: bool, parts: list[Expr], source: str) -> None:
        super().__init__(ValueKind.BOOL, source, tuple(parts))
        self.conjunction = conjunction  # and (True) or or (False)
        self.parts = self.children

    def evaluate(self, env: Env, trace: Trace | None = None) -> bool:
        decided = self.conjunction
        for part in self.parts:
            if truth(part.evaluate(env, trace), part.source) != decided:
                decided = not decided
                break
        if trace is not None:
            trace.values[self] = decided
        return decided

    def substitute(self, trace: Trace) -> str:
        word = " and " if self.conjunction else " or "
        return word.join(self._part(p, trace) for p in self.parts)

    def _part(self, part: Expr, trace: Trace) -> str:
        text = part.substitute(trace)
        return f"({text})" if isinstance(part, Logic) else text

    def claim(self, trace: Trace, negated: bool = False) -> str | None:
        """In words when each deciding part says itself (a failed ``or``: all its parts)."""
        value = self.seen(trace)
        deciding = [p for p in self.parts if p.seen(trace) is value]
        said = [p.claim(trace, value) for p in deciding[: None if value == self.conjunction else 1]]
        return None if not said or None in said else "，".join(map(str, said))


class Call(Expr):
    """``sum(…)``, ``coalesce(…)``, …: a helper from the explicit table in :mod:`.helpers`."""

    __slots__ = ("args", "helper", "name", "sources")

    def __init__(self, name: str, helper: Helper, args: list[Expr], source: str) -> None:
        super().__init__(helper.returns, source, tuple(args))
        self.name = name
        self.helper = helper
        self.args = self.children
        self.sources = tuple(a.source for a in args)

    def evaluate(self, env: Env, trace: Trace | None = None) -> Any:
        values = [a.evaluate(env, trace) for a in self.args]
        result = self.helper.fn(values, self.sources)
        if trace is not None:
            trace.values[self] = result
        return result

    @property
    def atomic(self) -> bool:
        return True

    def chosen(self, trace: Trace) -> Expr | None:
        picked = (a for a in self.args if a.seen(trace) is not None)
        return next(picked, None) if self.helper.picks else None

    def wrapped(self, parent: Operator, trace: Trace, right: bool = False) -> str:
        """``sum(a[*])`` and ``coalesce(…)`` show their argument's text, so they need its
        parentheses: ``469500 ÷ (2476260.58 + 469500)``, not ``469500 ÷ 2476260.58 + 469500``."""
        if self.helper.adds and len(self.args) == 1:
            return self.args[0].wrapped(parent, trace, right)
        if self.helper.picks:
            return (self.chosen(trace) or self.args[0]).wrapped(parent, trace, right)
        return super().wrapped(parent, trace, right)

    def substitute(self, trace: Trace) -> str:
        if self.helper.adds and len(self.args) == 1:
            return self.args[0].substitute(trace)
        if self.helper.picks:
            return (self.chosen(trace) or self.args[0]).substitute(trace)
        shown = self._call(trace)
        value = self.seen(trace)
        if value is None or isinstance(value, bool):
            return shown
        return f"{shown}→{show(value)}"

    def _call(self, trace: Trace) -> str:
        return f"{self.name}({', '.join(a.substitute(trace) for a in self.args)})"

    def side(self, trace: Trace) -> str:  # a whole side shows its value once: min(…) = 9.752
        value, alone = self.seen(trace), (self.helper.adds and len(self.args) == 1)
        if alone or self.helper.picks or value is None or isinstance(value, bool):
            return super().side(trace)
        return f"{self._call(trace)} = {show(value)}"

    def claim(self, trace: Trace, negated: bool = False) -> str | None:
        presence = self.helper.presence
        if presence is None:
            return None
        (arg,) = self.args
        if presence != negated:  # the check failed: the opposite of its claim holds
            return f"{arg.source} 为空白"
        return f"{arg.source} 已填写：{show(arg.seen(trace))}"

    def passed_over(self, trace: Trace) -> tuple[Expr, ...]:
        return (
            tuple(a for a in self.args if a is not self.chosen(trace)) if self.helper.picks else ()
        )

    @property
    def adds(self) -> bool:
        return self.helper.adds


class Conditional(Expr):
    """``a if condition else b``."""

    __slots__ = ("body", "orelse", "test")

    def __init__(self, test: Expr, body: Expr, orelse: Expr, source: str) -> None:
        kind = body.kind if body.kind == orelse.kind else ValueKind.ANY
        super().__init__(kind, source, (test, body, orelse))
        self.test = test
        self.body = body
        self.orelse = orelse

    def evaluate(self, env: Env, trace: Trace | None = None) -> Any:
        held = truth(self.test.evaluate(env, trace), self.test.source)
        result = (self.body if held else self.orelse).evaluate(env, trace)
        if trace is not None:
            trace.values[self] = result
        return result

    def chosen(self, trace: Trace) -> Expr | None:
        decided = self.test.seen(trace)
        return None if decided is None else (self.body if decided else self.orelse)

    def wrapped(self, parent: Operator, trace: Trace, right: bool = False) -> str:
        """The branch taken, in parentheses as that branch needs them (``41 - -4`` under ÷)."""
        taken = self.chosen(trace)
        return (
            f"({self.substitute(trace)})" if taken is None else taken.wrapped(parent, trace, right)
        )

    def substitute(self, trace: Trace) -> str:
        taken = self.chosen(trace)
        if taken is not None:
            return taken.substitute(trace)
        body, test = self.body.substitute(trace), self.test.substitute(trace)
        return f"{body} if {test} else {self.orelse.substitute(trace)}"
