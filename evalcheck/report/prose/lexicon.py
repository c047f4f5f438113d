"""The words the prose reader knows: units, columns, comparisons, directions, claims, item names.

Every list here is vocabulary printed in real statements (三公经费说明, 部门预算/决算说明, 自评报告);
the grammar that uses them is in :mod:`.clauses` and :mod:`.grammar`.  Nothing is matched as a
bare substring where a longer word contains it: 一般公共预算 is a fund, not the 预算 column;
财政预算拨款 is a source of income, not a budget figure (:data:`NOT_COLUMNS` masks them first).
"""

from __future__ import annotations

import re
from decimal import Decimal

__all__ = [
    "AMOUNT_UNITS",
    "CATEGORIES",
    "CHANGE_WORDS",
    "COUNT_UNITS",
    "FUNCTIONS",
    "NOT_COLUMNS",
    "PUBLIC_ITEMS",
    "column_of",
    "column_span",
    "direction_of",
    "in_wan",
    "masked",
]

AMOUNT_UNITS = {"万元": "万元", "亿元": "亿元", "千元": "千元", "元": "元", "万": "万元"}
RATE_UNITS = ("%", "％")
COUNT_UNITS = (
    "人次",
    "批次",
    "人",
    "名",
    "个",
    "家",
    "项",
    "辆",
    "所",
    "条",
    "户",
    "批",
    "台",
    "次",
)
SCORE_UNITS = ("分",)

# --- columns -------------------------------------------------------------------------------

# Compounds that hold a column word but are not one: funds, documents, institutions, and the
# names of spending categories that end in 支出 (基本支出 is an item, its 支出 no column).
FUNCTIONS = (
    "一般公共服务",
    "外交",
    "国防",
    "公共安全",
    "教育",
    "科学技术",
    "文化旅游体育与传媒",
    "社会保障和就业",
    "社会保险基金",
    "卫生健康",
    "节能环保",
    "城乡社区",
    "农林水",
    "交通运输",
    "资源勘探工业信息等",
    "商业服务业等",
    "金融",
    "援助其他地区",
    "自然资源海洋气象等",
    "住房保障",
    "粮油物资储备",
    "灾害防治及应急管理",
    "其他",
)
CATEGORIES = (
    "基本",
    "项目",
    "经营",
    "上缴上级",
    "对附属单位补助",
    "工资福利",
    "商品和服务",
    "对个人和家庭(?:的)?补助",
    "资本性",
    "人员经费",
    "公用经费",
)
NOT_COLUMNS = re.compile(
    r"一般公共预算|政府性基金预算|国有资本经营预算|社会保险基金预算|四本预算|部门预算|单位预算|"
    r"财政预算|预算拨款|预算单位|预算法|预算管理|预算绩效|预算编制|预算资金|预算内|预算外|预算批复|"
    r"预算执行率|预算完成率|预算调整率|预决算|决算报表|决算公开|部门决算|单位决算|决算编报|决算草案|"
    r"支出合计|收入合计|支出总计|收入总计|支出绩效|支出结构|支出功能|支出经济|支出性质|支出范围|支出进度|支出标准|"
    r"(?:" + "|".join(FUNCTIONS + CATEGORIES) + r")支出"
)

# (pattern, (time, basis)): the LAST column word before a figure governs it.  time: 本年/上年;
# basis: 预算 (年初, 全年 = adjusted), 决算 (executed).  None = not said by this word.
_COLUMNS: tuple[tuple[str, tuple[str | None, str]], ...] = (
    (r"上年(?:度)?(?:同期)?决算(?:数)?", ("上年", "决算")),
    (r"上年(?:度)?(?:同期)?预算(?:数)?", ("上年", "预算")),
    (r"上年(?:度)?(?:同期)?(?:实际)?支出(?:数)?", ("上年", "决算")),
    (r"年初(?:批复)?预算(?:数)?(?:安排(?:数)?)?|年初(?:批复)?安排(?:数)?", (None, "年初预算")),
    (r"调整后(?:的)?预算(?:数)?|调整预算(?:数)?|全年预算(?:数)?|预算调整后", (None, "全年预算")),
    (
        r"预算执行数|全年执行数|执行数|实际执行|实际支出(?:数)?|全年支出|实际发生|实际使用|实际发放|"
        r"实际完成",
        (None, "决算"),
    ),
    (r"决算(?:数|支出(?:数)?)?", (None, "决算")),
    (r"(?:支出)?预算(?:数|安排(?:数)?|总额|总计|合计)?|(?<!实际)安排(?:数)?", (None, "预算")),
    (r"(?:合计)?支出(?:数|合计|总额|共计|总计)?|开支", (None, "支出")),
)
_COLUMN = re.compile("|".join(f"({p})" for p, _ in _COLUMNS))


def masked(text: str) -> str:
    """``text`` with the compounds of :data:`NOT_COLUMNS` blanked (same length)."""
    return NOT_COLUMNS.sub(lambda m: "□" * len(m.group(0)), text)


def column_of(label: str) -> tuple[str | None, str | None, int]:
    """(time, basis, where the column word starts) of the last column word of ``label``;
    (None, None, len(label)) when it says none."""
    time, basis, start, _ = column_span(label)
    return time, basis, start


def column_span(label: str) -> tuple[str | None, str | None, int, int]:
    """(time, basis, start, end) of the last column word of ``label``."""
    found = next(reversed(list(_COLUMN.finditer(masked(label)))), None)
    if found is None:
        return None, None, len(label), len(label)
    index = found.lastindex or 1
    time, basis = _COLUMNS[index - 1][1]
    return time, basis, found.start(), found.end()


# --- comparisons and directions ----------------------------------------------------------------

UP = ("增加", "增长", "上升", "上涨", "提高", "增", "多", "超支", "超出", "大于", "高于")
DOWN = (
    "减少",
    "下降",
    "降低",
    "压减",
    "缩减",
    "节约",
    "节省",
    "减",
    "少",
    "小于",
    "低于",
    "下调",
)
CHANGE_WORDS = re.compile(
    r"(?:增加|增长|上升|上涨|提高|超支|超出|大于|高于|减少|下降|降低|压减|缩减|节约|节省|小于|低于|"
    r"下调|增|减|多|少)(?:了|幅度为|幅度|额为|额|率为|率|为|达)?\s*$"
)


def direction_of(word: str) -> int:
    """+1 for a word of increase, -1 for one of decrease, 0 otherwise."""
    if any(word.startswith(w) for w in UP):
        return 1
    if any(word.startswith(w) for w in DOWN):
        return -1
    return 0


# The base a change is measured from, as printed before the direction word.
LAST_YEAR_BASE = re.compile(
    r"(?:比|较|与|同)(?:上年|去年|上一年|上年度)(?:同期)?(?:的)?(?:预算数?|决算数?|支出数?|实际支出数?)?"
    r"(?:字)?(?:相比|相较|对比)?|同比|比上年|较上年"
)
YEAR_BASE = re.compile(
    r"(?:比|较|与)(?P<year>(?:19|20)\d\d)年(?:度)?(?:同期)?(?:的)?(?:预算数?|决算数?|支出数?)?"
    r"(?:相比|相较)?"
)
BUDGET_BASE = re.compile(
    r"(?:比|较|与|同)(?:年初|本年|当年|全年|调整后)?(?:预算数?|预算安排数?)(?:相比|相较)?"
)

NO_CHANGE = re.compile(
    r"(?<!基本)(?:持平|无变化|没有变化|无增减(?:变化)?|未发生变化|保持不变|一致)"
)

# --- items ----------------------------------------------------------------------------------

# "三公"经费 lines by the family's key (report/family.py), with the names printed for them.
PUBLIC_ITEMS: tuple[tuple[str, str], ...] = (
    (
        r"公务用车(?:购置及|购置和|购置与)(?:运行|运维|维护)(?:维护)?(?:费用|经费|费|支出)?|公务用车(?:费用|费|经费)|"
        r"(?:车辆|公车)购置及运行(?:维护)?(?:费用|经费|费)?",
        "公务用车购置及运行维护费",
    ),
    (r"公务用车购置(?:费用|经费|费|支出)?|公车购置(?:费)?|车辆购置(?:费)?", "公务用车购置费"),
    (
        r"公务用车(?:运行|运维)(?:维护|及维护)?(?:费用|经费|费|支出)?|公车运行(?:及)?(?:维护)?(?:费)?|"
        r"车辆运行(?:维护)?(?:费用|费)?",
        "公务用车运行维护费",
    ),
    (r"(?:因公)?出国(?:\(境\)|出境|境)?(?:费用|经费|费|支出)?", "因公出国（境）费"),
    (r"公务接待(?:费用|经费|费|支出)?|接待(?:费用|经费|费)", "公务接待费"),
    (
        r"三公[”\"“]?(?:经费)?[)）]?(?:财政拨款)?(?:支出)?(?:预算|决算)?(?:数)?"
        r"(?:总额|合计|总计)?",
        "合计",
    ),
)


_SCALE = {
    "万元": Decimal(1),
    "万": Decimal(1),
    "元": Decimal("0.0001"),
    "千元": Decimal("0.1"),
    "亿元": Decimal(10000),
}


def in_wan(number: str, unit: str) -> Decimal:
    """A stated amount in 万元, whatever unit it was printed in (other units count as 万元);
    decimal.InvalidOperation when the number is none."""
    return Decimal(number.replace(",", "")) * _SCALE.get(unit, Decimal(1))
