"""The rule engine: rounding-aware equality, not-applicable handling, safety of expressions."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from evalcheck.engine.pack import Rule, load_rules
from evalcheck.engine.run import Outcome, run_rules
from evalcheck.inputs.source import LoadError
from evalcheck.report.model import Report

EXAMPLES = """\
    examples:
      - {name: a, expect: pass, report: {}}
      - {name: b, expect: fail, report: {}}
"""


BASE = {"severity": "error", "message": "测试", "explain": "依据：测试。"}


def rule_file(tmp_path: Path, body: str, name: str = "rules.yaml") -> Path:
    """A one-rule pack; ``body`` holds the rule's keys (indented under ``- ``)."""
    body = textwrap.dedent(body).strip("\n")
    given = {line.split(":", 1)[0] for line in body.splitlines()}
    text = "rules:\n  - id: T100\n    name: probe\n    title: 测试规则\n"
    text += "".join(f"    {k}: {v}\n" for k, v in BASE.items() if k not in given)
    text += textwrap.indent(body, "    ") + "\n" + EXAMPLES
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def one_rule(tmp_path: Path, body: str) -> Rule:
    (rule,) = load_rules(rule_file(tmp_path, body))
    return rule


def outcomes(rule: Rule, report: dict[str, Any]) -> list[Outcome]:
    return list(run_rules(Report.model_validate(report), [rule], passes=True))


def status(rule: Rule, report: dict[str, Any]) -> str:
    (outcome,) = outcomes(rule, report)
    return outcome.status


SPLIT = "check: 基本支出.决算 == 基本支出.人员经费 + 基本支出.公用经费"


# --- rounding-aware equality ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "personnel", "operating", "expected"),
    [
        ("586.88", "303.93", "282.95", "pass"),  # exact
        # 0.01 off: the total (±0.005) and the sum (±0.01) overlap up to 0.015 apart
        ("586.88", "303.93", "282.94", "rounding"),
        ("586.89", "303.93", "282.94", "fail"),  # 0.02 apart: outside 0.015
        # three decimals on one part: the intervals overlap up to 0.005+0.005+0.0005 apart
        ("586.88", "303.93", "282.940", "rounding"),  # 0.010 apart: just inside
        ("586.88", "303.93", "282.939", "fail"),  # 0.011 apart: just outside
        # a total printed with fewer decimals that is exactly the sum rounded: simply correct
        ("586.9", "303.93", "282.95", "pass"),  # 586.88 rounds to 586.9
        ("587", "303.93", "282.95", "pass"),  # 586.88 rounds to 587
        ("586.9", "303.93", "283.03", "rounding"),  # 586.96 rounds to 587.0, ±0.05 still covers it
        ("587", "303.93", "282.56", "rounding"),  # 586.49 rounds to 586; [586.5, 587.5] touches it
        ("590", "303.93", "282.95", "fail"),
    ],
)
def test_sum_equality_uses_rounding_intervals(
    tmp_path: Path, total: str, personnel: str, operating: str, expected: str
) -> None:
    rule = one_rule(tmp_path, SPLIT)
    report = {"基本支出": {"决算": total, "人员经费": personnel, "公用经费": operating}}
    assert status(rule, report) == expected


CONTROL = "check: 人员编制.编制控制率 == 人员编制.实际在职人数 / 人员编制.编制数"


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        ("94.74%", "pass"),  # 18 ÷ 19 = 94.7368…% rounds to 94.74%: simply correct, no note
        ("94.7%", "pass"),  # … and to 94.7% with one decimal
        ("95%", "pass"),  # … and to 95% whole
        ("94.73%", "fail"),  # the counts are exact: 94.73% is not 18 ÷ 19 at any rounding
        ("94.8%", "fail"),
    ],
)
def test_a_rate_that_is_the_rounding_of_its_exact_ratio_is_correct(
    tmp_path: Path, rate: str, expected: str
) -> None:
    rule = one_rule(tmp_path, CONTROL)
    report = {"人员编制": {"编制数": 19, "实际在职人数": 18, "编制控制率": rate}}
    assert status(rule, report) == expected


def test_a_rate_of_rounded_amounts_is_a_note_only_when_rounding_explains_it(tmp_path: Path) -> None:
    rule = one_rule(tmp_path, "check: 预算执行.执行率 == 预算执行.全年执行数 / 预算执行.全年预算数")

    def rate(printed: str) -> str:
        report = {"预算执行": {"全年执行数": "587", "全年预算数": "601.50", "执行率": printed}}
        return status(rule, report)

    assert rate("97.59%") == "pass"  # 587 ÷ 601.50 = 97.5893…%: the correct rounding
    assert rate("97.62%") == "rounding"  # not the rounding, but 587 stands for 586.5 … 587.5
    assert rate("97.80%") == "fail"  # beyond 587.5 ÷ 601.495 = 97.673%


def test_rounding_is_at_most_info_and_says_so(tmp_path: Path) -> None:
    rule = one_rule(tmp_path, SPLIT)
    (outcome,) = outcomes(
        rule, {"基本支出": {"决算": 586.88, "人员经费": 303.93, "公用经费": 282.94}}
    )
    assert outcome.status == "rounding"
    assert outcome.explanation is not None
    assert (
        outcome.explanation.label == "586.88 ≈ 303.93 + 282.94 = 586.87，差 0.01，在尾数误差范围内"
    )


def test_failure_label_shows_every_operand(tmp_path: Path) -> None:
    rule = one_rule(tmp_path, SPLIT)
    (outcome,) = outcomes(
        rule, {"基本支出": {"决算": 586.88, "人员经费": 303.93, "公用经费": 280.95}}
    )
    assert outcome.status == "fail"
    explanation = outcome.explanation
    assert explanation is not None
    assert explanation.label == "586.88 ≠ 303.93 + 280.95 = 584.88，差 2.00"
    assert [(o.source, o.display, o.path) for o in explanation.operands] == [
        ("基本支出.决算", "586.88", ("基本支出", "决算")),
        ("基本支出.人员经费", "303.93", ("基本支出", "人员经费")),
        ("基本支出.公用经费", "280.95", ("基本支出", "公用经费")),
    ]
    assert explanation.primary == ("基本支出", "决算")


def test_explicit_tolerance_replaces_intervals(tmp_path: Path) -> None:
    rule = one_rule(tmp_path, SPLIT + "\ntolerance: 0.001")
    report = {"基本支出": {"决算": 586.88, "人员经费": 303.93, "公用经费": 282.94}}
    assert status(rule, report) == "fail"


RATE = "check: 预算执行.执行率 == 预算执行.全年执行数 / 预算执行.全年预算数"


@pytest.mark.parametrize(
    ("executed", "budget", "rate", "expected"),
    [
        ("229.29", "300.00", "76.43%", "pass"),  # the exact ratio is 76.43%
        # 229.285/300.005 … 229.295/299.995 = 76.4271% … 76.4349%: 76.44% (76.435 … 76.445) misses
        ("229.29", "300.00", "76.44%", "fail"),
        # the correct rounding of the exact ratio of the printed figures is simply correct (issue 11)
        ("229.30", "300.00", "76.43%", "pass"),  # 76.4333…% rounds to 76.43%
        ("100.00", "300.00", "33.33%", "pass"),  # 33.333…% shown as 33.33%
        ("100.00", "300.00", "33%", "pass"),  # … or as 33%
        ("229.30", "300.00", "76.44%", "rounding"),  # not the rounding; ±0.005 reaches 76.4363%
        ("100.00", "300.00", "34%", "fail"),  # 33.5% … 34.5% does not reach 33.3356%
        ("586.88", "586.88", "100.00%", "pass"),
        ("586.88", "586.88", "99.99%", "fail"),
    ],
)
def test_ratio_equality_against_displayed_percentage(
    tmp_path: Path, executed: str, budget: str, rate: str, expected: str
) -> None:
    rule = one_rule(tmp_path, RATE)
    report = {"预算执行": {"全年执行数": executed, "全年预算数": budget, "执行率": rate}}
    assert status(rule, report) == expected


def test_exact_ratio_is_a_plain_pass(tmp_path: Path) -> None:
    rule = one_rule(tmp_path, RATE)
    report = {"预算执行": {"全年执行数": "150", "全年预算数": "200", "执行率": "75%"}}
    assert status(rule, report) == "pass"


def test_zero_denominator_is_a_finding_of_its_own(tmp_path: Path) -> None:
    rule = one_rule(tmp_path, RATE)
    (outcome,) = outcomes(rule, {"预算执行": {"全年执行数": 5, "全年预算数": 0, "执行率": "100%"}})
    assert outcome.status == "error"
    assert outcome.reason == "分母「预算执行.全年预算数」为零"


def test_a_denominator_not_printed_makes_the_rule_not_applicable(tmp_path: Path) -> None:
    rule = one_rule(tmp_path, RATE)
    (outcome,) = outcomes(rule, {"预算执行": {"全年执行数": 5, "执行率": "100%"}})
    assert outcome.status == "not-applicable"
    assert outcome.reason == "缺少数据：预算执行.全年预算数"


# --- absent values ------------------------------------------------------------------------------


def test_absent_value_makes_the_rule_not_applicable(tmp_path: Path) -> None:
    rule = one_rule(tmp_path, SPLIT)
    (outcome,) = outcomes(rule, {"基本支出": {"决算": 586.88, "公用经费": "——"}})
    assert outcome.status == "not-applicable"
    assert outcome.reason == "缺少数据：基本支出.人员经费"


def test_missing_report_policy_turns_absence_into_a_finding(tmp_path: Path) -> None:
    rule = one_rule(tmp_path, SPLIT + "\nmissing: report")
    (outcome,) = outcomes(rule, {"基本支出": {"决算": 586.88, "公用经费": 282.95}})
    assert outcome.status == "missing"


def test_missing_zero_policy_counts_blanks_as_zero(tmp_path: Path) -> None:
    rule = one_rule(tmp_path, SPLIT + "\nmissing: zero")
    assert status(rule, {"基本支出": {"决算": 282.95, "公用经费": 282.95}}) == "pass"
    assert status(rule, {"基本支出": {"决算": 282.95, "公用经费": 202.95}}) == "fail"


def test_scope_runs_once_per_row_and_skips_rows_without_data(tmp_path: Path) -> None:
    rule = one_rule(tmp_path, "scope: 绩效指标[*].指标[*]\ncheck: 得分 <= 分值")
    report = {
        "绩效指标": [
            {"指标": [{"分值": 5, "得分": 5}, {"二级指标": "生态效益指标"}, {"分值": 5, "得分": 6}]}
        ]
    }
    got = [(o.status, o.scope) for o in outcomes(rule, report)]
    assert got == [
        ("pass", ("绩效指标", 0, "指标", 0)),
        ("not-applicable", ("绩效指标", 0, "指标", 1)),
        ("fail", ("绩效指标", 0, "指标", 2)),
    ]


def test_text_comparison_with_numbers_is_an_evaluation_error(tmp_path: Path) -> None:
    rule = one_rule(tmp_path, "check: 评价等次 == 自评分数")
    (outcome,) = outcomes(rule, {"评价等次": "优秀", "自评分数": 96})
    assert outcome.status == "error"
    assert "类型不同" in outcome.reason


# --- safety: hostile expressions are refused at load time ---------------------------------------

HOSTILE = [
    ("check: ().__class__.__bases__[0].__subclasses__()", "只能调用内置函数"),
    ("check: __import__('os').system('touch CANARY') == 0", "只能调用内置函数"),
    ("check: 基本支出.__class__ == 1", "下划线"),
    ("check: 基本支出._决算 == 1", "下划线"),
    ("check: '(lambda: 1)() == 1'", "只能调用内置函数"),
    ("check: sum([x for x in 绩效指标[*].指标[*].分值]) == 1", "列表推导式"),
    ("check: sum(x for x in range(10**9)) == 1", "生成器表达式"),
    ("check: 2 ** 1000000 == 1", "**"),
    ("check: 10 ** 10 ** 10 == 1", "**"),
    ("check: 1 << 100000 == 1", "<<"),
    ("check: 自评分数 % 7 == 1", "%"),
    ("check: \"'a' * 1000000000 == 'a'\"", "不是数值"),
    ("check: eval('1') == 1", "未知的函数"),
    ("check: open('/etc/passwd') == 1", "未知的函数"),
    ("check: getattr(基本支出, '决算') == 1", "未知的函数"),
    ("check: exec == 1", "未知的键"),
    ("check: 基本支出.决算.real == 1", "不能再取下级键"),
    ("check: 不存在的键 == 1", "未知的键"),
    ("check: 基本支出.不存在 == 1", "未知的键"),
    ("check: f'{基本支出}' == 1", "f-string"),
    ("check: (x := 1) == 1", "赋值表达式"),
    ("check: sum(*绩效指标) == 1", "星号"),
    ("check: sum(绩效指标, start=1) == 1", "关键字参数"),
    ("check: " + "(" * 40 + "1" + ")" * 40 + " == 1", "嵌套过深"),
    ("check: " + "1+" * 300 + "1 == 1", "过于复杂"),
    ("check: 1" + "0" * 50 + " == 1", "数字过长"),
    ("check: \"'" + "a" * 300 + "' == 'a'\"", "文字常量过长"),
    ("check: " + "1 + " * 400 + "1 == 1", "过长"),
    ("check: 基本支出.决算 == 1 if 1 else 2 if", "语法错误"),
    ("check: 基本支出[0] == 1", "数字下标只能用于列表"),
    ("check: 基本支出.决算[1:2] == 1", "下标只能是"),
    ("check: 绩效指标.指标 == 1", "前面是列表"),
    ("check: 基本支出.决算 + 1", "check 应为判断"),
    ("check: sum == 1", "是函数"),
    ("check: 1 == 1\nmessage: '{0.__class__}'", "占位符"),
    ("check: 1 == 1\nmessage: '{基本支出.决算!r}'", "占位符"),
    ("check: 1 == 1\nmessage: '{基本支出:>10}'", "占位符"),
    ("check: 1 == 1\nmessage: '{__import__}'", "占位符"),
    ("check: 1 == 1\nmessage: 'unbalanced {'", "花括号"),
    ("check: 1 == 1\nscope: 基本支出.决算", "scope 应指向一组表格行"),
    ("check: '(lambda: 1) == 1'", "lambda"),
    ("check: '{1: 2} == 1'", "Dict"),
    ("check: sum(x for x in 绩效指标) == 1", "生成器表达式"),
    ("check: abs(abs(abs(-1))) == 1\nfor_each: {__class__: [a]}", "循环变量名"),
    ("check: !!python/object/apply:os.system ['touch CANARY']", "YAML 标签"),
]


@pytest.mark.parametrize(
    ("body", "reason"), HOSTILE, ids=[f"hostile-{i}" for i in range(len(HOSTILE))]
)
def test_hostile_expression_is_refused_at_load(tmp_path: Path, body: str, reason: str) -> None:
    path = rule_file(tmp_path, body)
    canary = tmp_path / "CANARY"
    with pytest.raises(LoadError) as caught:
        load_rules(path)
    error = caught.value
    assert reason in error.message, error.message
    assert error.file == str(path)
    assert error.line >= 7  # the rule's own line, not the top of the file
    assert str(error).startswith(f"{path}:{error.line}:{error.column}: ")
    assert "\n" not in str(error)
    assert not canary.exists()


def test_duplicate_keys_in_a_rule_are_refused_at_the_second_one(tmp_path: Path) -> None:
    path = rule_file(tmp_path, "check: 1 == 1\nseverity: error\nseverity: info")
    with pytest.raises(LoadError) as caught:
        load_rules(path)
    assert (caught.value.line, caught.value.message) == (9, "重复的键「severity」")


def test_unknown_severity_and_keys_are_refused_with_their_line(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as caught:
        load_rules(rule_file(tmp_path, "check: 1 == 1\nseverity: fatal"))
    assert caught.value.line == 8
    assert "severity" in caught.value.message and "fatal" in caught.value.message
    with pytest.raises(LoadError) as caught:
        load_rules(rule_file(tmp_path, "check: 1 == 1\nchek: 1 == 1"))
    assert (caught.value.line, caught.value.message) == (9, "未知的项「chek」")


def test_min_and_max_stand_for_every_value_their_arguments_may_take() -> None:
    """min(10, 10 × 100%) with the rate printed whole is 9.95 to 10, not exactly 10 (a score of
    9.97 is then within rounding, not an error)."""
    from decimal import Decimal

    from evalcheck.engine.helpers import HELPERS
    from evalcheck.report.normalise import Quantity

    ten = Quantity(Decimal(10), Decimal(10), Decimal(10), 0)
    product = Quantity(Decimal(10), Decimal("9.95"), Decimal("10.05"), 0)
    least = HELPERS["min"].fn([ten, product], ("分值", "分值 × 执行率"))
    assert (least.value, least.lo, least.hi) == (Decimal(10), Decimal("9.95"), Decimal(10))
    most = HELPERS["max"].fn([ten, product], ("分值", "分值 × 执行率"))
    assert (most.value, most.lo, most.hi) == (Decimal(10), Decimal(10), Decimal("10.05"))
    assert HELPERS["min"].fn([ten, ten], ("a", "b")) is ten  # a figure stays itself
