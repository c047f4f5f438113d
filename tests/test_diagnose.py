"""Diagnosis (#8): inject one slip into a clean copy of the Beita report, expect it named first.

The Beita sample carries a real error (EC103: 年初预算数 262.78 leaves out the project budget);
single-slip tests start from a copy where 预算执行.年初预算数 = 303.58, which checks clean.
"""

from __future__ import annotations

import copy
import json
import time
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import HANG_SECONDS

from evalcheck.diagnose import Diagnosis, diagnose
from evalcheck.diagnose.typos import Neighbour, classify
from evalcheck.inputs import load_bytes
from evalcheck.report.normalise import Kind, read_figure
from evalcheck.report.tree import normalise_report
from evalcheck.runner.checker import Checker

BEITA = Path(__file__).parents[1] / "samples" / "shaoyang-beita-2023.json"


@cache
def _checker() -> Checker:
    return Checker()


def beita() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(BEITA.read_text(encoding="utf-8"))
    return data


def clean() -> dict[str, Any]:
    data = beita()
    data["预算执行"]["年初预算数"] = 303.58
    return data


def printed_zeros(data: dict[str, Any]) -> dict[str, Any]:
    """The sample with its blank 三公 rows printed as 0: a part left blank is absent, not zero,
    so EC111 checks the parts only when all of them are printed."""
    zeros = {"上年决算数": 0, "本年预算数": 0, "本年决算数": 0}
    parts = data["经费控制情况"]["三公经费"]
    parts["出国经费"] = dict(zeros)
    parts["公务用车购置及运行维护费"] = {
        **zeros,
        "公车购置": dict(zeros),
        "公车运行维护": dict(zeros),
    }
    return data


def put(data: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    target: Any = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return data


def diagnoses(data: dict[str, Any]) -> list[Diagnosis]:
    """Distinct diagnoses of a report, in finding order."""
    found: list[Diagnosis] = []
    for finding in _checker().check_report(data).findings:
        if finding.diagnosis is not None and finding.diagnosis not in found:
            found.append(finding.diagnosis)
    return found


def test_clean_copy_has_no_error_and_no_diagnosis() -> None:
    findings = _checker().check_report(clean()).findings
    assert [f.rule_id for f in findings if f.severity == "error"] == []
    assert all(f.diagnosis is None for f in findings)


def test_real_error_in_the_sample_is_a_total_that_left_out_a_part() -> None:
    (found,) = diagnoses(beita())
    assert found.rules == ("EC103",)
    assert (found.suspect.path, found.suspect.printed, found.suspect.suggested) == (
        "预算执行.年初预算数",
        "262.78",
        "303.58",
    )
    assert found.suspect.kind == "omitted-part"
    assert found.suspect.reason == "合计漏加了「项目支出.年初预算」40.8"
    assert found.text == (
        "预算执行.年初预算数 262.78 更可能应为 303.58：合计漏加了「项目支出.年初预算」40.8，建议核对"
    )
    # 项目支出.年初预算 is printed again in 附件1-1 (本年预算数 40.8, with its 明细 40.8): it cannot
    # be the one that is wrong, so it is not even an alternative.
    assert [a.path for a in found.alternatives] == ["基本支出.年初预算"]


# (path, injected value, suggested text, kind, rules repaired)
SINGLE_SLIPS = {
    "transposition": (("基本支出", "人员经费"), 309.33, "303.93", "transposition", ("EC101",)),
    "yuan-as-wan": (
        ("基本支出", "公用经费"),
        "2829500",
        "282.95",
        "yuan-as-wan",
        ("EC101", "EC603"),  # 附件1-1 prints 公用经费 282.95 too
    ),
    "percent-as-fraction": (
        ("预算执行", "执行率"),
        "1.00",
        "100.00%",
        "percent-as-fraction",
        ("EC201", "EC202"),
    ),
    "staffing-rate-as-fraction": (
        ("人员编制", "编制控制率"),
        "1.00",
        "100.00%",
        "percent-as-fraction",
        ("EC211",),
    ),
    "total-score-transposed": (("总分", "得分"), 69, "96", "transposition", ("EC304", "EC305")),
    "self-score-transposed": (("自评分数",), 69, "96", "transposition", ("EC305", "EC306")),
    "sign": (("支出功能分类", "农林水支出"), -42.51, "42.51", "sign", ("EC104",)),
    "decimal-point": (("基本支出", "人员经费"), 3039.3, "303.93", "decimal-point", ("EC101",)),
    "doubled-digit": (("基本支出", "人员经费"), 3033.93, "303.93", "doubled-digit", ("EC101",)),
    "dropped-digit": (("基本支出", "人员经费"), 30.93, "303.93", "dropped-digit", ("EC101",)),
    "wrong-digit": (("基本支出", "人员经费"), 303.99, "303.93", "wrong-digit", ("EC101",)),
    "copied-last-year": (
        ("经费控制情况", "三公经费", "公务接待", "本年决算数"),
        0.09,
        "0.00",
        "copied-last-year",
        ("EC111",),
    ),
}


@pytest.mark.parametrize("case", SINGLE_SLIPS.values(), ids=SINGLE_SLIPS.keys())
def test_injected_slip_is_named_first(case: tuple[Any, ...]) -> None:
    path, injected, suggested, kind, rules = case
    (found,) = diagnoses(put(printed_zeros(clean()), path, injected))
    assert len(found.changes) == 1
    assert found.suspect.key_path == path
    assert found.suspect.suggested == suggested
    assert found.suspect.kind == kind
    assert found.rules == rules
    assert 0 < found.confidence < 1
    assert "更可能应为" in found.text and found.text.endswith("建议核对")


def test_reasons_are_chinese_and_name_the_copied_row() -> None:
    public = printed_zeros(clean())
    (last,) = diagnoses(put(public, ("经费控制情况", "三公经费", "公务接待", "本年决算数"), 0.09))
    assert last.suspect.reason == "抄录了上年决算数"
    (unit,) = diagnoses(put(clean(), ("基本支出", "公用经费"), "2829500"))
    assert unit.suspect.reason == "按元填写（应为万元）"


def test_equally_likely_fixes_are_listed_not_guessed() -> None:
    # 住房保障支出 copied from the row above: now two rows print 42.51 and either may be
    # the copy; the diagnosis says so and names both, changing neither.
    (found,) = diagnoses(put(clean(), ("支出功能分类", "住房保障支出"), 42.51))
    assert found.status == "ambiguous" and found.changes == ()
    assert [(a.path, a.suggested, a.kind) for a in found.alternatives[:2]] == [
        ("支出功能分类.农林水支出", "16.93", "copied-neighbour"),
        ("支出功能分类.住房保障支出", "16.93", "copied-neighbour"),
    ]
    assert found.text.startswith("无法确定是哪一个数字有误")
    assert (
        "支出功能分类.住房保障支出 42.51 或应为 16.93，抄录了相邻行「农林水支出」的数字"
        in found.text
    )
    # An indicator score lowered to its neighbour's, or a 总分 not updated: both fit the sum,
    # but the row's 完成值 10 meets its ≥10 and it is the only row of the report that lost
    # points beside a met target (EC323): the row is named, the 总分 stays an alternative.
    (row,) = diagnoses(put(clean(), ("绩效指标", 0, "指标", 1, "得分"), 5))
    assert row.status == "named"
    assert [(c.path, c.suggested, c.reason) for c in row.changes] == [
        ("绩效指标[0].指标[1].得分", "10", "抄录了相邻行「组织离退休干部活动」的数字")
    ]
    assert [(a.path, a.reason) for a in row.alternatives] == [
        ("总分.得分", "合计数未随组成部分更新（各项之和为 91）")
    ]


def test_two_independent_errors_are_both_found() -> None:
    data = put(put(clean(), ("基本支出", "人员经费"), 309.33), ("总分", "得分"), 69)
    found = {
        d.rules: (d.suspect.path, d.suspect.suggested, d.suspect.kind) for d in diagnoses(data)
    }
    assert found == {
        ("EC101",): ("基本支出.人员经费", "303.93", "transposition"),
        ("EC304", "EC305"): ("总分.得分", "96", "transposition"),
    }


def test_two_slips_in_one_group_of_checks_need_two_changes() -> None:
    data = put(put(clean(), ("总分", "得分"), 69), ("自评分数",), 86)
    (found,) = diagnoses(data)
    assert [(c.path, c.printed, c.suggested, c.kind) for c in found.changes] == [
        ("总分.得分", "69", "96", "transposition"),
        ("自评分数", "86", "96", "wrong-digit"),
    ]
    assert found.text.startswith("可能有 2 处错误：总分.得分 69 更可能应为 96：两位数字颠倒；")


def test_compensating_errors_get_no_single_figure_suggestion() -> None:
    # 决算 and 人员经费 both raised by 10: EC101 still holds, EC102 fails, and no one figure
    # makes EC102 hold without breaking EC101 or the execution-rate checks.
    data = put(put(clean(), ("基本支出", "决算"), 596.88), ("基本支出", "人员经费"), 313.93)
    findings = _checker().check_report(data).findings
    assert [f.rule_id for f in findings if f.severity == "error"] == ["EC102"]
    assert not any(d.changes and len(d.changes) == 1 for d in diagnoses(data))


def test_equally_likely_culprits_are_not_guessed() -> None:
    # 303.93 → 303.98 and 282.95 → 282.90 are both one wrong digit: no reason to pick one
    # (附件1-1's own 公用经费 row is left out here: it would confirm 282.95).
    data = put(clean(), ("基本支出", "人员经费"), 303.98)
    del data["经费控制情况"]["公用经费"]["本年决算数"]
    (found,) = diagnoses(data)
    assert found.status == "ambiguous" and not found.changes
    assert [a.path for a in found.alternatives] == ["基本支出.人员经费", "基本支出.公用经费"]


def test_a_figure_printed_twice_is_trusted_more() -> None:
    # 公用经费 282.95 is printed in 附件1-1 as well: a wrong digit there would have to be made
    # twice, so the one-off 人员经费 is the suspect.
    (found,) = diagnoses(put(clean(), ("基本支出", "人员经费"), 303.98))
    assert (found.status, found.suspect.path, found.suspect.suggested) == (
        "named",
        "基本支出.人员经费",
        "303.93",
    )


def test_positions_and_machine_fields() -> None:
    data = put(clean(), ("基本支出", "人员经费"), 309.33)
    text = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    result = _checker().check_document(load_bytes(text, "r.json", "json"))
    (finding,) = [f for f in result.findings if f.rule_id == "EC101"]
    assert finding.diagnosis is not None
    line, column = next(
        (i, t.index("309.33") + 1)
        for i, t in enumerate(text.decode().splitlines(), 1)
        if '"人员经费": 309.33' in t
    )
    assert (finding.diagnosis.suspect.line, finding.diagnosis.suspect.column) == (line, column)
    machine = finding.to_dict()["diagnosis"]
    assert {k: machine[k] for k in ("path", "line", "printed", "suggested", "kind")} == {
        "path": "基本支出.人员经费",
        "line": line,
        "printed": "309.33",
        "suggested": "303.93",
        "kind": "transposition",
    }
    assert machine["reason"] == "两位数字颠倒"
    # the prose states 人员经费 303.93: what decided between the two printings, in its own field
    assert machine["evidence"] == (
        "正文所述 303.93万元 与之相同，改正后表内各数相符（303.93 + 282.95 = 586.88）"
    )
    assert machine["confidence"] == finding.diagnosis.confidence
    assert machine["rules"] == ["EC101", "EC406"]  # the prose states 人员经费 303.93 too


def test_opt_out_and_the_report_is_never_changed() -> None:
    data = put(clean(), ("基本支出", "人员经费"), 309.33)
    before = copy.deepcopy(data)
    findings = Checker(diagnose=False).check_report(data).findings
    assert [f.rule_id for f in findings if f.severity == "error"] == ["EC101"]
    assert all(f.diagnosis is None and "diagnosis" not in f.to_dict() for f in findings)
    tree = normalise_report(data)
    assert diagnose(tree, _checker().rules)
    assert data == before
    assert tree["基本支出"]["人员经费"].text == "309.33"


def test_the_safety_stop_is_said_when_it_is_reached() -> None:
    data = put(put(clean(), ("总分", "得分"), 69), ("自评分数",), 86)  # needs the pair search
    start = time.perf_counter()
    found = set(diagnose(data, _checker().rules, budget=0).values())
    assert time.perf_counter() - start < HANG_SECONDS  # a hang guard, not a speed test
    assert [(d.status, d.changes) for d in found] == [("unfinished", ())]
    assert "安全时限" in next(iter(found)).text


def test_step_budget_stops_the_search_the_same_way_every_time() -> None:
    data = put(put(clean(), ("总分", "得分"), 69), ("自评分数",), 86)  # needs the pair search
    stopped = diagnose(data, _checker().rules, steps=0)
    assert {d.status for d in stopped.values()} == {"unfinished"}
    assert stopped == diagnose(data, _checker().rules, steps=0)
    full = diagnose(data, _checker().rules)
    assert full and full == diagnose(data, _checker().rules)
    assert {d.status for d in full.values()} == {"named"}


def test_clean_outcomes_skip_the_search() -> None:
    assert diagnose(clean(), _checker().rules, outcomes=[]) == {}


# --- slips, one by one -----------------------------------------------------------------


def figure(raw: Any, kind: Kind = Kind.AMOUNT) -> Any:
    return read_figure(raw, kind)


@pytest.mark.parametrize(
    ("printed", "kind", "suggested", "expected"),
    [
        (586.88, Kind.AMOUNT, "568.88", "transposition"),
        (9, Kind.SCORE, "10", "unexplained"),
        (95, Kind.SCORE, "59", "transposition"),
        ("019", Kind.COUNT, "109", "transposition"),  # leading zeros as typed count
        (303.93, Kind.AMOUNT, "-303.93", "sign"),
        ("2829500", Kind.AMOUNT, "282.95", "yuan-as-wan"),
        (28.295, Kind.AMOUNT, "282.95", "decimal-point"),
        (0.5, Kind.SCORE, "5", "decimal-point"),
        ("0.98", Kind.RATE, "98.00%", "percent-as-fraction"),
        ("98%", Kind.RATE, "89%", "transposition"),
        (30.93, Kind.AMOUNT, "303.93", "dropped-digit"),
        ("03.93", Kind.AMOUNT, "303.93", "dropped-digit"),
        (3033.93, Kind.AMOUNT, "303.93", "doubled-digit"),
        (3073.93, Kind.AMOUNT, "303.93", "extra-digit"),
        (303.98, Kind.AMOUNT, "303.93", "wrong-digit"),
        (7, Kind.AMOUNT, "0", "wrong-digit"),
        (0, Kind.AMOUNT, "0.09", "unexplained"),
        (19, Kind.COUNT, "1900", "unexplained"),  # counts have no decimal point to misplace
    ],
)
def test_classify(printed: Any, kind: Kind, suggested: str, expected: str) -> None:
    assert classify(figure(printed, kind), figure(suggested, kind)).kind == expected


def test_classify_copies_and_omitted_parts() -> None:
    above = Neighbour("社会保障和就业支出", figure(18.75), "row-above")
    last = Neighbour("上年决算数", figure(0.09), "last-year")
    assert classify(figure(18.75), figure("18.78"), [above]).reason == (
        "抄录了相邻行「社会保障和就业支出」的数字"
    )
    assert classify(figure(0.09), figure(0), [last]).kind == "copied-last-year"
    parts = [("基本支出.年初预算", Decimal("262.78")), ("项目支出.年初预算", Decimal("40.8"))]
    omitted = classify(figure(262.78), figure("303.58"), parts=parts)
    assert (omitted.kind, omitted.reason) == ("omitted-part", "合计漏加了「项目支出.年初预算」40.8")


def test_cli_shows_the_diagnosis_and_no_diagnose_hides_it() -> None:
    from click.testing import CliRunner

    from evalcheck.cli import cli

    runner = CliRunner()
    shown = runner.invoke(cli, ["check", "--format", "text", str(BEITA)])
    hidden = runner.invoke(cli, ["check", "--no-diagnose", "--format", "text", str(BEITA)])
    line = (
        "= 诊断：预算执行.年初预算数 262.78 更可能应为 303.58：合计漏加了「项目支出.年初预算」40.8，"
        "正文所述年初预算数 262.78万元 同样应为 303.58万元，建议核对"  # the prose repeats it
    )
    assert line in shown.output
    assert "诊断：" not in hidden.output
    assert shown.exit_code == hidden.exit_code == 1
