"""“三公”经费 tables printed across (issue 15, docs/layouts.md): the items are the columns, the
car column split on a second header row (a two-level header), one row of figures — copied as
one cell per line with each row padded by a line of bars, or as pipe rows.  Read only when
nothing is left to guess; otherwise the table stays refused and says why.  Figures made up."""

from __future__ import annotations

from pathlib import Path

import pytest
from office import Grid, write_docx, write_xlsx

from evalcheck.report.assemble import import_path
from evalcheck.runner.checker import Checker

HEADER = [
    "“三公”经费合计 |",
    "因公出国（境）费 |",
    "公务用车购置及运行费 |",
    "公务 接待费 |",
    "||",
    "小计 |",
    "公务用车购置费 |",
    "公务用车运行费 |",
    "|||",
]


def page(figures: list[str], title: str = "一、2024年一般公共预算“三公”经费支出预算表") -> str:
    cells = [f"{f} |" for f in figures]
    return "\n".join(["某县某局“三公”经费情况", title, "单位：万元", *HEADER, *cells]) + "\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "page.txt"
    path.write_text(text, "utf-8")
    return path


CLEAN = ["12.5", "0", "8", "3", "5", "4.5"]  # 12.5 = 0 + 8 + 4.5; 8 = 3 + 5


def test_items_across_with_the_car_column_split_are_read_under_the_caption_s_column(
    tmp_path: Path,
) -> None:
    imported = import_path(write(tmp_path, page(CLEAN)))
    assert imported.data["三公经费"] == {
        "合计": {"本年预算数": "12.5"},
        "因公出国（境）费": {"本年预算数": "0"},
        "公务用车购置及运行维护费": {"本年预算数": "8"},
        "公务用车购置费": {"本年预算数": "3"},
        "公务用车运行维护费": {"本年预算数": "5"},
        "公务接待费": {"本年预算数": "4.5"},
    }
    assert "未识别" not in imported.data
    located = imported.source.located
    # lines 1-3 are the caption, 4-12 the header, 13-18 the figures in the header's order
    assert located[("三公经费", "合计", "本年预算数")].line == 13
    assert located[("三公经费", "公务用车购置及运行维护费", "本年预算数")].line == 15
    assert located[("三公经费", "公务接待费", "本年预算数")].line == 18


def test_the_clean_table_gives_no_finding_and_a_wrong_total_is_found_at_its_cell(
    tmp_path: Path,
) -> None:
    checker = Checker(diagnose=False)
    clean = checker.check_path(write(tmp_path, page(CLEAN)))
    assert clean.findings == []
    assert clean.coverage is not None
    assert (clean.coverage.figures, clean.coverage.checked) == (6, 6)
    wrong = checker.check_path(write(tmp_path, page(["13.5", *CLEAN[1:]])))
    found = [(f.rule_id, f.line, f.column) for f in wrong.findings]
    assert found == [("EC501", 13, 1)]
    assert "13.5" in wrong.findings[0].message
    parts = checker.check_path(write(tmp_path, page(["12.5", "0", "8", "3", "6", "4.5"])))
    assert [(f.rule_id, f.line) for f in parts.findings] == [("EC503", 15)]


def test_a_final_account_caption_reads_the_final_account_column(tmp_path: Path) -> None:
    title = "二、2023年一般公共预算“三公”经费支出决算表"
    data = import_path(write(tmp_path, page(CLEAN, title))).data
    assert data["三公经费"]["合计"] == {"本年决算数": "12.5"}


def test_a_caption_that_does_not_say_budget_or_final_account_is_refused(tmp_path: Path) -> None:
    data = import_path(write(tmp_path, page(CLEAN, "二、2024年“三公”经费汇总情况表"))).data
    assert "三公经费" not in data
    reasons = [u["原因"] for u in data["未识别"]]
    assert reasons[0].endswith("表题未说明是预算数还是决算数；表中 6 个数字未读取")
    result = Checker(diagnose=False).check_path(write(tmp_path, page(CLEAN, "二、汇总表")))
    assert [f.rule_id for f in result.findings] == ["EC001"]


def test_a_figure_row_short_of_the_header_is_refused_not_guessed(tmp_path: Path) -> None:
    # five figures under six columns: which one is missing cannot be told
    data = import_path(write(tmp_path, page(["12.5", "0", "3", "5", "4.5"]))).data
    assert "三公经费" not in data
    reason = data["未识别"][0]["原因"]
    assert "表头有 6 栏，数字行有 5 个数字，无法确定各数字所属的栏目" in reason
    blank = import_path(write(tmp_path, page(["12.5", "0", "8", "", "5", "4.5"]))).data
    assert "三公经费" not in blank


def test_the_same_table_as_pipe_rows_and_a_single_level_header(tmp_path: Path) -> None:
    text = (
        "某单位2024年“三公”经费预算表\n"
        "合计 | 因公出国（境）费 | 公务用车购置及运行维护费 | 公务接待费 |\n"
        "9 | 1 | 6 | 2 |\n"
    )
    data = import_path(write(tmp_path, text)).data
    assert data["三公经费"] == {
        "合计": {"本年预算数": "9"},
        "因公出国（境）费": {"本年预算数": "1"},
        "公务用车购置及运行维护费": {"本年预算数": "6"},
        "公务接待费": {"本年预算数": "2"},
    }


def test_a_row_of_item_names_with_text_under_it_is_not_a_table_across(tmp_path: Path) -> None:
    text = (
        "某单位2024年“三公”经费预算表\n合计 | 因公出国（境）费 | 公务接待费 |\n说明 | 无 | 无 |\n"
    )
    data = import_path(write(tmp_path, text)).data
    assert "三公经费" not in data
    assert "数字行中有空白或文字" in data["未识别"][0]["原因"]


def test_a_caption_saying_both_budget_and_final_account_is_refused(tmp_path: Path) -> None:
    text = page(CLEAN).replace("某县某局“三公”经费情况", "某县某局2023年决算及2024年预算")
    data = import_path(write(tmp_path, text)).data
    assert "三公经费" not in data
    assert "表题未说明是预算数还是决算数" in data["未识别"][0]["原因"]


def test_rows_padded_to_different_widths_are_not_taken_for_a_table(tmp_path: Path) -> None:
    # the bar lines close rows of 6 and 5 cells: the padding does not give one width
    text = page(CLEAN).replace("|||\n", "||\n", 1)
    data = import_path(write(tmp_path, text)).data
    assert "三公经费" not in data


# --- rows labelled with their years, one cell per line between bare bars (a county's 对比情况) ---

LABELLED_HEADER = ["年度", "合计", "因公出国(境)经费", "公务接待费", "公车购置及运行维护费"]
LABELLED_HEADER += ["合计", "车辆购置", "车辆运行"]
LAST = ["2015年", "310", "20", "150", "140", "40", "100"]  # 310 = 20 + 150 + 140; 140 = 40 + 100
THIS = ["2016年", "256", "6", "142", "108", "18", "90"]  # 256 = 6 + 142 + 108; 108 = 18 + 90
CHANGE = ["2016年比2015年增减%", "-17.42", "-70.00", "-5.33", "-22.86", "-55.00", "-10.00"]


def labelled_page(
    this: list[str] = THIS,
    caption: str = "2016年决算数与2015年决算数对比情况",
    title: str = "某区2016年“三公”经费决算情况",
) -> str:
    cells = [*LABELLED_HEADER, *LAST, *this, *CHANGE]
    lines = [title, caption]
    for cell in cells:
        lines += [cell, "|"]
    return "\n".join(lines) + "\n"


def test_rows_labelled_with_years_are_read_under_last_and_this_year(tmp_path: Path) -> None:
    imported = import_path(write(tmp_path, labelled_page()))
    public = imported.data["三公经费"]
    assert public["合计"] == {"上年决算数": "310", "本年决算数": "256"}
    assert public["公务用车购置及运行维护费"] == {"上年决算数": "140", "本年决算数": "108"}
    assert public["公务用车购置费"] == {"上年决算数": "40", "本年决算数": "18"}
    assert public["公务接待费"] == {"上年决算数": "150", "本年决算数": "142"}
    # the change row is no column of the statement: its six figures are listed, not dropped
    unread = [u["内容"] for u in imported.data["未识别"]]
    assert unread == CHANGE[1:]
    located = imported.source.located
    # caption 1-2; header cells on lines 3, 5 … 17; 2015年 on 19; 2016年 on 33, its 合计 on 35
    assert located[("三公经费", "合计", "本年决算数")].line == 35
    assert located[("三公经费", "公务用车运行维护费", "上年决算数")].line == 31


def test_the_labelled_table_is_clean_and_a_wrong_part_is_found(tmp_path: Path) -> None:
    checker = Checker(diagnose=False)
    clean = checker.check_path(write(tmp_path, labelled_page()))
    assert [f.rule_id for f in clean.findings] == []
    assert clean.coverage is not None and clean.coverage.checked == clean.coverage.figures == 12
    wrong = ["2016年", "256", "6", "142", "108", "18", "80"]  # 18 + 80 = 98, not 108
    found = checker.check_path(write(tmp_path, labelled_page(wrong)))
    assert [(f.rule_id, f.line) for f in found.findings] == [("EC503", 41)]
    assert "108" in found.findings[0].message


def test_a_labelled_table_whose_caption_does_not_say_the_column_is_not_read(
    tmp_path: Path,
) -> None:
    page = labelled_page(caption="2016年与2015年对比情况", title="某区“三公”经费情况")
    data = import_path(write(tmp_path, page)).data
    assert "三公经费" not in data
    assert "行“2015年”与表题未说明是哪一年的预算数或决算数" in data["未识别"][0]["原因"]
    result = Checker(diagnose=False).check_path(write(tmp_path, page))
    assert [f.rule_id for f in result.findings] == ["EC001"]


def test_labelled_rows_need_every_row_to_be_a_label_and_its_figures(tmp_path: Path) -> None:
    broken = ["2016年", "256", "6", "见说明", "108", "18", "90"]  # a word among the figures
    data = import_path(write(tmp_path, labelled_page(broken))).data
    assert "三公经费" not in data


def test_the_labelled_table_as_a_web_page_with_merged_header_cells(tmp_path: Path) -> None:
    rows = [
        '<tr><td rowspan="2">年度</td><td rowspan="2">合计</td><td rowspan="2">因公出国(境)经费</td>'
        '<td rowspan="2">公务接待费</td><td colspan="3">公车购置及运行维护费</td></tr>',
        "<tr><td>合计</td><td>车辆购置</td><td>车辆运行</td></tr>",
        *["<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in (LAST, THIS)],
    ]
    page = (
        "<html><body><p>某区2016年“三公”经费决算情况</p><p>2016年决算数与2015年决算数对比情况</p>"
        f"<table>{''.join(rows)}</table></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    public = import_path(path).data["三公经费"]
    assert public["公务用车购置及运行维护费"] == {"上年决算数": "140", "本年决算数": "108"}
    assert public["公务用车运行维护费"] == {"上年决算数": "100", "本年决算数": "90"}
    assert Checker(diagnose=False).check_path(path).findings == []


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_the_labelled_table_in_word_and_excel_with_merged_cells(
    tmp_path: Path, suffix: str
) -> None:
    rows = [
        [*LABELLED_HEADER[:5], "", ""],
        ["", "", "", "", "合计", "车辆购置", "车辆运行"],
        LAST,
        ["2016年", "256", "6", "142", "108", "18", "80"],  # 18 + 80 = 98, not 108
    ]
    merges = [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2), (0, 3, 1, 3), (0, 4, 0, 6)]
    caption = ["某区2016年“三公”经费决算情况", "2016年决算数与2015年决算数对比情况"]
    grid = Grid("三公", rows, merges, before=caption)
    path = tmp_path / f"page{suffix}"
    (write_docx if suffix == ".docx" else write_xlsx)([grid], path)
    public = import_path(path).data["三公经费"]
    assert public["公务用车运行维护费"] == {"上年决算数": "100", "本年决算数": "80"}
    found = Checker(diagnose=False).check_path(path).findings
    assert [(f.rule_id, f.path) for f in found] == [
        ("EC503", "三公经费.公务用车购置及运行维护费.本年决算数")
    ]
