"""The run's rule set: packs loaded, every name in the settings checked against them, severity
overrides applied, selection made.  A name that matches nothing is an error, not a no-op: a
typo in ``select`` must not silently check nothing."""

from __future__ import annotations

import dataclasses
from typing import Any

from ..engine.pack import Rule, load_packs
from ..engine.spec import Severity
from ..findings import META_RULES, RuleInfo, Selector, rule_info
from ..inputs.records import dataclass
from ..inputs.source import LoadError
from ..settings import Settings

__all__ = ["RuleSet", "RunError", "compile_rule_set"]

PER_REPORT_META = (
    "EC001",
    "EC002",
    "EC003",
    "EC004",
)  # runner.understanding checks every report with them


class RunError(Exception):
    """The run cannot go on: ``message`` is the one line to print before exiting with 2."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def located(exc: LoadError) -> RunError:
    """A file error as the run's one line: ``file:line:col: 错误 message``."""
    return RunError(f"{exc.file}:{exc.line}:{exc.column}: 错误 {exc.message}")


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Every rule loaded (explanations may name any of them), the rules that run, and the
    parameters by rule id."""

    loaded: list[Rule]
    active: list[Rule]
    params: dict[str, dict[str, Any]]
    meta: tuple[str, ...] = PER_REPORT_META  # the rules about reading, unless ignored

    def infos(self) -> list[RuleInfo]:
        """The active rules, and the rules about reading that run on every report."""
        return [rule_info(r) for r in self.active] + [META_RULES[i] for i in self.meta]


def compile_rule_set(settings: Settings) -> RuleSet:
    try:
        rules = load_packs(list(settings.packs))
    except LoadError as exc:
        raise located(exc) from None
    names = [(r.id, r.spec.name) for r in rules] + [(m.id, m.name) for m in META_RULES.values()]
    for option, patterns in (("select", settings.select), ("ignore", settings.ignore)):
        for pattern in Selector(patterns).unknown(names):
            raise RunError(f"evalcheck：错误：{option} 中的「{pattern}」不对应任何规则")
    params = _params_by_id(settings.params_dict, rules)
    for key in Selector(tuple(k for k, _ in settings.severity)).unknown(names):
        raise RunError(f"evalcheck：错误：severity 中的「{key}」不对应任何规则")
    overridden = [_with_severity(rule, settings.severity) for rule in rules]
    select, ignore = Selector(settings.select), Selector(settings.ignore)
    active = [
        r
        for r in overridden
        if (not select or select.matches(r.id, r.spec.name))
        and not ignore.matches(r.id, r.spec.name)
    ]
    meta = tuple(
        m for m in PER_REPORT_META if not ignore.matches(m, META_RULES[m].name)
    )  # --select narrows the report rules only: whether a report was understood always counts
    return RuleSet(overridden, active, params, meta)


def _with_severity(rule: Rule, severity: tuple[tuple[str, str], ...]) -> Rule:
    """The last ``severity`` entry naming the rule wins."""
    level = None
    for key, value in severity:
        if Selector((key,)).matches(rule.id, rule.spec.name):
            level = value
    if level is None or level == rule.severity:
        return rule
    spec = dataclasses.replace(rule.spec, severity=Severity(level))
    return dataclasses.replace(rule, spec=spec)


def _params_by_id(
    params: dict[str, dict[str, Any]], rules: list[Rule]
) -> dict[str, dict[str, Any]]:
    """Parameters keyed by rule id, checked against what each rule declares."""
    by_key = {r.id: r for r in rules} | {r.spec.name: r for r in rules}
    merged: dict[str, dict[str, Any]] = {}
    for key, values in params.items():
        rule = by_key.get(key)
        if rule is None:
            raise RunError(f"evalcheck：错误：参数指向未知的规则「{key}」")
        for name in values:
            if name not in rule.params:
                declared = "、".join(rule.params) or "无"
                raise RunError(
                    f"evalcheck：错误：规则 {rule.id} 没有参数「{name}」（可用参数：{declared}）"
                )
        merged.setdefault(rule.id, {}).update(values)
    return merged
