"""“三公”经费 tables whose columns split each line by source of funds (合计 | 一般公共预算 |
政府性基金预算 | 国有资本经营预算), met on real budget pages: the 合计 is the line's 本年预算数 or
本年决算数 as the caption (or the 合计 cell, or — when the page lost its caption — the heading
right after the table) says, the sources go under 资金来源 and EC546/EC547 check that they add
up.  Every fixture is made up (figures and names invented) in the layouts of LAYOUTS.md; each
reading has a clean fixture that must stay clean, and a page chrome line (``浏览量:1 | | |``)
is no table."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalcheck.report.assemble import import_path
from evalcheck.runner.checker import Checker

ITEMS = [
    ("“三公”经费", "12.40"),
    ("其中:(一)因公出国(境)支出", "0.00"),
    ("(二)公务用车购置及运行维护支出", "9.00"),
    ("1.公务用车购置", "0.00"),
    ("2.公务用车运行维护费", "9.00"),
    ("(三)公务接待费支出", "3.40"),
]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "page.txt"
    path.write_text(text, "utf-8")
    return path


def findings(path: Path) -> list[tuple[str, str, str]]:
    """(rule, path, message) of every error and warning; a load error fails."""
    result = Checker(diagnose=False).check_path(path)
    assert result.error is None, result.error
    return [
        (f.rule_id, f.path, f.message)
        for f in result.findings
        if f.severity in ("error", "warning")
    ]


def bars(caption: str, items: list[tuple[str, str]], fund: str = "0.00", after: str = "") -> str:
    """Shape 4: one cell per line between bare bars, a new row after two bars; the header cells
    broken over two lines (一般公共 / 预算), as a web table copied cell by cell gives it."""
    out = [caption, "|", "|", "项 目", "|", "合计", "|", "一般公共", "预算", "|", "政府性基金"]
    out += ["预算", "|", "国有资本", "经营预算", "|"]
    for label, value in items:
        public = value if label != "(三)公务接待费支出" else "3.4"
        out += ["|", label, "|", value, "|", public, "|", fund, "|", "0.00", "|"]
    return "\n".join(out) + "\n" + after + "2023年本单位财政拨款安排“三公”经费12.4万元。\n"


def test_a_table_split_by_source_is_read_under_its_captions_column(tmp_path: Path) -> None:
    page = write(tmp_path, bars("某县档案馆2023年“三公”经费预算表\n单位:万元", ITEMS))
    data = import_path(page).data
    total = data["三公经费"]["合计"]
    assert total["本年预算数"] == "12.40"
    assert total["资金来源"] == {
        "一般公共预算": {"本年预算数": "12.40"},
        "政府性基金预算": {"本年预算数": "0.00"},
        "国有资本经营预算": {"本年预算数": "0.00"},
    }
    assert data["三公经费"]["公务接待费"]["资金来源"]["一般公共预算"] == {"本年预算数": "3.4"}
    assert findings(page) == []  # every line adds up, and its sources too


def test_sources_that_do_not_add_up_to_the_line_are_an_error(tmp_path: Path) -> None:
    page = write(tmp_path, bars("某县档案馆2023年“三公”经费预算表\n单位:万元", ITEMS, fund="1.00"))
    found = findings(page)
    assert (
        "EC546",
        "三公经费.合计.本年预算数",
        "“三公”经费“合计”（本年预算数）12.40 与按资金来源分列的各栏之和不一致",
    ) in found
    assert {rule for rule, _, _ in found} == {"EC546"}
    assert len(found) == 6  # each of the six lines: its 政府性基金 column holds 1.00 too


def test_a_caption_that_says_neither_budget_nor_final_leaves_the_table_unread(
    tmp_path: Path,
) -> None:
    page = write(tmp_path, bars("单位:万元", ITEMS))
    data = import_path(page).data
    assert "三公经费" not in data or "资金来源" not in data["三公经费"].get("合计", {})
    result = Checker(diagnose=False).check_path(page)
    assert "EC001" in {f.rule_id for f in result.findings}  # no table understood: not green


def test_the_heading_after_the_table_says_what_a_captionless_table_is(tmp_path: Path) -> None:
    heading = "一、财政拨款安排的“三公”经费决算情况:\n"
    page = write(tmp_path, bars("单位:万元", ITEMS, after=heading))
    total = import_path(page).data["三公经费"]["合计"]
    assert total["本年决算数"] == "12.40"
    assert total["资金来源"]["一般公共预算"] == {"本年决算数": "12.40"}


SPACED = (
    "某县文联2023年度“三公”经费预算表\n"
    "单位名称:某县文联       单位:万元\n"
    "项目 2023年预算数合计 公共财政预算拨款 政府性基金预算拨款 国有资本经营预算拨款\n"
    "一、支出合计 {total} 6.2 0 0\n"
    "1、因公出国(境)费用 0      \n"
    "2、公务接待费 2.1      \n"
    "3、公务用车费 4.1 4.1 0 0\n"
)


@pytest.mark.parametrize(("total", "expected"), [("6.2", []), ("6.9", ["EC546"])])
def test_a_single_spaced_table_split_by_source(
    tmp_path: Path, total: str, expected: list[str]
) -> None:
    page = write(tmp_path, SPACED.format(total=total))
    data = import_path(page).data
    assert data["三公经费"]["合计"]["资金来源"]["一般公共预算"] == {"本年预算数": "6.2"}
    # rows with one figure for four columns are not guessed at
    assert "因公出国（境）费" not in data["三公经费"]
    unread = [e["内容"] for e in data["未识别"]]
    assert "2、公务接待费 2.1" in unread
    assert [rule for rule, _, _ in findings(page)] == expected


def test_a_page_chrome_line_is_no_table(tmp_path: Path) -> None:
    page = write(
        tmp_path,
        "某县2023年度“三公”经费预算情况表\n来源:某县文联   2023-04-27\n浏览量:1 | | | |\n"
        + SPACED.format(total="6.2"),
    )
    data = import_path(page).data
    assert not [e for e in data["未识别"] if str(e["原因"]).startswith("无法识别表")]
    assert findings(page) == []


def test_a_sentence_a_page_closed_with_a_bar_is_prose_not_a_table(tmp_path: Path) -> None:
    # a news page: every figure in sentences, the last one followed by the layout's " |"
    text = (
        "某局2022年“三公”经费财政拨款预算数120.50万元，其中：因公出国(境)费20万元，"
        "公务用车购置及运行费60.5万元，公务接待费40万元。\n"
        "本次公布的“三公”经费财政拨款情况反映的是本局本级和3个直属单位的支出情况。 |\n"
    )
    page = write(tmp_path, text)
    data = import_path(page).data
    assert not [e for e in data.get("未识别", []) if str(e["原因"]).startswith("无法识别表")]
    result = Checker(diagnose=False).check_path(page)
    # the four amounts, as the statement gives them and as the report's 三公经费 lines
    assert result.coverage.figures == result.coverage.checked == 8
    assert [f.rule_id for f in result.findings if f.severity != "info"] == []
    wrong = write(tmp_path, text.replace("40万元", "41万元"))
    assert "EC501" in {f.rule_id for f in Checker(diagnose=False).check_path(wrong).findings}


def test_a_fiscal_table_split_by_source_is_no_public_costs_table(tmp_path: Path) -> None:
    # 财政拨款收支预算总表 splits by source too; its 支出合计 row is no “三公”经费 total
    rows = [
        ("一般公共服务支出", "80.00", "80.00"),
        ("教育支出", "20.00", "15.00"),
        ("支出合计", "100.00", "95.00"),
    ]
    out = ["某县档案馆2023年财政拨款收支预算总表", "单位:万元", "|", "|", "项 目", "|", "合计", "|"]
    out += ["一般公共预算", "|", "政府性基金预算", "|"]
    for label, total, public in rows:
        fund = f"{float(total) - float(public):.2f}"
        out += ["|", label, "|", total, "|", public, "|", fund, "|"]
    page = write(tmp_path, "\n".join(out) + "\n")
    assert "三公经费" not in import_path(page).data


BUDGET = (
    "某县档案馆2023年部门预算\n一、收支预算总表\n单位:万元\n"
    "项目 | 本年预算数 | 上年预算数 |\n{rows}"
    "二、“三公”经费预算情况说明\n2023年“三公”经费预算5万元，比上年减少1万元。\n"
)


def test_a_budget_tables_total_is_no_public_costs_total(tmp_path: Path) -> None:
    # a 收支预算总表 has the 三公 table's columns; its 支出合计 100.00 is not the 三公 total the
    # prose states (5万元): no “prose and table differ” (EC417), the table is said to be unread
    rows = "一般公共服务支出 | 80.00 | 70.00 |\n教育支出 | 20.00 | 10.00 |\n支出合计 | 100.00 | 80.00 |\n"
    page = write(tmp_path, BUDGET.format(rows=rows))
    data = import_path(page).data
    assert data["三公经费"] == {"合计": {"本年预算数": "5"}}  # the prose's, not the table's
    result = Checker(diagnose=False).check_path(page)
    assert "EC417" not in {f.rule_id for f in result.findings}
    assert "EC001" in {f.rule_id for f in result.findings}  # not understood, and said so


def test_a_public_costs_total_printed_before_its_items_is_read(tmp_path: Path) -> None:
    rows = "合计 | 5.00 | 6.00 |\n因公出国(境)费 | 0 | 0 |\n公务接待费 | 2.00 | 2.50 |\n"
    rows += "公务用车购置及运行维护费 | 3.00 | 3.50 |\n"
    page = write(tmp_path, BUDGET.format(rows=rows))
    public = import_path(page).data["三公经费"]
    assert public["合计"] == {"本年预算数": "5.00", "上年预算数": "6.00"}
    assert findings(page) == []


def test_a_caption_of_a_budgets_execution_says_no_column(tmp_path: Path) -> None:
    # “…预算执行情况表”: what was spent of a budget — neither the 预算数 nor surely the 决算数
    page = write(tmp_path, bars("某县档案馆2023年“三公”经费预算执行情况表\n单位:万元", ITEMS))
    data = import_path(page).data
    assert "资金来源" not in data.get("三公经费", {}).get("合计", {})
