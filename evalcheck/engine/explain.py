"""Introspection of a failing check: every operand's value and the arithmetic, as a label.

Given the trace of a re-evaluated check, this finds the comparison that failed (or held only
within rounding) and writes it the way a finance officer would check it by hand:
``586.88 ≠ 303.93 + 282.95 = 586.87，差 0.01``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..report.normalise import Target
from .expr import Env, Node, Path, Trace, compare
from .values import EvalError, Missing, Quantity, difference, display

if TYPE_CHECKING:
    from .pack import Rule

__all__ = ["Explanation", "Operand", "explain"]

_NEGATED = {"==": "≠", "!=": "=", "<": "≥", "<=": ">", ">": "≤", ">=": "<"}
_SYMBOL = {"==": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}


@dataclass(frozen=True, slots=True)
class Operand:
    """One figure the check used: its name in the rule, its value as printed, its key path."""

    source: str
    display: str
    path: Path


@dataclass(slots=True)
class Explanation:
    label: str
    operands: list[Operand] = field(default_factory=list)
    primary: Path | None = None
    left: str | None = None
    right: str | None = None
    difference: str | None = None


def explain(rule: Rule, trace: Trace, status: str, env: Env) -> Explanation:
    culprit = _culprit(rule.check, trace, status, env)
    operands = _operands(rule.check, trace)
    if culprit is None:
        label = _statement(rule.check, trace)
        primary_side: Node = rule.check
        result = Explanation(label, operands)
    else:
        left, symbol, right = culprit
        result = _comparison(left, symbol, right, trace, status)
        result.operands = operands
        primary_side = left
    result.primary = _primary(rule, env, primary_side, trace, operands)
    return result


def _value(node: Node, trace: Trace) -> Any:
    if node.id in trace.values:
        return trace.values[node.id]
    if not node.children and node.lookup is None:
        try:
            return node.fn(None, None)  # type: ignore[arg-type]  # a constant ignores its env
        except Exception:  # pragma: no cover - constants do not fail
            return None
    return None


def _culprit(check: Node, trace: Trace, status: str, env: Env) -> tuple[Node, str, Node] | None:
    """The first comparison pair that failed, or that held only within rounding."""
    for node in check.walk():
        if node.op.split(" ")[0] not in _NEGATED or node.lookup is not None or node.kind != "bool":
            continue
        ops = node.op.split(" ")
        for symbol, left, right in zip(ops, node.children, node.children[1:], strict=False):
            a, b = _value(left, trace), _value(right, trace)
            if a is None or b is None:
                continue
            probe = Env(env.root, env.item, env.prefix, env.params, env.bindings)
            try:
                held = compare(a, symbol, b, left.source, right.source, None, probe)
            except (Missing, EvalError):
                continue
            if status == "fail" and not held:
                return left, symbol, right
            if status == "rounding" and held and probe.rounding:
                return left, symbol, right
    return None


def _comparison(left: Node, symbol: str, right: Node, trace: Trace, status: str) -> Explanation:
    a, b = _value(left, trace), _value(right, trace)
    left_text, right_text = _side(left, a, trace), _side(right, b, trace)
    gap = None
    if isinstance(a, Quantity) and isinstance(b, Quantity) and symbol in ("==", "!="):
        gap = difference(a, b)
    if status == "rounding":
        label = f"{left_text} ≈ {right_text}，差 {gap}，在尾数误差范围内"
    else:
        label = f"{left_text} {_NEGATED[symbol]} {right_text}"
        if gap is not None and symbol == "==":
            label += f"，差 {gap}"
    return Explanation(label, left=_show(a), right=_show(b), difference=gap)


def _side(node: Node, value: Any, trace: Trace) -> str:
    if node.op == "coalesce":
        chosen = next((c for c in node.children if _value(c, trace) is not None), None)
        if chosen is not None:
            return _side(chosen, _value(chosen, trace), trace)
    shown = _show(value)
    if _is_simple(node):
        return shown
    return f"{_substitute(node, trace)} = {shown}"


def _is_simple(node: Node) -> bool:
    return (node.lookup is not None and not node.lookup.fan_out) or (
        not node.children and node.lookup is None
    )


def _substitute(node: Node, trace: Trace) -> str:
    """The expression with every figure replaced by its printed value."""
    if node.lookup is not None:
        value = _value(node, trace)
        if isinstance(value, list):
            return " + ".join(_show(v) for v in value if v is not None) or "（空白）"
        return _show(value)
    if not node.children:
        return node.source
    if node.op in ("+", "-", "×", "÷"):
        left, right = node.children
        return f"{_wrap(left, node.op, trace)} {node.op} {_wrap(right, node.op, trace, True)}"
    if node.op == "sum" and len(node.children) == 1:
        return _substitute(node.children[0], trace)
    if node.op == "coalesce":
        chosen = next((c for c in node.children if _value(c, trace) is not None), node.children[0])
        return _substitute(chosen, trace)
    if node.op == "not":
        return f"not {_substitute(node.children[0], trace)}"
    if node.op in ("and", "or"):
        return f" {node.op} ".join(_substitute(c, trace) for c in node.children)
    if node.op.split(" ")[0] in _SYMBOL:
        parts = [_substitute(node.children[0], trace)]
        for symbol, child in zip(node.op.split(" "), node.children[1:], strict=False):
            parts.append(f"{_SYMBOL[symbol]} {_substitute(child, trace)}")
        return " ".join(parts)
    args = ", ".join(_substitute(c, trace) for c in node.children)
    value = _value(node, trace)
    shown = f"{node.op}({args})"
    return f"{shown}→{_show(value)}" if value is not None and not isinstance(value, bool) else shown


def _wrap(node: Node, parent: str, trace: Trace, right: bool = False) -> str:
    text = _substitute(node, trace)
    loose = node.op in ("+", "-") and (parent in ("×", "÷") or (right and parent == "-"))
    if loose or (node.lookup is not None and node.lookup.fan_out and parent in ("×", "÷", "-")):
        return f"({text})"
    return text


def _statement(check: Node, trace: Trace) -> str:
    """A check that is not a comparison: say what was found, in words where we can."""
    node = check
    negated = False
    if node.op == "not":
        node, negated = node.children[0], True
    if node.op in ("blank", "exists") and node.children:
        arg = node.children[0]
        empty = (node.op == "exists") != negated  # the check failed: the opposite of its claim
        value = _value(arg, trace)
        return f"{arg.source} {'为空白' if empty else '已填写：' + _show(value)}"
    return f"不成立：{_substitute(check, trace)}"


def _operands(check: Node, trace: Trace) -> list[Operand]:
    seen: set[Path] = set()
    operands: list[Operand] = []
    unused = _unused_alternatives(check, trace)
    for node in check.walk():
        if node.lookup is None or node.lookup.base in ("params", "binding") or node.id in unused:
            continue
        values = trace.values.get(node.id)
        paths = trace.paths.get(node.id, [])
        listed = values if isinstance(values, list) else [values]
        for path, value in zip(paths, listed, strict=False):
            if path in seen:
                continue
            seen.add(path)
            operands.append(Operand(node.source, _show(value), path))
    return operands


def _unused_alternatives(check: Node, trace: Trace) -> set[int]:
    """Blank alternatives that ``coalesce`` passed over are not figures the check used."""
    unused: set[int] = set()
    for node in check.walk():
        if node.op == "coalesce":
            chosen = next((c for c in node.children if _value(c, trace) is not None), None)
            unused.update(c.id for c in node.children if c is not chosen)
    return unused


def _primary(
    rule: Rule, env: Env, side: Node, trace: Trace, operands: list[Operand]
) -> Path | None:
    if rule.at is not None:
        pairs = rule.at.resolve(env)
        if pairs:
            return pairs[0][1]
    for node in side.walk():
        paths = trace.paths.get(node.id)
        if paths:
            return paths[0]
    if operands:
        return operands[0].path
    return env.prefix or None


def _show(value: Any) -> str:
    if value is None:
        return "（空白）"
    if isinstance(value, Quantity):
        return display(value)
    if isinstance(value, Target):
        return value.text
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(_show(v) for v in value)
    return str(value)
