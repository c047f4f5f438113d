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
from test_diagnose_formulas import case_report

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


def test_a_total_short_by_what_several_parts_are_does_not_name_one_of_them() -> None:
    # 总分 computed before one 得分 changed by 2: three rows score 2, so "合计漏加了" one
    # named row (as before) was a guess; the total is still the likeliest figure.
    found = diagnoses(case_report("total-score-not-updated", 11))
    assert [(c.path, c.printed, c.suggested, c.kind) for c in found[0].changes] == [
        ("总分.得分", "96.415", "98.415", "total-not-updated"),
        ("自评分数", "96.415", "98.415", "same-figure"),
    ]
    assert found[0].text == (
        "总分.得分 96.415 更可能应为 98.415：合计数未随组成部分更新（各项之和为 98.415；相差的 2 "
        "与其中 3 项相同，也可能是漏加了其中一项），自评分数 96.415 同样应为 98.415，建议核对"
    )
