"""Diagnosis (#17): formula slips named in words, missing parts never turned into a digit
change, and the same output on a loaded machine.

Formula-slip reports come from the mutation benchmark's generator (bench/mutate.py), which
records how each one was made; the expectations below are the diagnoses read off by hand.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import time
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from test_diagnose import clean, diagnoses, put

from evalcheck.runner.checker import Checker

BENCH = Path(__file__).resolve().parent.parent / "bench" / "mutate.py"
SEED = 17


@cache
def _mutate() -> ModuleType:
    name = "bench_mutate"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def case_report(kind: str, index: int) -> dict[str, Any]:
    report: dict[str, Any] = _mutate().build_case(kind, index, SEED).report
    return report


# --- formula slips ----------------------------------------------------------------------------


def test_a_rate_against_the_initial_budget_is_named_with_its_arithmetic() -> None:
    # 执行率 586.88 ÷ 303.58 (年初) printed instead of ÷ 586.88 (全年): no digit is wrong.
    (found,) = diagnoses(put(clean(), ("预算执行", "执行率"), "193.32%"))
    assert found.status == "named"
    assert [(c.path, c.printed, c.suggested) for c in found.changes] == [
        ("预算执行.执行率", "193.32%", "100.00%")
    ]
    assert found.text == (
        "预算执行.执行率 193.32% 更可能应为 100.00%：执行率按年初预算数计算："
        "586.88 ÷ 303.58 = 193.32%；应为 586.88 ÷ 586.88（全年预算数）= 100.00%，建议核对"
    )


def test_the_score_computed_from_the_wrong_rate_is_corrected_with_it() -> None:
    found = diagnoses(case_report("initial-budget-denominator", 1))
    assert [d.status for d in found] == ["named"]
    assert [(c.path, c.printed, c.suggested, c.kind) for c in found[0].changes] == [
        ("预算执行.执行率", "132.60%", "90.69%", "wrong-denominator"),
        ("预算执行.得分", "10", "9.07", "follows"),
    ]
    assert "执行率按年初预算数计算：3638.39 ÷ 2743.97 = 132.60%" in found[0].text
    assert found[0].rules == ("EC201", "EC304")  # the 总分 is explained by the same fix


def test_a_score_the_wrong_rate_still_allows_is_recomputed_when_the_total_says_so() -> None:
    # 得分 10 holds beside 96.27% (a whole score is compared with the rounded product), but
    # the 总分 was added up with 9.627: the 总分 is not blamed, it shares the diagnosis.
    found = diagnoses(case_report("initial-budget-denominator", 2))
    assert [(d.status, d.rules) for d in found] == [("named", ("EC201", "EC304"))]
    assert [(c.path, c.printed, c.suggested) for c in found[0].changes] == [
        ("预算执行.执行率", "137.83%", "96.27%"),
        ("预算执行.得分", "10", "9.63"),
    ]


def test_a_figure_with_odd_decimals_is_the_likelier_slip() -> None:
    # 1259.063 among amounts to the fen: the extra digit, not a wrong digit of 政府性基金.
    found = diagnoses(case_report("two-errors", 24))
    named = [(c.path, c.printed, c.suggested) for d in found for c in d.changes]
    assert ("预算执行.按收入性质分.一般公共预算", "1259.063", "1259.03") in named


def test_an_inverted_ratio_is_named_as_such() -> None:
    (found,) = diagnoses(case_report("inverted-ratio", 0))
    assert found.text == (
        "人员编制.编制控制率 117.53% 更可能应为 85.09%：编制控制率的分子分母颠倒："
        "按 编制数 ÷ 实际在职人数 计算，114 ÷ 97 = 117.53%；应为 实际在职人数 ÷ 编制数 = 85.09%，"
        "建议核对"
    )


def test_retirees_counted_as_staff_blame_the_count_not_the_innocent_figure() -> None:
    (found,) = diagnoses(case_report("retirees-in-staff", 0))
    assert [(c.path, c.printed, c.suggested) for c in found.changes] == [
        ("人员编制.实际在职人数", "164", "135"),
        ("人员编制.编制控制率", "108.61%", "89.40%"),
    ]
    assert "实际在职人数计入了离退休人员：164 − 离退休人数 29 = 135" in found.text


def test_a_rate_typed_as_a_fraction_within_rounding() -> None:
    (found,) = diagnoses(case_report("percent-as-fraction", 1))
    assert (found.suspect.printed, found.suspect.suggested, found.suspect.reason) == (
        "0.8614",
        "86.14%",
        "百分数写成了小数",
    )


# --- missing evidence -------------------------------------------------------------------------


def test_a_part_left_blank_is_said_missing_and_nothing_is_suggested() -> None:
    data = put(clean(), ("支出功能分类", "住房保障支出"), None)  # the cell is printed blank
    (found,) = diagnoses(data)
    assert (found.status, found.changes, found.alternatives, found.rules) == (
        "missing-part",
        (),
        (),
        ("EC104",),
    )
    assert found.text == (
        "支出功能分类的住房保障支出未填写（空白），无法核对“支出功能分类各科目之和应等于支出总额”："
        "已填各项与合计相差 16.93，可能就是空白处应填的数；请补填后再核对，不作数字修改建议"
    )


def test_a_blank_indicator_score_is_missing_not_a_wrong_total() -> None:
    data = put(clean(), ("绩效指标", 0, "指标", 1, "得分"), None)
    (found,) = diagnoses(data)
    assert (found.status, found.changes, found.rules) == ("missing-part", (), ("EC304",))
    assert found.text.startswith(
        "「开展党员、干部和人才工作的培训学习（期数）」的得分未填写（空白），无法核对“总分应等于各项得分之和”"
    )


# --- determinism ------------------------------------------------------------------------------

LOADED = [
    put(put(clean(), ("基本支出", "人员经费"), 309.33), ("总分", "得分"), 69),  # two groups
    put(put(clean(), ("总分", "得分"), 69), ("自评分数",), 86),  # the pair search
    put(clean(), ("支出功能分类", "住房保障支出"), 42.51),  # ambiguous
    put(clean(), ("预算执行", "执行率"), "193.32%"),  # a formula slip
]


def _output(checker: Checker) -> list[str]:
    return [
        json.dumps([f.to_dict() for f in checker.check_report(r).findings], ensure_ascii=False)
        for r in LOADED
    ]


def test_a_loaded_machine_gives_the_same_diagnosis() -> None:
    checker = Checker()
    idle = _output(checker)
    assert all('"diagnosis"' in o for o in idle)
    burners = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"])
        for _ in range(max(2, os.cpu_count() or 2))
    ]
    try:
        time.sleep(0.2)  # the burners are running before the diagnosis starts
        loaded = [_output(checker) for _ in range(2)]
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()
    assert loaded == [idle, idle]
