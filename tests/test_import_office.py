"""Word and Excel renderings of the samples import back to the same report and findings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from office import Grid, Variant, blocks, write_docx, write_xlsx

from evalcheck.inputs.source import LoadError
from evalcheck.report.assemble import ImportedSource, import_path
from evalcheck.report.model import Report
from evalcheck.runner.checker import Checker

ROOT = Path(__file__).parents[1]
SAMPLES = ["shaoyang-beita-2023.json", "zhanjiang-2024.json"]
VARIANTS = {
    "plain": Variant(),
    "variants": Variant(
        points="权重",
        reason="未完成原因分析",
        halfwidth=True,
        blank_rows=True,
        blank_column=True,
        heading_style=False,
    ),
}


def sample(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (ROOT / "samples" / name).read_text("utf-8"), parse_float=str, parse_int=str
    )
    data.pop("$schema")
    return data


def render(name: str, kind: str, variant: Variant, folder: Path) -> Path:
    items = blocks(sample(name), variant)
    path = folder / f"{Path(name).stem}.{kind}"
    return write_docx(items, path, variant) if kind == "docx" else write_xlsx(items, path)


def findings(path: Path) -> list[tuple[str, str, str, str]]:
    result = Checker().check_path(path)
    assert result.error is None, result.error
    return sorted((f.rule_id, f.severity, f.path, f.message) for f in result.findings)


@pytest.mark.parametrize("variant", VARIANTS, ids=list(VARIANTS))
@pytest.mark.parametrize("kind", ["docx", "xlsx"])
@pytest.mark.parametrize("name", SAMPLES, ids=["beita", "zhanjiang"])
def test_rendering_round_trip(name: str, kind: str, variant: str, tmp_path: Path) -> None:
    path = render(name, kind, VARIANTS[variant], tmp_path)
    imported = import_path(path).data
    assert (
        Report.model_validate(imported).model_dump()
        == Report.model_validate(sample(name)).model_dump()
    )
    assert findings(path) == findings(ROOT / "samples" / name)


def test_docx_positions_name_table_row_and_column(tmp_path: Path) -> None:
    path = render(SAMPLES[0], "docx", Variant(), tmp_path)
    imported = import_path(path)
    source = imported.source
    assert isinstance(source, ImportedSource)
    origin = imported.origins[("预算执行", "年初预算数")]
    assert origin.description == "表2 第3行 第3列"
    assert source.line_text(origin.line).split("\t")[2] == "262.78"
    assert source.line_text(origin.line)[origin.column - 1 :].startswith("262.78")
    # the merged 一级指标 cell names every row it covers; its figure is where the cell is
    group = imported.origins[("绩效指标", 0, "分值")]
    assert group.description == "表2 第12行 第2列"
    heading = imported.origins[("正文", 1, "标题")]
    assert heading.description.startswith("第") and heading.description.endswith("段")


def test_xlsx_positions_name_sheet_and_cell(tmp_path: Path) -> None:
    path = render(SAMPLES[0], "xlsx", Variant(), tmp_path)
    imported = import_path(path)
    assert (
        imported.origins[("预算执行", "年初预算数")].description == "附件1-2!C5"
    )  # rows: 附件1-2, title, 预算单位名称, header, 年度资金总额
    assert imported.origins[("总分", "得分")].description.startswith("附件1-2!H")
    result = Checker().check_path(path)
    ec103 = next(f for f in result.findings if f.rule_id == "EC103")
    assert result.source is not None
    assert result.source.line_text(ec103.line).split("\t")[2] == "262.78"
    assert ec103.origin == "附件1-2!C5"
    assert ec103.to_dict()["origin"] == "附件1-2!C5"


def test_text_output_names_the_cell_and_quotes_the_row(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from evalcheck.cli import cli

    path = render(SAMPLES[0], "xlsx", Variant(), tmp_path)
    result = CliRunner().invoke(cli, ["--no-color", "--select", "EC103", str(path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "错误[EC103]: 年初预算数应等于基本支出与项目支出年初预算之和"
    assert lines[1].strip() == f"--> {path}:附件1-2!C5"  # the cell, not a line of a rendering
    assert any("262.78" in line and "586.88" in line for line in lines[2:6])  # the row quoted


def test_xlsx_numbers_keep_their_printed_decimals(tmp_path: Path) -> None:
    import openpyxl

    items = blocks(sample(SAMPLES[0]))
    path = write_xlsx(items, tmp_path / "numbers.xlsx")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["附件1-2"]
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == "10.00":
                cell.value, cell.number_format = 10, "0.00"
            elif cell.value == "100.00%":
                cell.value, cell.number_format = 1, "0.00%"
            elif cell.value == "262.78":
                cell.value = 262.78
    workbook.save(path)
    execution = import_path(path).data["预算执行"]
    assert (execution["得分"], execution["执行率"], execution["年初预算数"]) == (
        "10.00",
        "100.00%",
        "262.78",
    )


def test_merged_cells_resolved_in_word(tmp_path: Path) -> None:
    grid = Grid(
        "t",
        [
            ["一级指标", "二级指标", "三级指标", "分值", "得分"],
            ["产出指标（10分）", "数量指标", "甲", "6", "6"],
            ["", "", "乙", "4", "3"],
            ["总分", "", "", "10", "9"],
        ],
        merges=[(1, 0, 2, 0), (1, 1, 2, 1), (3, 0, 3, 2)],
    )
    path = write_docx(["部门整体支出绩效自评报告", grid], tmp_path / "merged.docx")
    data = import_path(path).data
    rows = data["绩效指标"][0]["指标"]
    assert [(r["二级指标"], r["三级指标"], r["得分"]) for r in rows] == [
        ("数量指标", "甲", "6"),
        ("数量指标", "乙", "3"),
    ]
    assert data["总分"] == {"分值": "10", "得分": "9"}


def test_header_variants(tmp_path: Path) -> None:
    grid = Grid(
        "t",
        [
            [
                "一级 指标",
                "二级\n指标",
                "三级指标",
                "年度目标值",
                "实际值",
                "权重(分)",
                "自评得分",
                "未完成原因分析",
            ],
            ["效益指标(10分)", "社会效益指标", "满意度", "≥90%", "85%", "10", "8", "宣传不足"],
        ],
    )
    path = write_xlsx(["部门整体支出绩效自评报告", grid], tmp_path / "variants.xlsx")
    row = import_path(path).data["绩效指标"][0]["指标"][0]
    assert row == {
        "二级指标": "社会效益指标",
        "三级指标": "满意度",
        "年度指标值": "≥90%",
        "实际完成值": "85%",
        "分值": "10",
        "得分": "8",
        "偏差原因分析及改进措施": "宣传不足",
    }


def test_unrecognised_word_table(tmp_path: Path) -> None:
    grid = Grid("t", [["序号", "事项"], ["1", "购置电脑"]])
    path = write_docx(["部门整体支出绩效自评报告", "一、基本情况", grid], tmp_path / "odd.docx")
    unread, none = import_path(path).data["未识别"]
    assert unread["原因"].startswith("无法识别表1（首行：序号、事项）")
    assert none["原因"] == "没有识别出任何表格（共 1 个表格）"
    (finding,) = Checker().check_path(path).findings  # nothing else read: EC001 fails the run
    assert finding.rule_id == "EC001" and "无法识别表1（首行：序号、事项）" in finding.message
    assert finding.line == 3


def test_broken_office_files(tmp_path: Path) -> None:
    for suffix in (".docx", ".xlsx"):
        path = tmp_path / f"broken{suffix}"
        path.write_bytes(b"not a zip file")
        with pytest.raises(LoadError, match="不是有效的"):
            import_path(path)


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_every_format_names_the_cell_not_a_rendering_line(kind: str, tmp_path: Path) -> None:
    """Issue 11: concise, github, gitlab, sarif and junit point at 附件1-2!C5 / 表2 第3行 第3列."""
    from click.testing import CliRunner

    from evalcheck.cli import cli

    path = render(SAMPLES[0], kind, Variant(), tmp_path)
    place = "附件1-2!C5" if kind == "xlsx" else "表2 第3行 第3列"

    def output(fmt: str) -> str:
        args = ["--no-color", "--exit-zero", "--select", "EC103", "--format", fmt, str(path)]
        return CliRunner().invoke(cli, args).stdout

    assert output("concise").startswith(f"{path}:{place}: 错误[EC103] ")
    github = output("github")
    assert f"::{place}：年初预算数" in github and "line=" not in github
    (issue,) = json.loads(output("gitlab"))
    assert issue["description"].startswith(f"{place}：") and issue["location"]["lines"] == {
        "begin": 1
    }
    junit = output("junit")
    assert f"{path.name}:{place}" in junit
    (result,) = json.loads(output("sarif"))["runs"][0]["results"]
    (location,) = result["locations"]
    assert "region" not in location["physicalLocation"]
    assert location["logicalLocations"] == [{"fullyQualifiedName": place}]
    assert json.loads(output("json"))["files"][0]["findings"][0]["origin"] == place
