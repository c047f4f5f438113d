"""What a batch overview says of one report: who, what kind, which year, what score.

A reviewer with 2,000 reports sorts and filters them by these few cells (the text batch table,
the HTML overview, the Excel export); they are read from the normalised tree once per report,
cheaply, and travel with the result instead of the whole report.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..inputs.records import dataclass
from .normalise import Figure
from .recognise import TYPE_KEY

__all__ = ["Header", "header_of"]


@dataclass(frozen=True, slots=True)
class Header:
    """The overview cells of one report, as printed (``""`` when the report does not say).

    ``unit``: 单位名称, else 实施单位 or 项目名称 (a project table names its project);
    ``score``/``rate``: 自评分数 (else 自评得分, else 总分.得分) and 预算执行.执行率 as printed,
    with their values for charts (``None`` when not printed or not a number).
    """

    unit: str = ""
    kind: str = ""
    year: str = ""
    score: str = ""
    grade: str = ""
    rate: str = ""
    score_value: float | None = None
    rate_value: float | None = None  # percent: 98.5 for 98.50%
    project: str = ""


def _text(value: Any) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())


def _figure(value: Any) -> tuple[str, float | None]:
    if isinstance(value, Figure):
        number = value.value * 100 if value.percent else value.value
        return value.text, float(number)
    if isinstance(value, Decimal):
        return str(value), float(value)
    return _text(value), None


def header_of(tree: Any) -> Header:
    """The header of a normalised report (or of the first of a list of them)."""
    if isinstance(tree, list):
        tree = next((item for item in tree if isinstance(item, dict)), {})
    if not isinstance(tree, dict):
        return Header()
    total = tree.get("总分")
    score_cell = tree.get("自评分数")
    if score_cell is None:
        score_cell = tree.get("自评得分")
    if score_cell is None and isinstance(total, dict):
        score_cell = total.get("得分")
    score, score_value = _figure(score_cell)
    execution = tree.get("预算执行")
    rate, rate_value = _figure(execution.get("执行率") if isinstance(execution, dict) else None)
    project = _text(tree.get("项目名称"))
    unit = _text(tree.get("单位名称")) or _text(tree.get("实施单位")) or project
    return Header(
        unit=unit,
        kind=_text(tree.get(TYPE_KEY)),
        year=_text(tree.get("评价年度")),
        score=score,
        grade=_text(tree.get("评价等次")),
        rate=rate,
        score_value=score_value,
        rate_value=rate_value,
        project=project,
    )
