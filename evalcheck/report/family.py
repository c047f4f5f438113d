"""The rest of the family: sections that 项目支出绩效自评表, "三公"经费 statements and 部门预算/决算
说明 print, in the same Chinese terms as the forms.

One :class:`~evalcheck.report.model.Report` holds every member; ``报告类型`` says which one a
report is (given, or detected from what is present by :mod:`.recognise`).  Keys name what is
printed; the variants a province prints for the same column are listed in each description
(the readers map them, a transcriber writes the key given here).

Changes are signed: 减少/下降 are written as negative figures (``增减额: -49``, ``增减率:
"-38.28%"``), so every 增减 identity is one subtraction.
"""

from __future__ import annotations

from pydantic import Field

from .parts import MAX_TABLE_ROWS, Amount, Count, Part, Rate, Score, Text

__all__ = [
    "BudgetStatement",
    "CountStatement",
    "FiscalStatement",
    "Line",
    "PartsStatement",
    "PublicLine",
    "SourceRow",
    "SpendingLine",
]


# --- 项目支出绩效自评表：项目资金 -----------------------------------------------------------------


class SourceRow(Part):
    """One 其中 row of the funds block (当年财政拨款, 上年结转资金, 其他资金 …)."""

    initial_budget: Amount = Field(None, alias="年初预算数", description="四川：年初预算")
    full_year_budget: Amount = Field(
        None, alias="全年预算数", description="四川：调整后预算数；宁夏：调整预算数"
    )
    executed: Amount = Field(None, alias="全年执行数", description="四川：预算执行数")
    rate: Rate = Field(None, alias="执行率", description="四川：预算执行率")
    max_points: Score = Field(None, alias="分值", description="其中各行通常印“/”或留空")
    points: Score = Field(None, alias="得分")


# --- 报表的一行：三公经费与预决算说明 -----------------------------------------------------------


class Line(Part):
    """One item of a statement (a table row or a sentence of 说明) with the columns printed.

    ``增减额``/``增减率`` compare with last year: 本年决算数 with 上年决算数 when a 决算 is
    printed, else 本年预算数 with 上年预算数.  ``完成预算`` is 本年决算数 ÷ 本年预算数;
    ``较预算增减额`` is 本年决算数 − 本年预算数 (较年初预算数增减).
    """

    last_budget: Amount = Field(None, alias="上年预算数")
    last_final: Amount = Field(None, alias="上年决算数")
    budget: Amount = Field(None, alias="本年预算数")
    final: Amount = Field(None, alias="本年决算数")
    change: Amount = Field(None, alias="增减额", description="比上年增减（减少为负），同比增减")
    change_rate: Rate = Field(None, alias="增减率", description="增长为正、下降为负，如 -38.28%")
    share: Rate = Field(None, alias="占比", description="占所属合计的百分比")
    completion: Rate = Field(None, alias="完成预算", description="完成（年初）预算的百分比")
    vs_budget: Amount = Field(
        None, alias="较预算增减额", description="本年决算数比本年预算数增减（决算数大于预算数为正）"
    )
    vs_budget_rate: Rate = Field(None, alias="较预算增减率")


class PublicLine(Line):
    """A line of a "三公"经费 statement, with the counts printed beside the money."""

    groups: Count = Field(None, alias="团组数", description="因公出国（境）团组数（个）")
    batches: Count = Field(None, alias="批次", description="公务接待批次")
    visitors: Count = Field(None, alias="人次", description="出国（境）人次、接待人次")
    domestic_batches: Count = Field(None, alias="国内接待批次")
    domestic_visitors: Count = Field(None, alias="国内接待人次")
    foreign_batches: Count = Field(None, alias="外事接待批次", description="国（境）外公务接待批次")
    foreign_visitors: Count = Field(None, alias="外事接待人次")
    purchased: Count = Field(None, alias="购置数", description="公务用车购置数（辆）")
    purchased_change: Count = Field(None, alias="购置数增减")
    fleet: Count = Field(None, alias="保有量", description="公务用车保有量（辆）")
    fleet_change: Count = Field(None, alias="保有量增减", description="如“保有量减少4辆”写 -4")
    by_source: dict[str, Line] | None = Field(
        None,
        alias="资金来源",
        description="按资金来源分列的栏目（一般公共预算、政府性基金预算……），各栏与本行同名的列",
    )


class SpendingLine(Line):
    """基本支出, 项目支出 …: a spending line with its breakdowns."""

    personnel: Line | None = Field(None, alias="人员经费")
    operating: Line | None = Field(None, alias="公用经费")
    items: dict[str, Line] | None = Field(
        None,
        alias="明细",
        description="按支出经济分类：工资福利支出、商品和服务支出、对个人和家庭的补助、资本性支出……",
    )


class FiscalStatement(Part):
    """财政拨款收入支出: the part of a statement funded by 财政拨款."""

    income_total: Line | None = Field(None, alias="收入合计", description="财政拨款收入总计")
    income: dict[str, Line] | None = Field(
        None, alias="收入", description="一般公共预算财政拨款收入、政府性基金预算财政拨款收入……"
    )
    expenditure_total: Line | None = Field(None, alias="支出合计")
    expenditure: dict[str, Line] | None = Field(
        None, alias="支出", description="一般公共预算财政拨款支出……"
    )


class BudgetStatement(Part):
    """部门预算说明 / 部门决算说明: totals, their parts, shares and changes."""

    income_grand_total: Line | None = Field(None, alias="收入总计", description="含上年结转")
    expenditure_grand_total: Line | None = Field(None, alias="支出总计", description="含年末结转")
    income_total: Line | None = Field(None, alias="收入合计", description="本年收入合计")
    income: dict[str, Line] | None = Field(
        None,
        alias="收入",
        description="收入合计的组成：一般公共预算财政拨款收入、事业收入、其他收入……",
    )
    expenditure_total: Line | None = Field(None, alias="支出合计", description="本年支出合计")
    expenditure: dict[str, SpendingLine] | None = Field(
        None,
        alias="支出",
        description="支出合计的组成：基本支出、项目支出、上缴上级支出……",
    )
    fiscal: FiscalStatement | None = Field(None, alias="财政拨款")


# --- 数目与其列举，金额与其组成 ------------------------------------------------------------------


class CountStatement(Part):
    """ "N个 / N人 / N项" as printed, with the items listed after it or its 其中 parts."""

    subject: Text = Field(None, alias="对象", description="所数的是什么，如 纳入决算编报的单位")
    number: Count = Field(None, alias="数目")
    unit: Text = Field(None, alias="单位", description="个、人、项、辆……")
    listed: list[Text] | None = Field(
        None, alias="列举", max_length=MAX_TABLE_ROWS, description="其后列举的各项，按原文"
    )
    parts: dict[str, Count] | None = Field(
        None, alias="构成", description="其中：行政单位3个、事业单位7个……"
    )
    sentence: Text = Field(None, alias="原文")


class PartsStatement(Part):
    """An amount stated with its 其中 parts (``共完成89.97万元，其中：30万元用于……``)."""

    subject: Text = Field(None, alias="对象")
    total: Amount = Field(None, alias="合计")
    parts: dict[str, Amount] | None = Field(None, alias="其中", description="键为所述用途或项目")
    sentence: Text = Field(None, alias="原文")
