"""Issue 11: a green result means "read and checked".  Every reproduction of the issue, through
the command line: files evalcheck did not understand fail the run, folders of Word, Excel and
text reports are checked file by file, evalcheck's own outputs are not reports, and a run that
checked nothing is an error."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from evalcheck.cli import cli

sys.path.insert(0, str(Path(__file__).resolve().parent))
from office import blocks, write_docx, write_xlsx

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
BEITA = SAMPLES / "shaoyang-beita-2023.json"
ZHANJIANG = SAMPLES / "zhanjiang-2024.json"
HEADER = re.compile(r"^(错误|警告|提示)\[(EC\d+)\]", re.M)


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def rules(output: str) -> list[str]:
    return [m.group(2) for m in HEADER.finditer(output)]


def beita() -> dict[str, object]:
    data: dict[str, object] = json.loads(BEITA.read_text(encoding="utf-8"))
    return data


def test_a_file_that_is_no_report_fails(tmp_path: Path) -> None:
    package = tmp_path / "package.json"
    package.write_text('{"name": "x", "version": "1.0.0"}', encoding="utf-8")
    result = run(package)
    assert result.exit_code == 1
    assert rules(result.output) == ["EC001"]
    assert "文件中没有报告格式中的任何一项" in result.output
    assert "（文件中的项：name、version）" in result.output
    assert "未发现问题" not in result.output


def test_a_misspelled_section_is_named_with_a_suggestion(tmp_path: Path) -> None:
    data = beita()
    data["预算执行情况"] = data.pop("预算执行")
    report = tmp_path / "r.json"
    report.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    result = run(report)
    assert result.exit_code == 1
    assert rules(result.output).count("EC002") == 1
    assert (
        "「预算执行情况」不是报告格式中的项，而「预算执行」缺失：是否想写「预算执行」？"
        in result.output
    )
    lines = report.read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(lines, 1) if '"预算执行情况": {' in t)
    assert f"{report}:{line}:3" in result.output  # at the key as written


def test_a_misspelled_field_inside_a_row_is_found(tmp_path: Path) -> None:
    data = beita()
    row = data["绩效指标"][0]["指标"][0]  # type: ignore[index]
    row["得份"] = row.pop("得分")
    report = tmp_path / "r.json"
    report.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run("--format", "json", "--exit-zero", report)
    findings = [
        f for f in json.loads(result.output)["files"][0]["findings"] if f["rule"] == "EC002"
    ]
    assert [(f["rule"], f["path"]) for f in findings] == [("EC002", "绩效指标[0].指标[0].得份")]
    assert findings[0]["message"].startswith(
        "「绩效指标[0].指标[0]」下的「得份」不是报告格式中的项"
    )
    assert "是否想写「得分」？" in findings[0]["message"]


def test_unknown_keys_alone_stay_allowed(tmp_path: Path) -> None:
    data = beita()
    data["本省附加信息"] = {
        "联系人": "某某"
    }  # a provincial addition, with nothing missing beside it
    report = tmp_path / "r.json"
    report.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert "EC002" not in rules(run(report).output)


def test_only_rules_that_do_not_apply_is_never_green() -> None:
    result = run("--select", "EC311", BEITA)  # off by default: nothing is checked
    assert result.exit_code == 1
    assert rules(result.output) == ["EC003"]
    assert "未发现问题" not in result.output
    # the rules about reading are not narrowed by --select, but --ignore turns them off
    assert run("--select", "EC311", "--ignore", "EC003", BEITA).exit_code == 0


def test_figures_read_and_none_checked_is_never_green(tmp_path: Path) -> None:
    # prose the reader folds and places (支出合计 of a 决算说明), but that no built-in rule reads
    text = tmp_path / "说明.txt"
    text.write_text("某縣文聯2022年度部門決算說明\n本年度支出合計500.00萬元。\n", encoding="utf-8")
    result = run(text)
    assert result.exit_code == 1
    assert rules(result.output) == ["EC003"]
    assert (
        "读到 2 个数字，但规则没有检查其中任何一个" in result.output
    )  # the table's and the prose's
    assert "未发现问题" not in result.output


def test_prose_figures_that_place_nowhere_are_not_understood(tmp_path: Path) -> None:
    # 培訓經費 is no report item and the change has no base: read, but nothing to check it against;
    # the import's notes on the characters it folded (读法: 次数 13 …) are no figures of the report
    text = tmp_path / "说明.txt"
    text.write_text(
        "某縣文聯2022年度工作說明\n本年度培訓經費支出12.5萬元，較上年增加2萬元，參訓人員共計300人次。\n",
        encoding="utf-8",
    )
    result = run(text)
    assert result.exit_code == 1
    assert rules(result.output) == ["EC001"]
    assert "正文中读到 2 个数字，但没有一个能对应到报告项目" in result.output
    assert "读取 0 个数字" in result.output


@pytest.mark.parametrize(
    ("city", "exit_code", "shown"),
    [
        ("10", 0, "未发现问题（共读取 4 个数字，规则检查了 4 个）"),
        ("11", 1, "60.2万元 + 30.3万元 + 11万元 = 101.5 ≠ 100.50万元"),
    ],
)
def test_a_total_and_its_parts_no_report_item_names_are_read_and_checked(
    tmp_path: Path, city: str, exit_code: int, shown: str
) -> None:
    # a prose page whose only figures are a total and its 其中 parts (a 衔接资金 report): the
    # 构成 rule checks them, so the page is understood — green when they add up, not otherwise
    text = tmp_path / "报告.txt"
    text.write_text(
        "某镇2022年度衔接资金项目绩效自评报告\n2022年我镇获得财政衔接资金共100.50万元，其中："
        f"中央专项衔接资金60.2万元，省级专项衔接资金30.3万元，市级资金{city}万元。\n",
        encoding="utf-8",
    )
    result = run(text)
    assert result.exit_code == exit_code
    assert rules(result.output) == ([] if exit_code == 0 else ["EC424"])
    assert shown in result.output


def test_a_figure_checked_through_its_share_counts_as_checked(tmp_path: Path) -> None:
    # EC430 checks 8.00 ÷ 12.50 = 64.00% on the 占比 list that repeats the stated figures
    text = tmp_path / "说明.txt"
    text.write_text(
        "某县文联信息公开\n"
        "2022年度“三公”经费财政拨款支出预算为30.00万元，2022年实际支出“三公”经费决算为12.50万元。"
        "其中公务接待费为8.00万元，占64.00%；公务用车运行维护费为4.50万元，占36.00%。\n",
        encoding="utf-8",
    )
    result = run(text, "--format", "json")
    coverage = json.loads(result.output)["files"][0]["coverage"]
    assert result.exit_code == 0
    # 12.50, 8.00, 4.50 and the shares 64.00%, 36.00% (printed only in the 占比 list); the
    # budget 30.00 no rule reads
    assert coverage["checked"] == 5
    assert coverage["figures"] == 6


def test_a_users_own_text_pack_may_check_no_figure(tmp_path: Path) -> None:
    pack = tmp_path / "ours.yaml"
    pack.write_text(
        "rules:\n"
        "  - id: XX101\n    name: unit-named\n    title: 应写明单位名称\n    severity: warning\n"
        "    check: exists(单位名称)\n    message: 缺少单位名称\n"
        "    explain: 修正：写明单位名称。\n"
        "    examples:\n"
        "      - {name: named, expect: pass, report: {单位名称: 某部门}}\n"
        "      - {name: unnamed, expect: fail, report: {评价年度: '2023'}}\n",
        encoding="utf-8",
    )
    result = run("--rules", pack, "--no-builtin", ZHANJIANG)
    assert (result.exit_code, rules(result.output)) == (0, [])
    assert "规则检查了 0 个" in result.output  # said, but not failed: the user chose the pack


def test_a_document_with_nothing_recognised_fails(tmp_path: Path) -> None:
    text = tmp_path / "通知.txt"
    text.write_text("关于召开会议的通知\n\n请各单位准时参加。\n", encoding="utf-8")
    result = run(text)
    assert result.exit_code == 1
    assert rules(result.output) == ["EC001"]
    assert "未发现问题" not in result.output


@pytest.fixture
def office_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "报告"
    folder.mkdir()
    items = blocks(beita())
    write_docx(items, folder / "北塔.docx")
    write_xlsx(items, folder / "北塔.xlsx")
    (folder / "通知.txt").write_text("关于召开会议的通知\n请各单位准时参加。\n", encoding="utf-8")
    return folder


def json_findings(*paths: Path) -> dict[str, list[tuple[str, str]]]:
    result = run("--format", "json", "--exit-zero", *paths)
    assert result.exit_code == 0, result.output
    return {
        Path(f["file"]).name: [(x["rule"], x["path"]) for x in f["findings"]]
        for f in json.loads(result.output)["files"]
    }


def test_a_folder_of_word_and_excel_reports_is_checked_file_by_file(office_folder: Path) -> None:
    folder = json_findings(office_folder)
    assert set(folder) == {"北塔.docx", "北塔.xlsx", "通知.txt"}
    for name, found in folder.items():
        assert found == json_findings(office_folder / name)[name], name
    assert ("EC103", "预算执行.年初预算数") in folder["北塔.docx"]
    assert ("EC103", "预算执行.年初预算数") in folder["北塔.xlsx"]
    assert folder["通知.txt"] == [("EC001", "")]  # read, not understood: never green


def test_evalcheck_outputs_in_the_tree_are_not_reports(tmp_path: Path) -> None:
    shutil.copyfile(BEITA, tmp_path / "北塔.json")
    for args in (
        ("--format", "json", "-o", tmp_path / "out.json"),
        ("--format", "sarif", "-o", tmp_path / "results.sarif.json"),
        ("--format", "gitlab", "-o", tmp_path / "gl-code-quality-report.json"),
        ("--write-baseline", tmp_path / "baseline.json"),
    ):
        run(*args, tmp_path / "北塔.json")
    run("--format", "gitlab", "-o", tmp_path / "sub" / "gl-code-quality-report.json", ZHANJIANG)
    result = run("--format", "json", "--exit-zero", tmp_path)
    checked = [Path(f["file"]).name for f in json.loads(result.stdout)["files"]]
    assert checked == ["北塔.json"]
    for name in ("out.json", "results.sarif.json", "gl-code-quality-report.json", "baseline.json"):
        assert f"{name}：这是 evalcheck 写出的" in result.stderr, name


def test_no_report_found_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "说明.md").write_text("无", encoding="utf-8")
    result = run(tmp_path)
    assert result.exit_code == 2
    assert result.stderr.startswith("evalcheck：错误：没有找到可检查的报告")
    assert "未发现问题" not in result.output


def test_only_evalcheck_outputs_is_no_report_either(tmp_path: Path) -> None:
    run("--write-baseline", tmp_path / "baseline.json", BEITA)
    result = run(tmp_path / "baseline.json")
    assert result.exit_code == 2
    assert "没有找到可检查的报告" in result.stderr


def test_every_result_says_how_much_was_checked() -> None:
    text = run(BEITA).output
    assert f"{BEITA}：1 个错误，8 个警告，1 个提示（读取 117 个数字，规则检查了 114 个；" in text
    document = json.loads(run("--format", "json", "--exit-zero", ZHANJIANG).output)
    assert document["files"][0]["coverage"]["figures"] == 24
    assert document["summary"]["checked"] == 24
    sarif = json.loads(run("--format", "sarif", "--exit-zero", ZHANJIANG).output)
    (artifact,) = sarif["runs"][0]["artifacts"]
    assert artifact["properties"]["coverage"]["checked"] == 24
