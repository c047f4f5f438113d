"""Prose met on real published pages that the prose reader once left unplaced: a “三公”经费
total qualified by the fund every such statement is of (一般公共预算“三公”经费) or by the
reporting body's level (镇本级“三公”经费决算), and a project report's execution rate printed
after the funds and what was spent of them (收到……资金合计A万元，实际发放B万元，实际执行率为C%).
Every fixture is made up (figures and names invented); each reading has a clean fixture that
must stay clean (no error, no warning)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evalcheck.inputs import read_path
from evalcheck.report import from_input
from evalcheck.report.narrative import read_report
from evalcheck.report.prose.stated import stated_section
from evalcheck.runner.checker import Checker


def stated(body: str) -> dict[str, Any]:
    data: dict[str, Any] = {"正文": [{"标题": "一、情况说明", "内容": body}]}
    section, _ = stated_section(read_report(data), data, None)
    return section


def placed(body: str) -> dict[str, str | None]:
    return {s["数值"] + "@" + s["标签"][-6:]: s.get("对应项目") for s in stated(body)["语句"]}


def loud(tmp_path: Path, body: str) -> list[tuple[str, str, str]]:
    """(rule, severity, path) of each error and warning a text page of ``body`` raises."""
    page = tmp_path / "page.txt"
    page.write_text(body + "\n", "utf-8")
    result = Checker(diagnose=False).check_path(page)
    assert result.error is None, result.error
    return [
        (f.rule_id, f.severity, f.path)
        for f in result.findings
        if f.severity in ("error", "warning")
    ]


# --- the fund and the level of a “三公” statement are its scope, not a part of it -------------

BUDGET = (
    "2025年一般公共预算“三公”经费支出预算为{total}万元，其中：因公出国（境）费0万元，"
    "公务用车购置及运行维护费9.6万元，公务接待费3.0万元。"
)
LEVEL = (
    "2025年度镇本级“三公”经费决算{total}万元，因公出国(境)费0万元，公务接待费1.2万元，"
    "公务用车购置及运行维护费7.0万元。"
)


def test_a_general_budget_total_is_the_statements_total() -> None:
    section = stated(BUDGET.format(total="12.6"))
    assert section["三公经费"]["合计"] == {"本年预算数": "12.6万元"}
    assert section["三公经费"]["公务接待费"] == {"本年预算数": "3.0万元"}


def test_a_level_total_is_the_statements_total() -> None:
    section = stated(LEVEL.format(total="8.2"))
    assert section["三公经费"]["合计"] == {"本年决算数": "8.2万元"}


def test_another_fund_still_narrows_the_total() -> None:
    found = placed("2025年政府性基金“三公”经费支出预算为2.6万元。")
    assert list(found.values()) == [None]


def test_qualified_totals_that_agree_are_clean(tmp_path: Path) -> None:
    assert loud(tmp_path, BUDGET.format(total="12.6")) == []
    assert loud(tmp_path, LEVEL.format(total="8.2")) == []


def test_a_qualified_total_that_is_not_the_sum_is_found(tmp_path: Path) -> None:
    assert loud(tmp_path, BUDGET.format(total="13.6")) == [
        ("EC501", "error", "三公经费.合计.本年预算数")
    ]
    assert loud(tmp_path, LEVEL.format(total="9.2")) == [
        ("EC501", "error", "三公经费.合计.本年决算数")
    ]


# --- a project's execution rate after its two amounts ------------------------------------------

EXECUTION = (
    "经绩效自评，自评得分92分。2025年，我站收到上级下达农机购置补贴专项资金合计80.00万元，实际发放{spent}万元，"
    "实际执行率为{rate}%。"
)


def test_the_rate_after_the_funds_and_the_spending_is_read_with_them() -> None:
    changes = stated(EXECUTION.format(spent="60.00", rate="75.00"))["变动"]
    assert [(c["比较"], c["本年数"], c["预算数"], c["完成预算"]) for c in changes] == [
        ("预算", "60.00万元", "80.00万元", "75.00%")
    ]


def test_an_execution_rate_that_agrees_is_clean(tmp_path: Path) -> None:
    assert loud(tmp_path, EXECUTION.format(spent="60.00", rate="75.00")) == []


def test_an_execution_rate_that_is_not_the_ratio_is_found(tmp_path: Path) -> None:
    found = loud(tmp_path, EXECUTION.format(spent="60.00", rate="78.00"))
    assert ("EC436", "warning", "正文数据.变动[0].完成预算") in found


def test_an_opening_budget_is_not_taken_for_the_base_of_the_rate() -> None:
    """The forms' 执行率 is of the full-year budget: after a 年初 budget the rate is not
    checked against it (the full-year budget may differ)."""
    body = "本项目年初预算80.00万元，实际支出60.00万元，预算执行率为70.00%。"
    assert "变动" not in stated(body)


def test_a_rate_not_right_after_both_amounts_is_not_read_with_them() -> None:
    body = "收到资金合计80.00万元，惠及农户120户，实际发放60.00万元，执行率为75.00%。"
    assert "变动" not in stated(body)


# --- a word every item repeats is no part: “支出A，年初预算为B，差值为C” item after item -----------

BUDGET_GAPS = (
    "2023年度本单位“三公”经费支出5.40万元，年初预算为7.00万元，差值为1.6万元。其中："
    "因公出国(境)支出0万元，年初预算为0万元，差值为0万元；公务用车运行维护费支出2.40万元，"
    "年初预算为4.50万元，差值为2.1万元；公务接待费支出3.00万元，年初预算为2.50万元，差值为0.5万元。"
)


def test_the_unsigned_gaps_each_item_repeats_are_not_parts_of_the_total_gap(
    tmp_path: Path,
) -> None:
    # 2.1 + 0.5 = 2.6 ≠ 1.6: the gaps are unsigned (接待 is over budget), so they do not add up,
    # and the parts of the 三公 total (0 + 2.40 + 3.00 = 5.40) are not 差值
    section = stated(BUDGET_GAPS)
    assert [c["对象"] for c in section.get("构成", [])] != ["差值"]
    assert not [f for f in loud(tmp_path, BUDGET_GAPS) if f[0] in ("EC424", "EC425")]


def test_a_word_repeated_after_each_part_leaves_the_parts_unread(tmp_path: Path) -> None:
    body = (
        "2023年本局“三公”经费财政拨款支出合计12.50万元，比预算数核减4.50万元。"
        "其中，因公出国(境)费2.00万元，核减1.00万元；公务用车购置及运行费7.50万元，核减2.50万元；"
        "公务接待费3.00万元，核减1.00万元。"
    )
    assert not [f for f in loud(tmp_path, body) if f[0] in ("EC424", "EC425")]
    # the same parts stated once each are read, and checked
    wrong = "2023年本局“三公”经费财政拨款支出合计12.50万元，其中，因公出国(境)费2.00万元，公务用车购置及运行费7.50万元，公务接待费3.50万元。"
    assert loud(tmp_path, wrong) == [("EC424", "warning", "正文数据.构成[0].合计")]


# --- the Anhui 三公 决算 sentence: “…支出预算为A万元，支出决算为B万元，完成预算的C%” --------------

ANHUI = (
    "某县档案馆2023年度一般公共预算财政拨款“三公”经费支出预算为8万元，支出决算为6.4万元，"
    "完成预算的{rate}，决算数小于预算数的主要原因是公务接待减少。\n"
)


def test_a_bare_spending_after_a_budget_goes_on_with_the_same_item(tmp_path: Path) -> None:
    # 6.4 ÷ 8 = 80%: the 决算 is the 三公 total's, not the whole report's 支出合计; the sentence
    # names two column words (决算数小于预算数) and is prose, not cells run together
    section = stated(ANHUI.format(rate="80%"))
    fields = {s["数值"]: s.get("对应项目") for s in section["语句"]}
    assert fields["6.4万元"] == "三公经费.合计.本年决算数"
    assert loud(tmp_path, ANHUI.format(rate="80%")) == []
    assert loud(tmp_path, ANHUI.format(rate="20%")) == [
        ("EC436", "warning", "正文数据.变动[0].完成预算")
    ]


def test_a_spending_a_heading_line_names_is_no_report_total(tmp_path: Path) -> None:
    # “…缴费支出(项): 支出决算为X万元”: the 支出 is that line's, not 预决算说明.支出合计
    body = (
        "某院2023年度单位决算情况说明\n三、支出决算情况说明\n2023年本年支出合计500.00万元。\n"
        "1.社会保障和就业(类)行政事业单位养老支出(款)机关事业单位基本养老保险缴费支出(项): "
        "支出决算为40.00万元，完成预算90%。"
    )
    page = tmp_path / "page.txt"
    page.write_text(body + "\n", "utf-8")
    statements = from_input(read_path(page)).data["正文数据"]["语句"]
    fields = {s["数值"]: s.get("对应项目") for s in statements}
    assert fields["500.00万元"] == "预决算说明.支出合计.本年决算数"
    assert fields["40.00万元"] is None
    # no “two values of 支出合计” (EC421); nothing else is checkable here (EC003)
    assert [rule for rule, _, _ in loud(tmp_path, body)] == ["EC003"]
