"""Explanations of failing checks: every node kind shows itself with its values substituted.

The first test goes through the command line: a failing check with a unary minus once crashed
the explainer (``内部错误（ValueError…）``, exit 2) because it took every ``-`` for binary.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from evalcheck.engine.nodes import Expr
from evalcheck.engine.pack import load_rules
from evalcheck.engine.run import run_rules
from evalcheck.report.model import Report

RULE = """\
rules:
  - id: T100
    name: probe
    title: 测试规则
    severity: error
    check: {check}
    message: 测试
    explain: 依据：测试。
    examples:
      - {{name: a, expect: pass, report: {{}}}}
      - {{name: b, expect: fail, report: {{}}}}
"""

BASIC = {"基本支出": {"决算": 586.88, "人员经费": 303.93, "公用经费": 280.95}}


def write_rule(folder: Path, check: str) -> Path:
    path = folder / "rules.yaml"
    path.write_text(RULE.format(check=check), encoding="utf-8")
    return path


def label(tmp_path: Path, check: str, report: dict[str, object] = BASIC) -> str:
    (rule,) = load_rules(write_rule(tmp_path, check))
    (outcome,) = run_rules(Report.model_validate(report), [rule])
    assert outcome.explanation is not None
    return outcome.explanation.label


def test_failing_check_with_a_unary_minus_is_explained_on_the_command_line(
    tmp_path: Path,
) -> None:
    rules = write_rule(tmp_path, "基本支出.决算 == -基本支出.人员经费 + 基本支出.公用经费")
    report = tmp_path / "report.json"
    report.write_text(json.dumps(BASIC, ensure_ascii=False), encoding="utf-8")
    env = {**os.environ, "EVALCHECK_NO_CACHE": "1"}
    options = ["--rules", str(rules), "--format", "json", str(report)]
    done = subprocess.run(
        [sys.executable, "-m", "evalcheck", "check", "--no-builtin", "--no-diagnose", *options],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    (finding,) = json.loads(done.stdout)["files"][0]["findings"]
    assert finding["detail"] == "586.88 ≠ -303.93 + 280.95 = -22.98，差 609.86"
    assert finding["path"] == "基本支出.决算"


UNARY = [
    (
        "基本支出.决算 == -基本支出.人员经费 + 基本支出.公用经费",
        "-303.93 + 280.95 = -22.98，差 609.86",
    ),
    ("基本支出.决算 == +基本支出.人员经费", "303.93，差 282.95"),
    (
        "基本支出.决算 == -(基本支出.人员经费 + 基本支出.公用经费)",
        "-(303.93 + 280.95) = -584.88，差 1171.76",
    ),
    ("基本支出.决算 == - -基本支出.人员经费", "-(-303.93) = 303.93，差 282.95"),
    (
        "基本支出.决算 == 基本支出.人员经费 - -基本支出.公用经费",
        "303.93 - -280.95 = 584.88，差 2.00",
    ),
    ("基本支出.决算 == 2 * -基本支出.人员经费", "2 × -303.93 = -607.86，差 1194.74"),
    ("基本支出.决算 == -1", "-1，差 587.88"),
]


@pytest.mark.parametrize(("check", "right"), UNARY)
def test_unary_signs_are_shown_with_their_operand(tmp_path: Path, check: str, right: str) -> None:
    assert label(tmp_path, check) == f"586.88 ≠ {right}"


def test_a_sign_on_the_left_side_is_shown_with_the_value(tmp_path: Path) -> None:
    assert label(tmp_path, "-基本支出.决算 == 基本支出.人员经费") == "-586.88 ≠ 303.93，差 890.81"


@pytest.mark.parametrize(
    ("check", "expected"),
    [
        ("not 基本支出.决算 > 0", "不成立：not 586.88 > 0"),
        ("基本支出.决算 < 0 or 基本支出.人员经费 < 0", "586.88 ≥ 0"),  # the first part that failed
        (
            "not (基本支出.决算 > 0 and 基本支出.人员经费 > 0)",
            "不成立：not (586.88 > 0 and 303.93 > 0)",
        ),
        (
            "基本支出.决算 > 0 and not (基本支出.人员经费 > 0 or 基本支出.公用经费 < 0)",
            "不成立：586.88 > 0 and not (303.93 > 0 or 基本支出.公用经费 < 0)",  # not reached
        ),
        # presence checks are said in words, not as blanks substituted into the expression
        (
            "exists(基本支出.年初预算) or exists(基本支出.全年预算)",
            "基本支出.年初预算 为空白，基本支出.全年预算 为空白",
        ),
        ("exists(基本支出.决算) and exists(基本支出.全年预算)", "基本支出.全年预算 为空白"),
        ("blank(基本支出.全年预算) and blank(基本支出.决算)", "基本支出.决算 已填写：586.88"),
        (
            "not (exists(基本支出.决算) and exists(基本支出.人员经费))",
            "基本支出.决算 已填写：586.88，基本支出.人员经费 已填写：303.93",
        ),
        ("exists(基本支出.全年预算) or 基本支出.决算 < 0", "586.88 ≥ 0"),
        (
            "基本支出.决算 == (基本支出.人员经费 if 基本支出.决算 > 0 else 0)",
            "586.88 ≠ 303.93，差 282.95",
        ),
    ],
)
def test_logic_and_conditionals_are_explained(tmp_path: Path, check: str, expected: str) -> None:
    assert label(tmp_path, check) == expected


def kinds_of_node(cls: type[Expr] = Expr) -> list[type[Expr]]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *kinds_of_node(sub)]
    return found


def test_every_node_kind_evaluates_and_explains_itself() -> None:
    """Both are abstract on Expr: a kind of node that forgets one cannot even be built."""
    kinds = kinds_of_node()
    assert len(kinds) >= 10
    assert {"evaluate", "substitute"} <= Expr.__abstractmethods__
    assert not [k.__name__ for k in kinds if inspect.isabstract(k)]


def test_a_negative_figure_on_the_right_is_shown_in_parentheses(tmp_path: Path) -> None:
    # a printed 增减额 of -0.71 is a figure, not a second minus sign: 9.07 - (-0.71)
    report = {"基本支出": {"决算": 586.88, "人员经费": 303.93, "公用经费": -280.95}}
    check = "基本支出.决算 == 基本支出.人员经费 - 基本支出.公用经费"
    assert label(tmp_path, check, report) == "586.88 ≠ 303.93 - (-280.95) = 584.88，差 2.00"
    # the left operand and a unary sign keep their own forms
    check = "基本支出.决算 == 基本支出.公用经费 + 基本支出.人员经费"
    assert label(tmp_path, check, report) == "586.88 ≠ -280.95 + 303.93 = 22.98，差 563.90"
