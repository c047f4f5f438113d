"""What printed figures mean, settled for the whole family (issue 14, "Semantics to settle").

* One figure printed twice at one precision must be identical: rounding intervals are for
  computed values, not for two printings of one number.
* A denominator that is not printed makes a rule not applicable; only a printed zero is a finding.
* A part that is not printed is absent, not zero.
* A sum over a category does not hide a key it does not know.
* No digit slip is diagnosed when the evidence is a part missing from a table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evalcheck.engine.pack import Rule, load_rules
from evalcheck.engine.run import run_rules
from evalcheck.runner.checker import Checker


def one_rule(tmp_path: Path, check: str) -> Rule:
    path = tmp_path / "rule.yaml"
    path.write_text(
        "rules:\n  - id: T001\n    name: t\n    title: 测试\n    severity: error\n"
        f"    check: {check}\n    message: 测试\n    explain: 依据：测试\n"
        "    examples:\n      - {name: a, expect: pass, report: {}}\n"
        "      - {name: b, expect: fail, report: {}}\n",
        encoding="utf-8",
    )
    (rule,) = load_rules(path)
    return rule


def statuses(rule: Rule, report: dict[str, Any]) -> list[str]:
    return [str(o.status) for o in run_rules(report, [rule], passes=True)]


def findings(report: dict[str, Any], *, diagnose: bool = False) -> dict[str, Any]:
    """Findings by rule, leaving out EC00x (what was read and checked, not what is wrong)."""
    result = Checker(diagnose=diagnose).check_report(report)
    return {f.rule_id: f for f in result.findings if not f.rule_id.startswith("EC00")}


SAME = "预算执行.全年执行数 == 收支情况.支出合计"


@pytest.mark.parametrize(
    ("table", "prose", "expected"),
    [
        ("1204", "1205", "fail"),  # whole 万元 both times: not 尾数误差
        ("11617.02", "11617.03", "fail"),
        ("11617.02", "11617.02万元", "pass"),
        ("586.88", "586.9", "rounding"),  # printed at another precision: the same number rounded
        ("5,868,800元", "586.88", "pass"),
    ],
)
def test_one_figure_printed_twice_must_be_identical(
    tmp_path: Path, table: str, prose: str, expected: str
) -> None:
    rule = one_rule(tmp_path, SAME)
    report = {"预算执行": {"全年执行数": table}, "收支情况": {"支出合计": prose}}
    assert statuses(rule, report) == [expected]


def test_a_computed_sum_keeps_its_rounding_interval(tmp_path: Path) -> None:
    rule = one_rule(tmp_path, "基本支出.决算 == 基本支出.人员经费 + 基本支出.公用经费")
    report = {"基本支出": {"决算": "586.88", "人员经费": "303.93", "公用经费": "282.94"}}
    assert statuses(rule, report) == ["rounding"]


def test_a_rate_stated_without_its_operands_is_not_a_finding() -> None:
    report = {"人员编制": {"实际在职人数": 19, "编制控制率": "100%"}}
    assert "EC211" not in findings(report)


def test_a_printed_zero_denominator_is_a_finding() -> None:
    found = findings({"人员编制": {"编制数": 0, "实际在职人数": 3, "编制控制率": "100%"}})
    assert found["EC211"].kind == "error"
    assert found["EC211"].message == "规则无法计算：分母「人员编制.编制数」为零"


def test_ratio_of_a_blank_denominator_is_not_applicable(tmp_path: Path) -> None:
    rule = one_rule(
        tmp_path, "人员编制.编制控制率 == ratio(人员编制.实际在职人数, 人员编制.编制数)"
    )
    assert statuses(rule, {"人员编制": {"实际在职人数": 19, "编制控制率": "100%"}}) == [
        "not-applicable"
    ]


@pytest.mark.parametrize(
    "report",
    [
        {"经费控制情况": {"三公经费": {"本年决算数": 5}}},
        {"经费控制情况": {"三公经费": {"本年决算数": 5, "公务接待": {"本年决算数": 3}}}},
        {"经费控制情况": {"三公经费": {"公务用车购置及运行维护费": {"本年决算数": 5}}}},
        {"三公经费": {"合计": {"本年预算数": 20}}},
        {"三公经费": {"公务用车购置及运行维护费": {"本年决算数": 21}}},
    ],
)
def test_a_part_not_printed_is_absent_not_zero(report: dict[str, Any]) -> None:
    assert findings(report) == {}


def test_printed_parts_above_the_total_are_still_found() -> None:
    report = {
        "经费控制情况": {
            "三公经费": {
                "本年决算数": 1.20,
                "公务用车购置及运行维护费": {"本年决算数": 0.80},
                "公务接待": {"本年决算数": 0.60},
            }
        }
    }
    assert set(findings(report)) == {"EC117"}


def test_an_unknown_source_under_a_known_block_is_reported_and_summed() -> None:
    report = {
        "收支情况": {"收入合计": 2796.62, "收入构成": {"一般公共预算": 2700, "上级补助收入": 96.62}}
    }
    found = findings(report)
    assert "EC105" not in found  # summed, not silently left out
    assert "上级补助收入" in found["EC109"].label


def test_no_digit_slip_is_diagnosed_when_a_part_is_missing() -> None:
    rows = [
        {"三级指标": "效果显著", "分值": 15, "得分": 13},
        {"三级指标": "可持续影响", "分值": 10, "得分": 8},
        {"三级指标": "满意度", "分值": "", "得分": 9},  # its 分值 cell is blank
    ]
    found = findings({"绩效指标": [{"一级指标": "效益", "分值": 35, "指标": rows}]}, diagnose=True)
    diagnosis = found["EC302"].diagnosis  # says which part is missing, changes nothing
    assert diagnosis is not None and diagnosis.status == "missing-part" and not diagnosis.changes
    assert diagnosis.text == (
        "「满意度」的分值未填写（空白），无法核对“一级指标的分值应等于其下各指标分值之和”："
        "已填各项与合计相差 10，可能就是空白处应填的数；请补填后再核对，不作数字修改建议"
    )
    blank = [f.path for f in found["EC302"].figures if f.value == "（空白）"]
    assert blank == ["绩效指标[0].指标[2].分值"]  # the frame says which part is missing


def test_a_slip_is_still_diagnosed_when_every_part_is_printed() -> None:
    rows = [{"三级指标": "效果显著", "分值": 15}, {"三级指标": "可持续影响", "分值": 1}]
    report = {
        "预算执行": {"分值": 75},
        "绩效指标": [{"一级指标": "效益", "分值": 25, "指标": rows}],
    }
    diagnosis = findings(report, diagnose=True)["EC302"].diagnosis
    assert diagnosis is not None and diagnosis.suspect.path == "绩效指标[0].指标[1].分值"
