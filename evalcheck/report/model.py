"""Step 3: the canonical report model.

Keys in report files are the Chinese terms printed on the forms (附件1-1 基础数据表, 附件1-2 自评表
and the narrative); attributes are English.  Every figure either seed report prints has a place
here.  Unknown keys are kept (``extra="allow"``): provincial templates add fields.
"""

from __future__ import annotations

import types
import typing
from typing import Annotated, Any

import annotated_types
from pydantic import BaseModel, Field

from ..inputs.source import Document
from .family import BudgetStatement, CountStatement, PartsStatement, PublicLine, SourceRow
from .normalise import Kind
from .parts import (
    MAX_TABLE_ROWS,
    TARGET,
    TEXT,
    Amount,
    Count,
    Part,
    Rate,
    Score,
    TargetValue,
    Text,
)
from .stated import (
    Leftover,
    StatedAgain,
    StatedChange,
    StatedCount,
    StatedNoChange,
    StatedNumbering,
    StatedParts,
    StatedShare,
    StatedShares,
    StatedYear,
    Statement,
)
from .tree import ShapeError, normalise_report

__all__ = ["FIGURE_KINDS", "Report", "derive_shape", "field_table", "parse_report"]


# --- 单位基本情况 -----------------------------------------------------------------------------


class Staffing(Part):
    """财政供养人员情况 (附件1-1) and 人员编制情况 in the narrative."""

    establishment: Count = Field(None, alias="编制数")
    establishment_parts: dict[str, Count] | None = Field(
        None, alias="编制构成", description="行政编制、事业编制、工勤编制等，键为表上的名称"
    )
    in_post: Count = Field(None, alias="实际在职人数")
    control_rate: Rate = Field(None, alias="编制控制率")
    retired: Count = Field(None, alias="离退休人数")
    survivors: Count = Field(None, alias="遗属补助人数")


class IncomeByNature(Part):
    """收入按性质分 (also 年度资金总额 按收入性质分 on the Hunan 自评表).

    A source the form does not name is kept and read as an amount (``__pydantic_extra__``),
    so sums over the sources include it and rule EC109 names it.
    """

    __pydantic_extra__: dict[str, Amount]

    general_budget: Amount = Field(None, alias="一般公共预算")
    government_funds: Amount = Field(None, alias="政府性基金")
    state_capital: Amount = Field(None, alias="国有资本经营")
    social_insurance: Amount = Field(None, alias="社会保险基金")
    special_account: Amount = Field(None, alias="纳入专户管理的非税收入")
    other: Amount = Field(None, alias="其他资金")


class Funds(Part):
    """收入支出决算总表 figures quoted in the narrative (预算执行情况)."""

    income_total: Amount = Field(None, alias="收入合计")
    fiscal_appropriation: Amount = Field(None, alias="财政拨款收入")
    income_by_nature: IncomeByNature | None = Field(None, alias="收入构成")
    carried_in: Amount = Field(None, alias="年初结转和结余")
    expenditure_total: Amount = Field(None, alias="支出合计")
    carried_out: Amount = Field(None, alias="年末结转和结余")


# --- 预算执行 -------------------------------------------------------------------------------


class SpendingByNature(Part):
    basic: Amount = Field(None, alias="基本支出")
    project: Amount = Field(None, alias="项目支出")


class BudgetExecution(Part):
    """The 年度资金总额 row of the 自评表 (预算执行率 indicator)."""

    initial_budget: Amount = Field(None, alias="年初预算数")
    full_year_budget: Amount = Field(None, alias="全年预算数")
    executed: Amount = Field(None, alias="全年执行数")
    rate: Rate = Field(None, alias="执行率")
    max_points: Score = Field(None, alias="分值")
    points: Score = Field(None, alias="得分")
    by_income: IncomeByNature | None = Field(None, alias="按收入性质分")
    by_spending: SpendingByNature | None = Field(None, alias="按支出性质分")
    explanation: Text = Field(
        None,
        alias="说明",
        description="执行率偏低、超预算或年中预算调整的原因说明（项目表的“原因”“说明”栏）",
    )
    sources: dict[str, SourceRow] | None = Field(
        None,
        alias="资金来源",
        description="项目表年度资金总额下的其中各行：当年（本年）财政拨款、上年结转资金、其他资金……"
        "（四川：财政资金、财政专户管理资金、单位资金、其他资金），键为表上印的名称",
    )


class BasicExpenditure(Part):
    initial_budget: Amount = Field(None, alias="年初预算")
    full_year_budget: Amount = Field(None, alias="全年预算")
    final: Amount = Field(None, alias="决算")
    personnel: Amount = Field(None, alias="人员经费")
    operating: Amount = Field(None, alias="公用经费")


class ProjectExpenditure(Part):
    initial_budget: Amount = Field(None, alias="年初预算")
    full_year_budget: Amount = Field(None, alias="全年预算")
    final: Amount = Field(None, alias="决算")


# --- 附件1-1 经费控制情况 -----------------------------------------------------------------------


class Columns(Part):
    """The three columns of 经费控制情况: 上年决算数 / 本年预算数 / 本年决算数."""

    last_year_final: Amount = Field(None, alias="上年决算数")
    budget: Amount = Field(None, alias="本年预算数")
    final: Amount = Field(None, alias="本年决算数")


class NamedColumns(Columns):
    name: Text = Field(None, alias="名称")


class VehicleCosts(Columns):
    purchase: Columns | None = Field(None, alias="公车购置")
    running: Columns | None = Field(None, alias="公车运行维护")


class ThreePublicCosts(Columns):
    """三公经费 = 公务用车购置及运行维护费 + 出国经费 + 公务接待."""

    vehicles: VehicleCosts | None = Field(None, alias="公务用车购置及运行维护费")
    abroad: Columns | None = Field(None, alias="出国经费")
    reception: Columns | None = Field(None, alias="公务接待")


class ItemisedColumns(Columns):
    items: list[NamedColumns] | None = Field(None, alias="明细", max_length=MAX_TABLE_ROWS)


class OperatingCosts(Columns):
    items: list[NamedColumns] | None = Field(None, alias="其中", max_length=MAX_TABLE_ROWS)


class CostControl(Part):
    """附件1-1 经费控制情况."""

    three_public: ThreePublicCosts | None = Field(None, alias="三公经费")
    projects: ItemisedColumns | None = Field(None, alias="项目支出")
    operating: OperatingCosts | None = Field(None, alias="公用经费")
    procurement: Columns | None = Field(None, alias="政府采购金额")
    basic_adjustment: Columns | None = Field(None, alias="部门基本支出预算调整")


class BuildingControl(Part):
    """附件1-1 楼堂馆所控制情况."""

    approved_area: Amount = Field(None, alias="批复规模")
    actual_area: Amount = Field(None, alias="实际规模")
    area_control_rate: Rate = Field(None, alias="规模控制率")
    budget_investment: Amount = Field(None, alias="预算投资")
    actual_investment: Amount = Field(None, alias="实际投资")
    investment_control_rate: Rate = Field(None, alias="投资概算控制率")


# --- 附件1-2 绩效指标 -------------------------------------------------------------------------


class Indicator(Part):
    """One row of the indicator table."""

    level2: Text = Field(None, alias="二级指标")
    level3: Text = Field(None, alias="三级指标")
    target: TargetValue = Field(
        None, alias="年度指标值", description="分三栏印时由 指标性质、指标值、度量单位 合成"
    )
    nature: Text = Field(None, alias="指标性质", description="四川、云南等：≥、≤、=、定性")
    target_value: Text = Field(None, alias="指标值", description="与 指标性质、度量单位 分栏印时")
    unit: Text = Field(None, alias="度量单位")
    actual: TargetValue = Field(
        None, alias="实际完成值", description="四川：完成值；宁夏：全年实际值"
    )
    max_points: Score = Field(None, alias="分值", description="权重、指标分值、参考分值")
    points: Score = Field(None, alias="得分")
    deviation_reason: Text = Field(
        None, alias="偏差原因分析及改进措施", description="未完成原因分析、原因分析"
    )
    level2_points: Score = Field(
        None,
        alias="二级指标分值",
        description="二级指标标题上印的分值，如 数量指标（10分）：写在该二级指标的第一行",
    )
    kind: Text = Field(
        None,
        alias="指标类型",
        description="识别结果：“预算执行率”表示该行就是预算执行率指标（宁夏把它放在项目管理下）",
    )


class IndicatorGroup(Part):
    """A 一级指标 with the subtotal printed in its heading, e.g. 产出指标（35分）."""

    level1: Text = Field(None, alias="一级指标")
    max_points: Score = Field(None, alias="分值")
    rows: list[Indicator] | None = Field(None, alias="指标", max_length=MAX_TABLE_ROWS)


class Total(Part):
    max_points: Score = Field(None, alias="分值")
    points: Score = Field(None, alias="得分")


class Goals(Part):
    planned: Text = Field(None, alias="预期目标")
    achieved: Text = Field(None, alias="实际完成情况")


class Section(Part):
    """A narrative section, kept as text for cross-checks against the tables."""

    heading: Text = Field(None, alias="标题")
    body: Text = Field(None, alias="内容")


class StatedFigures(Part):
    """正文数据: the report as its prose states it (the first statement of each figure), every
    figure stated, and the relations the prose states (evalcheck.report.prose)."""

    self_score: Score = Field(None, alias="自评分数")
    team_size: Count = Field(None, alias="自评小组人数")
    fixed_asset_use_rate: Rate = Field(None, alias="固定资产利用率")
    staffing: Staffing | None = Field(None, alias="人员编制")
    funds: Funds | None = Field(None, alias="收支情况")
    execution: BudgetExecution | None = Field(None, alias="预算执行")
    basic: BasicExpenditure | None = Field(None, alias="基本支出")
    projects: ProjectExpenditure | None = Field(None, alias="项目支出")
    by_function: dict[str, Amount] | None = Field(None, alias="支出功能分类")
    cost_control: CostControl | None = Field(None, alias="经费控制情况")
    three_public_statement: dict[str, PublicLine] | None = Field(
        None, alias="三公经费", description="说明正文中所述的“三公”经费各项（与表格各印一次）"
    )
    statement: BudgetStatement | None = Field(
        None, alias="预决算说明", description="说明正文所述的收支数（每栏取第一次所述）"
    )
    statements: list[Statement] | None = Field(None, alias="语句")
    again: list[StatedAgain] | None = Field(None, alias="复述", max_length=MAX_TABLE_ROWS)
    parts: list[StatedParts] | None = Field(None, alias="构成", max_length=MAX_TABLE_ROWS)
    shares: list[StatedShare] | None = Field(None, alias="占比", max_length=MAX_TABLE_ROWS)
    share_totals: list[StatedShares] | None = Field(
        None, alias="占比合计", max_length=MAX_TABLE_ROWS
    )
    changes: list[StatedChange] | None = Field(None, alias="变动", max_length=MAX_TABLE_ROWS)
    no_change: list[StatedNoChange] | None = Field(None, alias="无变化", max_length=MAX_TABLE_ROWS)
    counts: list[StatedCount] | None = Field(None, alias="计数", max_length=MAX_TABLE_ROWS)
    numbering: list[StatedNumbering] | None = Field(None, alias="编号", max_length=MAX_TABLE_ROWS)
    years: list[StatedYear] | None = Field(None, alias="年份", max_length=MAX_TABLE_ROWS)
    leftovers: list[Leftover] | None = Field(None, alias="残留", max_length=MAX_TABLE_ROWS)


class Unread(Part):
    """A piece of a document the reader could not place (未识别): where, what, and why."""

    where: Text = Field(None, alias="位置", description="如 表2 第5行 第3列、第2页 …、12:5")
    content: Text = Field(None, alias="内容")
    reason: Text = Field(None, alias="原因")


class Reading(Part):
    """Characters read as something else (读法): PDF radicals, traditional forms, OCR slips."""

    original: Text = Field(None, alias="原文")
    read_as: Text = Field(None, alias="读作")
    reason: Text = Field(None, alias="原因")
    count: Count = Field(None, alias="次数")
    where: Text = Field(None, alias="首次位置")


class Report(Part):
    """One member of the family: 部门整体支出绩效自评, 项目支出绩效自评表, "三公"经费说明 or
    部门预算/决算说明 (``报告类型``, detected from what is present when not given)."""

    schema_ref: str | None = Field(None, alias="$schema")
    report_type: Text = Field(
        None,
        alias="报告类型",
        description="部门整体支出绩效自评、项目支出绩效自评表、三公经费说明、部门预算决算说明；"
        "未填写时按报告中有哪些部分识别",
    )
    project: Text = Field(None, alias="项目名称")
    implementer: Text = Field(None, alias="实施单位")
    unit: Text = Field(None, alias="单位名称")
    department: Text = Field(None, alias="主管部门")
    year: Text = Field(None, alias="评价年度")
    filed_on: Text = Field(None, alias="填报日期")
    filed_by: Text = Field(None, alias="填表人")
    phone: Text = Field(None, alias="联系电话")
    self_score: Score = Field(None, alias="自评分数")
    header_score: Score = Field(None, alias="自评得分", description="项目自评表表头的自评得分")
    grade: Text = Field(None, alias="评价等次")
    team_size: Count = Field(None, alias="自评小组人数")
    fixed_asset_use_rate: Rate = Field(None, alias="固定资产利用率")
    staffing: Staffing | None = Field(None, alias="人员编制")
    funds: Funds | None = Field(None, alias="收支情况")
    execution: BudgetExecution | None = Field(None, alias="预算执行")
    basic: BasicExpenditure | None = Field(None, alias="基本支出")
    projects: ProjectExpenditure | None = Field(None, alias="项目支出")
    by_function: dict[str, Amount] | None = Field(
        None, alias="支出功能分类", description="功能分类科目 → 金额（万元）"
    )
    cost_control: CostControl | None = Field(None, alias="经费控制情况")
    buildings: BuildingControl | None = Field(None, alias="楼堂馆所控制情况")
    thrift_measures: Text = Field(None, alias="厉行节约保障措施")
    goals: Goals | None = Field(None, alias="年度总体目标")
    indicators: list[IndicatorGroup] | None = Field(
        None, alias="绩效指标", max_length=MAX_TABLE_ROWS
    )
    total: Total | None = Field(None, alias="总分", description="总分、合计行")
    heading_points: dict[str, Score] | None = Field(
        None,
        alias="板块分值",
        description="板块标题上印的分值，如 预算执行情况（10分）、绩效指标（90分）；键为标题文字",
    )
    incomplete: Text = Field(
        None,
        alias="表格不完整",
        description="表格在某处中断（页面缺失、摘录截断）：写明缺在何处；"
        "此时合计类检查只核对已印部分所能达到的上限",
    )
    statement: BudgetStatement | None = Field(
        None, alias="预决算说明", description="部门预算说明、部门决算说明中的收支、占比与增减"
    )
    three_public_statement: dict[str, PublicLine] | None = Field(
        None,
        alias="三公经费",
        description="“三公”经费说明（表）：合计、因公出国（境）费、公务接待费、"
        "公务用车购置及运行维护费、公务用车购置费、公务用车运行维护费，键为项目名称",
    )
    counts: list[CountStatement] | None = Field(
        None, alias="计数", max_length=MAX_TABLE_ROWS, description="“N个/N人/N项”及其列举"
    )
    breakdowns: list[PartsStatement] | None = Field(
        None, alias="金额构成", max_length=MAX_TABLE_ROWS, description="所述金额及其“其中”各项"
    )
    narrative: list[Section] | None = Field(None, alias="正文", max_length=MAX_TABLE_ROWS)
    stated: StatedFigures | None = Field(
        None, alias="正文数据", description="正文中所述的数字；未给出时由检查工具从“正文”中读取"
    )
    unread: list[Unread] | None = Field(
        None,
        alias="未识别",
        description="导入 Word/Excel/PDF/网页/文本时未能对应到报告项目的内容（位置、内容、原因）",
    )
    readings: list[Reading] | None = Field(None, alias="读法", description="按原意读取的字符")


FIGURE_KINDS = {"amount": Kind.AMOUNT, "rate": Kind.RATE, "count": Kind.COUNT, "score": Kind.SCORE}


def field_table(model: type[BaseModel]) -> dict[str, tuple[str, Any]]:
    """Alias → (attribute, annotation) for one model: how rule names reach attributes."""
    return {
        (info.alias or name): (name, info.annotation) for name, info in model.model_fields.items()
    }


def parse_report(document: Document) -> Report:
    """Validate a loaded document; a wrong type is reported at its line:col with its key path,
    in the same words as the checker (both read cells through :func:`normalise_report`)."""
    try:
        normalise_report(document.data)
    except ShapeError as exc:
        raise exc.located(document.source) from None
    return Report.model_validate(document.data)


def derive_shape(model: type[BaseModel] = Report) -> dict[str, Any]:
    """The report's shape as plain data (``evalcheck/report/shape.json``).

    The checker reads reports through this table instead of through pydantic, so a command-line
    run does not pay pydantic's import and schema-building time; a test keeps the committed
    file equal to what this function derives from the model.
    """
    shape: dict[str, Any] = {
        "type": "section",
        "fields": {
            (info.alias or name): _shape_of(info.annotation, info.metadata)
            for name, info in model.model_fields.items()
        },
    }
    extra = typing.get_type_hints(model, include_extras=True).get("__pydantic_extra__")
    if extra is not None:  # keys the form does not name, read as figures all the same
        shape["others"] = _shape_of(typing.get_args(extra)[1], [])
    return shape


def _shape_of(annotation: Any, metadata: list[Any]) -> dict[str, Any]:
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        inner, *extra = typing.get_args(annotation)
        return _shape_of(inner, [*metadata, *extra])
    for marker in metadata:
        if isinstance(marker, Kind):
            return {"type": "figure", "kind": marker.value}
        if marker in (TARGET, TEXT):
            return {"type": marker}
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _shape_of(inner[0], metadata)
    if origin is list:
        shape: dict[str, Any] = {
            "type": "list",
            "of": _shape_of(typing.get_args(annotation)[0], []),
        }
        limits = [m.max_length for m in metadata if isinstance(m, annotated_types.MaxLen)]
        if limits:
            shape["max"] = min(limits)
        return shape
    if origin is dict:
        return {"type": "map", "of": _shape_of(typing.get_args(annotation)[1], [])}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return derive_shape(annotation)
    return {"type": "text"}


SCHEMA_ID = "urn:evalcheck:schema:report"


def schema_text() -> str:
    """The JSON Schema of the report model, as committed in ``schema/report.schema.json``."""
    import json

    schema = Report.model_json_schema(by_alias=True)
    defs = schema.pop("$defs", {})
    assert "Report" not in defs
    defs["Report"] = {**schema, "title": "报告"}
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "绩效自评报告与预决算说明（evalcheck 报告格式）",
        "description": "一份报告（对象），或一个文件中的多份报告（对象的列表，如一页上的两个项目表）。",
        "$defs": defs,
        "anyOf": [
            {"$ref": "#/$defs/Report"},
            {"type": "array", "items": {"$ref": "#/$defs/Report"}, "minItems": 1},
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":  # python -m evalcheck.report.model > evalcheck/report/shape.json
    import json

    print(json.dumps(derive_shape(), ensure_ascii=False, indent=1))
