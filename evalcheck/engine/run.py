"""Running compiled rules over a report: one outcome per rule, scope item and loop binding.

:func:`evaluate` is the one place that decides a rule's status at one place; the run below
and the diagnosis (:mod:`evalcheck.diagnose.entries`) both use it.  The fast path evaluates each
check without recording anything.  Only a check that fails, or holds only within rounding, is
evaluated again with a :class:`Trace`, so a clean report pays nothing for the introspection
that explains a failure.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import field
from typing import Any

from ..inputs.records import dataclass
from ..inputs.source import format_path
from ..report.tree import ShapeError, normalise_report
from .compiled import warm
from .explain import Explanation, explain
from .limits import (
    EVALUATIONS_ALLOWED_PER_REPORT,
    MAX_EVALUATIONS_PER_REPORT,
    MAX_EVALUATIONS_PER_RUN,
)
from .lookup import Env, Lookup, Path
from .nodes import Trace
from .pack import Rule
from .spec import Severity
from .status import _PRECONDITION, FAILED, PASSED, ROUNDED, Evaluation, Status
from .values import EvalError, Missing, show

__all__ = [
    "Budget",
    "Evaluation",
    "Outcome",
    "OutcomeKey",
    "RunLog",
    "Status",
    "Step",
    "TooMuchWork",
    "as_tree",
    "evaluate",
    "outcome_key",
    "places",
    "render_message",
    "run_log",
    "run_rules",
]

OutcomeKey = tuple[str, Path, tuple[tuple[str, str], ...]]


class TooMuchWork(ShapeError):
    """The rules would be evaluated more often than a limit allows (the report is refused)."""

    def __init__(self, message: str) -> None:
        super().__init__((), message)


@dataclass(slots=True)
class Budget:
    """Rule evaluations left for a whole run (one per checker, so one per --jobs worker);
    each report opened adds ``allowance`` (see :mod:`evalcheck.engine.limits`)."""

    left: int = MAX_EVALUATIONS_PER_RUN
    limit: int = MAX_EVALUATIONS_PER_RUN
    allowance: int = EVALUATIONS_ALLOWED_PER_REPORT

    def open_report(self) -> None:
        self.left += self.allowance
        self.limit += self.allowance

    def spend(self, count: int) -> None:
        if count > self.left:
            raise TooMuchWork(
                f"本次运行的规则计算次数已达上限（{self.limit} 次）：请分批检查，或减少规则"
            )
        self.left -= count


def evaluate(rule: Rule, env: Env, trace: Trace | None = None) -> Evaluation:
    """The rule's status at one place (``env``): precondition, check, absent values, errors.

    With a ``trace``, every value and key path the evaluation read is recorded in it, also
    when it stopped at an absent value.  ``env.rounding`` collects the comparisons that held
    only within rounding.
    """
    if trace is None and not env.rounding:
        compiled = warm(rule)
        if compiled is not None:
            found: Evaluation | None = compiled(
                env.root, env.item, env.prefix, env.params, env.bindings, env
            )
            if found is not None:
                return found
            env.rounding.clear()  # undecided: the nodes evaluate it from the start
    return _interpret(rule, env, trace)


def _interpret(rule: Rule, env: Env, trace: Trace | None) -> Evaluation:
    """:func:`evaluate` by the typed nodes (with a trace, or when the fast path cannot decide)."""
    try:
        if rule.when is not None and not _holds(rule.when.evaluate(env, trace)):
            return _PRECONDITION
        held = rule.check.evaluate(env, trace)
    except Missing as absent:
        status = Status.MISSING if rule.spec.missing == "report" else Status.NOT_APPLICABLE
        return Evaluation(status, f"缺少数据：{absent.what}", absent.what)
    except EvalError as exc:
        return Evaluation(Status.ERROR, str(exc))
    if held is not True and held is not False:
        return Evaluation(Status.ERROR, f"判断结果不是真假值：{held!r}")
    if not held:
        return FAILED
    return ROUNDED if env.rounding else PASSED


def _holds(value: Any) -> bool:
    if value is None:
        raise Missing("前提条件")
    if not isinstance(value, bool):
        raise EvalError(f"前提条件的结果不是真假值：{value!r}")
    return value


@dataclass(slots=True)
class Outcome:
    """What one rule found at one place (see :class:`Status`)."""

    rule: Rule
    status: Status
    scope: Path
    bindings: dict[str, str]
    message: str
    reason: str = ""
    explanation: Explanation | None = None
    missing: list[str] = field(default_factory=list)
    pointed: Path | None = None  # the rule's ``at:`` here, for outcomes without explanation

    @property
    def where(self) -> Path:
        """The key path the finding points at: the rule's ``at:``, the culprit, or the scope."""
        explanation = self.explanation
        if explanation is not None and explanation.primary:
            return explanation.primary
        return self.pointed or self.scope

    @property
    def severity(self) -> Severity:
        """The finding's severity: a rounding note is at most info, an uncomputable rule an
        error, otherwise the rule's own."""
        if self.status is Status.ROUNDING:
            return Severity.INFO
        if self.status is Status.ERROR:
            return Severity.ERROR
        return self.rule.severity

    @property
    def text(self) -> str:
        """The finding's message as a reader sees it, for every status."""
        if self.status is Status.ROUNDING and self.explanation is not None:
            return f"{self.rule.title}：{self.explanation.label}"
        if self.status is Status.ERROR:
            return f"规则无法计算：{self.reason}"
        if self.status is Status.MISSING:
            return f"{self.message}（{self.reason}）"
        return self.message

    @property
    def location(self) -> str:
        """:attr:`where`, written as a key path (``绩效指标[0].指标[2].得分``)."""
        return format_path(self.where)


def outcome_key(outcome: Outcome) -> OutcomeKey:
    """Rule id, scope and loop binding: what identifies one outcome of one rule."""
    return (outcome.rule.id, outcome.scope, tuple(sorted(outcome.bindings.items())))


def run_rules(
    report: Any,
    rules: list[Rule],
    params: dict[str, dict[str, Any]] | None = None,
    *,
    passes: bool = False,
    budget: Budget | None = None,
) -> Iterator[Outcome]:
    """Outcomes in rule order, then report order.

    Passing checks yield nothing unless ``passes`` is set (rule examples and statistics need
    them); a check whose precondition (``when``) is false counts as not applicable.  The work
    is counted first and charged to ``budget`` (see :func:`places`).
    """
    yield from run_log(report, rules, params, budget).outcomes(passes)


@dataclass(slots=True)
class Step:
    """One rule's run: its scope items, loop bindings and what each place gave, in run order
    (items × bindings): the shared :class:`Evaluation` of a pass or of a place without data,
    else the place's :class:`Outcome`."""

    rule: Rule
    params: dict[str, Any]
    items: list[tuple[Any, Path]]
    combinations: list[dict[str, str]]
    found: list[Evaluation | Outcome]

    def places(self) -> Iterator[tuple[Any, Path, dict[str, str], Evaluation | Outcome]]:
        """(item, scope, bindings, what it gave) of every place, in run order."""
        found = iter(self.found)
        for item, path in self.items:
            for bindings in self.combinations:
                yield item, path, bindings, next(found)


@dataclass(slots=True)
class RunLog:
    """Every rule at every place, kept without an :class:`Outcome` for the places that passed
    or had no data (about nine in ten): a report's findings, coverage and not-applicable list
    are read off it, and :meth:`outcomes` makes the outcomes when they are wanted."""

    steps: list[Step]
    failed: bool = False  # some check does not hold (the diagnosis has work)

    def outcomes(self, passes: bool = True) -> Iterator[Outcome]:
        """What :func:`run_rules` yields: every place's outcome in run order (the passes only
        with ``passes``)."""
        for step in self.steps:
            rule = step.rule
            for _, path, bindings, found in step.places():
                if found is PASSED:
                    if passes:
                        yield Outcome(rule, Status.PASS, path, dict(bindings), "")
                elif isinstance(found, Outcome):
                    yield found
                else:  # not applicable
                    missing = [] if found.missing is None else [found.missing]
                    yield Outcome(
                        rule, found.status, path, dict(bindings), "", found.reason, None, missing
                    )

    def reported(self) -> Iterator[Outcome]:
        """The outcomes that are neither passes nor places without data, in run order."""
        for step in self.steps:
            for found in step.found:
                if found.__class__ is Outcome:
                    yield found

    def not_applicable(self) -> Iterator[tuple[Rule, Path, str]]:
        """(rule, scope, reason) of each place that had no data, in run order."""
        for step in self.steps:
            rule = step.rule
            count = len(step.combinations)
            items = step.items
            for index, found in enumerate(step.found):
                if found is not PASSED and found.__class__ is Evaluation:
                    yield rule, items[index // count][1], found.reason


def run_log(
    report: Any,
    rules: list[Rule],
    params: dict[str, dict[str, Any]] | None = None,
    budget: Budget | None = None,
) -> RunLog:
    """Every rule at every place (see :func:`run_rules`, which yields the log's outcomes)."""
    tree = as_tree(report)
    steps = []
    failed = False
    not_applicable = Status.NOT_APPLICABLE
    for rule, rule_params, items in _planned(tree, rules, params, budget):
        combinations = rule.bindings()
        compiled = warm(rule, len(items) * len(combinations))
        found_here: list[Evaluation | Outcome] = []
        keep = found_here.append
        for item, path in items:
            for bindings in combinations:
                found = None
                if compiled is not None:  # the fast path, no Env unless it needs one
                    found = compiled(tree, item, path, rule_params, bindings, None)
                if found is None:
                    found = _interpret(rule, Env(tree, item, path, rule_params, bindings), None)
                if found is PASSED or found.status is not_applicable:  # nothing to explain
                    keep(found)
                    continue
                outcome = _outcome(rule, Env(tree, item, path, rule_params, bindings), found)
                failed = failed or outcome.status is Status.FAIL
                keep(outcome)
        steps.append(Step(rule, rule_params, items, combinations, found_here))
    return RunLog(steps, failed)


def places(
    tree: dict[str, Any],
    rules: Iterable[Rule],
    params: dict[str, dict[str, Any]] | None,
    budget: Budget | None = None,
) -> Iterator[tuple[Rule, Env]]:
    """Every rule at every place it runs: each scope item, each combination of loop values.

    ``params`` overrides a rule's parameters, by rule id or name.  Before the first place, the
    evaluations the report needs (scope items × loop bindings, summed over the rules) are
    counted: more than :data:`MAX_EVALUATIONS_PER_REPORT`, or more than ``budget`` has left,
    raises :class:`TooMuchWork` naming the limit.
    """
    for rule, rule_params, items in _planned(tree, rules, params, budget):
        for item, path in items:
            for bindings in rule.bindings():
                yield rule, Env(tree, item, path, rule_params, bindings)


def _planned(
    tree: dict[str, Any],
    rules: Iterable[Rule],
    params: dict[str, dict[str, Any]] | None,
    budget: Budget | None,
) -> list[tuple[Rule, dict[str, Any], list[tuple[Any, Path]]]]:
    """Each rule with its parameters and scope items, the work counted and charged first."""
    overrides = params or {}
    rules = list(rules)
    scopes: dict[str, list[tuple[Any, Path]]] = {}  # rules sharing a scope share its rows
    work = 0
    for rule in rules:
        items = scopes.get(rule.spec.scope or "")
        if items is None:
            items = scopes[rule.spec.scope or ""] = _scope_items(rule, tree)
        work += len(items) * len(rule.bindings())
    if work > MAX_EVALUATIONS_PER_REPORT:
        raise TooMuchWork(
            f"规则计算次数过多：本报告需计算 {work} 次（上限 {MAX_EVALUATIONS_PER_REPORT} 次；"
            "每条规则计算“表格行数 × 逐项组合数”次）"
        )
    if budget is not None:
        budget.spend(work)
    planned = []
    for rule in rules:
        rule_params = rule.params
        if overrides:
            rule_params = {
                **rule.params,
                **overrides.get(rule.id, {}),
                **overrides.get(rule.spec.name, {}),
            }
        planned.append((rule, rule_params, scopes[rule.spec.scope or ""]))
    return planned


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


def _outcome(rule: Rule, env: Env, found: Evaluation) -> Outcome:
    status = found.status
    missing = [] if found.missing is None else [found.missing]
    if status is Status.NOT_APPLICABLE:  # the commonest: no message, nothing to explain
        return Outcome(
            rule, status, env.prefix, dict(env.bindings), "", found.reason, None, missing
        )
    explanation = None
    pointed = None
    if status is Status.FAIL or status is Status.ROUNDING:
        trace = Trace()
        retry = env.again()
        evaluate(rule, retry, trace)  # the same inputs evaluated a moment ago
        explanation = explain(rule, trace, status is Status.ROUNDING, retry)
    else:
        with contextlib.suppress(Missing, EvalError):  # a key computed from absent data
            pointed = rule.pointed(env)
    return Outcome(
        rule=rule,
        status=status,
        scope=env.prefix,
        bindings=dict(env.bindings),
        message=render_message(rule, env),
        reason=found.reason,
        explanation=explanation,
        missing=missing,
        pointed=pointed,
    )


def render_message(rule: Rule, env: Env) -> str:
    """Fill ``{键}`` placeholders with the figures as printed (blank shown as （空白））."""
    parts = []
    for part in rule.message:
        if isinstance(part, Lookup):
            try:
                value = part(env)
            except (Missing, EvalError):
                value = None
            parts.append(show(value))
        else:
            parts.append(part)
    return "".join(parts)
