"""Number reading: every way reports write a figure becomes the same exact value."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from evalcheck.report.normalise import (
    Comparison,
    Kind,
    NumberError,
    read_figure,
    read_target,
    read_text,
)
from evalcheck.runner.checker import Checker


@pytest.mark.parametrize(
    ("raw", "value", "decimals", "text"),
    [
        (Decimal("586.88"), "586.88", 2, "586.88"),
        ("586.88", "586.88", 2, "586.88"),
        ("586.88万元", "586.88", 2, "586.88万元"),
        ("5,868,800元", "586.88", 4, "5,868,800元"),  # 1 元 = 0.0001 万元: four decimals
        ("５８６．８８", "586.88", 2, "５８６．８８"),
        ("　586.88　", "586.88", 2, "586.88"),
        ("0.5亿元", "5000.0", 0, "0.5亿元"),
        (Decimal("586.880"), "586.880", 3, "586.880"),
        (Decimal("40.8"), "40.8", 1, "40.8"),
        (Decimal("1E+3"), "1E+3", 0, "1000"),
    ],
)
def test_amount_forms(raw: object, value: str, decimals: int, text: str) -> None:
    figure = read_figure(raw, Kind.AMOUNT)
    assert figure is not None
    assert figure.value == Decimal(value)
    assert figure.decimals == decimals
    assert figure.text == text


@pytest.mark.parametrize(
    ("raw", "fraction", "decimals"),
    [
        ("100%", "1.00", 2),
        ("100.00%", "1.0000", 4),
        ("９８％", "0.98", 2),
        ("76.43 %", "0.7643", 4),
    ],
)
def test_rates_are_fractions_that_keep_their_printed_decimals(
    raw: str, fraction: str, decimals: int
) -> None:
    figure = read_figure(raw, Kind.RATE)
    assert figure is not None
    assert (figure.value, figure.decimals, figure.text) == (
        Decimal(fraction),
        decimals,
        raw.strip(),
    )
    assert figure.percent


def test_intervals_follow_the_printed_decimals() -> None:
    amount = read_figure("586.88", Kind.AMOUNT)
    assert amount is not None
    assert (amount.lo, amount.hi) == (Decimal("586.875"), Decimal("586.885"))
    count = read_figure("　19", Kind.COUNT)
    assert count is not None and count.exact and count.lo == count.hi == 19
    zero = read_figure("0", Kind.AMOUNT)
    assert zero is not None and zero.exact


@pytest.mark.parametrize("blank", ["", "　", "—", "——", "/", "无", " － ", None])
def test_blanks_are_absent_not_zero(blank: object) -> None:
    assert read_figure(blank, Kind.AMOUNT) is None
    assert read_target(blank) is None
    assert read_text(blank) is None


@pytest.mark.parametrize(
    ("raw", "kind", "message"),
    [
        ("九", Kind.SCORE, "无法识别的数值「九」"),
        ("12.5人", Kind.COUNT, "人数或个数应为整数「12.5人」"),
        ("98%", Kind.AMOUNT, "此处不应是百分数「98%」"),
        (True, Kind.AMOUNT, "应为数值，实际为布尔值"),
        ([1], Kind.AMOUNT, "应为数值，实际为数组"),
        ("1" * 40, Kind.AMOUNT, "数值超出可处理范围（最多 30 位有效数字，量级不超过 10^15）"),
        (
            Decimal("1e999999999"),
            Kind.AMOUNT,
            "数值超出可处理范围（最多 30 位有效数字，量级不超过 10^15）",
        ),
        (Decimal("NaN"), Kind.AMOUNT, "数值不能是 NaN 或无穷大"),
    ],
)
def test_unreadable_numbers_say_why_in_chinese(raw: object, kind: Kind, message: str) -> None:
    with pytest.raises(NumberError) as caught:
        read_figure(raw, kind)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("raw", "comparison", "value"),
    [
        ("≥2", Comparison.AT_LEAST, "2"),
        ("≥98%", Comparison.AT_LEAST, "0.98"),
        (">=95%", Comparison.AT_LEAST, "0.95"),
        ("≤0.5万元", Comparison.AT_MOST, "0.5"),
        ("=100%", Comparison.EQUAL, "1.00"),
        ("不低于90%", Comparison.AT_LEAST, "0.90"),
        ("10", None, "10"),
    ],
)
def test_targets_keep_their_comparison(raw: str, comparison: Comparison | None, value: str) -> None:
    target = read_target(raw)
    assert target is not None and target.figure is not None
    assert target.comparison is comparison
    assert target.figure.value == Decimal(value)
    assert target.text == raw


@pytest.mark.parametrize("raw", ["计划内", "明显提升", "2023年1-12月", "达到预期目标"])
def test_qualitative_targets_stay_text(raw: str) -> None:
    target = read_target(raw)
    assert target is not None
    assert (target.text, target.figure, target.quantitative) == (raw, None, False)


def test_wrong_type_is_reported_at_its_cell(tmp_path: Path) -> None:
    report = tmp_path / "报告.json"
    report.write_text(
        '{\n  "绩效指标": [\n    {"指标": [\n      {"分值": 10, "得分": "九"}\n    ]}\n  ]\n}\n',
        encoding="utf-8",
    )
    result = Checker().check_path(report)
    assert result.error is not None
    assert (result.error.line, result.error.column) == (4, 24)
    assert result.error.message == "绩效指标[0].指标[0].得分：无法识别的数值「九」"


def test_section_of_the_wrong_type_is_reported_with_its_path(tmp_path: Path) -> None:
    report = tmp_path / "报告.yaml"
    report.write_text("单位名称: 某部门\n基本支出: 586.88\n", encoding="utf-8")
    result = Checker().check_path(report)
    assert result.error is not None
    assert (result.error.line, result.error.column) == (2, 7)
    assert result.error.message == "基本支出：应为对象（{…}），实际为数值"


def test_the_model_reports_wrong_types_in_the_checkers_words(tmp_path: Path) -> None:
    from evalcheck.inputs import load_path
    from evalcheck.report.model import parse_report

    report = tmp_path / "报告.yaml"
    report.write_text("单位名称: 某部门\n基本支出: 586.88\n", encoding="utf-8")
    with pytest.raises(Exception) as caught:
        parse_report(load_path(report))
    assert str(caught.value) == f"{report}:2:7: 基本支出：应为对象（{{…}}），实际为数值"
    assert str(caught.value) == str(Checker().check_path(report).error)
