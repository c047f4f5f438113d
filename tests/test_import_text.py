"""Importing the seed texts: the hand-made samples come back field by field, findings point
at the text, and the narrative is checked against the tables."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from evalcheck.inputs.source import LoadError
from evalcheck.report.assemble import import_path
from evalcheck.report.model import Report
from evalcheck.report.narrative import with_statements
from evalcheck.runner.checker import Checker

ROOT = Path(__file__).parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
BEITA = SEEDS / "000_384c63691777f715.txt"
ZHANJIANG = SEEDS / "003_408d82924197efac.txt"
PAIRS = [(BEITA, "shaoyang-beita-2023.json"), (ZHANJIANG, "zhanjiang-2024.json")]

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="seed texts not available")


def sample(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (ROOT / "samples" / name).read_text("utf-8"), parse_float=Decimal, parse_int=Decimal
    )
    data.pop("$schema")
    return data


def leaves(tree: Any, path: str = "") -> dict[str, str]:
    """Every value as printed, by its key path: the field-by-field view of a report."""
    if isinstance(tree, dict):
        return {
            k: v for key, value in tree.items() for k, v in leaves(value, f"{path}.{key}").items()
        }
    if isinstance(tree, list):
        return {
            k: v for i, value in enumerate(tree) for k, v in leaves(value, f"{path}[{i}]").items()
        }
    return {path: str(tree)}


def findings(path: Path | str) -> list[tuple[str, str, str]]:
    result = Checker().check_path(path)
    assert result.error is None, result.error
    return sorted((f.rule_id, f.severity, f.path) for f in result.findings)


@pytest.mark.parametrize(("seed", "name"), PAIRS, ids=["beita", "zhanjiang"])
def test_seed_imports_to_the_sample_field_by_field(seed: Path, name: str) -> None:
    imported = import_path(seed).data
    expected = sample(name)
    assert leaves(imported) == leaves(expected)
    assert (
        Report.model_validate(imported).model_dump() == Report.model_validate(expected).model_dump()
    )


@pytest.mark.parametrize(("seed", "name"), PAIRS, ids=["beita", "zhanjiang"])
def test_seed_text_gives_the_findings_of_its_sample(seed: Path, name: str) -> None:
    assert findings(seed) == findings(ROOT / "samples" / name)


def test_beita_findings_point_at_the_text() -> None:
    result = Checker().check_path(BEITA)
    by_rule = {(f.rule_id, f.path): f for f in result.findings}
    ec103 = by_rule[("EC103", "预算执行.年初预算数")]
    assert ec103.severity == "error"
    assert (ec103.line, ec103.column) == (254, 2)  # the 年初预算数 cell of 年度资金总额
    assert result.source is not None and result.source.line_text(254) == "\t262.78"
    figures = {f.path: (f.line, f.value) for f in ec103.figures}
    assert figures["项目支出.年初预算"] == (33, "40.8")  # 本年项目支出年初预算安排为40.8万元
    assert [f.line for f in result.findings if f.rule_id == "EC308"] == [346, 380, 400, 473]
    assert sum(f.severity == "error" for f in result.findings) == 1


def test_zhanjiang_seed_is_clean() -> None:
    assert [f for f in findings(ZHANJIANG) if f[1] != "info"] == []


def test_narrative_disagreements_point_at_the_sentence(tmp_path: Path) -> None:
    text = BEITA.read_text("utf-8")
    text = text.replace("编制人数19人", "编制人数20人").replace(
        "公用经费支出282.95", "公用经费支出228.95"
    )
    changed = tmp_path / "beita.txt"
    changed.write_text(text, "utf-8")
    result = Checker().check_path(changed)
    found = {
        (f.rule_id, f.line, f.column): f
        for f in result.findings
        if f.rule_id.startswith("EC4") and f.severity != "info"
    }
    assert set(found) == {("EC401", 9, 1), ("EC414", 31, 82)}
    assert found[("EC401", 9, 1)].message == "正文所述编制数 20人 与表中 19 不一致"
    table_figure = next(f for f in found[("EC401", 9, 1)].figures if f.path == "人员编制.编制数")
    assert (table_figure.line, table_figure.value) == (92, "19")


def test_statements_of_the_beita_narrative() -> None:
    document = with_statements(import_path(BEITA).document)
    stated = document.data["正文数据"]
    listed = stated["语句"]
    # 27 figures of report fields, and the two counts whose lists the next sentences give
    assert len(listed) == 29 and sum("对应项目" in s for s in listed) == 27
    assert [(s["数值"], s["用于"]) for s in listed if "对应项目" not in s] == [
        ("8个", "计数[0]"),
        ("2个", "计数[1]"),
    ]
    assert [c["列举"] for c in stated["计数"]][1] == ["党员教育中心", "北塔区绩效事务中心"]
    assert stated["基本支出"]["人员经费"] == "303.93万元"
    # 实际支出586.88万元（基本支出586.88万元、项目支出0万元）: what each part spent (决算), not the
    # 全年预算数 split of 按支出性质分; the 基本支出 sentence that follows restates its 决算
    assert "按支出性质分" not in stated["预算执行"]
    assert (stated["基本支出"]["决算"], stated["项目支出"]["决算"]) == ("586.88万元", "0万元")
    assert stated["经费控制情况"]["三公经费"]["公务接待"] == {
        "本年预算数": "0.5万元",
        "本年决算数": "0万元",
    }
    # the two “决算数0万元” of one sentence land on their own places
    places = [document.source.position(("正文数据", "语句", i)) for i in (25, 27)]
    assert places == [(35, 64), (35, 85)]


def test_unmatched_figure_is_listed_not_dropped(tmp_path: Path) -> None:
    text = BEITA.read_text("utf-8").replace("无其他说明情况", "另有培训经费3.5万元。")
    changed = tmp_path / "beita.txt"
    changed.write_text(text, "utf-8")
    result = Checker().check_path(changed)
    unmatched = [f for f in result.findings if f.rule_id == "EC420"]
    assert len(unmatched) == 1 and unmatched[0].severity == "info"
    assert unmatched[0].line == 82
    assert "培训经费" in unmatched[0].message


def test_extra_blank_rows_and_columns_in_text(tmp_path: Path) -> None:
    lines = BEITA.read_text("utf-8").split("\n")
    # a blank row inside the indicator block and an empty cell appended to every table line
    at = lines.index("\t成本指标（15分）")
    lines[at - 1 : at - 1] = ["", "\t", "\t", ""]
    changed = tmp_path / "beita.txt"
    changed.write_text("\n".join(lines), "utf-8")
    assert leaves(import_path(changed).data) == leaves(sample("shaoyang-beita-2023.json"))


def test_unrecognised_table_is_a_clear_error(tmp_path: Path) -> None:
    text = (
        "整体绩效自评报告\n\n一、基本情况\n本单位编制数19人。\n\t项目\n\t金额\n\n\t办公楼\n\t12.5\n"
    )
    path = tmp_path / "odd.txt"
    path.write_text(text, "utf-8")
    unread, none = import_path(path).data["未识别"]
    assert unread["原因"].startswith("无法识别表1（首行：项目、金额）")
    assert none["原因"] == "没有识别出任何表格（共 1 个表格）"
    # the prose's 编制数 was read, but no table was: the document was not understood (EC001)
    result = Checker().check_path(path)
    assert result.error is None
    (finding,) = result.findings
    assert (finding.rule_id, finding.line, finding.column) == ("EC001", 5, 2)
    assert finding.message.startswith(
        "文件中的 1 个表格一个也没有识别出来，只读到正文等处的 2 个数字"
    )


def test_one_unrecognised_table_beside_recognised_ones_is_a_note(tmp_path: Path) -> None:
    text = (
        "整体绩效自评报告\n\n一、基本情况\n"
        "项目 | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n"
        "年度资金总额 | 100 | 100 | 90 | 10 | 90% | 9 |\n\n"
        "项目 | 金额 |\n办公楼 | 12.5 |\n"
    )
    path = tmp_path / "two.txt"
    path.write_text(text, "utf-8")
    result = Checker().check_path(path)
    notes = [f for f in result.findings if f.rule_id == "EC004"]
    assert [(n.severity, n.line) for n in notes] == [("info", 7)]
    assert "EC001" not in {f.rule_id for f in result.findings}


def test_unknown_suffix_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="不支持的文件类型"):
        import_path(tmp_path / "report.odt")
    with pytest.raises(LoadError, match="文件不存在"):
        import_path(tmp_path / "missing.docx")


def test_gb18030_text_is_read(tmp_path: Path) -> None:
    path = tmp_path / "zhanjiang.txt"
    path.write_bytes(ZHANJIANG.read_text("utf-8").encode("gb18030"))
    imported = import_path(path)
    assert imported.source.encoding == "gb18030"
    assert leaves(imported.data) == leaves(sample("zhanjiang-2024.json"))


def test_import_command_writes_json_and_yaml(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from evalcheck.cli import cli

    runner = CliRunner()
    out = runner.invoke(cli, ["import", str(ZHANJIANG)])
    assert out.exit_code == 0
    assert leaves(json.loads(out.output)) == leaves(sample("zhanjiang-2024.json"))
    target = tmp_path / "beita.yaml"
    assert runner.invoke(cli, ["import", str(BEITA), "-o", str(target)]).exit_code == 0
    assert findings(target) == findings(ROOT / "samples" / "shaoyang-beita-2023.yaml")
    missing = runner.invoke(cli, ["import", str(tmp_path / "none.docx")])
    assert missing.exit_code == 2


def test_prose_figures_are_underlined_with_label_and_unit_only(tmp_path: Path) -> None:
    """The reader records each statement's span (label, number and unit) and each cell's; the
    code frame underlines exactly that, never re-reading the text (issue 13)."""
    from evalcheck.inputs import read_path
    from evalcheck.report import from_input

    line = "本年支出586.88万元，其中一般公共服务支出489.91万元、社会保障和就业支出18.75万元。"
    path = tmp_path / "prose.txt"
    path.write_text(f"部门整体支出绩效自评报告\n\n一、预算执行情况\n{line}\n", "utf-8")
    source = from_input(read_path(path)).source

    def written(key: tuple[str | int, ...]) -> str:
        position, length = source.position(key), source.span(key)
        assert position is not None and length is not None
        return source.line_text(position[0])[position[1] - 1 :][:length]

    assert (
        written(("正文数据", "支出功能分类", "一般公共服务支出"))
        == "其中一般公共服务支出489.91万元"
    )
    assert written(("正文数据", "语句", 2)) == "社会保障和就业支出18.75万元"
    cells = tmp_path / "cells.txt"
    cells.write_text(
        "项目 | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n"
        "年度资金总额 | 262.78 | 303.58 | 586.88 | 10 | 100% | 10 |\n",
        "utf-8",
    )
    source = from_input(read_path(cells)).source
    assert written(("预算执行", "年初预算数")) == "262.78"
