"""The report's tables drawn again as the forms print them: 基本信息, 自评表 (the funds block
with its 资金来源 rows, the indicator table with 一级/二级 merged down their rows, 总分),
附件1-1 基础数据表 (人员编制, 收支, 支出, 支出功能分类, 经费控制情况, 楼堂馆所), the "三公"经费
and 预决算说明 statements, 计数 and 金额构成, and what a document reader could not place.

Each function takes one report's data as read and returns the parts it draws
(``(id, caption, table)``); a part is drawn only when the report prints something for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...inputs.escape import markup
from ...report.kinds import LINES
from .draw import Draw, Part

__all__ = ["FORMS"]

HEADER_KEYS = (
    "单位名称",
    "主管部门",
    "项目名称",
    "实施单位",
    "评价年度",
    "填报日期",
    "填表人",
    "联系电话",
    "自评分数",
    "自评得分",
    "评价等次",
    "自评小组人数",
    "固定资产利用率",
)
FUNDS_COLUMNS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
TARGET_COLUMNS = ("指标性质", "指标值", "度量单位")
LINE_COLUMNS = (*LINES, "较预算增减额", "较预算增减率")
CONTROL_COLUMNS = ("上年决算数", "本年预算数", "本年决算数")


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _table(draw: Draw, caption: str, body: str, css: str = "") -> Part:
    part = draw.part_id()
    return part, caption, f'<table class="{css or "form"}">{body}</table>'


def header(report: Mapping[str, Any], draw: Draw) -> list[Part]:
    part = draw.part_id()
    rows = draw.pairs(report, (), HEADER_KEYS)
    if not rows:
        return []
    return [(part, "基本信息", f'<table class="kv">{"".join(rows)}</table>')]


def _points(report: Mapping[str, Any], title: str) -> str:
    points = _dict(report.get("板块分值"))
    for heading, value in points.items():
        if title in heading and value not in (None, ""):
            return f"（{value}分）"
    return ""


def funds(report: Mapping[str, Any], draw: Draw) -> list[Part]:
    execution = _dict(report.get("预算执行"))
    if not execution:
        return []
    part = draw.part_id()
    keys = ("预算执行",)
    head = "".join(draw.label(c) for c in FUNDS_COLUMNS)
    rows = [f"<tr>{draw.label('年度资金总额')}"]
    rows[0] += "".join(draw.value(execution.get(c), (*keys, c)) for c in FUNDS_COLUMNS) + "</tr>"
    for name, line in _dict(execution.get("资金来源")).items():
        at = (*keys, "资金来源", name)
        cells = "".join(draw.value(_dict(line).get(c), (*at, c)) for c in FUNDS_COLUMNS)
        rows.append(f'<tr><th class="d1">其中：{markup(name)}</th>{cells}</tr>')
    for group in ("按收入性质分", "按支出性质分"):
        for name, value in _dict(execution.get(group)).items():
            cell = draw.value(value, (*keys, group, name), span=' colspan="6"')
            rows.append(f'<tr><th class="d1">{markup(group)}：{markup(name)}</th>{cell}</tr>')
    if "说明" in execution:
        note = draw.value(execution["说明"], (*keys, "说明"), span=' colspan="6"')
        rows.append(f"<tr>{draw.label('说明')}{note}</tr>")
    body = f"<thead><tr><th>项目</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody>"
    caption = "预算执行情况" + _points(report, "预算执行")
    return [(part, caption, f'<table class="form">{body}</table>')]


def _target_columns(groups: list[Any]) -> tuple[str, ...]:
    split = any(
        isinstance(row, dict) and any(c in row for c in TARGET_COLUMNS)
        for group in groups
        for row in _list(_dict(group).get("指标"))
    )
    return TARGET_COLUMNS if split else ("年度指标值",)


def indicators(report: Mapping[str, Any], draw: Draw) -> list[Part]:
    groups = _list(report.get("绩效指标"))
    goals = _dict(report.get("年度总体目标"))
    total = _dict(report.get("总分"))
    parts: list[Part] = []
    if goals:
        part = draw.part_id()
        lines = draw.pairs(goals, ("年度总体目标",), ("预期目标", "实际完成情况"))
        parts.append((part, "年度总体目标", f'<table class="kv goals">{"".join(lines)}</table>'))
    if not groups and not total:
        return parts
    part = draw.part_id()
    targets = _target_columns(groups)
    columns = ("三级指标", *targets, "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
    width = len(columns) + 2
    rows: list[str] = []
    for g, group in enumerate(groups):
        rows += _group(draw, _dict(group), g, columns)
    if total:
        label = draw.label("总分", f' colspan="{width - 3}"')
        cells = draw.value(total.get("分值"), ("总分", "分值"))
        cells += draw.value(total.get("得分"), ("总分", "得分"))
        rows.append(f'<tr class="total">{label}{cells}<td></td></tr>')
    head = "".join(draw.label(c) for c in ("一级指标", "二级指标", *columns))
    body = f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody>"
    caption = "绩效指标" + _points(report, "绩效指标")
    return [*parts, (part, caption, f'<table class="form">{body}</table>')]


def _group(draw: Draw, group: Mapping[str, Any], g: int, columns: tuple[str, ...]) -> list[str]:
    at = ("绩效指标", g)
    items = [_dict(row) for row in _list(group.get("指标"))] or [{}]
    level1 = markup(str(group.get("一级指标") or ""))
    points = ""
    if group.get("分值") not in (None, ""):
        points = draw.value(
            group.get("分值"), (*at, "分值"), tag="span", text=f"（{group['分值']}分）"
        )
    rows = []
    spans = _runs([str(row.get("二级指标") or "") for row in items])
    for r, row in enumerate(items):
        here = (*at, "指标", r)
        cells = ""
        if r == 0:
            cells += f'<th rowspan="{len(items)}">{level1}{points}</th>'
        if spans[r]:
            text = str(row.get("二级指标") or "")
            if row.get("二级指标分值") not in (None, ""):
                text += f"（{row['二级指标分值']}分）"
            span = f' rowspan="{spans[r]}"' if spans[r] > 1 else ""
            also = [draw.path((*here, "二级指标分值"))] if "二级指标分值" in row else []
            cells += draw.value(
                None, (*here, "二级指标"), tag="th", span=span, also=also, text=text
            )
        cells += "".join(draw.value(row.get(c), (*here, c)) for c in columns)
        rows.append(f"<tr>{cells}</tr>")
    return rows


def _runs(names: list[str]) -> list[int]:
    """Rowspans of consecutive equal names (0 for a row merged into the one above)."""
    spans = [0] * len(names)
    start = 0
    for i in range(1, len(names) + 1):
        if i == len(names) or names[i] != names[start] or not names[i]:
            spans[start] = i - start
            start = i
    return spans


def basic(report: Mapping[str, Any], draw: Draw) -> list[Part]:
    parts: list[Part] = []
    staff = _dict(report.get("人员编制"))
    if staff:
        part = draw.part_id()
        rows = draw.pairs(staff, ("人员编制",), list(staff))
        parts.append((part, "人员编制情况", f'<table class="kv">{"".join(rows)}</table>'))
    funds = _dict(report.get("收支情况"))
    if funds:
        part = draw.part_id()
        rows = draw.pairs(funds, ("收支情况",), list(funds))
        parts.append((part, "收支情况", f'<table class="kv">{"".join(rows)}</table>'))
    spending = {k: report[k] for k in ("基本支出", "项目支出") if isinstance(report.get(k), dict)}
    if spending:
        part = draw.part_id()
        body = draw.lines(spending, (), ("年初预算", "全年预算", "决算", "人员经费", "公用经费"))
        parts.append((part, "支出情况（万元）", f'<table class="form">{body}</table>'))
    functions = _dict(report.get("支出功能分类"))
    if functions:
        part = draw.part_id()
        rows = draw.pairs(functions, ("支出功能分类",), list(functions))
        caption = "支出功能分类（万元）"
        head = f"<caption{draw.marks.attributes([draw.path(('支出功能分类',))])}></caption>"
        parts.append((part, caption, f'<table class="kv">{head}{"".join(rows)}</table>'))
    return parts


def cost_control(report: Mapping[str, Any], draw: Draw) -> list[Part]:
    control = _dict(report.get("经费控制情况"))
    buildings = _dict(report.get("楼堂馆所控制情况"))
    parts: list[Part] = []
    if control:
        part = draw.part_id()
        lines = {name: line for name, line in control.items() if isinstance(line, dict)}
        body = draw.lines(lines, ("经费控制情况",), CONTROL_COLUMNS)
        parts.append((part, "经费控制情况（万元）", f'<table class="form">{body}</table>'))
    if buildings:
        part = draw.part_id()
        rows = draw.pairs(buildings, ("楼堂馆所控制情况",), list(buildings))
        parts.append((part, "楼堂馆所控制情况", f'<table class="kv">{"".join(rows)}</table>'))
    return parts


def statements(report: Mapping[str, Any], draw: Draw) -> list[Part]:
    """The "三公"经费 statement and 预决算说明: lines by item, a column per figure printed."""
    parts: list[Part] = []
    public = _dict(report.get("三公经费"))
    if public:
        part = draw.part_id()
        body = draw.lines(public, ("三公经费",), LINE_COLUMNS)
        parts.append((part, "“三公”经费（万元）", f'<table class="form">{body}</table>'))
    statement = _dict(report.get("预决算说明"))
    if statement:
        part = draw.part_id()
        body = draw.lines(statement, ("预决算说明",), LINE_COLUMNS)
        parts.append((part, "预决算说明（万元）", f'<table class="form">{body}</table>'))
    return parts


def records(report: Mapping[str, Any], draw: Draw) -> list[Part]:
    parts: list[Part] = []
    for key, caption, order in (
        ("计数", "所述数目及其列举", ("对象", "数目", "单位", "列举", "构成", "原文")),
        ("金额构成", "所述金额及其组成", ("对象", "合计", "其中", "原文")),
        ("未识别", "未能识别的内容", ("位置", "内容", "原因")),
    ):
        items = _list(report.get(key))
        if items:
            part = draw.part_id()
            body = draw.records(items, (key,), order)
            parts.append((part, caption, f'<table class="form">{body}</table>'))
    return parts


FORMS = (header, funds, indicators, basic, cost_control, statements, records)
