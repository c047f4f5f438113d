"""Every text shape of LAYOUTS.md: one report rendered into each shape reads back to the same
report and the same findings, each at a place of its own file; the awkward cases (short rows,
empty-cell runs, headers and figures broken over lines, two tables, a table after 附件3),
template text, characters read as meant, and what cannot be read is said."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from layouts import SHAPES, write_shape

from evalcheck.report.assemble import import_path
from evalcheck.report.model import Report
from evalcheck.runner.checker import Checker

ROOT = Path(__file__).parents[1]
SAMPLES = ["shaoyang-beita-2023.json", "zhanjiang-2024.json"]
# shapes that put cell texts on one line of single spaces: compare texts space-insensitively
LOOSE = {"space-aligned", "flattened"}


def sample(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (ROOT / "samples" / name).read_text("utf-8"), parse_float=str, parse_int=str
    )
    data.pop("$schema")
    return data


def findings(path: Path) -> list[tuple[str, str, str, str]]:
    result = Checker().check_path(path)
    assert result.error is None, result.error
    return sorted((f.rule_id, f.severity, f.path, f.message) for f in result.findings)


def squeeze(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: squeeze(v) for k, v in value.items()}
    if isinstance(value, list):
        return [squeeze(v) for v in value]
    return re.sub(r"\s+", "", value) if isinstance(value, str) else value


def model(data: dict[str, Any]) -> dict[str, Any]:
    dumped: dict[str, Any] = Report.model_validate(data).model_dump()
    return dumped


def write(tmp_path: Path, text: str, name: str = "report.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("name", SAMPLES, ids=["beita", "zhanjiang"])
def test_every_shape_reads_back_to_the_same_report_and_findings(
    name: str, shape: str, tmp_path: Path
) -> None:
    path = write_shape(sample(name), shape, tmp_path / f"{shape}.txt")
    imported = import_path(path).data
    assert "未识别" not in imported
    expected = model(sample(name))
    got = model(imported)
    assert (squeeze(got) if shape in LOOSE else got) == (
        squeeze(expected) if shape in LOOSE else expected
    )
    assert findings(path) == findings(ROOT / "samples" / name)


@pytest.mark.parametrize("shape", list(SHAPES))
def test_each_finding_points_into_its_own_file(shape: str, tmp_path: Path) -> None:
    path = write_shape(sample(SAMPLES[0]), shape, tmp_path / f"{shape}.txt")
    result = Checker().check_path(path)
    ec103 = next(f for f in result.findings if f.path == "预算执行.年初预算数")
    assert result.source is not None
    line = result.source.line_text(ec103.line)
    assert line[ec103.column - 1 :].startswith("262.78"), (shape, line)


def test_pipe_rows_with_short_rows_and_empty_cell_runs(tmp_path: Path) -> None:
    text = (
        "部门整体支出绩效自评报告\n"
        "经费控制情况 | 2022年决算数 | 2023年预算数 | 2023年决算数 |\n"
        "三公经费 | 3.00 | 2.50 | 2.40 |\n"
        "公务用车购置和维护经费 |\n"
        "公车购置 ||  | 1.00 |\n"
        "出国经费 | 0 |\n"
    )
    data = import_path(write(tmp_path, text)).data
    three = data["经费控制情况"]["三公经费"]
    assert three["本年决算数"] == "2.40"
    assert three["公务用车购置及运行维护费"]["公车购置"] == {"本年决算数": "1.00"}
    assert three["出国经费"] == {"上年决算数": "0"}


def test_space_aligned_header_and_figure_broken_over_lines(tmp_path: Path) -> None:
    text = (
        "部门整体支出绩效自评报告\n"
        "一级指标        二级指标    三级指标      年度      实际      分值  得分\n"
        "                                          指标值    完成值\n"
        "产出指标(20分)  数量指标    培训人次      ≥95.      95.       10    10\n"
        "                                          10%       10%\n"
        "                            宣传次数      ≥5        5         10    10\n"
    )
    data = import_path(write(tmp_path, text)).data
    rows = data["绩效指标"][0]["指标"]
    assert data["绩效指标"][0]["分值"] == "20"
    assert [(r["三级指标"], r["年度指标值"], r["实际完成值"]) for r in rows] == [
        ("培训人次", "≥95.10%", "95.10%"),
        ("宣传次数", "≥5", "5"),
    ]


def test_two_tables_on_one_page_and_a_table_after_annex_3(tmp_path: Path) -> None:
    text = (
        "部门整体支出绩效自评报告\n"
        "一、基本情况\n"
        "本单位编制数10人。\n"
        "附件3：\n"
        "“三公”经费情况说明：2023年“三公”经费预算12.30万元，比上年减少1.20万元。\n"
        "| 项目 | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n"
        "|---|---|---|---|---|---|---|\n"
        "| 年度资金总额 | 100.00 | 120.00 | 108.00 | 10 | 90.00% | 9.00 |\n"
        "\n"
        "| 一级指标 | 二级指标 | 三级指标 | 指标分值 | 得分 |\n"
        "|---|---|---|---|---|\n"
        "| 产出指标（10分） | 数量指标 | 培训人次 | 10 | 10 |\n"
    )
    data = import_path(write(tmp_path, text)).data
    assert data["预算执行"]["执行率"] == "90.00%"
    assert data["绩效指标"][0]["指标"][0]["分值"] == "10"
    annex = next(s for s in data["正文"] if s.get("标题") == "附件3：")
    assert "12.30万元" in annex["内容"]


def test_template_instructions_are_never_figures(tmp_path: Path) -> None:
    text = (
        "部门整体支出绩效自评报告\n"
        "填报单位: 单位:万元\n"
        "一、预算执行情况\n"
        "预算执行率未达到90%的需说明原因。本年全年执行数108万元。\n"
        "项目 | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 | 说明 |\n"
        "年度资金总额 | 100.00 | 120.00 | 108.00 | 10 | 占 % | 9.00 | （100字以内） |\n"
    )
    data = import_path(write(tmp_path, text)).data
    assert "单位名称" not in data
    assert "执行率" not in data["预算执行"]
    statements = Checker().check_path(write(tmp_path, text)).findings
    assert not any("90" in f.message for f in statements)
    unread = data["未识别"]
    assert unread == [
        {"位置": "6:42", "内容": "占 %", "原因": "填报说明（模板文字），不作数字读取"}
    ]


def test_characters_read_as_meant_and_noted(tmp_path: Path) -> None:
    text = (
        "部⻔整体⽀出绩效⾃评报告\n"
        "項目 | 年初預算數 | 全年預算數 | 全年執行數 | 分值 | 執行率 | 得分 |\n"
        "年度資金總額 | 1OO.00 | 12O.00 | 108.00 | IO | 90.00% | 9.00 |\n"
        "一、基本情况\n"
        "本年支出108万兀。\n"
    )
    data = import_path(write(tmp_path, text)).data
    assert data["预算执行"]["年初预算数"] == "100.00"
    assert data["预算执行"]["分值"] == "10"
    readings = {(r["原文"], r["读作"], r["原因"]) for r in data["读法"]}
    assert {("⻔", "门", "部首字符"), ("⽀", "支", "部首字符"), ("執", "执", "繁体字")} <= readings
    assert ("万兀", "万元", "疑似识别错误") in readings
    assert ("1OO.00", "100.00", "疑似识别错误") in readings


def test_figures_no_column_claims_are_listed_not_dropped(tmp_path: Path) -> None:
    text = (
        "部门整体支出绩效自评报告\n"
        "项目 | 编制数 | 实际在职人数 | 备注 |\n"
        "财政供养人员 | 19 | 18 | 3 |\n"
        "\n"
        "序号 | 事项 |\n"
        "1 | 购置电脑 |\n"
    )
    data = import_path(write(tmp_path, text)).data
    assert data["人员编制"] == {"编制数": "19", "实际在职人数": "18"}
    assert data["未识别"][0] == {
        "位置": "3:20",
        "内容": "3",
        "原因": "表中此数字未能对应到报告项目",
    }
    assert data["未识别"][1]["原因"].startswith("无法识别表2（首行：序号、事项）")
    assert data["未识别"][1]["原因"].endswith("表中 1 个数字未读取")


def test_nothing_recognised_fails_with_what_was_seen(tmp_path: Path) -> None:
    """Issue 11: a finding that fails the run (EC001), at the first table seen, with why."""
    tables = "序号 | 事项 |\n1 | 购置电脑 |\n\n名称 | 数量 |\n桌子 | 2 |\n"
    result = Checker().check_path(write(tmp_path, "工作总结\n" + tables))
    assert result.error is None
    (finding,) = result.findings
    assert finding.rule_id == "EC001" and finding.severity == "error"
    assert finding.message.startswith("文件中的 2 个表格一个也没有识别出来：无法识别表1")
    assert (finding.line, finding.column) == (2, 1)
    prose = Checker().check_path(write(tmp_path, "工作总结\n今年工作顺利。\n", "prose.txt"))
    assert [f.rule_id for f in prose.findings] == ["EC001"]
    assert prose.findings[0].message.startswith("没有读到任何数字")


def test_run_together_and_overlong_flattened_rows_are_said(tmp_path: Path) -> None:
    text = (
        "部门整体支出绩效自评报告\n"
        "序号 一级指标 二级指标 三级指标 分值 得分 1 产出指标 数量指标 人次 10 10 9 8 "
        "2 产出指标 数量指标 次数 5 5\n"
    )
    data = import_path(write(tmp_path, text)).data
    assert data["未识别"][0]["原因"] == "此行有 7 个单元格，多于表头的 5 栏，无法确定各栏"


def test_a_table_kind_is_a_table_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from evalcheck.report import kinds as tables

    columns = ("年初预算数", "全年执行数")
    kind = tables.Kind("简表", frozenset(columns), ("简表",), columns, ((r"^合计", ("合计",)),))
    monkeypatch.setattr(tables, "KINDS", [*tables.KINDS, kind])
    text = "部门整体支出绩效自评报告\n项目 | 年初预算数 | 全年执行数 |\n合计 | 12.30 | 11.00 |\n"
    data = import_path(write(tmp_path, text)).data
    assert data["简表"] == {"合计": {"年初预算数": "12.30", "全年执行数": "11.00"}}


def test_csv_file_and_markdown_file(tmp_path: Path) -> None:
    text = '项目,年初预算数,全年预算数,全年执行数,分值,执行率,得分\n年度资金总额,"1,000.00",1200,1080,10,90%,9\n'
    data = import_path(write(tmp_path, text, "report.csv")).data
    assert data["预算执行"]["年初预算数"] == "1,000.00"
    result = Checker().check_path(write(tmp_path, text, "report.csv"))
    assert result.error is None


def test_import_command_writes_what_was_not_understood(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from evalcheck.cli import cli

    text = "部门整体支出绩效自评报告\n项目 | 编制数 | 实际在职人数 | 备注 |\n财政供养人员 | 19 | 18 | 3 |\n"
    out = CliRunner().invoke(cli, ["import", str(write(tmp_path, text))])
    assert out.exit_code == 0
    assert json.loads(out.output)["未识别"] == [
        {"位置": "3:20", "内容": "3", "原因": "表中此数字未能对应到报告项目"}
    ]


def test_run_together_cells_are_said_not_guessed(tmp_path: Path) -> None:
    text = (
        "部门整体支出绩效自评报告\n"
        "一、预算执行情况\n"
        "本年全年执行数64.8万元，执行率100%。\n"
        "年度资金总额年初预算数全年预算数全年执行数执行率64.864.864.8100%\n"
        "2、预算执行率10一100%9财务管理制度有效性7一财务制度健全7实施绩效监控2一持续有效2\n"
    )
    data = import_path(write(tmp_path, text)).data
    reasons = [(u["位置"], u["原因"]) for u in data["未识别"]]
    assert reasons == [
        ("4:1", "单元格连在一起，无法可靠拆分，此行未读取"),
        ("5:1", "单元格连在一起，无法可靠拆分，此行未读取"),
    ]
    assert data["正文"][0]["内容"] == "本年全年执行数64.8万元，执行率100%。"
