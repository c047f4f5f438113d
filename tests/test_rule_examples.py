"""Every built-in rule is tested by its own examples (sqlfluff-style: ``pytest -k EC103``)."""

from __future__ import annotations

import pytest

from evalcheck.engine.pack import Example, Rule, builtin_rules_dir, load_packs, report_for_example
from evalcheck.engine.run import run_rules

RULES = load_packs([builtin_rules_dir()])
CASES = [(rule, example) for rule in RULES for example in rule.spec.examples]


def statuses(rule: Rule, example: Example) -> list[str]:
    report = report_for_example(example)
    params = {rule.id: example.params} if example.params else None
    return [o.status for o in run_rules(report, [rule], params, passes=True)]


@pytest.mark.parametrize(
    ("rule", "example"), CASES, ids=[f"{r.id}_{e.expect}_{e.name}" for r, e in CASES]
)
def test_rule_example(rule: Rule, example: Example) -> None:
    seen = statuses(rule, example)
    problems = [s for s in seen if s in ("fail", "missing", "error")]
    if example.expect == "fail":
        assert problems, f"{rule.id} should fail on «{example.name}» but gave {seen}"
    elif example.expect == "pass":
        assert not problems and "pass" in seen, f"{rule.id} should pass «{example.name}»: {seen}"
        assert "rounding" not in seen
    elif example.expect == "info":
        assert not problems and "rounding" in seen, f"{rule.id} «{example.name}»: {seen}"
    else:
        assert seen and all(s == "not-applicable" for s in seen), f"{rule.id}: {seen}"


def test_every_rule_has_a_passing_and_a_failing_example() -> None:
    for rule in RULES:
        kinds = {e.expect for e in rule.spec.examples}
        assert {"pass", "fail"} <= kinds or {"info", "fail"} <= kinds, rule.id


def test_rule_ids_are_unique_and_titled_in_chinese() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert any("\u4e00" <= c <= "\u9fff" for c in rule.title), rule.id
        assert "依据" in rule.spec.explain, f"{rule.id} explain must cite its source"
