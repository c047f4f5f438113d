"""What the printed parts of a report imply, added to its tree before any rule runs.

* ``报告类型``: which member of the family a report is, from the parts it holds (when the report
  does not say).
* A target printed over three cells (四川、云南: 指标性质 ``≥`` / 指标值 ``95`` / 度量单位 ``%``)
  is read as one ``年度指标值``, direction included.
* A "reverse" indicator — 成本, 预算调整率, 结转结余率, 投诉率, 差错率 … — is reached at or below its
  target: a number printed without a comparison is read as ``≤``.
* The 预算执行率 row of an indicator table (宁夏 puts it under 项目管理) is marked
  ``指标类型: 预算执行率``, so rules check it like the 年度资金总额 row and never count it twice.

Everything here is derived from cells already read; nothing is read twice, nothing is guessed
from running text.
"""

from __future__ import annotations

import re
from typing import Any

from .normalise import Comparison, NumberError, Target, read_target, to_halfwidth

__all__ = [
    "EXECUTION_ROW",
    "PROJECT",
    "REPORT_TYPES",
    "REVERSE_WORDS",
    "is_reverse",
    "recognise",
    "report_type",
]

WHOLE = "部门整体支出绩效自评"
PROJECT = "项目支出绩效自评表"
PUBLIC_COSTS = "三公经费说明"
STATEMENT = "部门预算决算说明"
REPORT_TYPES = (WHOLE, PROJECT, PUBLIC_COSTS, STATEMENT)

TYPE_KEY = "报告类型"
EXECUTION_ROW = "预算执行率"
_EXECUTION_NAMES = frozenset({"预算执行率", "预算资金执行率", "资金执行率", "项目预算执行率"})

# Parts that only one member prints, in the order they decide: a project table may quote its
# department, a budget explanation may hold a 三公 section.
_PROJECT_KEYS = ("项目名称", "实施单位")
_WHOLE_KEYS = ("人员编制", "经费控制情况", "绩效指标", "预算执行", "收支情况", "基本支出")

REVERSE_WORDS = (
    "成本",
    "预算调整率",
    "结转结余率",
    "结余率",
    "投诉率",
    "差错率",
    "事故率",
    "发生率",
    "失误率",
    "不合格率",
    "违规",
    "超支",
    "损失",
)
_NOT_REVERSE = ("节约", "节省", "降低率", "下降率", "达标")


def recognise(tree: dict[str, Any]) -> dict[str, Any]:
    """Add what the parts imply to a freshly normalised tree (changed in place, returned)."""
    if tree.get(TYPE_KEY) is None:
        kind = report_type(tree)
        if kind is not None:
            tree[TYPE_KEY] = kind
    groups = tree.get("绩效指标")
    if isinstance(groups, list):
        for group in groups:
            rows = group.get("指标") if isinstance(group, dict) else None
            for row in rows if isinstance(rows, list) else ():
                if isinstance(row, dict):
                    _indicator(row)
    return tree


def report_type(tree: dict[str, Any]) -> str | None:
    """The member of the family a report is, from the parts it holds."""
    if any(tree.get(key) is not None for key in _PROJECT_KEYS) or _has_sources(tree):
        return PROJECT
    if any(tree.get(key) is not None for key in _WHOLE_KEYS):
        return WHOLE
    if tree.get("预决算说明") is not None:
        return STATEMENT
    if tree.get("三公经费") is not None:
        return PUBLIC_COSTS
    return None


def _has_sources(tree: dict[str, Any]) -> bool:
    execution = tree.get("预算执行")
    return isinstance(execution, dict) and execution.get("资金来源") is not None


def _indicator(row: dict[str, Any]) -> None:
    if row.get("年度指标值") is None:
        joined = _joined_target(row)
        if joined is not None:
            row["年度指标值"] = joined
    target = row.get("年度指标值")
    if (
        isinstance(target, Target)
        and target.figure is not None
        and target.comparison is None
        and is_reverse(row)
    ):
        row["年度指标值"] = Target(target.text, Comparison.AT_MOST, target.figure)
    if row.get("指标类型") is None and _name(row.get("三级指标")) in _EXECUTION_NAMES:
        row["指标类型"] = EXECUTION_ROW


def _joined_target(row: dict[str, Any]) -> Target | None:
    """指标性质 + 指标值 + 度量单位, read as the one target they print."""
    value = row.get("指标值")
    if not isinstance(value, str):
        return None
    nature = row.get("指标性质")
    unit = row.get("度量单位")
    prefix = nature if isinstance(nature, str) and nature.strip() not in ("定性", "定量") else ""
    suffix = unit if isinstance(unit, str) else ""
    try:
        return read_target(f"{prefix.strip()}{value.strip()}{suffix.strip()}")
    except NumberError:  # pragma: no cover - read_target keeps unreadable text as text
        return None


def is_reverse(row: dict[str, Any]) -> bool:
    """A lower-is-better indicator, known by its name (成本, 投诉率 …)."""
    name = _name(row.get("三级指标"))
    if not name:
        return False
    if any(word in name for word in _NOT_REVERSE):
        return False
    return any(word in name for word in REVERSE_WORDS)


_SPACES = re.compile(r"\s+")


def _name(value: Any) -> str:
    return _SPACES.sub("", to_halfwidth(value)) if isinstance(value, str) else ""
