"""``正文数据``: the report as its prose states it — the model part (:mod:`.prose` reads it).

The field tree repeats the report's own sections (the first value the prose gives for each
field); the lists hold what the prose says beyond single figures: parts of a whole, shares,
changes, claims of no change, counts and their lists, numbering, year words, template text,
and a field stated again with another value.  Each list item keeps the sentence (``原文``).
"""

from __future__ import annotations

from pydantic import Field

from .parts import MAX_TABLE_ROWS, Amount, Count, Part, Rate, Text

__all__ = [
    "Leftover",
    "StatedAgain",
    "StatedChange",
    "StatedCount",
    "StatedNoChange",
    "StatedNumbering",
    "StatedParts",
    "StatedShare",
    "StatedShares",
    "StatedYear",
    "Statement",
]


class Statement(Part):
    """A figure the prose states, as read from 正文 or a table cell holding prose."""

    label: Text = Field(None, alias="标签")
    value: Text = Field(None, alias="数值", description="如 303.93万元、19人、96分")
    unit: Text = Field(None, alias="单位")
    column: Text = Field(
        None, alias="列", description="支配该数字的栏目词：本年预算、上年决算、年初预算……"
    )
    role: Text = Field(
        None,
        alias="种类",
        description="数值以外的：上年数、增减额、增减率、较预算增减额、完成预算、占比",
    )
    field_path: Text = Field(
        None, alias="对应项目", description="所述的报告项目，如 基本支出.人员经费；无法对应时为空"
    )
    used: Text = Field(None, alias="用于", description="核对它的条目，如 变动[2]")
    sentence: Text = Field(None, alias="原文")
    where: Text = Field(
        None, alias="出处", description="如 正文[8].内容、年度总体目标.实际完成情况"
    )
    note: Text = Field(None, alias="说明", description="无法对应到报告项目的原因")


class StatedAgain(Part):
    """A field the prose states again with another value than the first time."""

    field_path: Text = Field(None, alias="对应项目")
    value: Amount = Field(None, alias="数值", description="此处所述")
    first: Amount = Field(None, alias="前文", description="正文第一次所述")
    table: Amount = Field(None, alias="表中", description="表格（或报告其他部分）中的同一项目")
    sentence: Text = Field(None, alias="原文")


class StatedParts(Part):
    """A total and its 其中 / 包括 / bracketed parts."""

    subject: Text = Field(None, alias="对象")
    column: Text = Field(None, alias="列")
    total: Amount = Field(None, alias="合计")
    parts: dict[str, Amount] | None = Field(None, alias="其中")
    complete: Text = Field(
        None, alias="完整", description="是：所列各项是合计的全部组成；否：只列了一部分"
    )
    sentence: Text = Field(None, alias="原文")


class StatedShare(Part):
    """``占……的 N%`` of a figure."""

    subject: Text = Field(None, alias="对象")
    value: Amount = Field(None, alias="数值")
    whole: Text = Field(None, alias="整体")
    whole_value: Amount = Field(None, alias="整体数", description="整体的数额（正文中印出时）")
    share: Rate = Field(None, alias="占比")
    sentence: Text = Field(None, alias="原文")


class StatedShares(Part):
    """The shares printed for the parts of one whole."""

    whole: Text = Field(None, alias="整体")
    shares: dict[str, Rate] | None = Field(None, alias="各项")
    complete: Text = Field(None, alias="完整", description="是：各项是整体的全部组成")
    sentence: Text = Field(None, alias="原文")


class StatedChange(Part):
    """One item's change as one sentence prints it (decreases negative)."""

    subject: Text = Field(None, alias="对象")
    base: Text = Field(None, alias="比较", description="上年、预算或所比的年份")
    current: Amount = Field(None, alias="本年数")
    last: Amount = Field(None, alias="上年数")
    change: Amount = Field(None, alias="增减额")
    change_rate: Rate = Field(None, alias="增减率")
    budget: Amount = Field(None, alias="预算数")
    vs_budget: Amount = Field(None, alias="较预算增减额")
    vs_budget_rate: Rate = Field(None, alias="较预算增减率")
    completion: Rate = Field(None, alias="完成预算")
    sentence: Text = Field(None, alias="原文")


class StatedNoChange(Part):
    """无变化 / 持平 / 无增减 / 与上年一致, with the figures it is said of."""

    subject: Text = Field(None, alias="对象")
    word: Text = Field(None, alias="说法")
    base: Text = Field(None, alias="比较")
    current: Amount = Field(None, alias="本年数")
    other: Amount = Field(None, alias="对比数", description="上年数，或与预算比时的预算数")
    change: Amount = Field(None, alias="增减额")
    sentence: Text = Field(None, alias="原文")


class StatedCount(Part):
    """“N个 / N人” with the items listed after it or its 其中 parts."""

    subject: Text = Field(None, alias="对象")
    number: Count = Field(None, alias="数目")
    unit: Text = Field(None, alias="单位")
    listed: list[Text] | None = Field(None, alias="列举", max_length=MAX_TABLE_ROWS)
    repeated: list[Text] | None = Field(None, alias="重复", description="列举中出现了不止一次的项")
    parts: dict[str, Count] | None = Field(None, alias="构成")
    complete: Text = Field(None, alias="完整")
    sentence: Text = Field(None, alias="原文")


class StatedNumbering(Part):
    """A numbered list whose numbers repeat or skip."""

    style: Text = Field(None, alias="样式", description="1、  (1)  一、  (一) ……")
    numbers: list[Count] | None = Field(None, alias="编号", max_length=MAX_TABLE_ROWS)
    repeated: list[Count] | None = Field(None, alias="重复")
    sentence: Text = Field(None, alias="原文")


class StatedYear(Part):
    """A year word that contradicts the evaluation year where the text speaks of this year."""

    year: Text = Field(None, alias="年份")
    evaluated: Text = Field(None, alias="评价年度")
    reason: Text = Field(None, alias="理由")
    sentence: Text = Field(None, alias="原文")


class Leftover(Part):
    """Text of the blank form, a placeholder or a Word field error left in the report."""

    kind: Text = Field(None, alias="类别")
    content: Text = Field(None, alias="内容")
    sentence: Text = Field(None, alias="原文")
