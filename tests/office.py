"""Word and Excel renderings of a report, laid out like the real forms, for import tests.

:func:`blocks` lays a report (the sample files' plain data) out as the Hunan forms print it:
a cover, the narrative, 附件1-1 基础数据表 and 附件1-2 自评表 with their merged cells (一级指标
and 二级指标 merged down their rows, 总分 across the first columns, the 年度预算申请 label down
its block).  :func:`write_docx` and :func:`write_xlsx` write those blocks with python-docx and
openpyxl.  Options give the variants real files have: “权重” for “分值”, “未完成原因分析” for the
reason column, half-width brackets, extra blank rows and an extra blank column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Grid", "Variant", "blocks", "write_docx", "write_xlsx"]


@dataclass
class Grid:
    """A table: rows of cell texts and merged ranges (row0, col0, row1, col1), inclusive."""

    name: str
    rows: list[list[str]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    before: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Variant:
    points: str = "分值"
    reason: str = "偏差原因分析及改进措施"
    halfwidth: bool = False
    blank_rows: bool = False
    blank_column: bool = False
    heading_style: bool = True


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _cover(report: dict[str, Any]) -> list[str]:
    lines = ["部门整体支出绩效自评报告"]
    for key, label in (
        ("评价年度", "评价年度"),
        ("单位名称", "评价单位"),
        ("主管部门", "主管部门"),
        ("填报日期", "填报日期"),
        ("填表人", "填表人"),
        ("联系电话", "联系电话"),
    ):
        if key in report:
            suffix = "年度" if key == "评价年度" else ""
            lines.append(f"{label}：{report[key]}{suffix}")
    return lines


def _narrative(report: dict[str, Any]) -> list[tuple[str, bool]]:
    """(text, is_heading) paragraphs of 正文."""
    out: list[tuple[str, bool]] = []
    for section in report.get("正文", []):
        if "标题" in section:
            out.append((section["标题"], True))
        out.extend((line, False) for line in section.get("内容", "").split("\n") if line)
    return out


def _basic_table(report: dict[str, Any], year: int) -> Grid:
    staff = report.get("人员编制", {})
    costs = report.get("经费控制情况", {})
    rows: list[list[str]] = []
    merges: list[tuple[int, int, int, int]] = []

    def four(cells: list[str]) -> None:
        rows.append([*cells, "", "", ""])
        merges.append((len(rows) - 1, 3, len(rows) - 1, 6))

    four(["财政供养人员情况", "编制数", f"{year}年实际在职人数", "控制率"])
    four(
        [
            "",
            _text(staff.get("编制数")),
            _text(staff.get("实际在职人数")),
            _text(staff.get("编制控制率")),
        ]
    )
    four(["经费控制情况", f"{year - 1}年决算数", f"{year}年预算数", f"{year}年决算数"])

    def cost(label: str, values: dict[str, Any]) -> None:
        four([label, *(_text(values.get(c)) for c in ("上年决算数", "本年预算数", "本年决算数"))])

    three = costs.get("三公经费", {})
    vehicles = three.get("公务用车购置及运行维护费", {})
    cost("三公经费", three)
    cost("   1、公务用车购置和维护经费", vehicles)
    cost("       其中：公车购置", vehicles.get("公车购置", {}))
    cost("             公车运行维护", vehicles.get("公车运行维护", {}))
    cost("   2、出国经费", three.get("出国经费", {}))
    cost("   3、公务接待", three.get("公务接待", {}))
    projects = costs.get("项目支出", {})
    cost("项目支出：", projects)
    for number, item in enumerate(projects.get("明细", []), start=1):
        cost(f"    {number}、{item['名称']}", item)
    cost("……", {})
    operating = costs.get("公用经费", {})
    cost("公用经费", operating)
    for number, item in enumerate(operating.get("其中", [])):
        cost(("    其中：" if number == 0 else "          ") + item["名称"], item)
    cost("政府采购金额", costs.get("政府采购金额", {}))
    cost("部门基本支出预算调整 ", costs.get("部门基本支出预算调整", {}))
    buildings = report.get("楼堂馆所控制情况", {})
    rows.append(
        [
            f"楼堂馆所控制情况\n（{year - 1}年完工项目）",
            "批复规模\n（㎡）",
            "实际规模（㎡）",
            "规模控制率",
            "预算投资（万元）",
            "实际投资（万元）",
            "投资概算控制率",
        ]
    )
    rows.append(
        [
            "",
            *(
                _text(buildings.get(c))
                for c in (
                    "批复规模",
                    "实际规模",
                    "规模控制率",
                    "预算投资",
                    "实际投资",
                    "投资概算控制率",
                )
            ),
        ]
    )
    rows.append(["厉行节约保障措施", _text(report.get("厉行节约保障措施")), "", "", "", "", ""])
    merges.append((len(rows) - 1, 1, len(rows) - 1, 6))
    return Grid(
        "附件1-1",
        rows,
        merges,
        before=[
            "附件1-1",
            "部门整体支出绩效评价基础数据表",
            f"填报单位：{report.get('单位名称', '')}",
        ],
        after=[
            "说明：“项目支出”需要填报基本支出以外的所有项目支出情况，“公用经费”填报基本支出中的一般商品和服务支出。"
        ],
    )


_INCOME_NAMES = {
    "一般公共预算": "  其中：  一般公共预算",
    "政府性基金": "政府性基金拨款",
    "国有资本经营": "国有资本经营预算拨款",
    "社会保险基金": "社会保险基金",
    "纳入专户管理的非税收入": "纳入专户管理的非税收入拨款",
    "其他资金": "其他资金",
}


def _self_table(report: dict[str, Any], variant: Variant) -> Grid:
    execution = report.get("预算执行", {})
    rows: list[list[str]] = []
    merges: list[tuple[int, int, int, int]] = []
    width = 9
    rows.append(["预算单位名称", _text(report.get("单位名称")), *[""] * 7])
    merges.append((0, 1, 0, 8))
    head = len(rows)
    rows.append(
        [
            "年度预\n算申请\n（万元）",
            "",
            "年初\n预算数",
            "全年预算数",
            "全年\n执行数",
            variant.points,
            "执行率",
            "得分",
            "",
        ]
    )
    merges.append((head, 7, head, 8))
    rows.append(
        [
            "",
            "年度资金总额",
            *(
                _text(execution.get(c))
                for c in ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
            ),
            "",
        ]
    )
    merges.append((len(rows) - 1, 7, len(rows) - 1, 8))
    income = [f"{_INCOME_NAMES[k]}：{v}" for k, v in execution.get("按收入性质分", {}).items()]
    spending = [
        ("其中：" if i == 0 else "") + f"{k}：{v}"
        for i, (k, v) in enumerate(execution.get("按支出性质分", {}).items())
    ]
    pairs = [("按收入性质分：", "按支出性质分：")]
    for i in range(max(len(income), len(spending))):
        pairs.append(
            (income[i] if i < len(income) else "", spending[i] if i < len(spending) else "")
        )
    for left, right in pairs:
        rows.append(["", left, "", "", "", right, "", "", ""])
        merges += [(len(rows) - 1, 1, len(rows) - 1, 4), (len(rows) - 1, 5, len(rows) - 1, 8)]
    merges.append((head, 0, len(rows) - 1, 0))
    goals = report.get("年度总体目标", {})
    rows.append(["年度总体目标", "预期目标", "", "", "", "实际完成情况", "", "", ""])
    rows.append(
        ["", _text(goals.get("预期目标")), "", "", "", _text(goals.get("实际完成情况")), "", "", ""]
    )
    for r in (len(rows) - 2, len(rows) - 1):
        merges += [(r, 1, r, 4), (r, 5, r, 8)]
    merges.append((len(rows) - 2, 0, len(rows) - 1, 0))
    start = len(rows)
    rows.append(
        [
            "绩\n效\n指\n标",
            "一级指标",
            "二级指标",
            "三级指标",
            "年度\n指标值",
            "实际\n完成值",
            variant.points,
            "得分",
            variant.reason,
        ]
    )
    open_, close = ("(", ")") if variant.halfwidth else ("（", "）")
    for group in report.get("绩效指标", []):
        first = len(rows)
        level2_start = first
        previous = None
        for index, item in enumerate(group.get("指标", [])):
            level1 = (
                f"{group['一级指标']}{open_}{group.get('分值', '')}分{close}" if index == 0 else ""
            )
            level2 = item.get("二级指标", "")
            if level2 != previous:
                if len(rows) - 1 > level2_start:
                    merges.append((level2_start, 2, len(rows) - 1, 2))
                level2_start = len(rows)
            shown = level2 if level2 != previous else ""
            previous = level2
            rows.append(
                [
                    "",
                    level1,
                    shown,
                    *(
                        _text(item.get(c))
                        for c in (
                            "三级指标",
                            "年度指标值",
                            "实际完成值",
                            "分值",
                            "得分",
                            "偏差原因分析及改进措施",
                        )
                    ),
                ]
            )
        if len(rows) - 1 > level2_start:
            merges.append((level2_start, 2, len(rows) - 1, 2))
        if len(rows) - 1 > first:
            merges.append((first, 1, len(rows) - 1, 1))
    merges.append((start, 0, len(rows) - 1, 0))
    total = report.get("总分", {})
    rows.append(
        ["总分", "", "", "", "", "", _text(total.get("分值")), _text(total.get("得分")), ""]
    )
    merges.append((len(rows) - 1, 0, len(rows) - 1, 5))
    assert all(len(r) == width for r in rows)
    return Grid("附件1-2", rows, merges, before=["附件1-2", "整体支出绩效自评表"])


def _vary(grid: Grid, variant: Variant) -> Grid:
    rows, merges = [list(r) for r in grid.rows], list(grid.merges)
    if variant.blank_column:
        rows = [[r[0], "", *r[1:]] for r in rows]
        merges = [(a, b + (b >= 1), c, d + (d >= 1)) for a, b, c, d in merges]
    if variant.blank_rows:
        # a blank row after the first data rows and one at the very end, outside any merge
        rows.append([""] * len(rows[0]))
    return Grid(grid.name, rows, merges, grid.before, grid.after)


def blocks(
    report: dict[str, Any], variant: Variant = Variant()
) -> list[str | tuple[str, bool] | Grid]:
    """Cover lines, narrative paragraphs ((text, heading)) and the two forms, in print order."""
    out: list[str | tuple[str, bool] | Grid] = [*_cover(report), *_narrative(report)]
    if "经费控制情况" in report or "绩效指标" in report:
        year = int(report.get("评价年度", "2023"))
        out.append(_vary(_basic_table(report, year), variant))
        out.append(_vary(_self_table(report, variant), variant))
    return out


def write_docx(
    items: list[str | tuple[str, bool] | Grid], path: Path, variant: Variant = Variant()
) -> Path:
    import docx

    document = docx.Document()
    for item in items:
        if isinstance(item, Grid):
            for line in item.before:
                document.add_paragraph(line)
            _docx_table(document, item)
            for line in item.after:
                document.add_paragraph(line)
        elif isinstance(item, tuple):
            text, heading = item
            style = "Heading 2" if heading and variant.heading_style else None
            document.add_paragraph(text, style=style)
        else:
            document.add_paragraph(item)
    document.save(str(path))
    return path


def _docx_table(document: Any, grid: Grid) -> None:
    width = len(grid.rows[0])
    table = document.add_table(rows=len(grid.rows), cols=width)
    covered: set[tuple[int, int]] = set()
    for r0, c0, r1, c1 in grid.merges:
        table.cell(r0, c0).merge(table.cell(r1, c1))
        covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - {(r0, c0)}
    for r, row in enumerate(grid.rows):
        for c, text in enumerate(row):
            if (r, c) in covered or not text:
                continue
            cell = table.cell(r, c)
            lines = text.split("\n")
            cell.paragraphs[0].text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)


def write_xlsx(items: list[str | tuple[str, bool] | Grid], path: Path) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    prose = workbook.active
    prose.title = "正文"
    for item in items:
        if isinstance(item, Grid):
            sheet = workbook.create_sheet(item.name)
            for line in item.before:
                sheet.append([line])
            offset = sheet.max_row
            for row in item.rows:
                sheet.append(row)
            for r0, c0, r1, c1 in item.merges:
                sheet.merge_cells(
                    start_row=offset + r0 + 1,
                    start_column=c0 + 1,
                    end_row=offset + r1 + 1,
                    end_column=c1 + 1,
                )
            for line in item.after:
                sheet.append([line])
        else:
            prose.append([item[0] if isinstance(item, tuple) else item])
    workbook.save(str(path))
    return path
