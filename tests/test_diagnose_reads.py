"""The diagnosis traces only the checks it looks at (#18): what it finds must be what tracing
every rule at every place finds — the readers of each figure, its quantity, the table figure a
prose figure states, the groups of failing checks.

The reference below is the diagnosis' former baseline, written out: every place traced, the
readers collected, passing ties joined by union-find in reading order.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from evalcheck.diagnose import diagnose, trial
from evalcheck.diagnose.entries import Baseline, Entry, is_prose
from evalcheck.diagnose.trial import Trials
from evalcheck.engine.run import Status
from evalcheck.inputs import read_path
from evalcheck.report import from_input
from evalcheck.report.normalise import Figure
from evalcheck.report.tree import get, normalise_report
from evalcheck.runner.checker import Checker

SAMPLES = sorted((Path(__file__).parents[1] / "samples").iterdir())

KeyPath = tuple[str | int, ...]


@cache
def _checker() -> Checker:
    return Checker()


def _trees(path: Path) -> list[Any]:
    data = from_input(read_path(path)).data
    reports = data if isinstance(data, list) else [data]
    return [normalise_report(r) for r in reports if isinstance(r, dict)]


class Reference:
    """Every place traced; readers, quantities and statements as the former baseline had them."""

    def __init__(self, base: Baseline) -> None:
        self.entries: list[Entry] = base.entries
        self.readers: dict[KeyPath, list[int]] = {}
        order: dict[KeyPath, int] = {}
        for entry in self.entries:
            for path in entry.paths:
                self.readers.setdefault(path, []).append(entry.index)
            for path in entry.figures:
                order.setdefault(path, len(order))
        self.stated: dict[KeyPath, KeyPath] = {}
        parent: dict[KeyPath, KeyPath] = {}

        def root(path: KeyPath) -> KeyPath:
            while parent.get(path, path) != path:
                path = parent[path]
            return path

        for entry in self.entries:
            if entry.tie is None:
                continue
            a, b = entry.tie
            if is_prose(a) != is_prose(b):
                prose, table = (a, b) if is_prose(a) else (b, a)
                self.stated.setdefault(prose, table)
            if entry.status in (Status.PASS, Status.ROUNDING):
                ra, rb = root(a), root(b)
                if ra != rb:
                    parent[max(ra, rb, key=order.__getitem__)] = min(ra, rb, key=order.__getitem__)
        members: dict[KeyPath, list[KeyPath]] = {}
        for path in parent:
            members.setdefault(root(path), []).append(path)
        self.quantities: dict[KeyPath, tuple[KeyPath, ...]] = {}
        for top, found in members.items():
            together = tuple(sorted({top, *found}, key=lambda p: (is_prose(p), order[p])))
            for path in together:
                self.quantities[path] = together


def _agree(tree: Any) -> int:
    """Compare the traced-on-demand baseline with the reference on every printed figure any
    check reads; the number of figures compared."""
    checker = _checker()
    outcomes = checker.outcomes(tree)
    lazy = Baseline(tree, checker.rules, {}, outcomes)
    groups, blanks = lazy.groups()
    reference = Reference(Baseline(tree, checker.rules, {}))
    assert [o.status for o in outcomes] == [e.status for e in reference.entries]
    for entry in reference.entries:  # what the search's memory relies on: a superset
        assert all(lazy.places.may_read(entry.index, p) for p in entry.paths), entry.key
    figures = [p for p in reference.readers if isinstance(get(tree, p), Figure)]
    for path in figures:
        assert [e.index for e in lazy.readers(path)] == reference.readers[path], path
        assert lazy.quantity(path) == reference.quantities.get(path, (path,)), path
        if is_prose(path):
            assert lazy.stated(path) == reference.stated.get(path), path
    full = Baseline(tree, checker.rules, {})
    full.entries  # noqa: B018 -- every place traced first: the groups must not depend on it
    expected, expected_blanks = full.groups()
    assert [([e.index for e in g.entries], g.figures, g.soft) for g in groups] == [
        ([e.index for e in g.entries], g.figures, g.soft) for g in expected
    ]
    assert [e.index for e in blanks] == [e.index for e in expected_blanks]
    return len(figures)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_readers_quantities_and_groups_are_those_of_tracing_every_place(sample: Path) -> None:
    trees = _trees(sample)
    assert trees
    assert sum(_agree(tree) for tree in trees) > 5


def test_the_same_with_a_figure_of_a_tie_changed() -> None:
    """A failing tie (the prose's 自评分数 against the 总分) and a failing total in one report."""
    beita = Path(__file__).parents[1] / "samples" / "shaoyang-beita-2023.json"
    data = copy.deepcopy(from_input(read_path(beita)).data)
    data["总分"]["得分"] = 95
    data["预算执行"]["全年预算数"] = 999.99
    changed = normalise_report(data)
    assert any(o.status is Status.FAIL for o in _checker().outcomes(changed))
    assert _agree(changed) > 20


def test_remembered_trials_give_the_diagnosis_of_evaluating_every_trial(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The search remembers what a check gave on a trial tree, keyed by the changes the check
    may read: single slips of figures all over the Beita report (totals, parts, scores, rates,
    prose) are diagnosed the same when every trial is evaluated afresh."""
    beita = Path(__file__).parents[1] / "samples" / "shaoyang-beita-2023.json"
    data = from_input(read_path(beita)).data
    tree = normalise_report(data)
    checker = _checker()
    base = Baseline(tree, checker.rules, {})
    targets = sorted({p for e in base.entries if e.equality for p in e.figures}, key=str)
    assert len(targets) > 30
    cases = []
    for path in targets[:: max(1, len(targets) // 24)]:
        figure = get(tree, path)
        changed = copy.deepcopy(data)
        holder = changed
        for key in path[:-1]:
            holder = holder[key]
        holder[path[-1]] = f"{figure.value * 10 + 1}{'%' if figure.percent else ''}"
        cases.append(normalise_report(changed))

    def diagnosed() -> list[Any]:
        found = []
        for case in cases:
            result = diagnose(case, checker.rules, {}, checker.outcomes(case))
            found.append(sorted((k, v.to_dict()) for k, v in result.items()))
        return found

    remembered = diagnosed()
    assert sum(len(found) for found in remembered) > 20
    monkeypatch.setattr(trial, "MAX_TREES", 2)  # trees forgotten almost at once
    assert diagnosed() == remembered
    monkeypatch.setattr(Trials, "status", lambda self, entry, tree: entry.evaluate(tree))
    monkeypatch.setattr(Trials, "residual", lambda self, entry, tree: entry.residual(tree))
    assert diagnosed() == remembered
