"""A file may hold a list of reports (one page with two project tables): each is checked on its
own and its findings are placed in its own element of the list."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from evalcheck.cli import cli
from evalcheck.runner.checker import Checker

FIRST = {"项目名称": "甲", "预算执行": {"全年预算数": 100, "全年执行数": 90, "执行率": "95%"}}
SECOND = {
    "项目名称": "乙",
    "预算执行": {"全年预算数": 50, "全年执行数": 50, "执行率": "100%", "分值": 10, "得分": 8},
}


def rules_at(path: Path) -> list[tuple[str, str, int, int]]:
    result = Checker(diagnose=False).check_path(path)
    assert result.error is None, result.error
    return [(f.rule_id, f.path, f.line, f.column) for f in result.findings if f.rule_id[2] != "0"]


def test_each_report_of_a_json_list_is_checked_in_its_own_element(tmp_path: Path) -> None:
    path = tmp_path / "两个项目.json"
    path.write_text(json.dumps([FIRST, SECOND], ensure_ascii=False, indent=1), "utf-8")
    assert rules_at(path) == [
        ("EC201", "[0].预算执行.执行率", 7, 11),
        ("EC202", "[1].预算执行.得分", 17, 10),
    ]


def test_a_yaml_list_of_reports(tmp_path: Path) -> None:
    path = tmp_path / "两个项目.yaml"
    path.write_text(
        "- 项目名称: 甲\n  预算执行: {全年预算数: 100, 全年执行数: 90, 执行率: 95%}\n"
        "- 项目名称: 乙\n  预算执行: {全年预算数: 50, 全年执行数: 50, 执行率: 100%, 分值: 10, 得分: 8}\n",
        "utf-8",
    )
    assert [(r, p, line) for r, p, line, _ in rules_at(path)] == [
        ("EC201", "[0].预算执行.执行率", 2),
        ("EC202", "[1].预算执行.得分", 4),
    ]


def test_the_same_finding_in_two_reports_is_two_findings(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text(json.dumps([SECOND, SECOND], ensure_ascii=False), "utf-8")
    assert [p for _, p, _, _ in rules_at(path)] == ["[0].预算执行.得分", "[1].预算执行.得分"]


def test_a_wrong_type_in_the_second_report_is_refused_there(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text('[{"项目名称": "甲"},\n {"预算执行": {"执行率": "很高"}}]', "utf-8")
    result = Checker().check_path(path)
    assert result.error is not None
    assert (result.error.line, result.error.column) == (2, 19)
    assert result.error.message.startswith("[1].预算执行.执行率：")


def test_the_api_takes_a_list_of_reports() -> None:
    result = Checker(diagnose=False).check_report([FIRST, SECOND])
    assert [f.path for f in result.findings if f.rule_id[2] != "0"] == [
        "[0].预算执行.执行率",
        "[1].预算执行.得分",
    ]


def test_evalcheck_own_list_outputs_are_still_not_reports(tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    report.write_text(json.dumps([SECOND], ensure_ascii=False), "utf-8")
    gitlab = tmp_path / "gl-code-quality-report.json"
    CliRunner().invoke(cli, ["--format", "gitlab", "-o", str(gitlab), str(report)])
    assert json.loads(gitlab.read_text("utf-8"))[0]["check_name"]
    result = Checker().check_path(gitlab)
    assert result.skipped is not None and result.findings == []
