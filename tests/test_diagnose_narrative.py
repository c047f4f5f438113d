"""Diagnosis with a narrative that restates figures (issue 17, item 1): a figure the 正文 states
too is confirmed by an independent printing, so of the figures that would mend a failing sum the
unconfirmed one is the likely slip.  The reports are bench/mutate.py's two-error cases built on
the generator's narrative reports and on their plain twins (the same tables, a 正文 without
figures): the only difference between the two is what the prose states."""

from __future__ import annotations

from typing import Any

from test_diagnose_formulas import _mutate

from evalcheck.diagnose import Diagnosis
from evalcheck.runner.checker import Checker


def diagnoses(kind: str, index: int, generator: str) -> list[Diagnosis]:
    """The diagnoses of a case, checked as a file is (the prose read into 正文数据 first)."""
    report: dict[str, Any] = _mutate().build_case(kind, index, 17, generator).report
    data = _mutate().render(report).encode()
    found: list[Diagnosis] = []
    for finding in Checker().check_bytes(data, "r.json").findings:
        if finding.diagnosis is not None and finding.diagnosis not in found:
            found.append(finding.diagnosis)
    return found


def texts(kind: str, index: int, generator: str) -> list[str]:
    return [d.text for d in diagnoses(kind, index, generator)]


def test_a_total_the_prose_confirms_leaves_the_slipped_part_named() -> None:
    # 公务接待 上年决算数 11.86 typed 111.86: the 三公经费 上年决算数 46.25 (a digit dropped from
    # 146.25?) mends the sum as well, so the plain report can only list both.  The narrative
    # says "上年决算数为46.25万元": the total is printed twice alike, the part once.
    plain = texts("two-errors", 84, "plain")
    assert plain[1] == (
        "无法确定是哪一个数字有误，以下各处改正后相关检查都能成立：经费控制情况.三公经费.公务接待.上年决算数"
        " 111.86 或应为 11.86，多输了一位数字（数字重复）；经费控制情况.三公经费.上年决算数 46.25 或应为"
        " 146.25，漏输了一位数字；请逐一核对"
    )
    told = texts("two-errors", 84, "narrative")
    assert told[1] == (
        "经费控制情况.三公经费.公务接待.上年决算数 111.86 更可能应为 11.86：多输了一位数字（数字重复），"
        "建议核对"
    )
    # the other group (收入构成, a copied neighbour the prose does not state) stays ambiguous
    assert told[0] == plain[0] and told[0].startswith("无法确定是哪一个数字有误")


def test_parts_the_prose_confirms_are_trusted_and_a_stated_total_is_less_likely_stale() -> None:
    # 公务接待 本年决算数 3.12 typed 3.17: 三公经费 14.30 → 14.35 and 出国经费 1.36 → 1.31 mend
    # the sum too.  The narrative states the total and 出国经费 (both as printed): the one
    # figure it does not confirm is named.
    assert texts("two-errors", 74, "plain")[0] == (
        "无法确定是哪一个数字有误，以下各处改正后相关检查都能成立：经费控制情况.三公经费.本年决算数 14.30"
        " 或应为 14.35，输错了一位数字；经费控制情况.三公经费.出国经费.本年决算数 1.36 或应为 1.31，"
        "输错了一位数字；经费控制情况.三公经费.公务接待.本年决算数 3.17 或应为 3.12，输错了一位数字；"
        "请逐一核对"
    )
    found = diagnoses("two-errors", 74, "narrative")
    assert [d.text for d in found] == [
        "经费控制情况.三公经费.公务接待.本年决算数 3.17 更可能应为 3.12：输错了一位数字，建议核对",
        "「满意度指标」分值 0 更可能应为 20：漏输了一位数字，建议核对",
    ]
    # the prose's 公务接待 决算数 3.12万元 disagrees with the table: that warning is explained too
    assert found[0].rules == ("EC111", "EC409")


def test_the_narrative_report_of_a_case_is_its_plain_twin_with_a_longer_text() -> None:
    plain = _mutate().build_case("two-errors", 84, 17, "plain")
    told = _mutate().build_case("two-errors", 84, 17, "narrative")
    assert plain.truth()["changes"] == told.truth()["changes"]
    assert {k: v for k, v in plain.report.items() if k != "正文"} == {
        k: v for k, v in told.report.items() if k != "正文"
    }
    said = "".join(s["内容"] for s in told.report["正文"])
    assert "上年决算数为46.25万元" in said
    assert "上年决算数为46.25万元" not in _mutate().render(plain.report)


def test_a_total_the_prose_confirms_does_not_make_a_guess_of_the_rest() -> None:
    # A 得分 copied from its 分值 (9 → 11 = full marks, as most rows score: no sign of a copy).
    # The prose states 自评分数 as printed, so the 总分 is likelier right — but of the rows that
    # would mend the sum, an innocent 9 → 7 (one wrong digit) still outweighs the true 11 → 9
    # (explained by nothing): all three stay listed, no row is named.
    found = texts("copied-column", 27, "narrative")
    assert found == [
        "无法确定是哪一个数字有误，以下各处改正后相关检查都能成立：「党组织工作影响力」得分 9 或应为 7，"
        "输错了一位数字；总分.得分 95.836 或应为 97.836，合计数未随组成部分更新（各项之和为 97.836；"
        "相差的 2 与其中 6 项相同，也可能是漏加了其中一项）；「公务员考录人次」得分 11 或应为 9，"
        "使相关等式成立所需的数值；请逐一核对"
    ]
