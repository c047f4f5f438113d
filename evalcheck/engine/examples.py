"""A rule pack's own tests: each rule's examples run, and each says whether it behaves as written.

An example states what the rule must find in its report fragment (``expect``), and for a
finding where it must point (``at``, the key path) and what it must say (``message``), so a
wrong ``at:`` or message template fails like a wrong check.  The suite runs the built-in pack's
examples; ``evalcheck rules --test PACK`` runs a user's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..inputs.records import dataclass
from ..report.tree import ShapeError
from .pack import Rule, report_for_example
from .run import Outcome, Status, run_rules
from .spec import Example

__all__ = ["ExampleResult", "check_example", "check_examples"]

_EXPECTED = {"pass": "通过", "fail": "不通过", "info": "仅有尾数误差", "not-applicable": "不适用"}
_SEEN = {
    Status.PASS: "通过",
    Status.FAIL: "不通过",
    Status.ROUNDING: "仅有尾数误差",
    Status.MISSING: "缺少数据",
    Status.ERROR: "无法计算",
    Status.NOT_APPLICABLE: "不适用",
}


@dataclass(frozen=True, slots=True)
class ExampleResult:
    """One example of one rule: ``problem`` says why it does not behave as written ("" if it does)."""

    rule: Rule
    example: Example
    problem: str = ""

    @property
    def passed(self) -> bool:
        return not self.problem


def check_examples(rules: Iterable[Rule]) -> Iterator[ExampleResult]:
    """Every example of every rule, in pack order."""
    for rule in rules:
        for example in rule.spec.examples:
            yield check_example(rule, example)


def check_example(rule: Rule, example: Example) -> ExampleResult:
    try:
        report = report_for_example(example)
    except ShapeError as exc:
        return ExampleResult(rule, example, f"示例报告不合报告格式：{exc}")
    params = {rule.id: example.params} if example.params else None
    outcomes = list(run_rules(report, [rule], params, passes=True))
    problem = _verdict(example, [o.status for o in outcomes]) or _findings(example, outcomes)
    return ExampleResult(rule, example, problem)


def _verdict(example: Example, seen: list[Status]) -> str:
    """What is wrong with the statuses the rule gave, for what the example expects."""
    problems = any(s.problem for s in seen)
    expect = example.expect
    if expect == "fail":
        held = problems
    elif expect == "pass":
        held = not problems and Status.PASS in seen and Status.ROUNDING not in seen
    elif expect == "info":
        held = not problems and Status.ROUNDING in seen
    else:
        held = bool(seen) and all(s is Status.NOT_APPLICABLE for s in seen)
    if held:
        return ""
    said = "、".join(dict.fromkeys(_SEEN[s] for s in seen)) or "没有结果"
    return f"应为{_EXPECTED[expect]}，实际为{said}"


def _findings(example: Example, outcomes: list[Outcome]) -> str:
    """What is wrong with where the findings point and what they say."""
    reported = [o for o in outcomes if o.status.problem or o.status is Status.ROUNDING]
    if example.expect in ("pass", "not-applicable"):
        if example.at is not None or example.message is not None:
            return f"示例应为{_EXPECTED[example.expect]}，不应写 at 或 message"
        return ""
    wanted_at = _listed(example.at)
    places = [o.location for o in reported]
    if wanted_at is not None and places != wanted_at:
        return f"问题应在 {_places(wanted_at)}，实际在 {_places(places) or '（没有问题）'}"
    wanted_text = _listed(example.message)
    texts = [o.text for o in reported]
    if wanted_text is not None and texts != wanted_text:
        return f"消息应为「{'」「'.join(wanted_text)}」，实际为「{'」「'.join(texts)}」"
    return ""


def _places(paths: list[str]) -> str:
    return "、".join(p or "（整份报告）" for p in paths)


def _listed(value: str | list[str] | None) -> list[str] | None:
    return [value] if isinstance(value, str) else value
