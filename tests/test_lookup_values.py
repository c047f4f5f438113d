"""A lookup's values without their key paths (#18): ``Lookup.__call__`` walks keys, loop keys,
rows and ``[*]`` without building the paths ``resolve()`` makes; it must give exactly the values
``resolve()`` reaches, in its order, and raise where it raises.

Every lookup of every built-in rule is evaluated at every place of each sample, on the tree as
read and on trees with parts blanked or of the wrong type, and against random trees.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalcheck.engine.lookup import Base, Env, Every, Index, Key, Lookup, LoopKey
from evalcheck.engine.nodes import Read
from evalcheck.engine.pack import builtin_rules_dir, load_packs
from evalcheck.engine.run import places
from evalcheck.engine.types import FIGURE
from evalcheck.inputs import read_path
from evalcheck.report import from_input
from evalcheck.report.normalise import Figure, Kind, read_figure
from evalcheck.report.tree import normalise_report

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").iterdir())
RULES = load_packs([builtin_rules_dir()])


def _lookups(rule: Any) -> list[Lookup]:
    found = []
    for expression in (rule.check, rule.when):
        if expression is not None:
            found += [n.lookup for n in expression.walk() if isinstance(n, Read)]
    return found


def _outcome(call: Any) -> tuple[str, Any]:
    try:
        return "value", call()
    except Exception as exc:  # the same exception, with the same text
        return type(exc).__name__, str(exc)


def _agree(lookup: Lookup, env: Env) -> bool:
    """Whether the path-less walk gives what resolve() gives here; True when it was used."""
    if not lookup.walked or lookup.direct is not None:
        return False
    walked = _outcome(lambda: lookup(env))
    resolved = _outcome(lambda: lookup.value(lookup.resolve(env)))
    assert walked == resolved, lookup.source
    return True


def _trees(path: Path) -> list[Any]:
    data = from_input(read_path(path)).data
    reports = data if isinstance(data, list) else [data]
    return [normalise_report(r) for r in reports if isinstance(r, dict)]


def _spoiled(tree: Any) -> list[Any]:
    """The tree with each section blanked, then with each list replaced by a text."""
    variants = []
    for key in list(tree):
        blank = copy.copy(tree)
        blank[key] = None
        variants.append(blank)
        wrong = copy.copy(tree)
        wrong[key] = "文字" if isinstance(tree[key], (list, dict)) else []
        variants.append(wrong)
    return variants


def test_most_lookups_of_the_builtin_rules_are_walked() -> None:
    lookups = [lookup for rule in RULES for lookup in _lookups(rule) if lookup.direct is None]
    walked = [lookup for lookup in lookups if lookup.walked]
    assert len(walked) > len(lookups) / 2
    assert any(lookup.fan_out for lookup in walked)
    assert any(any(isinstance(s, LoopKey) for s in lookup.steps) for lookup in walked)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_every_lookup_at_every_place_of_a_sample_agrees(sample: Path) -> None:
    used = 0
    for tree in _trees(sample):
        for variant in [tree, *_spoiled(tree)]:
            for rule, env in places(variant, RULES, {}):
                used += sum(_agree(lookup, env) for lookup in _lookups(rule))
    assert used > 0


def _figure(text: str) -> Figure:
    found = read_figure(text, Kind.AMOUNT)
    assert found is not None
    return found


_LEAVES = st.one_of(
    st.none(),
    st.sampled_from(["文字", "", "0"]),
    st.sampled_from(["1.5", "20", "0.00"]).map(_figure),
    st.integers(-3, 3),
)
_NAMES = st.sampled_from(["a", "b", "c"])
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(_NAMES, inner, max_size=3)
    ),
    max_leaves=20,
)
_STEPS = st.lists(
    st.one_of(
        _NAMES.map(Key),
        st.just(LoopKey("项")),
        st.just(LoopKey("缺")),  # a loop variable this place does not bind
        st.integers(-3, 3).map(Index),
        st.booleans().map(Every),
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    tree=st.dictionaries(_NAMES, _VALUES, max_size=3),
    item=_VALUES,
    steps=_STEPS,
    base=st.sampled_from([Base.ROOT, Base.ITEM, Base.PARAMS]),
    zero=st.booleans(),
    binding=_NAMES,
)
def test_random_lookups_on_random_trees_agree(
    tree: dict[str, Any],
    item: Any,
    steps: list[Any],
    base: Base,
    zero: bool,
    binding: str,
) -> None:
    lookup = Lookup(base, steps, FIGURE if zero else None, "随机", zero)
    if lookup.direct is not None:
        return  # plain keys take their own path (_walk)
    env = Env(tree, item, ("行", 0), {"a": item, "b": "90%"}, {"项": binding})
    assert _agree(lookup, env)
