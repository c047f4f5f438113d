"""The run log (#18): a report's places kept without an Outcome for the passes and the places
without data; the outcomes, findings, not-applicable list and coverage read off it must be what
evaluating every place one by one gives.

The reference evaluates each place through the public ``places()`` and ``evaluate()`` (the
diagnosis' way), so it shares nothing with the log's loop but the rules.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from evalcheck.engine.run import Status, evaluate, places, run_log, run_rules
from evalcheck.inputs import read_path
from evalcheck.report import from_input
from evalcheck.report.tree import normalise_report
from evalcheck.runner.checker import Checker

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").iterdir())
GENERATED = 40  # 12 with an injected error


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@cache
def _checker() -> Checker:
    return Checker()


def _trees(path: Path) -> list[Any]:
    data = from_input(read_path(path)).data
    reports = data if isinstance(data, list) else [data]
    return [normalise_report(r) for r in reports if isinstance(r, dict)]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("reports")
    generator = _load_generator()
    assert generator.generate(GENERATED, root, seed=11) == GENERATED
    return sorted(root.rglob("*.json"))


def _reference(tree: Any) -> list[tuple[str, Any, dict[str, str], Status, str]]:
    rules = _checker().rules
    return [
        (rule.id, env.prefix, dict(env.bindings), found.status, found.reason)
        for rule, env in places(tree, rules, {})
        for found in [evaluate(rule, env)]
    ]


def _check(tree: Any) -> None:
    rules = _checker().rules
    log = run_log(tree, rules, {})
    outcomes = list(log.outcomes())
    expected = _reference(tree)
    assert [(o.rule.id, o.scope, o.bindings, o.status, o.reason) for o in outcomes] == expected
    assert sum(len(step.found) for step in log.steps) == len(expected)
    # what run_rules yields without passes: the same objects' statuses, in the same order
    assert [(o.rule.id, o.scope, o.status) for o in run_rules(tree, rules)] == [
        (o.rule.id, o.scope, o.status) for o in outcomes if o.status is not Status.PASS
    ]
    assert [(o.rule.id, o.scope, o.status, o.message) for o in log.reported()] == [
        (o.rule.id, o.scope, o.status, o.message)
        for o in outcomes
        if o.status not in (Status.PASS, Status.NOT_APPLICABLE)
    ]
    assert [(rule.id, scope, reason) for rule, scope, reason in log.not_applicable()] == [
        (o.rule.id, o.scope, o.reason) for o in outcomes if o.status is Status.NOT_APPLICABLE
    ]
    assert log.failed == any(status is Status.FAIL for *_, status, _ in expected)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_the_log_of_each_sample_is_every_place_evaluated_one_by_one(sample: Path) -> None:
    trees = _trees(sample)
    assert trees
    for tree in trees:
        _check(tree)


def test_the_log_of_generated_reports_is_every_place_evaluated_one_by_one(
    generated: list[Path],
) -> None:
    failed = 0
    for path in generated:
        (tree,) = _trees(path)
        _check(tree)
        failed += run_log(tree, _checker().rules, {}).failed
    assert failed >= 10  # the injected errors that fail a check (some only warn or note)


def test_a_result_lists_each_place_without_data_with_its_reason(generated: list[Path]) -> None:
    result = _checker().check_path(generated[0])
    (tree,) = _trees(generated[0])
    skipped = [r for r in _reference(tree) if r[3] is Status.NOT_APPLICABLE]
    assert len(result.not_applicable) == len(skipped) > 100
    first = result.not_applicable[0]
    assert (first.rule_id, first.reason) == (skipped[0][0], skipped[0][4])
    assert first.reason.startswith(("缺少数据：", "前提条件不成立"))
