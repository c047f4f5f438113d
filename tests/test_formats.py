"""Machine formats (#4) on real results: the Beita 2023 sample (ten findings), the Zhanjiang
2024 sample (none) and a file that cannot be read."""

from __future__ import annotations

import copy
import dataclasses
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from rich.cells import cell_len

from evalcheck.findings import Finding, Located, rule_info
from evalcheck.render import FORMATS, RenderOptions, Summary
from evalcheck.render.github import escape_data, escape_property, workflow_command
from evalcheck.render.statistics import Statistics
from evalcheck.runner.checker import Checker, FileResult

ROOT = Path(__file__).resolve().parent.parent
BEITA = ROOT / "samples" / "shaoyang-beita-2023.json"
ZHANJIANG = ROOT / "samples" / "zhanjiang-2024.json"
SARIF_SCHEMA = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"
MACHINE_FORMATS = ("json", "sarif", "github", "gitlab", "junit")


@pytest.fixture(autouse=True)
def in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    """CI formats write paths relative to the working directory: run from the repository."""
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker()


@pytest.fixture(scope="module")
def beita(checker: Checker) -> FileResult:
    return checker.check_path(BEITA)


@pytest.fixture(scope="module")
def zhanjiang(checker: Checker) -> FileResult:
    return checker.check_path(ZHANJIANG)


@pytest.fixture
def broken(checker: Checker, tmp_path: Path) -> FileResult:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "预算执行": {\n    "全年执行数": 586.88,\n  }\n', encoding="utf-8")
    return checker.check_path(path)


@pytest.fixture
def results(beita: FileResult, zhanjiang: FileResult, broken: FileResult) -> list[FileResult]:
    return [beita, zhanjiang, broken]


def summarise(results: Sequence[FileResult]) -> Summary:
    summary = Summary(files=len(results))
    for result in results:
        summary.add_coverage(result.coverage)
        if result.error is not None:
            summary.unreadable += 1
        for finding in result.findings:
            if finding.explanation is not None:
                summary.explained += 1
            elif finding.severity == "error":
                summary.errors += 1
            elif finding.severity == "warning":
                summary.warnings += 1
            else:
                summary.infos += 1
    return summary


def render(name: str, results: Sequence[FileResult], checker: Checker | None = None) -> str:
    reporter = FORMATS[name](
        RenderOptions(rules=[rule_info(r) for r in checker.rules] if checker else ())
    )
    text = "".join(reporter.file(r) for r in results)
    return text + reporter.finish(summarise(results))


def explained_copy(result: FileResult, rule_id: str, reason: str) -> FileResult:
    """The result with every finding of ``rule_id`` explained by the office."""
    copied = copy.deepcopy(result)
    for finding in copied.findings:
        if finding.rule_id == rule_id:
            finding.explanation = reason
    return copied


# --------------------------------------------------------------------------- the samples


def test_the_samples_give_the_findings_these_tests_rely_on(
    beita: FileResult, zhanjiang: FileResult, broken: FileResult
) -> None:
    assert beita.error is None
    assert Counter(f.rule_id for f in beita.findings) == {
        "EC103": 1,
        "EC104": 1,
        "EC116": 1,
        "EC308": 4,
        "EC310": 3,
    }
    assert zhanjiang.error is None and zhanjiang.findings == []
    assert broken.error is not None and broken.error.line == 4


# --------------------------------------------------------------------------- registry


def test_every_machine_format_is_registered() -> None:
    assert set(MACHINE_FORMATS) <= set(FORMATS)


def test_format_modules_are_imported_only_when_chosen() -> None:
    code = (
        "import sys, evalcheck.render as r\n"
        "mods = ['evalcheck.render.' + m for m in "
        "('json_format', 'sarif', 'github', 'gitlab', 'junit')]\n"
        "assert not any(m in sys.modules for m in mods), mods\n"
        "r.FORMATS['sarif'](r.RenderOptions())\n"
        "assert 'evalcheck.render.sarif' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("name", MACHINE_FORMATS)
def test_no_results_still_give_a_well_formed_document(name: str) -> None:
    text = render(name, [])
    if name == "junit":
        assert ET.fromstring(text.encode()).get("tests") == "0"
    elif name == "github":
        assert text == ""
    else:
        json.loads(text)


# --------------------------------------------------------------------------- json


def test_json_is_byte_identical_across_runs(results: list[FileResult]) -> None:
    first = render("json", [Checker().check_path(BEITA), *results[1:]])
    second = render("json", [Checker().check_path(BEITA), *results[1:]])
    assert first == second
    assert "\\u" not in first  # ensure_ascii=False: Chinese is written as itself
    assert first.startswith('{\n  "version": 1,')


def test_json_document_loads_back_with_every_field(
    results: list[FileResult], beita: FileResult
) -> None:
    document = json.loads(render("json", results))
    assert list(document) == ["version", "tool", "files", "summary"]
    assert document["tool"] == {"name": "evalcheck", "version": "0.1.0"}
    assert [f["file"] for f in document["files"]] == [r.file for r in results]

    first = document["files"][0]
    assert first["error"] is None
    assert len(first["findings"]) == 10
    ec103 = first["findings"][0]
    assert {k: v for k, v in ec103.items() if k != "fingerprint"} == beita.findings[0].to_dict()
    assert ec103["rule"] == "EC103"
    assert ec103["line"] == 21 and ec103["column"] == 14
    assert ec103["detail"] == "262.78 ≠ 262.78 + 40.8 = 303.58，差 40.80"
    assert [v["value"] for v in ec103["values"]] == ["262.78", "262.78", "40.8"]
    assert len(ec103["fingerprint"]) == 64
    assert {"rule": "EC105", "path": "", "reason": "缺少数据：收支情况.收入构成[*]"} in first[
        "not_applicable"
    ]

    assert document["files"][1]["findings"] == []
    error = document["files"][2]["error"]
    assert error["line"] == 4 and error["column"] >= 1 and error["message"]
    assert document["files"][2]["findings"] == []
    assert document["summary"] == {
        "files": 3,
        "errors": 1,
        "warnings": 8,
        "infos": 1,
        "explained": 0,
        "unreadable": 1,
        "figures": 117 + 24,  # read in Beita and Zhanjiang (the broken file is not read)
        "checked": 114 + 24,
    }
    assert (
        first["coverage"]
        == {
            "figures": 117,  # with the count (8 个) only the prose's 计数 list holds
            "checked": 114,
            "rules_run": first["coverage"]["rules_run"],
            "not_applicable_rules": 48,  # 36 + ties, 三公/说明 tables, 2 prose rules, EC405, EC419, EC546–547
            "not_understood": 0,
        }
    )
    assert first["coverage"]["rules_run"] > 30
    assert document["files"][2]["coverage"] is None


def test_json_keeps_the_explanation_of_an_explained_finding(beita: FileResult) -> None:
    result = explained_copy(beita, "EC116", "年中追加公用经费预算，已在说明中列明")
    document = json.loads(render("json", [result]))
    ec116 = [f for f in document["files"][0]["findings"] if f["rule"] == "EC116"]
    assert ec116[0]["explanation"] == "年中追加公用经费预算，已在说明中列明"
    assert document["summary"]["explained"] == 1


# --------------------------------------------------------------------------- sarif


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    assert cls is jsonschema.Draft4Validator  # the official schema is draft-04
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def sarif_errors(validator: jsonschema.protocols.Validator, log: dict[str, Any]) -> list[str]:
    return [e.message for e in validator.iter_errors(log)]


def test_sarif_is_valid_against_the_official_schema(
    results: list[FileResult], checker: Checker, sarif_validator: jsonschema.protocols.Validator
) -> None:
    log = json.loads(render("sarif", results, checker))
    assert sarif_errors(sarif_validator, log) == []
    assert log["version"] == "2.1.0"


def test_the_sarif_validator_is_live(
    beita: FileResult, checker: Checker, sarif_validator: jsonschema.protocols.Validator
) -> None:
    log = json.loads(render("sarif", [beita], checker))
    wrong_level = copy.deepcopy(log)
    wrong_level["runs"][0]["results"][0]["level"] = "fatal"
    assert any("fatal" in e for e in sarif_errors(sarif_validator, wrong_level))
    no_tool = copy.deepcopy(log)
    del no_tool["runs"][0]["tool"]
    assert any("'tool' is a required property" in e for e in sarif_errors(sarif_validator, no_tool))
    bad_line = copy.deepcopy(log)
    bad_line["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert sarif_errors(sarif_validator, bad_line) != []


def test_sarif_results_match_the_findings(beita: FileResult, checker: Checker) -> None:
    run = json.loads(render("sarif", [beita], checker))["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    rules = run["tool"]["driver"]["rules"]
    assert len(rules) == len(checker.rules) >= 33
    assert [r["id"] for r in rules] == [r.id for r in checker.rules]
    results = run["results"]
    assert [r["ruleId"] for r in results] == [f.rule_id for f in beita.findings]
    for result, finding in zip(results, beita.findings, strict=True):
        assert rules[result["ruleIndex"]]["id"] == finding.rule_id
        region = result["locations"][0]["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"]) == (finding.line, finding.column)
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri.endswith("samples/shaoyang-beita-2023.json")
        assert result["properties"]["keyPath"] == finding.path
        assert len(result.get("relatedLocations", [])) == len(finding.figures)
    assert [r["level"] for r in results[:3]] == ["error", "note", "warning"]

    ec103 = results[0]
    assert ec103["message"]["text"] == (
        "年初预算数 262.78 与基本支出年初预算 262.78、项目支出年初预算 40.8 之和不一致"
        "（262.78 ≠ 262.78 + 40.8 = 303.58，差 40.80）"
    )
    second = ec103["relatedLocations"][1]
    assert second["message"]["text"] == "基本支出.年初预算 = 262.78"
    assert second["physicalLocation"]["region"] == {"startLine": 39, "startColumn": 13}
    assert "suppressions" not in ec103

    ec103_rule = rules[ec103["ruleIndex"]]
    assert (
        ec103_rule["shortDescription"]["text"] == "年初预算数应等于基本支出与项目支出年初预算之和"
    )
    assert ec103_rule["defaultConfiguration"]["level"] == "error"
    assert ec103_rule["help"]["text"].startswith("年初预算数是年初批复的全部预算")


def test_sarif_marks_explained_findings_as_suppressed(
    beita: FileResult, checker: Checker, sarif_validator: jsonschema.protocols.Validator
) -> None:
    result = explained_copy(beita, "EC116", "年中追加公用经费预算")
    log = json.loads(render("sarif", [result], checker))
    assert sarif_errors(sarif_validator, log) == []
    ec116 = [r for r in log["runs"][0]["results"] if r["ruleId"] == "EC116"]
    assert ec116[0]["suppressions"] == [
        {"kind": "external", "status": "accepted", "justification": "年中追加公用经费预算"}
    ]


def test_sarif_reports_an_unreadable_file_as_a_notification(
    broken: FileResult, sarif_validator: jsonschema.protocols.Validator
) -> None:
    log = json.loads(render("sarif", [broken]))
    assert sarif_errors(sarif_validator, log) == []
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    (notification,) = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error"
    location = notification["locations"][0]["physicalLocation"]
    assert location["region"]["startLine"] == 4
    assert location["artifactLocation"]["uri"].startswith("file:///")
    assert log["runs"][0]["results"] == []


def test_sarif_describes_rules_it_was_not_given(
    beita: FileResult, sarif_validator: jsonschema.protocols.Validator
) -> None:
    log = json.loads(render("sarif", [beita]))
    assert sarif_errors(sarif_validator, log) == []
    run = log["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [
        "EC103",
        "EC104",
        "EC116",
        "EC308",
        "EC310",
    ]
    assert [r["ruleIndex"] for r in run["results"]] == [0, 1, 2, 3, 4, 3, 4, 3, 4, 3]


# --------------------------------------------------------------------------- github


def test_github_annotation_of_a_real_finding(beita: FileResult) -> None:
    lines = render("github", [beita]).splitlines()
    assert len(lines) == 10
    assert lines[0] == (
        "::error file=samples/shaoyang-beita-2023.json,line=21,col=14,"
        "title=EC103 年初预算数应等于基本支出与项目支出年初预算之和"
        "::年初预算数 262.78 与基本支出年初预算 262.78、项目支出年初预算 40.8 之和不一致"
        "（262.78 ≠ 262.78 + 40.8 = 303.58，差 40.80）"
    )
    assert lines[1].startswith("::notice file=samples/shaoyang-beita-2023.json,line=48,col=13,")
    assert lines[2].startswith("::warning ")


def test_github_escapes_properties_and_data() -> None:
    assert escape_data("100% 完成\r\n第二行: a,b") == "100%25 完成%0D%0A第二行: a,b"
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"
    finding = Finding(
        rule_id="EC999",
        rule_name="crafted",
        severity="warning",
        title="标题: 含冒号, 逗号",
        message="执行率 50% 偏低\r\n原因: 未说明, 见附件",
        file="reports/a,b:c.json",
        line=3,
        column=7,
        path="预算执行.执行率",
        label="",
    )
    text = render("github", [FileResult(finding.file, findings=[finding])])
    assert text == (
        "::warning file=reports/a%2Cb%3Ac.json,line=3,col=7,"
        "title=EC999 标题%3A 含冒号%2C 逗号"
        "::执行率 50%25 偏低%0D%0A原因: 未说明, 见附件\n"
    )


def test_github_leaves_out_unknown_positions() -> None:
    assert workflow_command("error", "m", "a.json") == "::error file=a.json::m"


def test_github_marks_explained_findings_and_unreadable_files(
    beita: FileResult, broken: FileResult
) -> None:
    result = explained_copy(beita, "EC116", "年中追加预算")
    lines = render("github", [result, broken]).splitlines()
    assert lines[2] == (
        "::notice file=samples/shaoyang-beita-2023.json,line=94,col=16,"
        "title=已说明 EC116 公用经费决算超过预算"
        "::公用经费本年决算数 282.95 超过本年预算数 24.95（282.95 > 24.95）"
        "%0A已说明：年中追加预算"
    )
    assert lines[-1].startswith("::error file=")
    assert ",line=4," in lines[-1] and ",title=无法读取报告::" in lines[-1]


def test_github_streams_per_file(beita: FileResult, zhanjiang: FileResult) -> None:
    reporter = FORMATS["github"](RenderOptions())
    assert reporter.file(beita).count("\n") == 10
    assert reporter.file(zhanjiang) == ""
    assert reporter.finish(Summary()) == ""


# --------------------------------------------------------------------------- gitlab


def gitlab_issues(path: Path) -> list[dict[str, Any]]:
    issues: list[dict[str, Any]] = json.loads(render("gitlab", [Checker().check_path(path)]))
    return issues


def test_gitlab_issues_carry_the_findings(beita: FileResult) -> None:
    issues = json.loads(render("gitlab", [beita]))
    assert [i["check_name"] for i in issues] == [f.rule_id for f in beita.findings]
    assert [i["location"]["lines"]["begin"] for i in issues] == [f.line for f in beita.findings]
    assert {i["location"]["path"] for i in issues} == {"samples/shaoyang-beita-2023.json"}
    assert [i["severity"] for i in issues[:3]] == ["critical", "info", "minor"]
    assert issues[0]["description"].endswith("（262.78 ≠ 262.78 + 40.8 = 303.58，差 40.80）")


def test_gitlab_fingerprints_are_stable_and_distinct(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    text = BEITA.read_text(encoding="utf-8")
    report.write_text(text, encoding="utf-8")
    first = gitlab_issues(report)
    second = gitlab_issues(report)
    prints = [i["fingerprint"] for i in first]
    assert prints == [i["fingerprint"] for i in second]
    assert len(set(prints)) == len(prints) == 10

    report.write_text("\n" + text, encoding="utf-8")
    shifted = gitlab_issues(report)
    assert [i["fingerprint"] for i in shifted] == prints
    assert [i["location"]["lines"]["begin"] for i in shifted] == [
        i["location"]["lines"]["begin"] + 1 for i in first
    ]


def test_gitlab_fingerprint_depends_on_the_file(beita: FileResult, tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text(BEITA.read_text(encoding="utf-8"), encoding="utf-8")
    here = json.loads(render("gitlab", [beita]))
    there = gitlab_issues(other)
    assert not {i["fingerprint"] for i in here} & {i["fingerprint"] for i in there}


def test_gitlab_marks_explained_findings_and_unreadable_files(
    beita: FileResult, broken: FileResult
) -> None:
    result = explained_copy(beita, "EC116", "年中追加预算")
    issues = json.loads(render("gitlab", [result, broken]))
    ec116 = next(i for i in issues if i["check_name"] == "EC116")
    assert ec116["severity"] == "info"
    assert ec116["description"].endswith("（已说明：年中追加预算）")
    load = issues[-1]
    assert load["check_name"] == "load-error" and load["severity"] == "blocker"
    assert load["location"]["lines"]["begin"] == 4


# --------------------------------------------------------------------------- junit


def junit_tree(results: Sequence[FileResult], checker: Checker | None) -> ET.Element:
    text = render("junit", results, checker)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def test_junit_has_one_suite_per_file_and_one_case_per_rule(
    results: list[FileResult], checker: Checker
) -> None:
    root = junit_tree(results, checker)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites[:2]] == [
        "samples/shaoyang-beita-2023.json",
        "samples/zhanjiang-2024.json",
    ]
    beita, zhanjiang, broken = suites
    assert len(beita.findall("testcase")) == int(beita.get("tests", "")) == len(checker.rules)
    assert beita.get("failures") == "4" and beita.get("errors") == "0"
    failed = [c.get("name", "").split()[0] for c in beita if c.find("failure") is not None]
    assert failed == ["EC103", "EC116", "EC308", "EC310"]
    assert zhanjiang.get("tests") == str(len(checker.rules)) and zhanjiang.get("failures") == "0"
    assert broken.get("tests") == "1" and broken.get("errors") == "1"
    assert broken.find("testcase/error") is not None
    assert root.get("failures") == "4" and root.get("errors") == "1"
    assert root.get("tests") == str(2 * len(checker.rules) + 1)


def test_junit_failure_text_lists_every_finding(beita: FileResult, checker: Checker) -> None:
    root = junit_tree([beita], checker)
    cases = {c.get("name", "").split()[0]: c for c in root.iter("testcase")}
    ec103 = cases["EC103"].find("failure")
    assert ec103 is not None and ec103.get("type") == "error"
    assert ec103.get("message", "").endswith("（262.78 ≠ 262.78 + 40.8 = 303.58，差 40.80）")
    assert "samples/shaoyang-beita-2023.json:21:14" in (ec103.text or "")
    ec308 = cases["EC308"].find("failure")
    assert ec308 is not None and ec308.get("message") == "4 处不符合规则"
    assert [ln.split(": ")[0] for ln in (ec308.text or "").splitlines() if ln[0] != " "] == [
        f"samples/shaoyang-beita-2023.json:{line}:17" for line in (162, 187, 203, 256)
    ]
    ec104 = cases["EC104"]  # a rounding note passes, with the note written out
    assert ec104.find("failure") is None
    assert "尾数误差" in (ec104.findtext("system-out") or "")


def test_junit_skips_a_rule_whose_findings_were_all_explained(
    beita: FileResult, checker: Checker
) -> None:
    result = explained_copy(beita, "EC116", "年中追加预算")
    root = junit_tree([result], checker)
    suite = root.find("testsuite")
    assert suite is not None and suite.get("failures") == "3"
    ec116 = next(c for c in suite if c.get("name", "").startswith("EC116"))
    skipped = ec116.find("skipped")
    assert skipped is not None and "已说明：年中追加预算" in (skipped.text or "")


def test_junit_survives_characters_xml_cannot_hold() -> None:
    finding = Finding("EC999", "crafted", "error", "标题", "坏\x01字符 <&>", "a.json", 1, 1, "x")
    finding.figures.append(Located("x", "1", "x", 1, 1))
    root = junit_tree([FileResult("a.json", findings=[finding])], None)
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None and failure.get("message") == "坏\\x01字符 <&>"


# --------------------------------------------------------------------------- --statistics


def test_statistics_counts_per_rule_most_frequent_first(
    beita: FileResult, zhanjiang: FileResult, broken: FileResult
) -> None:
    stats = Statistics([beita, zhanjiang, broken])
    rows = [(r.rule_id, r.severity, r.count) for r in stats.rows()]
    assert rows == [
        ("EC308", "warning", 4),
        ("EC310", "warning", 3),
        ("EC103", "error", 1),
        ("EC104", "info", 1),
        ("EC116", "warning", 1),
    ]
    document = json.loads(stats.json())
    assert document["total"] == 10
    assert document["rules"][0] == {
        "rule": "EC308",
        "severity": "warning",
        "title": "扣分指标未说明偏差原因",
        "count": 4,
        "explained": 0,
    }


def test_statistics_table_lines_up_in_terminal_cells(beita: FileResult) -> None:
    stats = Statistics()
    stats.add(beita)
    stats.add(explained_copy(beita, "EC116", "年中追加预算"))
    lines = stats.text().splitlines()
    assert lines[0].split() == ["数量", "规则", "级别", "标题"]
    assert lines[1].split()[:3] == ["8", "EC308", "警告"]
    assert lines[-1] == "共 20 条"
    title_columns = {cell_len(line[: line.index(line.split()[3])]) for line in lines[:-1]}
    assert len(title_columns) == 1
    assert "公用经费决算超过预算（其中已说明 1）" in stats.text()


def test_statistics_of_a_clean_run() -> None:
    assert Statistics().text() == "没有发现问题。\n"
    assert json.loads(Statistics().json()) == {"version": 1, "total": 0, "rules": []}


@pytest.mark.parametrize("width", [60, 100, 200])
def test_code_frames_fit_the_terminal_width_in_cells(tmp_path: Path, width: int) -> None:
    """A report on one line (minified JSON, mostly Chinese) is cut around the figure to the
    terminal's width as rich measures it, not to a fixed number of characters (issue 11)."""
    from rich.cells import cell_len

    data = json.loads(BEITA.read_text(encoding="utf-8"))
    path = tmp_path / "one-line.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = Checker().check_path(path)
    reporter = FORMATS["text"](RenderOptions(width=width))
    text = reporter.file(result)
    frame_lines = [line for line in text.splitlines() if re.match(r"^\s*\d+ \| ", line)]
    assert frame_lines, text
    assert max(cell_len(line) for line in frame_lines) <= width
    assert any("262.78" in line for line in frame_lines)  # the figure is in the window


def test_blank_is_a_value_state_not_a_display_string(tmp_path: Path) -> None:
    """A reason cell written but empty is 空白 at that cell; a reason key not written at all is
    missing from its row, underlined at the row (issue 13: no flag hidden in a display text)."""
    data = json.loads(BEITA.read_text(encoding="utf-8"))
    row = data["绩效指标"][0]["指标"][3]  # 组织工作任务: 9 of 10 points, no reason
    assert row["三级指标"] == "组织工作任务" and "偏差原因分析及改进措施" not in row
    absent = tmp_path / "absent.json"
    absent.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    row["偏差原因分析及改进措施"] = ""
    written = tmp_path / "written.json"
    written.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")

    def frame(path: Path) -> str:
        result = Checker().check_path(path)
        ec308 = [f for f in result.findings if f.rule_id == "EC308" and "[0].指标[3]" in f.path]
        (finding,) = ec308
        assert [f.blank for f in finding.figures if "偏差" in f.name] == [True]
        return FORMATS["text"](RenderOptions()).file(dataclasses.replace(result, findings=ec308))

    assert "- 缺少「偏差原因分析及改进措施」" in frame(absent)
    shown = frame(written)
    assert "偏差原因分析及改进措施：空白" in shown
    line = next(x for x in shown.splitlines() if '"偏差原因分析及改进措施": ""' in x)
    under = shown.splitlines()[shown.splitlines().index(line) + 1]
    assert under.rstrip().endswith("-- 偏差原因分析及改进措施：空白")  # the two quotes of ""
