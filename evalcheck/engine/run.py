"""Running compiled rules over a report: one outcome per rule, scope item and loop binding.

The fast path evaluates each check without recording anything.  Only a check that fails, or
holds only within rounding, is evaluated again with a :class:`Trace`, so a clean report pays
nothing for the introspection that explains a failure.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..report.normalise import normalise_report
from .explain import Explanation, explain
from .expr import Env, Lookup, Path, Trace
from .pack import Rule
from .values import EvalError, Missing, display

__all__ = ["Outcome", "OutcomeKey", "outcome_key", "run_rules"]

OutcomeKey = tuple[str, Path, tuple[tuple[str, str], ...]]


@dataclass(slots=True)
class Outcome:
    """What one rule found at one place.

    ``status``: ``pass`` (only when asked for), ``fail`` (the check does not hold), ``rounding`` (holds only within rounding:
    at most info), ``missing`` (a value is absent and the rule says to report it), ``error``
    (the check cannot be computed, e.g. a zero denominator), ``not-applicable`` (skipped for
    an absent value; listed in verbose output).
    """

    rule: Rule
    status: str
    scope: Path
    bindings: dict[str, str]
    message: str
    reason: str = ""
    explanation: Explanation | None = None
    missing: list[str] = field(default_factory=list)


def outcome_key(outcome: Outcome) -> OutcomeKey:
    """Rule id, scope and loop binding: what identifies one outcome of one rule."""
    return (outcome.rule.id, outcome.scope, tuple(sorted(outcome.bindings.items())))


def run_rules(
    report: Any,
    rules: list[Rule],
    params: dict[str, dict[str, Any]] | None = None,
    *,
    passes: bool = False,
) -> Iterator[Outcome]:
    """Outcomes in rule order, then report order.

    Passing checks yield nothing unless ``passes`` is set (rule examples and statistics need
    them); a check whose precondition (``when``) is false counts as not applicable.
    """
    tree = as_tree(report)
    overrides = params or {}
    scopes: dict[str, list[tuple[Any, Path]]] = {}  # rules sharing a scope share its rows
    for rule in rules:
        rule_params = {
            **rule.params,
            **overrides.get(rule.id, {}),
            **overrides.get(rule.spec.name, {}),
        }
        items = scopes.get(rule.spec.scope or "")
        if items is None:
            items = scopes[rule.spec.scope or ""] = _scope_items(rule, tree)
        for item, path in items:
            for bindings in rule.bindings():
                outcome = _evaluate(rule, Env(tree, item, path, rule_params, bindings), passes)
                if outcome is not None:
                    yield outcome


def as_tree(report: Any) -> dict[str, Any]:
    """The report tree the rules read: from a :class:`~evalcheck.report.model.Report` or plain data.

    Plain data is normalised (idempotent on an already normalised tree).
    """
    if hasattr(report, "model_dump"):
        report = report.model_dump(by_alias=True, exclude_none=True)
    return normalise_report(report)


def _scope_items(rule: Rule, report: dict[str, Any]) -> list[tuple[Any, Path]]:
    if rule.scope is None:
        return [(report, ())]
    env = Env(report, report, (), {}, {})
    return [(item, path) for item, path in rule.scope.resolve(env) if item is not None]


def _evaluate(rule: Rule, env: Env, passes: bool) -> Outcome | None:
    try:
        if rule.when is not None and not _holds(rule.when(env, None)):
            return _outcome(rule, env, "not-applicable", reason="前提条件不成立")
        held = rule.check(env, None)
    except Missing as absent:
        return _absent(rule, env, absent.what)
    except EvalError as exc:
        return _outcome(rule, env, "error", reason=str(exc))
    if held is not True and held is not False:
        return _outcome(rule, env, "error", reason=f"判断结果不是真假值：{held!r}")
    if held and not env.rounding:
        return Outcome(rule, "pass", env.prefix, dict(env.bindings), "") if passes else None
    status = "fail" if not held else "rounding"
    trace = Trace()
    retry = Env(env.root, env.item, env.prefix, env.params, env.bindings)
    with contextlib.suppress(Missing, EvalError):  # the same inputs evaluated a moment ago
        rule.check(retry, trace)
    return _outcome(rule, env, status, explanation=explain(rule, trace, status, retry))


def _holds(value: Any) -> bool:
    if value is None:
        raise Missing("前提条件")
    if not isinstance(value, bool):
        raise EvalError(f"前提条件的结果不是真假值：{value!r}")
    return value


def _absent(rule: Rule, env: Env, what: str) -> Outcome:
    status = "missing" if rule.spec.missing == "report" else "not-applicable"
    return _outcome(rule, env, status, reason=f"缺少数据：{what}", missing=[what])


def _outcome(
    rule: Rule,
    env: Env,
    status: str,
    *,
    reason: str = "",
    explanation: Explanation | None = None,
    missing: list[str] | None = None,
) -> Outcome:
    return Outcome(
        rule=rule,
        status=status,
        scope=env.prefix,
        bindings=dict(env.bindings),
        message="" if status == "not-applicable" else render_message(rule, env),
        reason=reason,
        explanation=explanation,
        missing=missing or [],
    )


def render_message(rule: Rule, env: Env) -> str:
    """Fill ``{键}`` placeholders with the figures as printed (blank shown as （空白）)."""
    parts = []
    for part in rule.message:
        if isinstance(part, Lookup):
            try:
                value = part(env, None)
            except (Missing, EvalError):
                value = None
            parts.append(_show(value))
        else:
            parts.append(part)
    return "".join(parts)


def _show(value: Any) -> str:
    if value is None:
        return "（空白）"
    if isinstance(value, list):
        return "、".join(_show(v) for v in value)
    if hasattr(value, "lo"):
        return display(value)
    return str(value)
