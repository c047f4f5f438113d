"""Pipe rows whose cells are broken over lines (issue 15, docs/layouts.md page 003): the header's
column names on lines of their own, a 序号 column first, rows short of the cells a rowspan
covered padded at their end, and a last row the text cuts off.  Lines are joined into rows as
wide as the table; a row keeps its 序号 where it is while its other cells move under their
columns; a cut row is not read and marks the table incomplete.  Figures made up."""

from __future__ import annotations

from pathlib import Path

from evalcheck.report.assemble import import_path
from evalcheck.runner.checker import Checker

TABLE = """2024年度部门整体支出绩效评价自评表
单位 | |||||||
序号 | 一级 指标 |
二级 指标 |
三级 指标 |
指标分值 | 指标解释 | 评分标准 | 自评得分 |
1 | 决策 (10分) |
资料 (4分) | 资料 完整性 | 4 | 资料是否齐全。 | 齐全得4分 |
4 |
2 | 计划 (6分) | 计划 完整性 | 3 | 计划是否完整。 | 完整得3分 | 3 | |
3 | 计划 明确性 | 3 | 计划是否明确。 | 明确得3分 | 3 | ||
4 | 管理 (90分) |
制度 (90分) | 制度 健全性 | 90 | 制度是否健全。 | 健全得90分 |
90 |
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "page.txt"
    path.write_text(text, "utf-8")
    return path


def rows(data: dict) -> list[tuple[str, str, str, str, str]]:  # type: ignore[type-arg]
    return [
        (g["一级指标"], r["二级指标"], r["三级指标"], r["分值"], r["得分"])
        for g in data["绩效指标"]
        for r in g["指标"]
    ]


def test_lines_are_joined_into_rows_and_the_row_numbers_stay_out_of_the_columns(
    tmp_path: Path,
) -> None:
    imported = import_path(write(tmp_path, TABLE))
    data = imported.data
    assert rows(data) == [
        ("决策", "资料 (4分)", "资料 完整性", "4", "4"),
        ("决策", "计划 (6分)", "计划 完整性", "3", "3"),
        ("决策", "计划 (6分)", "计划 明确性", "3", "3"),  # 一级 and 二级 covered by rowspans
        ("管理", "制度 (90分)", "制度 健全性", "90", "90"),
    ]
    assert [g["分值"] for g in data["绩效指标"]] == ["10", "90"]
    assert "未识别" not in data  # the 序号 figures are not listed as unplaced
    assert "表格不完整" not in data
    located = imported.source.located
    assert located[("绩效指标", 0, "指标", 2, "分值")].line == 11
    assert located[("绩效指标", 1, "指标", 0, "得分")].line == 14


def test_the_clean_table_gives_no_finding_and_a_wrong_point_is_found_at_its_heading(
    tmp_path: Path,
) -> None:
    checker = Checker(diagnose=False)
    clean = checker.check_path(write(tmp_path, TABLE))
    assert clean.findings == []
    assert clean.coverage is not None and clean.coverage.figures == 10
    wrong = TABLE.replace("| 计划 明确性 | 3 |", "| 计划 明确性 | 2 |")
    found = checker.check_path(write(tmp_path, wrong)).findings
    # 得分 3 above 分值 2 on its row; 决策 (10分) over 4 + 3 + 2; 99 points in all (EC303 at the
    # first 分值 it added)
    assert sorted((f.rule_id, f.line) for f in found) == [("EC301", 11), ("EC302", 7), ("EC303", 8)]
    ec302 = next(f for f in found if f.rule_id == "EC302")
    assert "决策" in ec302.message


def test_a_row_cut_off_by_the_end_of_the_text_is_not_read_and_the_table_is_incomplete(
    tmp_path: Path,
) -> None:
    cut = TABLE.removesuffix("90 |\n")
    data = import_path(write(tmp_path, cut)).data
    assert [r[2] for r in rows(data)] == ["资料 完整性", "计划 完整性", "计划 明确性"]
    assert data["未识别"][0]["原因"] == "此行不完整（文本在行中结束），未读取"
    assert data["未识别"][0]["位置"] == "12:1"
    assert data["表格不完整"].startswith("文本在12:1处中断")
    # the points of the rows printed (10 of 100) are not taken for the table's whole
    assert Checker(diagnose=False).check_path(write(tmp_path, cut)).findings == []


def test_lines_that_do_not_join_into_rows_of_one_width_stay_rows_of_their_own(
    tmp_path: Path,
) -> None:
    # the second row overshoots the width: nothing is joined, no header, the table is refused
    text = TABLE.replace("4 |\n2 | 计划", "4 | 5 |\n2 | 计划", 1)
    data = import_path(write(tmp_path, text)).data
    assert "绩效指标" not in data
    result = Checker(diagnose=False).check_path(write(tmp_path, text))
    assert [f.rule_id for f in result.findings] == ["EC001"]
