"""Shapes met on real published pages that the readers once misread: a table between bare bars
whose page rows are marked by doubled bars, a 基础数据表 row of figures that lost its label
cell, and a row label the text moved into a money column.  Every fixture is made up (figures
and names invented) in the layout of LAYOUTS.md it names; each reading has a clean fixture
that must stay clean (no error, no warning)."""

from __future__ import annotations

from pathlib import Path

from evalcheck.report.assemble import import_path
from evalcheck.runner.checker import Checker


def write(tmp_path: Path, text: str, name: str = "page.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def loud(path: Path) -> list[tuple[str, str]]:
    """(rule, severity) of every error and warning the check raises; a load error fails."""
    result = Checker(diagnose=False).check_path(path)
    assert result.error is None, result.error
    return [(f.rule_id, f.severity) for f in result.findings if f.severity in ("error", "warning")]


# --- 4. cells between bare bars, each page row opened and closed by a bar -------------------


def doubled_bars(rows: list[list[str]]) -> str:
    """Each row as ``|`` cell ``|`` cell … ``|``: a bar at both ends of a page row, so two bars
    follow each other between rows (a web table copied cell per line)."""
    out: list[str] = []
    for row in rows:
        out.append("|")
        for cell in row:
            out += [cell, "|"]
    return "\n".join(out)


PUBLIC_ROWS = [
    ["项 目", "预 算 数"],
    ["合 计", "9.6"],
    ["因公出国(境)费", "0.00"],
    ["公务接待费", "3.10"],
    ["公务用车购置及运行费", "6.50"],
    ["其中:公务用车运行费", "6.50"],
    ["公务用车购置费", "0.00"],
]
PUBLIC_PROSE = (
    "二、2025年“三公”经费支出预算情况说明\n"
    "某县档案馆2025年度“三公”经费支出预算为9.6万元，比2024年预算减少0.4万元，下降4%。"
    "其中：因公出国(境)费支出预算为0万元，公务接待费支出预算为3.1万元，"
    "公务用车购置及运行费支出预算为6.5万元。\n"
)


def public_page(rows: list[list[str]] = PUBLIC_ROWS, prose: str = PUBLIC_PROSE) -> str:
    return "某县档案馆2025年“三公”经费预算\n一、2025年“三公”经费支出预算表\n" + (
        doubled_bars(rows) + "\n" + prose
    )


def test_doubled_bars_mark_the_rows_and_the_text_after_the_table_stays_text(
    tmp_path: Path,
) -> None:
    data = import_path(write(tmp_path, public_page())).data
    lines = data["三公经费"]
    assert lines["合计"] == {"本年预算数": "9.6"}
    assert lines["公务接待费"] == {"本年预算数": "3.10"}
    assert lines["公务用车购置及运行维护费"] == {"本年预算数": "6.50"}
    assert lines["公务用车运行维护费"] == {"本年预算数": "6.50"}
    assert lines["公务用车购置费"] == {"本年预算数": "0.00"}
    # the heading after the last bar is the 正文's, not a cell of the table's last row
    assert data["正文"][-1]["标题"] == "二、2025年“三公”经费支出预算情况说明"
    assert "未识别" not in data


def test_the_consistent_bar_table_is_clean(tmp_path: Path) -> None:
    assert loud(write(tmp_path, public_page())) == []


def test_a_wrong_total_in_the_bar_table_is_found_at_its_line(tmp_path: Path) -> None:
    rows = [list(r) for r in PUBLIC_ROWS]
    rows[1][1] = "9.8"  # 0 + 3.10 + 6.50 = 9.60
    path = write(tmp_path, public_page(rows, ""))
    result = Checker(diagnose=False).check_path(path)
    assert result.error is None
    errors = [f for f in result.findings if f.severity == "error"]
    assert [f.path for f in errors] == ["三公经费.合计.本年预算数"]
    assert errors[0].line == public_page(rows, "").split("\n").index("9.8") + 1


def test_doubled_bars_inside_rows_are_not_taken_for_row_ends(tmp_path: Path) -> None:
    """Doubled bars that do not fall between rows cut a piece wider than the header
    (项目 | 预算数 | 合计): the marks are then not rows, the header's width cuts them."""
    text = "\n|\n".join(["项目", "预算数", "合计", "|\n5", "公务接待费", "|\n5"])
    data = import_path(write(tmp_path, "某单位“三公”经费预算表\n" + text + "\n")).data
    assert data["三公经费"]["合计"] == {"本年预算数": "5"}
    assert data["三公经费"]["公务接待费"] == {"本年预算数": "5"}


# --- 4. cells between blank lines: a 基础数据表 row that lost its label ----------------------


def blank_cells(cells: list[str]) -> str:
    return "\n\n".join(cells) + "\n"


STAFF = ["财政供养人员情况(人", "编制数", "2025 年实际在职人数", "控制率", "32", "30", "93.75%"]
COSTS = [
    "经费控制情况(万元",
    "2024 年决算数",
    "2025 年预算数",
    "2025 年决算数",
    "三公经费:",
    "6.20",
    "5.00",
    "4.80",
    "1、公务用车购置和维护经费",
    "4.00",
    "3.50",
    "3.40",
    "2、出国经费",
    "0",
    "0",
    "0",
    "3、公务接待",
    "2.20",
    "1.50",
    "1.40",
]


def test_a_row_of_figures_only_is_placed_under_the_value_columns(tmp_path: Path) -> None:
    page = "2025年度部门整体支出绩效评价基础数据表\n\n" + blank_cells(STAFF + COSTS)
    data = import_path(write(tmp_path, page)).data
    assert data["人员编制"] == {"编制数": "32", "实际在职人数": "30", "编制控制率": "93.75%"}
    public = data["经费控制情况"]["三公经费"]
    assert (public["上年决算数"], public["本年预算数"], public["本年决算数"]) == (
        "6.20",
        "5.00",
        "4.80",
    )
    assert loud(write(tmp_path, page, "b.txt")) == []


def test_a_label_pushed_into_a_money_column_is_listed_not_fatal(tmp_path: Path) -> None:
    """One blank line too few before a label moves it into the row above: it is words, not an
    amount, so the row's figure is listed as not read and the rest of the report is checked."""
    tail = ["政府采购金额", "", "部门基本支出预算调整", "", ""]
    page = "2025年度部门整体支出绩效评价基础数据表\n\n" + blank_cells(STAFF + COSTS + tail)
    path = write(tmp_path, page)
    data = import_path(path).data
    unread = [u for u in data["未识别"] if u["内容"] == "部门基本支出预算调整"]
    assert unread and unread[0]["原因"].startswith("金额栏中是文字")
    result = Checker(diagnose=False).check_path(path)
    assert result.error is None
    assert result.coverage.figures > 0


# --- 5./6. a money table with cells apart by single spaces, a row per line -------------------

FUNDS = """项目支出绩效自评表
    项目名称 某县河道清淤项目
    项目资金
    (万元)
    年初预算数 全年预算数(A) 全年执行数(B) 分值 执行率(B/A) 得分
    年度资金总额: 60.00 60.00 54.00 10 90.00% 9
     其中:本年财政拨款 60.00 60.00 54.00 - 90.00% -
        上年结转资金 - - - - - -
    年度总体目标完成情况 预期目标 实际完成情况
     完成河道清淤12公里，清淤后河道行洪通畅。 全年支出54.00万元，完成年度目标。
"""


def test_single_spaced_rows_with_a_value_for_every_column_are_read(tmp_path: Path) -> None:
    data = import_path(write(tmp_path, FUNDS)).data
    execution = data["预算执行"]
    assert {k: execution[k] for k in ("年初预算数", "全年预算数", "全年执行数")} == {
        "年初预算数": "60.00",
        "全年预算数": "60.00",
        "全年执行数": "54.00",
    }
    assert (execution["分值"], execution["执行率"], execution["得分"]) == ("10", "90.00%", "9")
    assert execution["资金来源"]["本年财政拨款"]["全年执行数"] == "54.00"
    assert "未识别" not in data
    # the prose after the table stays prose
    assert any("完成河道清淤12公里" in p.get("内容", p.get("标题", "")) for p in data["正文"])


def test_the_consistent_single_spaced_table_is_clean(tmp_path: Path) -> None:
    assert loud(write(tmp_path, FUNDS)) == []


def test_a_single_spaced_row_that_lost_a_cell_is_listed_not_guessed(tmp_path: Path) -> None:
    """880 880 880 10 10 under six columns: which one is empty cannot be told."""
    text = FUNDS.replace("60.00 60.00 54.00 10 90.00% 9", "60.00 60.00 54.00 10 9")
    path = write(tmp_path, text)
    data = import_path(path).data
    assert "年初预算数" not in data.get("预算执行", {})
    unread = data["未识别"][0]
    assert unread["位置"] == "6:5"
    assert unread["原因"].startswith("以空格分隔的表格中此行有 5 个数值，表头有 6 栏")
    result = Checker(diagnose=False).check_path(path)
    assert result.error is None
    assert not [f for f in result.findings if f.path.startswith("预算执行.执行率")]


def test_nothing_read_but_rows_that_lost_cells_says_so(tmp_path: Path) -> None:
    text = "年初预算数 全年预算数 全年执行数 分值 执行率 得分\n年度资金总额: 8 8 8 10 10\n"
    result = Checker(diagnose=False).check_path(write(tmp_path, text))
    assert [f.rule_id for f in result.findings] == ["EC001"]
    assert result.findings[0].message.startswith(
        "没有读到任何数字：表格中的内容未能读取：“年度资金总额: 8 8 8 10 10”（以空格分隔的表格中"
    )


PUBLIC_SPACED = """某县图书馆“三公”经费决算情况表
单位：万元
项目 2024-决算数 2025-决算数
一、支出合计 8.40 {total}
1、因公出国(境)费用 0 0
2、公务接待费 2.40 2.10
3、公务用车购置及运行维护费 6.00 5.60
三、“三公”经费增减变化原因等说明
"""


def test_a_single_spaced_public_table_with_year_columns(tmp_path: Path) -> None:
    data = import_path(write(tmp_path, PUBLIC_SPACED.format(total="7.70"))).data
    lines = data["三公经费"]
    assert lines["合计"] == {"上年决算数": "8.40", "本年决算数": "7.70"}
    assert lines["公务用车购置及运行维护费"] == {"上年决算数": "6.00", "本年决算数": "5.60"}
    assert loud(write(tmp_path, PUBLIC_SPACED.format(total="7.70"), "b.txt")) == []
    wrong = write(tmp_path, PUBLIC_SPACED.format(total="7.90"), "c.txt")
    result = Checker(diagnose=False).check_path(wrong)
    errors = [(f.rule_id, f.path, f.line) for f in result.findings if f.severity == "error"]
    assert errors == [("EC501", "三公经费.合计.本年决算数", 4)]


def test_text_columns_are_not_read_from_single_spaces(tmp_path: Path) -> None:
    """一级指标 二级指标 三级指标 …: the words of one cell cannot be told from the next."""
    text = "一级指标 二级指标 三级指标 分值 得分\n产出指标 数量指标 培训人数 20 20\n"
    data = import_path(write(tmp_path, text)).data
    assert "绩效指标" not in data


def test_rows_with_one_value_under_two_year_columns_are_not_guessed(tmp_path: Path) -> None:
    """项目 2024-执行数 2025-预算数 with one figure per row (the other column left empty):
    which year each figure is of cannot be told, so the check fails and says why."""
    text = (
        "某县档案馆2025年度“三公”经费预算情况表\n    单位:元\n项目 2024-执行数 2025-预算数\n"
        "一、支出合计   52000\n1、公务接待费   12000\n2、公务用车费   40000\n"
    )
    path = write(tmp_path, text)
    data = import_path(path).data
    rows = [u["位置"] for u in data["未识别"] if u["原因"].startswith("以空格分隔")]
    assert rows == ["4:1", "5:1", "6:1"]
    assert "合计" not in data.get("三公经费", {})
    result = Checker(diagnose=False).check_path(path)
    failed = [f for f in result.findings if f.severity == "error"]
    assert failed and failed[0].rule_id in ("EC001", "EC003")
    assert "以空格分隔的表格中此行有 1 个数值，表头有 2 栏" in failed[0].message


# --- 3. a narrow table, one cell per line ending " |", empty cells as bare "|" lines ---------


def test_bare_bars_in_a_narrow_table_of_closed_cells_are_its_empty_cells(tmp_path: Path) -> None:
    cells = ["项 目", "预 算 数", "决 算 数", "合 计", "5", "3.20", "因公出国(境)费", "|", "|"]
    cells += ["公务接待费", "2", "1.20", "公务用车购置及运行维护费", "3", "2.00"]
    text = "某馆2023年“三公”经费支出决算表\n单位:万元\n" + "\n".join(
        c if c == "|" else c + " |" for c in cells
    )
    page = write(tmp_path, text + "\n")
    public = import_path(page).data["三公经费"]
    assert public["公务接待费"] == {"本年预算数": "2", "本年决算数": "1.20"}
    assert "本年预算数" not in public["因公出国（境）费"]  # its two cells are the empty ones
    assert loud(page) == []
    wrong = write(tmp_path, text.replace("2.00", "2.50") + "\n", "wrong.txt")
    assert loud(wrong) == [("EC502", "error")]  # 1.20 + 2.50 > 3.20 (因公出国 blank)


# --- 4. a key/value form: one field per line, its value on the next, blank lines between ---


def form_page(staff: str) -> str:
    cells = ["一、部门(单位)基本概况", "联系人", "张三", "联络电话", "1234567"]
    cells += ["人员编制", "30", "实有人数", staff, "年度主要", "工作内容"]
    cells += ["1.完成城市管理监督工作。2.做好平台维护。2.做好信息整理。"]
    return "某中心2023年度部门整体支出绩效评价自评报告\n\n" + "\n\n".join(cells) + "\n"


def test_a_key_value_form_is_read_as_its_fields(tmp_path: Path) -> None:
    page = write(tmp_path, form_page("28"))
    data = import_path(page).data
    assert data["人员编制"] == {"编制数": "30", "实际在职人数": "28"}
    result = Checker(diagnose=False).check_path(page)
    assert result.coverage.checked == 2
    # the form's text after its fields is still the report's: its list numbering is checked
    assert [(f.rule_id, f.severity) for f in result.findings if f.severity != "info"] == [
        ("EC429", "warning")
    ]


def test_a_key_value_form_over_its_establishment_is_caught(tmp_path: Path) -> None:
    page = write(tmp_path, form_page("32"))
    assert loud(page) == [("EC213", "warning"), ("EC429", "warning")]  # 32 in post for 30
