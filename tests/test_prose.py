"""The prose reader and its rules (issue 16): every statement, parts, shares, changes, claims of
no change, counts with lists, years and template residue — read from the 正文 and from the
table cells that hold prose, and checked by rules/prose.yaml (EC421–EC441).

Fixtures are written here with made-up figures, in the prose shapes of ../shared/LAYOUTS.md:
one long run-on paragraph (shape 9, "prose only"), the same paragraph broken into PDF lines,
and prose inside the cells of a project table (年度总体目标 / 实际完成情况 / 偏差原因分析).
Each error fixture differs from the clean one by one figure or one word, so the finding it
raises is the one that edit causes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from layouts import SHAPES, write_shape

from evalcheck.report.narrative import read_report
from evalcheck.report.prose.stated import stated_section
from evalcheck.runner.checker import Checker

ROOT = Path(__file__).resolve().parents[1]
PROSE_RULES = {f"EC{n}" for n in range(421, 450)}

# --- the run-on paragraph: made-up figures that agree with one another ---------------------------

CLEAN: dict[str, str] = {
    "count": "4",
    "offices": "办公室、群文股、非遗股、财务股",
    "staff": "15",
    "income": "420.6",
    "grant": "400.6",
    "other": "20",
    "spending": "418.2",
    "basic": "298.2",
    "project": "120",
    "public": "6.5",
    "public_drop": "减少1.2",
    "public_rate": "下降15.58",
    "hosting": "1.5",
    "hosting_share": "23.08",
    "car": "5",
    "car_share": "76.92",
    "car_last": "0",
    "car_claim": "无增减",
    "projects": "6",
    "first": "4",
    "added": "2",
    "this_year": "2024",
    "score": "92",
    "again": "15",
    "tail": "",
}


def runon(**edits: str) -> str:
    """One long paragraph stating every kind of statement (LAYOUTS.md shape 9)."""
    f = {**CLEAN, **edits}
    return (
        f"本馆内设{f['count']}个股室，即{f['offices']}。编制数{f['staff']}人，实际在职人数14人。"
        f"{f['this_year']}年度本馆收入合计{f['income']}万元，其中财政拨款收入{f['grant']}万元、"
        f"其他收入{f['other']}万元；支出合计{f['spending']}万元，其中基本支出{f['basic']}万元、"
        f"项目支出{f['project']}万元。“三公”经费决算{f['public']}万元，比上年{f['public_drop']}"
        f"万元，{f['public_rate']}%，其中公务接待费{f['hosting']}万元，占{f['hosting_share']}%；"
        f"公务用车运行维护费{f['car']}万元，占{f['car_share']}%。公务用车购置费上年决算"
        f"{f['car_last']}万元，本年决算0万元，{f['car_claim']}。本年度实施项目共{f['projects']}个，"
        f"其中年初安排{f['first']}个、年中追加{f['added']}个。经自评，自评分数为{f['score']}分，"
        f"全馆编制数{f['again']}人。{f['tail']}"
    )


def report(body: str, **data: Any) -> dict[str, Any]:
    return {
        "单位名称": "某某县文化馆",
        "评价年度": 2024,
        "人员编制": {"编制数": 15, "实际在职人数": 14},
        **data,
        "正文": [{"标题": "一、部门基本情况及预算执行情况", "内容": body}],
    }


def check(data: dict[str, Any]) -> Any:
    """Checked as a JSON file is: the prose read into 正文数据 first."""
    return Checker(diagnose=False).check_bytes(
        json.dumps(data, ensure_ascii=False).encode(), "r.json"
    )


def prose_findings(data: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    result = check(data)
    assert result.error is None, result.error
    return [
        (f.rule_id, f.severity, f.path, f.message)
        for f in result.findings
        if f.rule_id in PROSE_RULES
    ]


def stated(data: dict[str, Any]) -> dict[str, Any]:
    reading = read_report(data)
    section, _ = stated_section(reading, data, None)
    return section


def test_the_clean_paragraph_is_read_and_raises_nothing() -> None:
    data = report(runon())
    assert prose_findings(data) == []
    section = stated(data)
    listed = section["语句"]
    assert len(listed) == 23
    assigned = [s["对应项目"] for s in listed if "对应项目" in s]
    assert "人员编制.编制数" in assigned and "自评分数" in assigned
    assert section["构成"][1]["其中"] == {"基本支出": "298.2万元", "项目支出": "120万元"}
    assert section["构成"][1]["完整"] == "是"
    change = next(c for c in section["变动"] if "增减额" in c)
    assert change["增减额"] == "-1.2万元" and change["增减率"] == "-15.58%"
    assert [s["占比"] for s in section["占比"]] == ["23.08%", "76.92%"]
    assert section["计数"][0]["构成"] == {"年初安排": "4", "年中追加": "2"}
    assert section["计数"][1]["列举"] == ["办公室", "群文股", "非遗股", "财务股"]
    assert section["无变化"][0]["本年数"] == "0万元"


@pytest.mark.parametrize(
    ("edits", "rule", "path", "message"),
    [
        (
            {"basic": "300.2"},
            "EC424",
            "正文数据.构成[1].合计",
            "“支出合计”418.2万元与其中所列各项之和不一致",
        ),
        (
            {"public_rate": "下降16.58"},
            "EC434",
            "正文数据.变动[0].增减率",
            None,
        ),
        ({"public_drop": "增加1.2"}, "EC433", "正文数据.变动[0].增减额", None),
        ({"hosting_share": "21.08"}, "EC430", "正文数据.占比[0].占比", None),
        ({"car_last": "2"}, "EC438", "正文数据.无变化[0].本年数", None),
        ({"count": "5"}, "EC427", "正文数据.计数[1].数目", None),
        ({"offices": "办公室、群文股、非遗股、办公室"}, "EC428", "正文数据.计数[1].列举", None),
        ({"first": "3"}, "EC426", "正文数据.计数[0].数目", None),
        ({"again": "16"}, "EC422", "正文数据.复述[0].数值", None),
        ({"tail": "本年度（2023年）共举办展览8场。"}, "EC440", "正文数据.年份[0].原文", None),
        ({"tail": "其他支出占 %。"}, "EC441", "正文数据.残留[0].内容", None),
        ({"tail": "详见错误！未定义书签。"}, "EC441", "正文数据.残留[0].内容", None),
        ({"tail": "XX单位负责实施。"}, "EC441", "正文数据.残留[0].内容", None),
    ],
)
def test_one_edit_to_the_paragraph_raises_one_finding(
    edits: dict[str, str], rule: str, path: str, message: str | None
) -> None:
    found = prose_findings(report(runon(**edits)))
    assert [(r, p) for r, _, p, _ in found] == [(rule, path)], found
    assert found[0][1] == "warning"
    if message is not None:
        assert found[0][3] == message


# --- the same statements broken into lines of a PDF --------------------------------------------


def pdf_lines(text: str, width: int = 37) -> str:
    """The text as a PDF's text layer prints it: lines of ``width`` characters, broken anywhere
    but between two digits (``400`` / ``.6万元`` is read; ``40`` / ``0.6万元`` is not yet)."""
    lines, start = [], 0
    while start < len(text):
        end = min(start + width, len(text))
        while end < len(text) and (text[end - 1] in "0123456789." and text[end] in "0123456789"):
            end += 1
        lines.append(text[start:end])
        start = end
    return "\n".join(lines)


def test_the_paragraph_broken_into_pdf_lines_reads_the_same() -> None:
    text = runon(basic="300.2")
    lines = pdf_lines(text)
    assert lines.count("\n") >= 6
    whole = prose_findings(report(text))
    broken = prose_findings(report(lines))
    assert [(r, p) for r, _, p, _ in broken] == [(r, p) for r, _, p, _ in whole]
    assert [r for r, *_ in broken] == ["EC424"]


def test_a_number_broken_before_its_decimal_point_is_read_whole() -> None:
    text = runon(grant="400.7").replace("400.7万元", "400\n.7万元")
    section = stated(report(text))
    assert section["构成"][0]["其中"] == {"财政拨款收入": "400.7万元", "其他收入": "20万元"}
    found = prose_findings(report(text))
    assert [(r, p) for r, _, p, _ in found] == [("EC424", "正文数据.构成[0].合计")]


def test_a_total_after_a_semicolon_is_no_part_of_the_list_before_it() -> None:
    text = runon(grant="402.6")
    parts = stated(report(text))["构成"][0]
    assert parts["对象"] == "本馆收入合计" and "支出合计" not in parts["其中"]
    found = prose_findings(report(text))
    assert [(r, p, m) for r, _, p, m in found] == [
        ("EC424", "正文数据.构成[0].合计", "“本馆收入合计”420.6万元与其中所列各项之和不一致")
    ]


# --- a text file: the paragraph with its headings, read by the text reader ----------------------


def test_a_prose_only_text_file_points_at_the_sentence(tmp_path: Path) -> None:
    path = tmp_path / "文化馆自评报告.txt"
    path.write_text(
        "某某县文化馆2024年度部门整体支出绩效自评报告\n\n一、部门基本情况\n"
        + runon(again="16")
        + "\n",
        "utf-8",
    )
    result = Checker(diagnose=False).check_path(path)
    found = [f for f in result.findings if f.rule_id in PROSE_RULES]
    assert [(f.rule_id, f.line) for f in found] == [("EC421", 4)]
    assert found[0].message == "正文两处所述人员编制.编制数不一致：前文为 15人，此处为 16人"
    assert found[0].column is not None and found[0].column > 200
    clean = tmp_path / "clean.txt"
    clean.write_text(path.read_text("utf-8").replace("全馆编制数16人", "全馆编制数15人"), "utf-8")
    assert [
        f.rule_id for f in Checker().check_path(clean).findings if f.rule_id in PROSE_RULES
    ] == []


# --- prose inside table cells (年度总体目标 / 实际完成情况, 偏差原因分析) ---------------------------


def project(done: str, reason: str = "") -> dict[str, Any]:
    indicator: dict[str, Any] = {
        "三级指标": "开展非遗展演场次",
        "年度指标值": "≥12场",
        "实际完成值": "12场",
        "分值": 20,
        "得分": 20,
    }
    if reason:
        indicator["偏差原因分析及改进措施"] = reason
    return {
        "项目名称": "非遗保护传承",
        "评价年度": 2024,
        "预算执行": {"年初预算数": 50, "全年预算数": 50, "全年执行数": 48, "分值": 10},
        "年度总体目标": {"预期目标": "开展展演，培训传承人。", "实际完成情况": done},
        "绩效指标": [{"一级指标": "产出指标", "指标": [indicator]}],
    }


CELL = (
    "项目资金50万元，实际支出48万元，其中展演经费30万元、培训经费18万元；"
    "完成展演12场，培训传承人3批次。"
)


def test_prose_in_a_table_cell_is_read_and_checked() -> None:
    assert prose_findings(project(CELL)) == []
    found = prose_findings(project(CELL.replace("培训经费18万元", "培训经费16万元")))
    assert [(r, p) for r, _, p, _ in found] == [("EC424", "正文数据.构成[0].合计")]
    section = stated(project(CELL))
    assert section["构成"][0]["其中"] == {"展演经费": "30万元", "培训经费": "18万元"}
    assert {s["出处"] for s in section["语句"]} == {"年度总体目标.实际完成情况"}


def test_a_cell_left_with_the_forms_instructions_is_the_project_rules_finding() -> None:
    """EC230 reports a 实际完成情况 that is only the form's text; EC441 does not say it again."""
    template = "对照年度目标，说明相关任务目标的完成情况（100字以内）"
    result = check(project(template))
    ids = [f.rule_id for f in result.findings]
    assert "EC230" in ids and "EC441" not in ids


def test_residue_in_a_reason_cell_is_found() -> None:
    found = prose_findings(project(CELL, reason="尾款未付，比上年减少 万元。"))
    assert [(r, p) for r, _, p, _ in found] == [("EC441", "正文数据.残留[0].内容")]


# --- the mis-readings of the issue: each failed with the old reader ----------------------------


def assigned(body: str, **data: Any) -> list[tuple[str, str | None]]:
    section = stated({"正文": [{"标题": "一、情况", "内容": body}], **data})
    return [(s["数值"], s.get("对应项目")) for s in section.get("语句", [])]


def test_a_field_stated_twice_keeps_both_and_the_second_is_compared() -> None:
    section = stated(report("编制数15人，实际在职人数14人。年末在职人数为13人。"))
    assert [s["对应项目"] for s in section["语句"]] == [
        "人员编制.编制数",
        *["人员编制.实际在职人数"] * 2,
    ]
    assert section["复述"] == [
        {
            "对应项目": "人员编制.实际在职人数",
            "数值": "13人",
            "前文": "14人",
            "表中": "14",
            "原文": "年末在职人数为13人。",
        }
    ]
    found = prose_findings(report("编制数15人，实际在职人数14人。年末在职人数为13人。"))
    assert [(r, p) for r, _, p, _ in found] == [("EC422", "正文数据.复述[0].数值")]
    assert found[0][3] == "正文另一处所述人员编制.实际在职人数 13人 与表中 14 不一致（前文为 14人）"


def test_statements_of_two_years_are_not_a_restatement() -> None:
    """2010年……预算中，A 1229.65万元。2011年……预算中，A 1205.06万元: two years' budgets."""
    body = (
        "2023年本馆“三公”经费预算中，公务接待费2.5万元。"
        "2024年本馆“三公”经费预算中，公务接待费2.1万元（较2023年压缩16%）。"
    )
    data = {"三公经费": {"合计": {"本年预算数": 1}}, "正文": [{"内容": body}]}
    assert "复述" not in stated(data)
    assert prose_findings(data) == []


def test_the_column_word_that_governs_the_figure_wins_over_a_word_inside_a_name() -> None:
    """一般公共预算安排…决算数: 预算 inside 一般公共预算 names a source, not the column."""
    found = assigned("2024年一般公共预算安排“三公”经费决算数2364万元。", 评价年度=2024)
    assert found == [("2364万元", "三公经费.合计.本年决算数")]


def test_a_budget_figure_is_not_read_as_an_actual() -> None:
    found = assigned("基本支出年初预算300.5万元，实际支出280万元。", 人员编制={"编制数": 1})
    assert found == [("300.5万元", "基本支出.年初预算"), ("280万元", "基本支出.决算")]
    bare = assigned("基本支出预算300.5万元。", 人员编制={"编制数": 1})
    assert bare[0][1] != "基本支出.决算"


def test_the_parts_of_what_was_spent_are_their_own_actuals() -> None:
    """实际支出…（基本支出…、项目支出…）: the 决算 of each part, not the 按支出性质分 split of
    the 全年预算数 (EC107 ties that split to the budget: reading it there warned on every
    report whose budget differs from its spending)."""
    found = assigned(
        "2023年度实际支出289.19万元（基本支出238.40万元、项目支出50.79万元）。",
        评价年度=2023,
        人员编制={"编制数": 1},
    )
    assert found == [
        ("289.19万元", "预算执行.全年执行数"),
        ("238.40万元", "基本支出.决算"),
        ("50.79万元", "项目支出.决算"),
    ]


def test_a_reference_civil_service_establishment_is_its_own_kind() -> None:
    found = assigned("核定编制136人，其中行政编制4名、参照公务员法管理事业编制23名。")
    assert found == [
        ("136人", "人员编制.编制数"),
        ("4名", "人员编制.编制构成.行政编制"),
        ("23名", "人员编制.编制构成.参照公务员法管理事业编制"),
    ]


def test_a_parts_column_is_of_the_totals_own_year_not_of_the_last_year_said() -> None:
    """…决算数为7.24万元，上年决算数为55.41万元，其中公务接待费预算数…，决算数…: this year's."""
    found = assigned(
        "2021年“三公”经费预算数为10.40万元，决算数为7.24万元，上年决算数为55.41万元，"
        "其中公务接待费预算数为3.71万元，决算数为2.28万元。",
        评价年度=2021,
        经费控制情况={"三公经费": {"本年预算数": 10.4}},
    )
    public = "经费控制情况.三公经费"
    assert found == [
        ("10.40万元", f"{public}.本年预算数"),
        ("7.24万元", f"{public}.本年决算数"),
        ("55.41万元", f"{public}.上年决算数"),
        ("3.71万元", f"{public}.公务接待.本年预算数"),
        ("2.28万元", f"{public}.公务接待.本年决算数"),
    ]


def test_each_column_of_a_total_adds_up_its_parts_of_that_column() -> None:
    """预算数…，决算数…，上年决算数…，其中A预算数…，决算数…，上年决算数…: three sums, each of its own
    column (the 上年 total was given the parts' 预算数 and warned on a clean report)."""
    body = (
        "2021年“三公”经费预算数为66.84万元，决算数为52.95万元，上年决算数为72.10万元，"
        "其中公务用车购置及运行维护费预算数为42.73万元，决算数为36.27万元，上年决算数为52.21万元；"
        "因公出国（境）费预算数为4.74万元，决算数为4.00万元；"
        "公务接待费预算数为19.37万元，决算数为12.68万元，上年决算数为19.45万元。"
    )
    data = {"评价年度": 2021, "经费控制情况": {"三公经费": {"本年预算数": 66.84}}}
    section = stated({"正文": [{"内容": body}], **data})
    assert [(c["列"], c["合计"], list(c["其中"].values()), c["完整"]) for c in section["构成"]] == [
        ("本年预算", "66.84万元", ["42.73万元", "4.74万元", "19.37万元"], "是"),
        ("决算", "52.95万元", ["36.27万元", "4.00万元", "12.68万元"], "是"),
        ("上年决算", "72.10万元", ["52.21万元", "19.45万元"], "否"),
    ]
    assert prose_findings(report(body, **data)) == []


def test_the_sources_listed_after_the_income_total_are_its_own_sources() -> None:
    """收入合计…，其中一般公共预算…、政府性基金…、其他收入…: 收支情况.收入构成, checked by EC419."""
    body = (
        "2023年度收入合计297.97万元，其中一般公共预算财政拨款收入90.32万元、政府性基金78.52万元、"
        "纳入专户管理的非税收入78.24万元、其他收入50.89万元。"
    )
    sources = {"一般公共预算": 90.32, "政府性基金": 78.52, "纳入专户管理的非税收入": 78.24}
    funds = {"收入合计": 297.97, "收入构成": {**sources, "其他资金": 50.89}}
    found = assigned(body, 评价年度=2023, 收支情况=funds)
    assert found == [
        ("297.97万元", "收支情况.收入合计"),
        ("90.32万元", "收支情况.收入构成.一般公共预算"),
        ("78.52万元", "收支情况.收入构成.政府性基金"),
        ("78.24万元", "收支情况.收入构成.纳入专户管理的非税收入"),
        ("50.89万元", "收支情况.收入构成.其他资金"),
    ]
    clean = check(report(body, 评价年度=2023, 收支情况=funds)).findings
    assert [f.rule_id for f in clean if f.severity in ("error", "warning")] == []
    slipped = {**funds, "收入构成": {**sources, "其他资金": 50.98}}
    warned = [
        (f.rule_id, f.path, f.message)
        for f in check(report(body, 评价年度=2023, 收支情况=slipped)).findings
        if f.rule_id == "EC419"
    ]
    assert warned == [
        (
            "EC419",
            "正文数据.收支情况.收入构成.其他资金",
            "正文所述其他资金收入 50.89万元 与报告中的 50.98 不一致",
        )
    ]


def test_traditional_wan_yuan_is_read() -> None:
    found = assigned("“三公”經費決算12.3萬元。", 三公经费={"合计": {"本年决算数": 1}})
    assert found == [("12.3万元", "三公经费.合计.本年决算数")]


def test_an_item_name_keeps_its_half_width_bracket() -> None:
    section = stated(
        {
            "三公经费": {"合计": {"本年决算数": 1}},
            "正文": [{"内容": "“三公”经费决算12.3万元，其中因公出国(境)费5万元。"}],
        }
    )
    assert section["语句"][1]["对应项目"] == "三公经费.因公出国（境）费.本年决算数"


@pytest.mark.parametrize(
    "line",
    [
        "发布日期：2024-03-05 来源：某某县文化馆 浏览量：326人",
        "联系人：张某 联系电话：0731-12345678 编制数：19人",
        "评分标准：完成得10分，未完成不得分。",
    ],
)
def test_page_furniture_and_scoring_notes_state_no_figure(line: str) -> None:
    """The reader before issue 16 read 326人, 19人 and 10分 out of these lines."""
    assert assigned(line) == []


def test_a_year_and_a_this_year_on_two_lines_are_not_said_together() -> None:
    """A page of snippets: a 2022 title on one line, 本年 in the next document's text."""
    body = "2022年某某县部门预算\n本年收入合计420.6万元。"
    found = prose_findings(report(body))
    assert found == []
    one_line = prose_findings(report("本年度（2022年）收入合计420.6万元。"))
    assert [(r, p) for r, _, p, _ in one_line] == [("EC440", "正文数据.年份[0].原文")]


def test_run_together_cells_are_not_read_as_one_figure() -> None:
    """``保障人数`` ``10`` ``2370人`` run together: never 102370人."""
    section = stated({"正文": [{"内容": "保障人数102370人2370人。"}]})
    assert all(s.get("对应项目") is None for s in section["语句"])
    assert all("粘连" in s["说明"] for s in section["语句"])


def test_a_change_after_a_list_of_parts_is_not_given_to_the_last_part() -> None:
    """其中A、B，比上年减少…: of the whole or of B? not said, so not checked."""
    body = "“三公”经费决算6.5万元，其中公务接待费1.5万元、公务用车运行维护费5万元，比上年减少1.2万元，下降15.58%。"
    assert prose_findings(report(body)) == []
    changes = stated(report(body))["变动"]
    assert all("本年数" not in c for c in changes)


# --- clean reports: samples and seeds raise no prose warning or error --------------------------


SAMPLES = sorted(
    p for p in (ROOT / "samples").iterdir() if p.suffix in (".json", ".yaml", ".txt", ".docx")
)


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_samples_raise_no_prose_warning_or_error(path: Path) -> None:
    result = Checker(diagnose=False).check_path(path)
    assert [
        (f.rule_id, f.path)
        for f in result.findings
        if f.rule_id in PROSE_RULES and f.severity != "info"
    ] == []


# --- the same cell in every text shape of a table (LAYOUTS.md shapes 1-6) -----------------------

GOAL = "全年培训经费共计60万元，其中党员教育经费40万元、干部培训经费20万元；完成培训12期。"


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_prose_in_the_goal_cell_of_a_table_in_every_text_shape(shape: str, tmp_path: Path) -> None:
    data = json.loads((ROOT / "samples" / "shaoyang-beita-2023.json").read_text("utf-8"))
    data["年度总体目标"]["实际完成情况"] = GOAL
    clean = Checker(diagnose=False).check_path(write_shape(data, shape, tmp_path / "clean.txt"))
    assert [f.rule_id for f in clean.findings if f.rule_id in PROSE_RULES] == []
    data["年度总体目标"]["实际完成情况"] = GOAL.replace("干部培训经费20万元", "干部培训经费25万元")
    path = write_shape(data, shape, tmp_path / "wrong.txt")
    found = [
        f for f in Checker(diagnose=False).check_path(path).findings if f.rule_id in PROSE_RULES
    ]
    assert [(f.rule_id, f.message) for f in found] == [
        ("EC424", "“培训经费”60万元与其中所列各项之和不一致")
    ]
    line = path.read_text("utf-8").split("\n")[found[0].line - 1]
    assert "全年培训经费共计60万元" in line


# --- each rule on a sentence of its own (prose only, LAYOUTS.md shape 9) -------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (  # the prose says 16 twice, the table 15: the table is the odd one out
            "编制数16人。全馆编制数16人。",
            [
                (
                    "EC423",
                    "正文数据.复述[0].表中",
                    "表中人员编制.编制数 15 与正文两处所述的 16人 不一致",
                )
            ],
        ),
        (
            "“三公”经费决算6.5万元，其中公务接待费4.5万元、公务用车运行维护费3万元。",
            [("EC425", "正文数据.构成[0].合计", "“三公经费”6.5万元小于其中所列各项之和")],
        ),
        (
            "支出合计418.2万元，其中基本支出298.2万元，占71.31%；项目支出120万元，占30.69%。",
            [
                (
                    "EC431",
                    "正文数据.占比合计[0].各项",
                    "占支出合计的各项占比之和与 100% 不符：71.31%、30.69%",
                ),
                (
                    "EC430",
                    "正文数据.占比[1].占比",
                    "“项目支出”120万元占支出合计418.2万元的比例印为 30.69%，与二者之比不符",
                ),
            ],
        ),
        (
            "公务接待费上年决算1.8万元，本年决算1.5万元，比上年减少0.5万元。",
            [
                (
                    "EC432",
                    "正文数据.变动[0].增减额",
                    "“公务接待费”本年 1.5万元、上年 1.8万元，所述增减额 -0.5万元 与二者之差不符",
                )
            ],
        ),
        (
            "“三公”经费年初预算8.00万元，决算6.50万元，较预算减少2.50万元。",
            [
                (
                    "EC435",
                    "正文数据.变动[0].较预算增减额",
                    "“三公经费”决算 6.50万元、预算 8.00万元，所述与预算相比的增减 -2.50万元 与二者之差不符",
                )
            ],
        ),
        (
            "“三公”经费年初预算8.00万元，决算6.50万元，完成年初预算的85%。",
            [
                (
                    "EC436",
                    "正文数据.变动[0].完成预算",
                    "“三公经费”完成预算 85% 与决算数 ÷ 预算数不符（决算 6.50万元，预算 8.00万元，较预算增减 （空白））",
                )
            ],
        ),
        (
            "“三公”经费年初预算8万元，决算6.5万元，较预算减少1.5万元，下降15.75%。",
            [
                (
                    "EC437",
                    "正文数据.变动[0].较预算增减率",
                    "“三公经费”较预算的增减率 -15.75% 与增减额 ÷ 预算数不符（决算 6.5万元，增减额 -1.5万元）",
                )
            ],
        ),
        (
            "公务接待费比上年减少0.3万元，与上年持平。",
            [
                (
                    "EC439",
                    "正文数据.无变化[0].增减额",
                    "“公务接待费”称“持平”，同一句却写有增减 -0.3万元",
                )
            ],
        ),
        (
            "主要做法：\n1、加强预算管理；\n2、规范资金使用；\n4、强化绩效监控。",
            [("EC429", "正文数据.编号[0].原文", "编号 1、2、4 有重复或跳号（n、）")],
        ),
    ],
)
def test_each_rule_on_a_sentence(body: str, expected: list[tuple[str, str, str]]) -> None:
    found = [(r, p, m) for r, s, p, m in prose_findings(report(body)) if s != "info"]
    assert found == expected


@pytest.mark.parametrize(
    "body",
    [
        "编制数15人。全馆编制数15人。",
        "公务接待费上年决算1.8万元，本年决算1.5万元，比上年减少0.3万元，下降16.67%。",
        "“三公”经费决算6.5万元，其中公务接待费1.5万元、公务用车运行维护费5万元。",
        "“三公”经费决算6.5万元，其中因公出国（境）费0万元，占0%；公务接待费1.5万元，占23.08%；"
        "公务用车购置及运行维护费5万元，占76.92%。",
        "“三公”经费年初预算8.00万元，决算6.50万元，较预算减少1.50万元，下降18.75%，完成年初预算的81.25%。",
        "公务接待费比上年减少0万元，与上年持平。",
        "主要做法：\n1、加强预算管理；\n2、规范资金使用；\n3、强化绩效监控。",
    ],
)
def test_the_same_sentences_written_right_raise_nothing(body: str) -> None:
    assert [f for f in prose_findings(report(body)) if f[1] != "info"] == []
