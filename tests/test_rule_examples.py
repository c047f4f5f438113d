"""Every built-in rule is tested by its own examples (sqlfluff-style: ``pytest -k EC103``).

An example says what the rule finds in its fragment, and for a finding where it points
(``at``, the key path) and what it says (``message``): a wrong ``at:`` or message template in
a rule fails here like a wrong check does.
"""

from __future__ import annotations

import dataclasses

import pytest

from evalcheck.engine.examples import check_example
from evalcheck.engine.pack import Example, Rule, builtin_rules_dir, load_packs

RULES = load_packs([builtin_rules_dir()])
CASES = [(rule, example) for rule in RULES for example in rule.spec.examples]
FINDING = ("fail", "info")  # examples whose rule reports something


@pytest.mark.parametrize(
    ("rule", "example"), CASES, ids=[f"{r.id}_{e.expect}_{e.name}" for r, e in CASES]
)
def test_rule_example(rule: Rule, example: Example) -> None:
    result = check_example(rule, example)
    assert result.passed, f"{rule.id} «{example.name}»: {result.problem}"


def test_every_example_with_a_finding_says_where_it_points_and_what_it_says() -> None:
    unsaid = [
        f"{r.id} «{e.name}»"
        for r, e in CASES
        if e.expect in FINDING and (e.at is None or (e.expect == "fail" and e.message is None))
    ]
    assert unsaid == []


@pytest.mark.parametrize("rule", [r for r in RULES if r.at is not None], ids=lambda r: r.id)
def test_every_at_changes_where_some_example_points(rule: Rule) -> None:
    """An ``at:`` that points where the finding would point anyway is a line no test can
    catch when it is wrong or deleted; so each one must matter for one of its examples."""
    without = dataclasses.replace(rule, at=None)
    moved = [
        e.name
        for e in rule.spec.examples
        if e.expect in FINDING and not check_example(without, e).passed
    ]
    assert moved, f"{rule.id}: its at: points where the finding points anyway"


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


def test_every_rule_says_what_to_do() -> None:
    assert [r.id for r in RULES if not r.spec.fix] == []


def test_explains_cite_what_a_clerk_can_look_up() -> None:
    """Sources a finance office can find (a document number, a form and its column), never
    the developers' notes (issue 11)."""
    developer_notes = ("DOMAIN.md", "LAYOUTS.md", "Errors seen", "Identities")
    cited = {r.id: n for r in RULES for n in developer_notes if n in r.spec.explain}
    assert cited == {}
