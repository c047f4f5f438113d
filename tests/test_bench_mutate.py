"""The mutation benchmark (bench/mutate.py): deterministic cases, exact ground truth, and a
classifier that counts right on hand-made findings.  Nothing here asserts evalcheck's quality
numbers: those are what the benchmark measures."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "mutate.py"
SEED = 5
CASES = 2  # per class


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_mutate", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


mutate = _load()
CLASSES = list(mutate.CLASSES)


@pytest.fixture(scope="module")
def cases() -> list[Any]:
    return [mutate.build_case(kind, i, SEED) for kind in CLASSES for i in range(CASES)]


# --- the generator ----------------------------------------------------------------------------


def test_every_class_is_built_and_the_same_twice(cases: list[Any]) -> None:
    again = [mutate.build_case(kind, i, SEED) for kind in CLASSES for i in range(CASES)]
    assert [c.truth() for c in cases] == [c.truth() for c in again]
    assert [mutate.render(c.report) for c in cases] == [mutate.render(c.report) for c in again]
    assert {c.kind for c in cases} == set(CLASSES)


def test_another_seed_gives_other_cases(cases: list[Any]) -> None:
    other = [mutate.build_case(kind, i, SEED + 1) for kind in CLASSES for i in range(CASES)]
    assert [c.truth() for c in cases] != [c.truth() for c in other]


def test_mutated_reports_differ_from_their_source_exactly_in_the_recorded_figures(
    cases: list[Any],
) -> None:
    for case in cases:
        clean = mutate.source(case.source, SEED).tree
        recorded = {c.path for c in case.changes}
        if case.family == "prose":  # one section's text changed; the truth is what it states
            (section,) = mutate.differences(clean, case.report)
            assert section.startswith("正文[") and section.endswith("].内容")
            before, after = mutate.stated_figures(clean), mutate.stated_figures(case.report)
            for change in case.changes:
                key = mutate.parse_path(change.path)
                assert key[0] == "正文数据" and after[key] == change.mutated
                assert before.get(key, "") == change.original != change.mutated
            assert recorded == {
                mutate.fmt(k)
                for k, v in after.items()
                if v != before.get(k) and v in {c.mutated for c in case.changes}
            }
            continue
        assert mutate.differences(clean, case.report) == recorded, case.truth()
        for change in case.changes:
            key = mutate.parse_path(change.path)
            assert mutate.text_of(mutate.get(clean, key)) == change.original
            assert mutate.text_of(mutate.get(case.report, key)) == change.mutated
            assert change.original != change.mutated
        # the cached clean source itself is never touched by building a case
        assert mutate.differences(clean, mutate.source_tree(case.source, SEED)) == set()


def test_ground_truth_says_what_kind_of_error_it_is(cases: list[Any]) -> None:
    for case in cases:
        paths = {c.path for c in case.changes}
        assert {p for g in case.groups for p in g} == paths
        if case.kind == "two-errors":
            assert len(case.groups) == 2 and not set(case.groups[0]) & set(case.groups[1])
        else:
            assert len(case.groups) == 1
        if case.family == "formula" or case.kind.endswith("not-updated"):
            assert case.formula in mutate.FORMULA_TESTS
        else:
            assert case.formula is None
        if case.kind == "compensating-pair":
            a, b = (mutate.number(c.mutated) - mutate.number(c.original) for c in case.changes)
            assert a == -b != 0
        if case.kind == "rounding-total":
            (change,) = case.changes
            step = abs(mutate.number(change.mutated) - mutate.number(change.original))
            assert step == mutate.unit(mutate.parse_path(change.path), change.original)


def test_the_samples_are_sources_and_their_busy_figures_stay_untouched() -> None:
    beita = mutate.source(mutate.BEITA, SEED)
    assert beita.tree["预算执行"]["年初预算数"] == Decimal("303.58")  # its own EC103 corrected
    assert ("EC103", "预算执行.年初预算数") not in beita.baseline
    assert beita.busy  # its remaining warnings (EC116, EC308, EC310) read some figures
    for kind in CLASSES:
        case = mutate.build_case(kind, 10, SEED)  # index 10: the first attempt is Beita's
        if case.source == mutate.BEITA:
            assert not {c.path for c in case.changes} & beita.busy


def test_helpers_round_trip() -> None:
    path = ("绩效指标", 0, "指标", 3, "得分")
    assert mutate.fmt(path) == "绩效指标[0].指标[3].得分"
    assert mutate.parse_path(mutate.fmt(path)) == path
    tree = mutate.parse('{"a": 10.00, "b": [1, 0.5]}')
    assert mutate.render(tree) == '{\n  "a": 10.00,\n  "b": [\n    1,\n    0.5\n  ]\n}\n'
    assert mutate.number("97.52%") == Decimal("97.52")
    assert mutate.number("17.26万") == Decimal("17.26")
    assert mutate.number("——") is None


def test_digit_slips() -> None:
    rng = mutate.random.Random(1)
    assert mutate.digit_slip("586.88", "transposition", rng) in ("568.88", "856.88")
    for how in ("transposition", "dropped-digit", "extra-digit", "wrong-digit", "decimal-point"):
        for seed in range(20):
            new = mutate.digit_slip("586.88", how, mutate.random.Random(seed))
            if new is not None:
                assert abs(mutate.number(new) - Decimal("586.88")) > Decimal("0.01")
    # a change within what the coarser printed figure can mean is not a slip
    assert not mutate._changed_enough(("基本支出", "人员经费"), "6976.86", "6976.8")


# --- the classifier ---------------------------------------------------------------------------


def finding(
    rule: str,
    path: str,
    values: tuple[str, ...] = (),
    severity: str = "error",
    diagnosis: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "rule": rule,
        "severity": severity,
        "message": "",
        "path": path,
        "values": [{"path": v, "value": "1"} for v in (path, *values)],
        "diagnosis": diagnosis,
    }


def diagnosis(
    *changes: tuple[str, str],
    kind: str = "wrong-digit",
    reason: str = "输错了一位数字",
    alternatives: tuple[tuple[str, str], ...] = (),
) -> dict[str, Any]:
    listed = [
        {"path": p, "printed": "1", "suggested": s, "kind": kind, "reason": reason}
        for p, s in changes
    ]
    text = "；".join(f"{p} 1 更可能应为 {s}：{reason}" for p, s in changes) + "，建议核对"
    return {
        **listed[0],
        "confidence": 0.5,
        "text": text,
        "rules": [],
        "changes": listed,
        "alternatives": [
            {"path": p, "printed": "1", "suggested": s, "kind": "unexplained", "reason": ""}
            for p, s in alternatives
        ],
    }


REPORT: dict[str, Any] = {
    "自评分数": 96,
    "人员编制": {"编制数": 19, "实际在职人数": 19, "编制控制率": "100%"},
    "基本支出": {
        "决算": Decimal("586.88"),
        "人员经费": Decimal("303.93"),
        "公用经费": Decimal("282.95"),
    },
    "绩效指标": [{"一级指标": "产出指标", "分值": 35, "指标": [{"分值": 10, "得分": 9}]}],
    "总分": {"分值": 100, "得分": 96},
    "经费控制情况": {
        "公用经费": {"本年决算数": Decimal("282.95"), "其中": [{"本年决算数": Decimal("26.51")}]}
    },
}
PART = "基本支出.人员经费"
SLIP = mutate.Truth({PART: "303.93"}, [[PART]])


def counts(truth: Any, findings: list[dict[str, Any]], **kw: Any) -> dict[str, Any]:
    return mutate.classify(truth, findings, REPORT, **kw)


def test_a_named_and_restored_figure_counts_as_localised_and_corrected() -> None:
    found = [finding("EC101", "基本支出.决算", (PART,), diagnosis=diagnosis((PART, "303.93")))]
    got = counts(SLIP, found)
    assert got["detected"] and got["alarm"] and got["diagnosed"]
    assert got["localised"] and got["corrected"]
    assert not got["wrong_named"] and not got["impossible"]
    assert got["formula_named"] is None and got["both_localised"] is None


def test_the_right_figure_with_a_wrong_value_is_localised_not_corrected() -> None:
    found = [finding("EC101", "基本支出.决算", (PART,), diagnosis=diagnosis((PART, "330.93")))]
    got = counts(SLIP, found)
    assert got["localised"] and not got["corrected"] and not got["wrong_named"]


def test_an_innocent_figure_named_counts_as_wrong() -> None:
    other = "基本支出.公用经费"
    found = [finding("EC101", "基本支出.决算", (PART,), diagnosis=diagnosis((other, "282.95")))]
    got = counts(SLIP, found)
    assert got["detected"] and not got["localised"] and got["wrong_named"]
    assert got["wrong_paths"] == [other]
    # an alternative is not a naming: only the diagnosis' changes count
    found = [
        finding(
            "EC101",
            "基本支出.决算",
            (PART,),
            diagnosis=diagnosis((PART, "303.93"), alternatives=((other, "1.00"),)),
        )
    ]
    assert not counts(SLIP, found)["wrong_named"]


def test_one_diagnosis_on_several_findings_is_counted_once_and_info_is_no_alarm() -> None:
    shared = diagnosis((PART, "303.93"))
    found = [
        finding("EC101", "基本支出.决算", (PART,), diagnosis=shared),
        finding("EC102", "预算执行.全年执行数", ("基本支出.决算",), diagnosis=shared),
    ]
    assert len(mutate.diagnoses_of(found)) == 1
    rounding = [finding("EC104", "支出功能分类", severity="info")]
    got = counts(SLIP, rounding)
    assert not got["alarm"] and not got["detected"] and not got["diagnosed"]


def test_detection_needs_the_changed_figure_or_its_block() -> None:
    unrelated = [finding("EC211", "人员编制.编制控制率", ("人员编制.编制数",))]
    got = counts(SLIP, unrelated)
    assert got["alarm"] and not got["detected"]
    block = mutate.Truth({"支出功能分类.教育支出": "1.00"}, [["支出功能分类.教育支出"]])
    assert counts(block, [finding("EC104", "支出功能分类")])["detected"]


def test_what_the_clean_source_already_had_is_not_counted() -> None:
    old = diagnosis(("绩效指标[0].指标[0].得分", "10"))
    found = [finding("EC308", "绩效指标[0].指标[0].得分", severity="warning", diagnosis=old)]
    got = counts(
        SLIP,
        found,
        baseline=[("EC308", "绩效指标[0].指标[0].得分")],
        known=[mutate._canonical(old)],
    )
    assert not got["alarm"] and not got["diagnosed"] and not got["wrong_named"]


@pytest.mark.parametrize(
    ("path", "suggested", "why"),
    [
        ("绩效指标[0].指标[0].得分", "12", "above 分值"),
        ("绩效指标[0].指标[0].分值", "40", "above its group"),
        ("绩效指标[0].指标[0].分值", "8", "above 分值"),  # 得分 9 > 8
        ("绩效指标[0].分值", "135", "group 分值"),
        ("总分.得分", "198.285", "total score"),
        ("自评分数", "895.0", "total score"),
        ("正文数据.自评分数", "1000", "total score"),  # the prose's figure, held to the same range
        ("人员编制.实际在职人数", "12.5", "not whole"),
        ("人员编制.编制控制率", "878.79%", "rate above"),
        ("基本支出.人员经费", "-5.00", "negative"),
        ("经费控制情况.公用经费.其中[0].本年决算数", "300.00", "above its total"),
        ("经费控制情况.公用经费.本年决算数", "20.00", "above its total"),
        ("基本支出.人员经费", "abc", "unreadable"),
    ],
)
def test_impossible_suggestions(path: str, suggested: str, why: str) -> None:
    reason = mutate.impossible(REPORT, path, suggested)
    assert reason is not None and why in reason


@pytest.mark.parametrize(
    ("path", "suggested"),
    [
        ("绩效指标[0].指标[0].得分", "10"),
        ("总分.得分", "98.285"),
        ("正文数据.自评分数", "96"),
        ("人员编制.实际在职人数", "21"),  # above 编制数 is a warning, not impossible
        ("人员编制.编制控制率", "110.53%"),
        ("基本支出.人员经费", "0.00"),
        ("经费控制情况.公用经费.本年决算数", "300.00"),
        ("正文数据.人员编制.编制数", "71名"),  # the prose counts staff in 名 as well as 人
    ],
)
def test_possible_suggestions(path: str, suggested: str) -> None:
    assert mutate.impossible(REPORT, path, suggested) is None


def test_impossible_suggestions_are_counted_per_report() -> None:
    truth = mutate.Truth({"总分.得分": "96"}, [["总分.得分"]])
    found = [finding("EC304", "总分.得分", diagnosis=diagnosis(("总分.得分", "196")))]
    got = counts(truth, found)
    assert got["localised"] and got["impossible"] and not got["corrected"]
    assert got["impossible_suggestions"] == ["总分.得分 → 196: total score 196 above 100"]
    alternative = diagnosis(("总分.得分", "96"), alternatives=(("自评分数", "960"),))
    got = counts(truth, [finding("EC304", "总分.得分", diagnosis=alternative)])
    assert not got["impossible"] and got["impossible_alternatives"]


@pytest.mark.parametrize(
    ("formula", "kind", "reason", "named"),
    [
        (
            "initial-budget-denominator",
            "unexplained",
            "执行率按年初预算数计算：338.31 ÷ 300.00",
            True,
        ),
        ("initial-budget-denominator", "wrong-denominator", "", True),
        (
            "initial-budget-denominator",
            "omitted-part",
            "合计漏加了「项目支出.年初预算」40.8",
            False,
        ),
        (
            "initial-budget-denominator",
            "copied-neighbour",
            "抄录了相邻行「年初预算数」的数字",
            False,
        ),
        (
            "inverted-ratio",
            "unexplained",
            "控制率按编制数 ÷ 实际在职人数计算（分子分母颠倒）",
            True,
        ),
        ("inverted-ratio", "transposition", "两位数字颠倒", False),
        ("retirees-in-staff", "unexplained", "实际在职人数含离退休人员 18 人", True),
        ("retirees-in-staff", "wrong-digit", "输错了一位数字", False),
        ("percent-as-fraction", "percent-as-fraction", "百分数写成了小数", True),
        ("percent-as-fraction", "unexplained", "使相关等式成立所需的数值", False),
        ("total-not-updated", "unexplained", "合计未随「公务接待」更新", True),
        ("total-not-updated", "unexplained", "使相关等式成立所需的数值", False),
    ],
)
def test_formula_slips_named_as_such(formula: str, kind: str, reason: str, named: bool) -> None:
    # the figure's own name is in the text but never counts: 「离退休人数」 named as a digit slip
    # is not "离退休 counted in 在职"
    path = "人员编制.离退休人数" if formula == "retirees-in-staff" else "预算执行.执行率"
    found = diagnosis((path, "1"), kind=kind, reason=reason)
    assert mutate.formula_named(found, formula) is named
    truth = mutate.Truth({path: "2"}, [[path]], formula)
    assert counts(truth, [finding("EC201", path, diagnosis=found)])["formula_named"] is named


def test_two_errors_are_both_localised_only_when_each_is_named() -> None:
    a, b = "基本支出.人员经费", "人员编制.编制数"
    truth = mutate.Truth({a: "303.93", b: "19"}, [[a], [b]])
    one = [finding("EC101", "基本支出.决算", (a,), diagnosis=diagnosis((a, "303.93")))]
    both = [*one, finding("EC212", b, diagnosis=diagnosis((b, "19")))]
    first = counts(truth, one)
    assert first["localised"] and not first["both_localised"] and not first["both_detected"]
    second = counts(truth, both)
    assert second["both_localised"] and second["both_detected"]
    assert not first["both_listed"] and second["both_listed"]


def test_a_candidate_an_ambiguous_diagnosis_lists_is_listed_not_localised() -> None:
    a, b = "基本支出.人员经费", "人员编制.编制数"
    truth = mutate.Truth({a: "303.93", b: "19"}, [[a], [b]])
    ambiguous = {
        "status": "ambiguous",
        "text": "无法确定是哪一个数字有误",
        "changes": [],
        "alternatives": [{"path": a, "suggested": "303.93"}, {"path": "基本支出.决算"}],
    }
    found = [
        finding("EC101", "基本支出.决算", (a,), diagnosis=ambiguous),
        finding("EC212", b, diagnosis=diagnosis((b, "19"))),
    ]
    got = counts(truth, found)
    assert got["both_detected"] and got["both_listed"]
    assert not got["both_localised"] and not got["wrong_named"]


def test_the_table_counts_cases_and_diagnosed_reports() -> None:
    base = {
        "kind": "wrong-digit",
        "family": "digit",
        "detected": True,
        "alarm": True,
        "localised": False,
        "corrected": False,
        "impossible": False,
        "formula_named": None,
        "both_localised": None,
        "seconds": 0.01,
    }
    results = [
        {**base, "diagnosed": True, "localised": True, "corrected": True, "wrong_named": False},
        {**base, "diagnosed": True, "wrong_named": True, "impossible": True},
        {**base, "diagnosed": False, "wrong_named": False, "detected": False, "alarm": False},
        {**base, "diagnosed": False, "wrong_named": False},
        {**base, "kind": "rate-rerounded", "family": "rounding", "diagnosed": False,
         "wrong_named": False, "detected": False, "alarm": True},
    ]  # fmt: skip
    rows = mutate.table(results).splitlines()
    wrong_digit = rows[2].split(" | ")
    # cases, detected, any alarm, diagnosed, localised, corrected, wrong, impossible, formula, both
    assert wrong_digit[2:] == [
        "4", "3 (75%)", "3 (75%)", "2 (50%)", "1 (25%)", "1 (25%)",
        "1 (50%)", "1 (50%)", "—", "— |",
    ]  # fmt: skip
    assert rows[3].startswith("| rate-rerounded | rounding | 1 | 0 (0%) | 1 (100%)")
    # the total leaves out rounding-only and compensating cases
    assert rows[4].split(" | ")[2] == "4"
    assert "median 10 ms" in mutate.timing(results)


# --- end to end, through the public surface ---------------------------------------------------


def test_check_and_the_cli_json_are_classified_alike(tmp_path: Path) -> None:
    case = mutate.build_case("transposition", 1, SEED)
    src = mutate.source(case.source, SEED)
    findings, seconds = mutate.run_check(case.report)
    assert seconds > 0
    report = tmp_path / "report.json"
    report.write_text(mutate.render(case.report), encoding="utf-8")
    cli = subprocess.run(
        [sys.executable, "-m", "evalcheck", "--format", "json", str(report)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert cli.returncode in (0, 1), cli.stderr
    printed = json.loads(cli.stdout)["files"][0]["findings"]
    truth = mutate.Truth.of(case)
    via_api = mutate.classify(truth, findings, case.report, src.baseline, src.diagnoses)
    via_cli = mutate.classify(truth, printed, case.report, src.baseline, src.diagnoses)
    assert via_api == via_cli


def test_as_record_reads_the_findings_check_returns() -> None:
    located = SimpleNamespace(path="总分.得分", value="96")
    shaped = SimpleNamespace(
        rule_id="EC304",
        severity="error",
        message="m",
        path="总分.得分",
        figures=[located],
        diagnosis=SimpleNamespace(to_dict=lambda: {"path": "总分.得分", "suggested": "95"}),
    )
    record = mutate.as_record(shaped)
    assert record["rule"] == "EC304" and record["values"] == [{"path": "总分.得分", "value": "96"}]
    assert record["diagnosis"] == {"path": "总分.得分", "suggested": "95"}
    assert mutate.changes_of(record["diagnosis"]) == [record["diagnosis"]]


def test_a_tiny_run_prints_every_class() -> None:
    results = mutate.run(1, SEED, jobs=1)
    assert [r["kind"] for r in results] == CLASSES
    assert all(r["seconds"] > 0 for r in results)
    text = mutate.table(results)
    for kind in CLASSES:
        assert f"| {kind} |" in text
    assert "total (error classes)" in text
    assert "rounding-only" in mutate.targets_line(results)
