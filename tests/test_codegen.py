"""Rules compiled to Python source (issue #18): the compiled path answers as the typed nodes do.

The compiled function (:mod:`evalcheck.engine.codegen`) either decides a rule at a place or
returns None ("ask the nodes").  Where it decides, it must decide exactly as the nodes: same
status, reason and missing value; and a whole run with it must give the same outcomes —
messages, labels, where each finding points — as a run by the nodes alone.  Checked on every
example of the built-in pack, on the samples, and on generated expressions over generated
reports (hypothesis).  And the source itself holds nothing from the rule file.
"""

from __future__ import annotations

import io
import json
import keyword
import re
import tokenize
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalcheck.engine import codegen, compiled
from evalcheck.engine.lookup import Env
from evalcheck.engine.pack import (
    _SPEC_KEYS,
    Rule,
    _compile_rule,
    builtin_rules_dir,
    load_packs,
    report_for_example,
)
from evalcheck.engine.run import Outcome, _interpret, places, run_rules
from evalcheck.engine.spec import RuleSpec
from evalcheck.report.tree import ShapeError, normalise_report

ROOT = Path(__file__).resolve().parents[1]
RULES = load_packs([builtin_rules_dir()])


@contextmanager
def nodes_only(rules: list[Rule]) -> Iterator[None]:
    """Run ``rules`` by the typed nodes alone, as before the compiled path existed."""
    saved = [rule.fast for rule in rules]
    for rule in rules:
        rule.fast = compiled.UNSUPPORTED
    try:
        yield
    finally:
        for rule, fast in zip(rules, saved, strict=True):
            rule.fast = fast


def shown(outcome: Outcome) -> tuple[Any, ...]:
    explanation = outcome.explanation
    return (
        outcome.rule.id,
        outcome.status,
        outcome.scope,
        outcome.bindings,
        outcome.text,
        outcome.reason,
        outcome.missing,
        outcome.where,
        None if explanation is None else (explanation.label, explanation.operands),
    )


def agree(tree: Any, rules: list[Rule], params: dict[str, Any] | None = None) -> int:
    """Compiled and node evaluations agree at every place; the number the compiled path decided."""
    decided = 0
    for rule, env in places(tree, rules, params):
        function = compiled.fast(rule)
        if function is None:
            continue
        probe = env.again()
        found = function(probe.root, probe.item, probe.prefix, probe.params, probe.bindings, None)
        if found is None:
            continue
        decided += 1
        expected = _interpret(rule, env.again(), None)
        assert (found.status, found.reason, found.missing) == (
            expected.status,
            expected.reason,
            expected.missing,
        ), (rule.id, env.prefix, env.bindings)
    fast_run = [shown(o) for o in run_rules(tree, rules, params, passes=True)]
    with nodes_only(rules):
        node_run = [shown(o) for o in run_rules(tree, rules, params, passes=True)]
    assert fast_run == node_run
    return decided


def test_every_builtin_rule_compiles() -> None:
    assert all(compiled.fast(rule) is not None for rule in RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_rule_example_agrees(rule: Rule) -> None:
    for example in rule.spec.examples:
        params = {rule.id: example.params} if example.params else None
        agree(report_for_example(example), [rule], params)


@pytest.mark.parametrize("sample", sorted((ROOT / "samples").glob("*.json")), ids=lambda p: p.name)
def test_samples_agree(sample: Path) -> None:
    from evalcheck.inputs import read_path
    from evalcheck.report import from_input

    tree = normalise_report(from_input(read_path(str(sample))).data)
    assert agree(tree, RULES) > 0


# --- the source holds only what the generator wrote ---------------------------------------

_RUNTIME_NAMES = set(compiled._RUNTIME)
_OWN_NAMES = {
    "root",
    "item",
    "prefix",
    "params",
    "bindings",
    "env",
    "exc",
    "o",
    "v",
    "x",
    "len",
    "str",
    "Exception",
}
_ATTRIBUTES = {"get", "value", "append", "what", "rounding", "evaluate", "resolve", "__class__"}
_MADE = re.compile(r"_[ct][0-9]+|_rule")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_generated_source_names_only_what_the_generator_made(rule: Rule) -> None:
    text, consts = codegen.source_of(rule)
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.STRING:
            pytest.fail(f"a string literal in the generated source: {token.string}")
        if token.type == tokenize.NUMBER:
            assert token.string in ("0", "1"), token.string
        if token.type == tokenize.NAME:
            name = token.string
            assert (
                keyword.iskeyword(name)
                or name in _RUNTIME_NAMES
                or name in _OWN_NAMES
                or name in _ATTRIBUTES
                or _MADE.fullmatch(name)
            ), name
    assert set(consts) <= {m for m in re.findall(r"_c[0-9]+", text)}


# --- generated expressions over generated reports ------------------------------------------

ROOT_FIGURES = [
    "基本支出.决算",
    "基本支出.人员经费",
    "基本支出.公用经费",
    "预算执行.全年执行数",
    "预算执行.全年预算数",
    "预算执行.执行率",
    "预算执行.得分",
    "预算执行.分值",
    "总分.得分",
    "自评分数",
]
ROW_FIGURES = ["得分", "分值"]
LISTS = ["支出功能分类[*]", "绩效指标[*].指标[*].得分", "绩效指标[*].指标[*].分值"]
TEXTS = ["评价等次", "预算执行.说明", "单位名称", '"优秀"', '""']
CONSTANTS = ["0", "1", "2.5", "100", "0.01", "参数.a", "参数.b"]


def numbers(row: bool) -> st.SearchStrategy[str]:
    atoms = st.sampled_from(ROOT_FIGURES + CONSTANTS + (ROW_FIGURES if row else []))
    lists = st.sampled_from(LISTS)

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        two = st.tuples(inner, inner)
        return st.one_of(
            two.map(lambda p: f"({p[0]} + {p[1]})"),
            two.map(lambda p: f"({p[0]} - {p[1]})"),
            two.map(lambda p: f"({p[0]} * {p[1]})"),
            two.map(lambda p: f"({p[0]} / {p[1]})"),
            inner.map(lambda a: f"-{a}"),
            inner.map(lambda a: f"abs({a})"),
            two.map(lambda p: f"sum({p[0]}, {p[1]})"),
            two.map(lambda p: f"min({p[0]}, {p[1]})"),
            two.map(lambda p: f"max({p[0]}, {p[1]})"),
            two.map(lambda p: f"coalesce({p[0]}, {p[1]})"),
            two.map(lambda p: f"ratio({p[0]}, {p[1]})"),
            inner.map(lambda a: f"round({a}, 1)"),
            inner.map(lambda a: f"pct({a})"),
            lists.map(lambda a: f"sum({a})"),
            lists.map(lambda a: f"count({a})"),
            st.tuples(lists, inner).map(lambda p: f"sum({p[0]}, {p[1]})"),
        )

    return st.recursive(atoms, extend, max_leaves=6)


def conditions(row: bool) -> st.SearchStrategy[str]:
    num = numbers(row)
    relation = st.sampled_from(["==", "!=", "<", "<=", ">", ">="])
    text = st.sampled_from(TEXTS)
    atoms = st.one_of(
        st.tuples(num, relation, num).map(" ".join),
        st.tuples(num, relation, num, relation, num).map(" ".join),
        st.tuples(text, st.sampled_from(["==", "!="]), text).map(" ".join),
        st.sampled_from(ROOT_FIGURES + TEXTS[:3] + LISTS).map(lambda a: f"exists({a})"),
        st.sampled_from(ROOT_FIGURES + TEXTS[:3]).map(lambda a: f"blank({a})"),
        st.sampled_from(["参数.c", "True", "False"]),
    )

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        two = st.tuples(inner, inner)
        return st.one_of(
            two.map(lambda p: f"({p[0]} and {p[1]})"),
            two.map(lambda p: f"({p[0]} or {p[1]})"),
            inner.map(lambda a: f"not ({a})"),
            st.tuples(num, inner, num, num).map(
                lambda p: f"({p[0]} if {p[1]} else {p[2]}) == {p[3]}"
            ),
        )

    return st.recursive(atoms, extend, max_leaves=4)


AMOUNT = st.one_of(
    st.none(),
    st.integers(-5, 500),
    st.decimals(min_value=-100, max_value=1000, places=2, allow_nan=False),
    st.decimals(min_value=0, max_value=1000, places=1, allow_nan=False).map(str),
    st.sampled_from(["", "—", "0", "0.00", "12.5万元", "1,234.56", "３０．００"]),
)
RATE = st.one_of(st.none(), st.sampled_from(["95.5%", "100%", "0%", "99.99%", "50"]), AMOUNT)
TEXT = st.one_of(st.none(), st.sampled_from(["", "优秀", "良好", "原因", "—"]))
PARAM = st.one_of(
    st.none(),
    st.sampled_from(["90%", "0.5", "x", "", "100"]),
    st.decimals(min_value=-10, max_value=10, places=2, allow_nan=False),
    st.booleans(),
)


@st.composite
def reports(draw: st.DrawFn) -> dict[str, Any]:
    def some(keys: dict[str, st.SearchStrategy[Any]]) -> dict[str, Any]:
        return {k: v for k, s in keys.items() if (v := draw(s)) is not None or draw(st.booleans())}

    rows = draw(st.integers(0, 3))
    groups = [
        {"一级指标": "产出指标", "分值": draw(AMOUNT), "指标": [
            some({"三级指标": st.just(f"指标{g}{i}"), "得分": AMOUNT, "分值": AMOUNT})
            for i in range(draw(st.integers(0, 3)))
        ]}
        for g in range(rows)
    ]  # fmt: skip
    report = {
        "单位名称": draw(TEXT),
        "评价等次": draw(TEXT),
        "自评分数": draw(AMOUNT),
        "基本支出": some({"决算": AMOUNT, "人员经费": AMOUNT, "公用经费": AMOUNT}),
        "预算执行": some(
            {
                "全年执行数": AMOUNT,
                "全年预算数": AMOUNT,
                "执行率": RATE,
                "得分": AMOUNT,
                "分值": AMOUNT,
                "说明": TEXT,
            }
        ),
        "总分": some({"得分": AMOUNT}),
        "支出功能分类": {f"科目{i}": draw(AMOUNT) for i in range(draw(st.integers(0, 3)))},
        "绩效指标": groups,
    }
    return {k: v for k, v in report.items() if v is not None}


def make_rule(check: str, when: str | None, scope: str | None, **extra: Any) -> Rule | None:
    raw = {key: None for key in _SPEC_KEYS}
    raw.update(
        id="T900",
        name="generated",
        title="生成的规则",
        severity="error",
        check=check,
        when=when,
        scope=scope,
        missing=extra.get("missing", "skip"),
        tolerance=extra.get("tolerance"),
        message="不成立",
        explain="生成的规则。",
        params=extra.get("params", {}),
        examples=[],
        line=1,
    )
    try:
        return _compile_rule(RuleSpec.from_dict(raw), 1, None, ("rules", 0), "generated", "-")
    except Exception:  # a generated expression of the wrong type: refused, like a rule file's
        return None


GENERATED = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@GENERATED
@given(
    st.booleans().flatmap(
        lambda row: st.tuples(st.just(row), conditions(row), st.one_of(st.none(), conditions(row)))
    ),
    reports(),
    st.fixed_dictionaries({"a": PARAM, "b": PARAM, "c": PARAM}),
    st.sampled_from(["skip", "zero", "report"]),
    st.sampled_from([None, Decimal("0.01")]),
)
def test_generated_expressions_agree(
    expression: tuple[bool, str, str | None],
    report: dict[str, Any],
    params: dict[str, Any],
    missing: str,
    tolerance: Decimal | None,
) -> None:
    row, check, when = expression
    scope = "绩效指标[*].指标[*]" if row else None
    rule = make_rule(check, when, scope, missing=missing, tolerance=tolerance, params=params)
    if rule is None:
        return
    try:
        tree = normalise_report(json.loads(json.dumps(report, default=str), parse_float=Decimal))
    except ShapeError:
        return
    agree(tree, [rule])


def test_fast_path_decides_most_places_of_generated_reports() -> None:
    """The point of it: on the benchmark's reports the nodes are rarely asked."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from generate import make_report
    finally:
        sys.path.pop(0)
    decided = total = 0
    for i in range(10):
        data = json.loads(json.dumps(make_report(i, 0)), parse_float=Decimal)
        tree = normalise_report(data)
        total += sum(1 for _ in places(tree, RULES, None))
        decided += agree(tree, RULES)
    assert decided >= 0.9 * total


def test_an_undecided_equality_is_left_to_the_nodes() -> None:
    (rule,) = [r for r in RULES if r.id == "EC201"]  # 执行率 == 全年执行数 / 全年预算数
    tree = normalise_report({"预算执行": {"全年执行数": 90, "全年预算数": 97, "执行率": "92.78%"}})
    env = Env(tree, tree, (), rule.params, {})
    function = compiled.fast(rule)
    assert function is not None
    assert function(tree, tree, (), rule.params, {}, None) is None  # 0.9278 ≠ 90/97 exactly
    assert _interpret(rule, env, None).status.holds  # correctly rounded: the nodes say so


def test_a_rule_is_compiled_once_the_nodes_evaluated_it_at_enough_places() -> None:
    """A single report (a cold start) does not pay for compiling rules it evaluates once."""
    rule = make_rule("预算执行.得分 < 预算执行.分值", None, None)
    assert rule is not None
    tree = normalise_report({"预算执行": {"得分": 10, "分值": 10}})
    first = [shown(o) for o in run_rules(tree, [rule])]
    for _ in range(compiled.WARM - 2):
        assert [shown(o) for o in run_rules(tree, [rule])] == first
    assert rule.fast is None and rule.uses == compiled.WARM - 1
    assert [shown(o) for o in run_rules(tree, [rule])] == first
    assert callable(rule.fast)
    assert [shown(o) for o in run_rules(tree, [rule])] == first
    assert [o.status.value for o in run_rules(tree, [rule])] == ["fail"]
