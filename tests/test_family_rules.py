"""The family's parts as the rules see them: what recognise() adds, scopes over several tables,
and the helpers the family's rules use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evalcheck.engine.pack import load_rules
from evalcheck.engine.run import run_rules
from evalcheck.inputs.source import LoadError
from evalcheck.report.normalise import Comparison
from evalcheck.report.tree import normalise_report
from evalcheck.runner.checker import Checker

RULES = Path(__file__).parents[1] / "rules"


def findings(report: dict[str, Any]) -> list[tuple[str, str]]:
    result = Checker(diagnose=False).check_report(report)
    return [(f.rule_id, f.path) for f in result.findings if not f.rule_id.startswith("EC00")]


# --- 报告类型 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("report", "kind"),
    [
        ({"项目名称": "初中公用经费"}, "项目支出绩效自评表"),
        ({"预算执行": {"资金来源": {"当年财政拨款": {"全年预算数": 1}}}}, "项目支出绩效自评表"),
        ({"人员编制": {"编制数": 19}}, "部门整体支出绩效自评"),
        ({"预决算说明": {"支出合计": {"本年决算数": 1}}}, "部门预算决算说明"),
        ({"三公经费": {"合计": {"本年预算数": 79}}}, "三公经费说明"),
        ({"预决算说明": {}, "三公经费": {}}, "部门预算决算说明"),
        ({"报告类型": "三公经费说明", "人员编制": {"编制数": 19}}, "三公经费说明"),
    ],
)
def test_the_report_type_is_detected_from_the_parts_present(
    report: dict[str, Any], kind: str
) -> None:
    assert normalise_report(report)["报告类型"] == kind


def test_a_report_of_no_known_part_gets_no_type() -> None:
    assert "报告类型" not in normalise_report({"单位名称": "某局"})


def test_a_rule_scoped_by_report_type() -> None:
    adjusted = {"预算执行": {"年初预算数": 90, "全年预算数": 89.974}}
    assert ("EC226", "预算执行.全年预算数") in findings({"项目名称": "甲", **adjusted})
    assert "EC226" not in {r for r, _ in findings({"人员编制": {"编制数": 1}, **adjusted})}


# --- targets ------------------------------------------------------------------------------------


def row(**cells: Any) -> dict[str, Any]:
    tree = normalise_report({"绩效指标": [{"指标": [cells]}]})
    found: dict[str, Any] = tree["绩效指标"][0]["指标"][0]
    return found


def test_a_target_printed_over_three_cells_is_one_target() -> None:
    target = row(指标性质="≥", 指标值="95", 度量单位="%")["年度指标值"]
    assert (target.text, target.comparison, target.figure.text) == (
        "≥95%",
        Comparison.AT_LEAST,
        "95%",
    )
    assert row(指标性质="定性", 指标值="有效")["年度指标值"].figure is None
    assert (
        row(指标性质="═", 指标值="100", 度量单位="%")["年度指标值"].comparison is Comparison.EQUAL
    )


def test_a_printed_target_is_kept_over_its_parts() -> None:
    assert row(年度指标值="≤3%", 指标值="5")["年度指标值"].text == "≤3%"


@pytest.mark.parametrize("name", ["项目成本", "预算调整率", "结转结余率", "投诉率", "差错率"])
def test_a_reverse_indicator_is_reached_at_or_below_its_target(name: str) -> None:
    assert row(三级指标=name, 年度指标值="3%")["年度指标值"].comparison is Comparison.AT_MOST
    for actual, points, found in (("0%", 5, set()), ("4%", 5, {"EC309"}), ("0%", 4, {"EC323"})):
        rows = [
            {"三级指标": name, "年度指标值": "3%", "实际完成值": actual, "分值": 5, "得分": points}
        ]
        about_targets = {r for r, _ in findings({"绩效指标": [{"指标": rows}]})} & {
            "EC309",
            "EC323",
        }
        assert about_targets == found


def test_a_cost_saving_rate_is_not_reverse() -> None:
    assert row(三级指标="成本节约率", 年度指标值="3%")["年度指标值"].comparison is None


def test_the_execution_row_is_recognised_and_counted_once() -> None:
    assert row(三级指标="预算执行率")["指标类型"] == "预算执行率"
    assert row(三级指标="预算资金 执行率")["指标类型"] == "预算执行率"
    report = {
        "预算执行": {"分值": 10, "得分": 10, "执行率": "100%"},
        "绩效指标": [
            {"指标": [{"三级指标": "预算执行率", "实际完成值": "100%", "分值": 10, "得分": 10}]},
            {"指标": [{"三级指标": "保障人数", "分值": 90, "得分": 90}]},
        ],
        "总分": {"分值": 100, "得分": 100},
    }
    assert findings(report) == []  # 10 + 90 = 100: the execution points are not added twice


# --- several scopes, helpers ---------------------------------------------------------------------


def rule_file(tmp_path: Path, scope: str, check: str) -> Path:
    path = tmp_path / "r.yaml"
    path.write_text(
        f"rules:\n  - id: T001\n    name: t\n    title: 测试\n    severity: error\n"
        f"    scope: {scope}\n    check: {check}\n    message: 测试\n    explain: 依据：测试\n"
        "    examples:\n      - {name: a, expect: pass, report: {}}\n"
        "      - {name: b, expect: fail, report: {}}\n",
        encoding="utf-8",
    )
    return path


def test_a_scope_may_name_several_tables_of_one_kind(tmp_path: Path) -> None:
    (rule,) = load_rules(rule_file(tmp_path, "三公经费[*] | 预决算说明.收入[*]", "增减额 <= 0"))
    report = {
        "三公经费": {"合计": {"增减额": -49}},
        "预决算说明": {"收入": {"事业收入": {"增减额": 5}}},
    }
    seen = [(o.scope, str(o.status)) for o in run_rules(report, [rule], passes=True)]
    assert seen == [(("三公经费", "合计"), "pass"), (("预决算说明", "收入", "事业收入"), "fail")]


def test_names_of_a_several_table_scope_must_exist_in_every_one(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="未知的键「批次」"):
        load_rules(rule_file(tmp_path, "预决算说明.收入[*] | 三公经费[*]", "批次 >= 0"))


def test_a_level2_heading_covers_the_rows_below_it_with_a_blank_label() -> None:
    rows = [
        {"二级指标": "成本指标", "二级指标分值": 10, "分值": 4},
        {"分值": 3},
        {"二级指标": "成本指标", "分值": 3},
        {"二级指标": "时效指标", "二级指标分值": 5, "分值": 4},
    ]
    found = [f for f in findings({"绩效指标": [{"指标": rows}]}) if f[0] == "EC312"]
    assert found == [("EC312", "绩效指标[0].指标[3].二级指标分值")]


@pytest.mark.parametrize(
    ("score", "word", "right"),
    [(96, "优", True), (96, "优秀", True), (85, "良好", True), (72, "合格", True),
     (72, "中等", True), (55, "不合格", True), (55, "较差", True), (55, "合格", False),
     (86, "优秀", False)],
)  # fmt: skip
def test_any_official_word_of_the_band_is_right(score: int, word: str, right: bool) -> None:
    found = findings({"自评分数": score, "评价等次": word})
    assert (("EC306", "评价等次") not in found) is right


def test_amounts_printed_in_yuan_are_shown_in_yuan() -> None:
    report = {
        "预决算说明": {
            "支出": {
                "基本支出": {
                    "本年预算数": "911000.39元",
                    "人员经费": {"本年预算数": "809961.19元"},
                    "公用经费": {"本年预算数": "71339.2元"},
                }
            }
        }
    }
    (finding,) = Checker(diagnose=False).check_report(report).findings
    assert finding.label == "911000.39元 ≠ 809961.19元 + 71339.2元 = 881300.39元，差 29700.00元"


# --- changes stated in prose are issue 16's ------------------------------------------------------


def test_line_change_rules_leave_prose_data_to_the_prose_rules() -> None:
    """EC505–EC510 check tables (三公经费, 预决算说明); 正文数据 changes are checked by the prose
    rules (EC421–EC449), so a wrong change stated in prose is not reported twice."""
    wrong = {"本年预算数": 79, "上年预算数": 128, "增减额": 49, "增减率": "38.28%"}
    in_table = findings({"三公经费": {"合计": wrong}})
    assert ("EC505", "三公经费.合计.增减额") in in_table
    assert ("EC506", "三公经费.合计.增减率") in in_table
    in_prose = findings(
        {"三公经费": {"合计": {"本年预算数": 79}}, "正文数据": {"三公经费": {"合计": wrong}}}
    )
    assert not [f for f in in_prose if f[0] in {f"EC50{i}" for i in range(5, 10)} | {"EC510"}]
    rules = {r.spec.id: r.spec for r in load_rules(RULES / "statements.yaml")}
    for rule_id in ("EC505", "EC506", "EC507", "EC508", "EC509", "EC510"):
        assert rules[rule_id].scope is not None
        assert "三公经费[*]" in rules[rule_id].scope
        assert "正文数据" not in rules[rule_id].scope, rule_id


def test_a_sum_under_a_division_is_shown_in_parentheses() -> None:
    """The share's denominator is sum(支出[*]) when 支出合计 is not printed: the message must
    show ``469500 ÷ (2476260.58 + 469500)``, which is what was computed."""
    report = {
        "预决算说明": {
            "支出": {
                "基本支出": {"本年预算数": 2476260.58, "占比": "84.06%"},
                "项目支出": {"本年预算数": 469500, "占比": "19.62%"},
            }
        }
    }
    result = Checker(diagnose=False).check_report(report)
    (share,) = [f for f in result.findings if f.rule_id == "EC529"]
    assert share.path == "预决算说明.支出.项目支出.占比"
    assert share.label == ("19.62% ≠ 469500 ÷ (2476260.58 + 469500) = 15.94%，差 3.68 个百分点")
