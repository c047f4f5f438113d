"""A user's rule pack: its examples run with ``evalcheck rules --test``, its ``fix:`` becomes the
help line of its findings, and a rule without one is marked in ``evalcheck rules``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from evalcheck.cli import cli

PACK = """\
rules:
  - id: XX101
    name: unit-named
    title: 应写明单位名称
    severity: warning
    check: exists(单位名称)
    message: 缺少单位名称
    explain: |
      依据：测试。
      修正：这一行只是说明文字，不是帮助。
{fix}    examples:
      - {{name: named, expect: pass, report: {{单位名称: 某部门}}}}
      - {{name: unnamed, expect: fail, at: 单位名称, message: 缺少单位名称, report: {{评价年度: "2023"}}}}
{extra}"""
WRONG = """\
      - {name: wrong-place, expect: fail, at: 评价年度, report: {评价年度: "2023"}}
      - {name: said-wrong, expect: fail, message: 缺少名称, report: {评价年度: "2023"}}
      - {name: does-not-fail, expect: fail, report: {单位名称: 某部门}}
      - {name: pass-with-place, expect: pass, at: 单位名称, report: {单位名称: 某部门}}
"""


def pack(tmp_path: Path, fix: str = "", extra: str = "") -> Path:
    path = tmp_path / "ours.yaml"
    line = f"    fix: {fix}\n" if fix else ""
    path.write_text(PACK.format(fix=line, extra=extra), encoding="utf-8")
    return path


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], env={"EVALCHECK_NO_CACHE": "1"})


def test_a_pack_whose_examples_hold_passes_its_test(tmp_path: Path) -> None:
    result = run("rules", "--test", pack(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "通过    XX101  named",
        "通过    XX101  unnamed",
        "共 2 个示例：2 个通过，0 个未通过",
    ]


def test_each_example_that_does_not_hold_says_why(tmp_path: Path) -> None:
    result = run("rules", "--test", pack(tmp_path, extra=WRONG))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[2:] == [
        "未通过  XX101  wrong-place：问题应在 评价年度，实际在 单位名称",
        "未通过  XX101  said-wrong：消息应为「缺少名称」，实际为「缺少单位名称」",
        "未通过  XX101  does-not-fail：应为不通过，实际为通过",
        "未通过  XX101  pass-with-place：示例应为通过，不应写 at 或 message",
        "共 6 个示例：2 个通过，4 个未通过",
    ]
    listed = json.loads(
        run("rules", "--test", pack(tmp_path, extra=WRONG), "--format", "json").stdout
    )
    assert listed[2] == {
        "rule": "XX101",
        "example": "wrong-place",
        "passed": False,
        "problem": "问题应在 评价年度，实际在 单位名称",
    }


def test_the_built_in_packs_pass_their_own_test() -> None:
    from evalcheck.engine.pack import builtin_rules_dir

    result = run("rules", "--test", builtin_rules_dir())
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1].endswith("0 个未通过")


@pytest.mark.parametrize("fix", ["", "写明单位名称。"])
def test_the_help_line_is_the_rules_fix(tmp_path: Path, fix: str) -> None:
    report = tmp_path / "report.json"
    report.write_text('{"评价年度": "2023"}', encoding="utf-8")
    result = run("check", "--no-builtin", "--no-color", "--rules", pack(tmp_path, fix), report)
    helps = [line.strip() for line in result.stdout.splitlines() if "explain XX101" in line]
    expected = [f"= 帮助：{fix}（详见 evalcheck explain XX101）"] if fix else []
    assert helps == expected  # never the explain text's 修正： line


def test_a_rule_without_fix_is_marked_in_the_rule_list(tmp_path: Path) -> None:
    table = run("rules", "--rules", pack(tmp_path)).stdout
    assert "应写明单位名称（无修正说明）" in table
    assert "（无修正说明）" not in run("rules").stdout  # every built-in rule says what to do
    markdown = run("rules", "--rules", pack(tmp_path, "写明单位名称。"), "--format", "markdown")
    assert "| 应写明单位名称 |" in markdown.stdout
