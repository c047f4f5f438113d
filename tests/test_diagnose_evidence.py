"""Diagnosis (#17, second round): evidence the first round left unused, and suggestions printed
the way the figure they replace is printed.

Mutated reports come from the mutation benchmark's generator (bench/mutate.py, seed 17); the
expectations are the diagnoses read off by hand.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from test_diagnose import clean, diagnoses, put
from test_diagnose_formulas import _mutate, case_report

from evalcheck.diagnose.fields import suggest
from evalcheck.report.normalise import Figure, Kind, read_figure

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def zhanjiang() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SAMPLES / "zhanjiang-2024.json").read_text("utf-8"))
    return data


def named(found: list[Any]) -> list[tuple[str, str, str, str]]:
    return [(c.path, c.printed, c.suggested, c.kind) for d in found for c in d.changes]


# --- a digit dropped from the decimals --------------------------------------------------------


def test_a_decimal_dropped_from_the_total_score_is_put_back() -> None:
    # 总分 93.735 printed 93.35: the parts add up to 93.735 and the prose says 93.735.  The form
    # prints scores to two places, but a suggestion one place finer is allowed when the print
    # dropped that digit (before, no fix was found at all and the group had no diagnosis).
    found = diagnoses(case_report("two-errors", 42))
    assert [d.status for d in found] == ["named", "named"]
    assert named(found) == [
        ("人员编制.编制数", "17", "197", "dropped-digit"),
        ("总分.得分", "93.35", "93.735", "dropped-digit"),
    ]
    assert found[1].text == "总分.得分 93.35 更可能应为 93.735：漏输了一位数字，建议核对"
    assert found[1].rules == ("EC304", "EC305")


def test_one_decimal_finer_is_only_a_dropped_digit_never_a_new_one() -> None:
    def score(text: str) -> Figure:
        figure = read_figure(text, Kind.SCORE)
        assert figure is not None
        return figure

    finer = suggest(Decimal("93.735"), score("93.35"))
    assert finer is not None and (finer.text, finer.decimals) == ("93.735", 3)
    assert suggest(Decimal("93.735"), score("93.66")) is None  # not a digit left out
    assert suggest(Decimal("93.7351"), score("93.35")) is None  # two places finer


# --- decimals as evidence ---------------------------------------------------------------------


def test_a_printed_zero_says_nothing_about_the_decimals_of_its_column() -> None:
    # Beita 按收入性质分: 一般公共预算 586.088 (an extra digit) beside three parts printed 0.
    # The zeros have no decimals to compare; 586.088 alone has three among amounts to the fen.
    # Before, the zeros made the decimals look mixed and a "0 或应为 1" of each zero was as
    # likely: the group was ambiguous.
    found = diagnoses(case_report("two-errors", 60))
    assert named(found) == [
        ("预算执行.按收入性质分.一般公共预算", "586.088", "586.88", "extra-digit"),
        ("绩效指标[1].分值", "200", "20", "decimal-point"),
    ]


# --- units ------------------------------------------------------------------------------------


def test_a_suggestion_keeps_the_unit_word_of_the_figure() -> None:
    data = put(zhanjiang(), ("收支情况", "年末结转和结余"), "172.6万")  # printed 17.26万
    (found,) = diagnoses(data)
    assert found.text == (
        "收支情况.年末结转和结余 172.6万 更可能应为 17.26万：小数点位置错误，建议核对"
    )


def test_a_suggestion_for_a_figure_printed_in_yuan_is_in_yuan() -> None:
    data = put(zhanjiang(), ("收支情况", "年末结转和结余"), "1726000元")  # 17.26 万元
    (found,) = diagnoses(data)
    assert (found.suspect.printed, found.suspect.suggested) == ("1726000元", "172600元")


# --- a part left blank ------------------------------------------------------------------------


def test_a_blank_personnel_cost_beside_the_spending_is_a_missing_part() -> None:
    # EC101 was not applicable when 人员经费 was blank: a false green beside a printed 决算 and
    # 公用经费 that leave 303.93 unaccounted for.  (A blank 人员经费 whose 公用经费 is the
    # whole 决算 holds, and both parts blank is still not applicable: rules/budget.yaml.)
    data = put(clean(), ("基本支出", "人员经费"), None)
    (found,) = diagnoses(data)
    assert (found.status, found.rules, found.changes) == ("missing-part", ("EC101",), ())
    assert found.text == (
        "基本支出的人员经费未填写（空白），无法核对“基本支出决算应等于人员经费与公用经费之和”："
        "已填各项与合计相差 303.93，可能就是空白处应填的数；请补填后再核对，不作数字修改建议"
    )


def test_a_point_moved_is_weighed_by_the_decimals_too() -> None:
    # Beita 三公经费 上年决算数 0.09 printed 0.009 beside 公务接待 0.09: the point moved in the
    # figure with odd decimals, not in the one printed to the fen (0.09 → 0.009 would be a
    # suggestion finer than the form prints, and is no dropped digit either).
    found = diagnoses(case_report("extra-digit", 60))
    assert [d.text for d in found if d.changes] == [
        "经费控制情况.三公经费.上年决算数 0.009 更可能应为 0.09：小数点位置错误，建议核对"
    ]


# --- a total short by what several parts are --------------------------------------------------


def test_a_total_short_by_what_several_parts_are_is_not_named_on_that_alone() -> None:
    # One 得分 0.5 typed 1 (indicator-score): the 总分 is now short of the sum by 0.5, which two
    # rows score.  Before, "合计漏加了" one of them (0.85) named the correct 总分; a match that
    # several parts make is likelier a coincidence, so the total weighs little more than a
    # stale total (0.45 + 0.4 / 2) and the group is said to be ambiguous.
    found = diagnoses(case_report("indicator-score", 61))
    assert [d.status for d in found] == ["ambiguous"]
    listed = {(c.path, c.suggested): c.reason for c in found[0].alternatives}
    assert listed[("总分.得分", "94.495")] == (
        "合计数未随组成部分更新（各项之和为 94.495；相差的 0.5 与其中 2 项相同，也可能是漏加了其中一项）"
    )
    assert ("绩效指标[1].指标[8].得分", "0.5") in listed  # the true fix is among them


# --- conventions the report already breaks ----------------------------------------------------


def test_a_fix_may_break_a_text_convention_the_report_already_breaks() -> None:
    # Beita 「成本控制有效性」分值 15 printed 1 (its 得分 14 > 1).  Putting 15 back makes the
    # row's lost point lack a 偏差原因 (EC308) beside a 完成值 "达到预期目标" (EC310), as it did
    # in the sample: Beita breaks both warnings on three other rows, so they cost the fix
    # plausibility instead of forbidding it (before, the group had no diagnosis at all).
    found = diagnoses(case_report("two-errors", 0))
    assert [d.text for d in found] == [
        "预算执行.全年预算数 303.58 更可能应为 586.88：抄录了相邻行「年初预算数」的数字，建议核对",
        "「成本控制有效性」分值 1 更可能应为 15：漏输了一位数字，建议核对",
    ]


def test_a_fix_never_breaks_a_convention_the_report_keeps() -> None:
    # The same report with every lost point explained and no "达到预期" beside lost points:
    # the report keeps EC308 and EC310, so a fix that would break them is not proposed.
    data = case_report("two-errors", 0)
    for group in data["绩效指标"]:
        for row in group["指标"]:
            if "得分" in row and row["得分"] < row["分值"]:
                row["偏差原因分析及改进措施"] = "部分工作未按期完成，下一步加强调度。"
                row["实际完成值"] = "部分完成"
    found = diagnoses(data)
    assert [c.path for d in found for c in (*d.changes, *d.alternatives)] == ["预算执行.全年预算数"]


def test_the_one_row_that_breaks_a_kept_convention_is_the_likelier_slip() -> None:
    # 「专项检查次数」得分 3 printed 2.5 (its 分值): the only row of the report with lost points and
    # no 偏差原因 (EC308), beside a 完成值 that met its target (EC323).  Every other row keeps
    # both conventions, so the fix that mends that one breach is named; before, four rows that
    # could take 0.5 more were listed as equally likely.
    found = diagnoses(case_report("indicator-score", 3))
    assert [d.text for d in found] == [
        "「专项检查次数」得分 2.5 更可能应为 3.0：使相关等式成立所需的数值，建议核对"
    ]
    assert found[0].rules == ("EC304", "EC317")


# --- coincidences -----------------------------------------------------------------------------


def seed_23(kind: str, index: int) -> dict[str, Any]:
    report: dict[str, Any] = _mutate().build_case(kind, index, 23).report
    return report


def test_a_rate_of_100_percent_is_no_wrong_denominator_of_an_equal_count() -> None:
    # 实际在职人数 7 printed 1 beside 编制数 7 and 编制控制率 100.00%: 遗属补助人数 is 1, so
    # "1 ÷ 遗属补助人数 1 = 100%" reproduced the rate — as any count equal to 1 would.  Before,
    # the innocent 编制控制率 was named as computed with the wrong denominator.
    found = diagnoses(seed_23("two-errors", 62))
    assert named(found) == [
        ("预算执行.全年执行数", "1540.82", "1450.82", "transposition"),
        ("人员编制.实际在职人数", "1", "7", "wrong-digit"),
    ]


def test_a_point_three_places_off_is_no_likelier_than_an_extra_digit() -> None:
    # Beita 公务接待 上年决算数 0.09 printed 70.09, above its 三公经费 total 0.09 (EC117, a ≤
    # check: no value follows from it).  "三公经费 0.09 或应为 90.00" (the point three places
    # off) was named; an extra 7 typed is as likely, so both are listed.
    found = diagnoses(seed_23("two-errors", 40))
    ambiguous = [d for d in found if d.status == "ambiguous"]
    assert [(c.path, c.suggested, c.kind) for c in ambiguous[0].alternatives] == [
        ("经费控制情况.三公经费.公务接待.上年决算数", "0.09", "extra-digit"),
        ("经费控制情况.三公经费.上年决算数", "90.00", "decimal-point"),
    ]


# --- followers --------------------------------------------------------------------------------


def test_the_follower_value_the_total_was_added_up_with_is_chosen() -> None:
    # 执行率 computed against 年初预算数 (107.14 % for 86.00 %); its 得分 10 may be a whole 9 or
    # 8.6.  The 总分 95.5 was added up with 8.6: that value mends EC304 too, so it is chosen and
    # the 总分 shares the diagnosis (before, the first value that held, 9, was kept and the
    # innocent 总分 was named "not updated").
    found = diagnoses(case_report("initial-budget-denominator", 19))
    assert [(d.status, d.rules) for d in found] == [("named", ("EC201", "EC304"))]
    assert [(c.path, c.printed, c.suggested) for c in found[0].changes] == [
        ("预算执行.执行率", "107.14%", "86.00%"),
        ("预算执行.得分", "10", "8.6"),
    ]


def test_of_two_printings_of_a_score_the_exact_sum_of_the_parts_decides() -> None:
    # 总分 97.661 printed 97.61 beside 自评分数 97.661: the tie alone cannot say which printing
    # has the odd decimals (scores computed from a rate keep three; before, 自评分数 was named for
    # having three decimals).  The parts decide: they add up to 97.661 exactly, and EC304 held
    # with 97.61 only because whole scores stand for ±0.5 each — the dropped digit is named.
    (found,) = diagnoses(seed_23("dropped-digit", 36))
    assert found.status == "named"
    assert found.text == "总分.得分 97.61 更可能应为 97.661：漏输了一位数字，建议核对"
    assert [(c.path, c.suggested, c.kind) for c in found.alternatives] == [
        ("自评分数", "97.61", "doubled-digit")
    ]
