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


def diagnoses(kind: str, index: int, generator: str, seed: int = 17) -> list[Diagnosis]:
    """The diagnoses of a case, checked as a file is (the prose read into 正文数据 first)."""
    report: dict[str, Any] = _mutate().build_case(kind, index, seed, generator).report
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
        "经费控制情况.三公经费.公务接待.本年决算数 3.17 更可能应为 3.12：输错了一位数字，正文所述"
        " 3.12万元 与之相同，改正后表内各数相符（9.82 + 1.36 + 3.12 = 14.30），建议核对",
        "「满意度指标」分值 0 更可能应为 20：漏输了一位数字，建议核对",
    ]
    (named,) = found[0].changes
    assert (named.reason, named.evidence) == (
        "输错了一位数字",
        "正文所述 3.12万元 与之相同，改正后表内各数相符（9.82 + 1.36 + 3.12 = 14.30）",
    )
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


# --- a slip in the prose alone (bench/mutate.py's prose-slip class) -----------------------------


def test_a_lone_prose_slip_is_named_in_the_prose_with_the_tables_arithmetic() -> None:
    # Beita's 正文 says 人员经费支出 3073.93万元 (a digit typed twice into 303.93); the table's
    # 303.93 + 282.95 = 586.88 holds, so the prose is the slip — never the consistent table.
    case = _mutate().build_case("prose-slip", 0, 17, "narrative")
    assert case.note.startswith("正文[8] 303.93万元 → 3073.93万元 (extra-digit")
    (found,) = diagnoses("prose-slip", 0, "narrative")
    assert found.status == "named"
    assert found.text == (
        "正文所述人员经费 3073.93万元 更可能应为 303.93万元：多输了一位数字，表中 基本支出.人员经费"
        " 303.93 与表内各数相符（303.93 + 282.95 = 586.88），正文所述与之不符，建议核对"
    )
    named = found.changes[0]
    assert (named.path, named.printed, named.suggested) == (
        "正文数据.基本支出.人员经费",
        "3073.93万元",
        "303.93万元",
    )
    assert (named.reason, named.evidence) == (
        "多输了一位数字",
        "表中 基本支出.人员经费 303.93 与表内各数相符（303.93 + 282.95 = 586.88），正文所述与之不符",
    )
    # the same printed figure, read as a part of the sentence's 构成 too, is one printing: one
    # diagnosis explains both warnings (the prose against the table, the prose's own sum)
    assert found.rules == ("EC406", "EC424")
    assert [(c.path, c.kind) for c in found.changes[1:]] == [
        ("正文数据.构成[0].其中.人员经费支出", "same-printing")
    ]
    assert not any(c.path.startswith("基本支出") for c in (*found.changes, *found.alternatives))


def test_a_prose_slip_against_a_rate_shows_the_rate_the_table_computes() -> None:
    (found,) = diagnoses("prose-slip", 6, "narrative")
    assert found.text == (
        "正文所述实际在职人数 9人 更可能应为 95人：漏输了一位数字，表中 人员编制.实际在职人数 95"
        " 与表内各数相符（95 ÷ 115 = 82.61%），正文所述与之不符，建议核对"
    )


def test_a_disagreement_no_identity_decides_lists_both_printings() -> None:
    # Zhanjiang's 正文 says 离退休人数 8人, the table 18: no rule of the tables reads 离退休人数,
    # so either may be the slip — listed, neither named.
    (found,) = diagnoses("prose-slip", 5, "narrative")
    assert found.status == "ambiguous" and not found.changes
    assert found.text == (
        "无法确定是哪一个数字有误，以下各处改正后相关检查都能成立：正文所述离退休人数 8人 或应为 18人，"
        "漏输了一位数字；人员编制.离退休人数 18 或应为 8，多输了一位数字；请逐一核对"
    )


def test_a_table_slip_the_prose_contradicts_says_the_prose_agrees_with_the_fix() -> None:
    # the reverse: the table's 人员经费 mistyped, the prose as first written — the table's sum
    # fails with its figure and holds with the prose's
    case = _mutate().build_case("prose-slip", 0, 17, "narrative")
    report = _mutate().source(case.source, 17).tree
    report = {**report, "基本支出": {**report["基本支出"], "人员经费": "309.33"}}
    data = _mutate().render(report).encode()
    found = [
        f.diagnosis for f in Checker().check_bytes(data, "r.json").findings if f.rule_id == "EC101"
    ]
    assert found[0] is not None
    assert found[0].text == (
        "基本支出.人员经费 309.33 更可能应为 303.93：两位数字颠倒，正文所述 303.93万元 与之相同，"
        "改正后表内各数相符（303.93 + 282.95 = 586.88），建议核对"
    )


def test_an_amount_moved_between_two_parts_blames_neither_printing_alone() -> None:
    # seed 23 case 71: 9 moved from 行政工勤编制 to 参照公务员法管理事业编制 in the table, the
    # 编制数 325 unchanged; the prose states both parts as they were.  Each printing keeps its
    # sums, so the two disagreements are one question: the table pair or the prose pair.
    case = _mutate().build_case("compensating-pair", 71, 23, "narrative")
    assert case.note == (
        "人员编制.编制构成.行政工勤编制 −9, 人员编制.编制构成.参照公务员法管理事业编制 +9"
    )
    (found,) = diagnoses("compensating-pair", 71, "narrative", seed=23)
    assert found.status == "ambiguous" and not found.changes
    assert found.rules == ("EC402",)
    assert found.text == (
        "无法确定是哪一个数字有误，以下各处改正后相关检查都能成立：正文所述行政工勤编制 101名 或应为 92名，"
        "使相关等式成立所需的数值 且 正文所述参照公务员法管理事业编制 112名 或应为 121名，两位数字颠倒；"
        "人员编制.编制构成.行政工勤编制 92 或应为 101，使相关等式成立所需的数值 且 "
        "人员编制.编制构成.参照公务员法管理事业编制 121 或应为 112，两位数字颠倒；请逐一核对"
    )


def test_a_moved_amount_is_found_when_each_side_also_states_its_total() -> None:
    # seed 23 case 35 (Zhanjiang): 1 moved from 行政编制 to 行政工勤编制; the prose's own
    # 其中 list adds up as well, so no single printing can be changed: only the pairs mend it.
    (found,) = diagnoses("compensating-pair", 35, "narrative", seed=23)
    assert found.status == "ambiguous"
    assert [(c.path, c.suggested) for c in found.alternatives] == [
        ("正文数据.人员编制.编制构成.行政编制", "60名"),
        ("人员编制.编制构成.行政编制", "61"),
    ]


def test_a_formula_slip_whose_correction_the_prose_states_beats_a_prose_slip() -> None:
    # 离退休 2 counted in 实际在职人数 (156 → 158) and the 编制控制率 recomputed from it, so the
    # table's rate holds with 158; the prose says 156.  A digit slip in the prose (156 for 158)
    # would have had to land on exactly 158 − 离退休人数: the formula slip is named, the prose
    # listed as the alternative.
    (found,) = diagnoses("retirees-in-staff", 7, "narrative")
    assert found.status == "named"
    assert found.text == (
        "人员编制.实际在职人数 158 更可能应为 156：实际在职人数计入了离退休人员：158 − 离退休人数 2 = 156，"
        "人员编制.编制控制率 93.49% 随之应为 92.31%，建议核对"
    )
    assert [(c.path, c.suggested) for c in found.alternatives] == [
        ("正文数据.人员编制.实际在职人数", "158人")
    ]


def test_a_table_figure_the_prose_quotes_is_the_tables_printing_not_the_proses() -> None:
    # The 正文 restates 项目支出 决算 570.39 later as 5570.39 (a digit typed twice); EC422 compares
    # the restatement with the table's figure, which 正文数据.复述[0].表中 quotes.  That quote is
    # the table's printing: it was named "正文所述表中 570.39 更可能应为 5570.39" — the table told
    # to take the prose's slip.  Now it is one quantity with 项目支出.决算, whose sums refuse it;
    # the prose's own fix makes EC422 not applicable (its when: 数值 == 前文) rather than hold,
    # so nothing is named.
    case = _mutate().build_case("prose-slip", 64, 17, "narrative")
    assert case.note.startswith("正文[2] 570.39万元 → 5570.39万元 (extra-digit")
    assert diagnoses("prose-slip", 64, "narrative") == []


def test_two_prose_slips_in_one_sum_are_named_and_the_consistent_table_never() -> None:
    # Zhanjiang's prose mistyped twice: 行政编制 61名 → 67名, 行政工勤编制 9名 → 6名.  The two
    # disagreements are joined (one identity, the 编制数 sum, reads both), but the table's pair
    # (61 → 67, 9 → 6) would break 61 + 9 = 70: only the prose's pair mends both.
    report = _mutate().source(_mutate().ZHANJIANG, 17).tree
    narrative = []
    for section in report["正文"]:
        text = section.get("内容")
        if isinstance(text, str):
            text = text.replace("行政编制61名", "行政编制67名", 1)
            text = text.replace("行政工勤编制9名", "行政工勤编制6名", 1)
        narrative.append({**section, "内容": text})
    data = _mutate().render({**report, "正文": narrative}).encode()
    found: list[Diagnosis] = []
    for finding in Checker().check_bytes(data, "r.json").findings:
        if finding.diagnosis is not None and finding.diagnosis not in found:
            found.append(finding.diagnosis)
    (named,) = found
    assert named.status == "named"
    assert [(c.path, c.printed, c.suggested, c.kind) for c in named.changes] == [
        ("正文数据.人员编制.编制构成.行政编制", "67名", "61名", "wrong-digit"),
        ("正文数据.计数[0].构成.行政编制", "67", "61", "same-printing"),
        ("正文数据.人员编制.编制构成.行政工勤编制", "6名", "9名", "wrong-digit"),
        ("正文数据.计数[0].构成.行政工勤编制", "6", "9", "same-printing"),
    ]
    assert named.text.startswith(
        "可能有 2 处错误：正文所述行政编制 67名 更可能应为 61名：输错了一位数字，"
    )
