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
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from ..inputs.source import Document
from .normalise import (
    Figure,
    Kind,
    NumberError,
    ShapeError,
    Target,
    normalise_report,
    read_figure,
    read_target,
    read_text,
)

__all__ = ["FIGURE_KINDS", "Report", "derive_shape", "field_table", "parse_report"]


def _figure_validator(kind: Kind) -> PlainValidator:
    def validate(raw: object) -> Figure | None:
        if isinstance(raw, Figure):
            return raw
        try:
            return read_figure(raw, kind)
        except NumberError as exc:
            raise PydanticCustomError("figure", str(exc)) from None

    return PlainValidator(validate)


def _serialize_figure(figure: Figure | None) -> Any:
    return None if figure is None else figure.text


_NUMBER_SCHEMA = {
    "amount": {
        "type": ["number", "string", "null"],
        "description": '金额（万元），可写作 586.88、"586.88万元"、"5,868,800元"；空白表示未填',
    },
    "rate": {
        "type": ["number", "string", "null"],
        "description": '百分率，如 "100.00%"；纯数字视为百分数',
    },
    "count": {"type": ["integer", "string", "null"], "description": "人数或个数（整数）"},
    "score": {"type": ["number", "string", "null"], "description": "分值或得分"},
}


Amount = Annotated[
    Figure | None,
    Kind.AMOUNT,
    _figure_validator(Kind.AMOUNT),
    PlainSerializer(_serialize_figure),
    WithJsonSchema(_NUMBER_SCHEMA["amount"]),
]
Rate = Annotated[
    Figure | None,
    Kind.RATE,
    _figure_validator(Kind.RATE),
    PlainSerializer(_serialize_figure),
    WithJsonSchema(_NUMBER_SCHEMA["rate"]),
]
Count = Annotated[
    Figure | None,
    Kind.COUNT,
    _figure_validator(Kind.COUNT),
    PlainSerializer(_serialize_figure),
    WithJsonSchema(_NUMBER_SCHEMA["count"]),
]
Score = Annotated[
    Figure | None,
    Kind.SCORE,
    _figure_validator(Kind.SCORE),
    PlainSerializer(_serialize_figure),
    WithJsonSchema(_NUMBER_SCHEMA["score"]),
]


# A 自评表 has 20 to 60 indicator rows; a table far longer is not a report, and checking every
# row of it would take minutes and gigabytes (rules run per row).
MAX_TABLE_ROWS = 1000

TARGET = "target"  # markers the shape derivation reads from the annotations
TEXT = "text"


def _validate_target(raw: object) -> Target | None:
    if isinstance(raw, Target):
        return raw
    try:
        return read_target(raw)
    except NumberError as exc:
        raise PydanticCustomError("target", str(exc)) from None


TargetValue = Annotated[
    Target | None,
    TARGET,
    PlainValidator(_validate_target),
    PlainSerializer(lambda t: None if t is None else t.text),
    WithJsonSchema(
        {"type": ["number", "string", "null"], "description": '如 "≥98%"、"≤0.5万元"、"计划内"'}
    ),
]


def _validate_text(raw: object) -> str | None:
    try:
        return read_text(raw)
    except NumberError as exc:
        raise PydanticCustomError("text", str(exc)) from None


Text = Annotated[
    str | None,
    TEXT,
    PlainValidator(_validate_text),
    WithJsonSchema({"type": ["string", "number", "null"]}),
]


class Part(BaseModel):
    """Base of every section: Chinese aliases, unknown keys kept, blank means absent."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, frozen=True)


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
    """收入按性质分 (also 年度资金总额 按收入性质分 on the Hunan 自评表)."""

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
        None, alias="说明", description="执行率偏低、超预算或年中预算调整的原因说明"
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
    target: TargetValue = Field(None, alias="年度指标值")
    actual: TargetValue = Field(None, alias="实际完成值")
    max_points: Score = Field(None, alias="分值")
    points: Score = Field(None, alias="得分")
    deviation_reason: Text = Field(None, alias="偏差原因分析及改进措施")


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


class Statement(Part):
    """A figure the prose states, as read from 正文 (see evalcheck.report.narrative)."""

    label: Text = Field(None, alias="标签")
    value: Text = Field(None, alias="数值", description="如 303.93万元、19人、96分")
    unit: Text = Field(None, alias="单位")
    field_path: Text = Field(
        None, alias="对应项目", description="所述的报告项目，如 基本支出.人员经费；无法对应时为空"
    )
    sentence: Text = Field(None, alias="原文")
    where: Text = Field(None, alias="出处", description="如 正文[8].内容")
    note: Text = Field(None, alias="说明", description="无法对应到报告项目的原因")


class StatedFigures(Part):
    """正文数据: the report as its prose states it (the first statement of each figure wins)."""

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
    statements: list[Statement] | None = Field(None, alias="语句")


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
    """部门整体支出绩效自评报告."""

    schema_ref: str | None = Field(None, alias="$schema")
    unit: Text = Field(None, alias="单位名称")
    department: Text = Field(None, alias="主管部门")
    year: Text = Field(None, alias="评价年度")
    filed_on: Text = Field(None, alias="填报日期")
    filed_by: Text = Field(None, alias="填表人")
    phone: Text = Field(None, alias="联系电话")
    self_score: Score = Field(None, alias="自评分数")
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
    total: Total | None = Field(None, alias="总分")
    narrative: list[Section] | None = Field(None, alias="正文")
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
    return {
        "type": "section",
        "fields": {
            (info.alias or name): _shape_of(info.annotation, info.metadata)
            for name, info in model.model_fields.items()
        },
    }


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
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "title": "部门整体支出绩效自评报告",
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":  # python -m evalcheck.report.model > evalcheck/report/shape.json
    import json

    print(json.dumps(derive_shape(), ensure_ascii=False, indent=1))
