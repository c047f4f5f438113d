"""The kinds of table the forms print, known by the columns of their header row.

A kind is data: the columns that identify its header, and — for kinds read by table data
alone — the section its rows fill.  :func:`recognise` names the kind of a header row;
:func:`why_not` says, for a table no row of which is a known header, which kind it came
nearest to and which columns it lacks.
"""

from __future__ import annotations

import re

from ..inputs.documents.headers import NUMERIC, YEAR_COLUMN, column_meaning, header_key
from ..inputs.documents.layout import Row
from ..inputs.records import dataclass
from ..inputs.source import KeyPath

__all__ = [
    "KINDS",
    "Kind",
    "group_name",
    "header_columns",
    "recognise",
    "why_not",
    "words_in_money",
]


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of table block: the columns that identify its header row, and what it fills.

    A kind with ``fields`` is read by table data alone: its data rows write those columns under
    ``section`` (one data row), or, with ``rows``, each row whose label matches a pattern writes
    them under ``section + path``.  Kinds without fields have a reader of their own below.
    Adding a kind of table is an entry in :data:`KINDS`.
    """

    name: str
    required: frozenset[str]
    section: KeyPath = ()
    fields: tuple[str, ...] = ()
    rows: tuple[tuple[str, KeyPath], ...] = ()
    any_of: frozenset[str] = frozenset()  # at least one of these columns, besides ``required``


STAFF = Kind(
    "财政供养人员情况",
    frozenset({"编制数", "实际在职人数"}),
    ("人员编制",),
    ("编制数", "实际在职人数", "编制控制率"),
)
COSTS = Kind("经费控制情况", frozenset({"上年决算数", "本年预算数", "本年决算数"}))
BUILDINGS = Kind(
    "楼堂馆所控制情况",
    frozenset({"批复规模", "实际规模"}),
    ("楼堂馆所控制情况",),
    ("批复规模", "实际规模", "规模控制率", "预算投资", "实际投资", "投资概算控制率"),
)
FUNDS = Kind("年度资金总额", frozenset({"年初预算数", "全年预算数", "全年执行数", "得分"}))
GOALS = Kind(
    "年度总体目标",
    frozenset({"预期目标", "实际完成情况"}),
    ("年度总体目标",),
    ("预期目标", "实际完成情况"),
)
INDICATORS = Kind("绩效指标", frozenset({"一级指标", "二级指标", "三级指标", "分值", "得分"}))
LINES = (
    "上年预算数",
    "上年决算数",
    "本年预算数",
    "本年决算数",
    "增减额",
    "增减率",
    "占比",
    "完成预算",
)
# A statement table (“三公”经费 预算/决算表): item rows under money columns, one to four years.
PUBLIC = Kind(
    "三公经费", frozenset(), ("三公经费",), LINES, any_of=frozenset({*LINES[:4], "全年预算数"})
)
KINDS: list[Kind] = [INDICATORS, FUNDS, COSTS, STAFF, BUILDINGS, GOALS, PUBLIC]
SOURCE_COLUMN = "资金来源:"  # a 三公 table's column of one source of funds (see sources.py)
# Money columns, and a cell there that is words only (a label the text moved out of its row)
_MONEY = frozenset({"年初预算数", "全年预算数", "全年执行数", "预算投资", "实际投资", *LINES[:5]})
_WORDS = re.compile(r"[^\d０-９]*[\u4e00-\u9fff]{4}[^\d０-９]*", re.S)


def words_in_money(meaning: str, value: str) -> bool:
    """A money column's cell that holds words only: a row label the text moved into it."""
    return meaning in _MONEY and _WORDS.fullmatch(value) is not None


def header_columns(row: Row) -> dict[str, int]:
    """Meaning → column index for one row (the first cell of a merged run wins)."""
    columns: dict[str, int] = {}
    years: list[tuple[int, str, int]] = []
    for index, cell in enumerate(row.cells):
        meaning = column_meaning(cell.flat)
        if meaning is None:
            continue
        if meaning != "年份列":
            columns.setdefault(meaning, index)
            continue
        year = YEAR_COLUMN.match(header_key(cell.flat))
        assert year is not None
        order = int(year.group(1)) if year.group(1) else (0 if year.group(2) == "上年" else 1)
        years.append((order, year.group(3), index))
    latest = max((order for order, _, _ in years), default=0)
    for order, kind, index in sorted(years):  # the latest year printed is 本年, any other 上年
        columns.setdefault(("本年" if order == latest else "上年") + kind + "数", index)
    return columns


def recognise(row: Row) -> tuple[Kind, dict[str, int]] | None:
    columns = header_columns(row)
    for kind in KINDS:
        if kind.required <= columns.keys() and (not kind.any_of or kind.any_of & columns.keys()):
            return kind, columns
    return None


def why_not(rows: list[Row]) -> str:
    """Why no row of a table is a known header: the nearest kind and the columns it lacks."""
    best: tuple[int, Kind, set[str]] | None = None
    for row in rows[:10]:
        columns = set(header_columns(row))
        for kind in KINDS:
            missing = set(kind.required) - columns
            found = len(kind.required) - len(missing)
            if found and (best is None or found > best[0]):
                best = (found, kind, missing)
    if best is None:
        return "表头中没有已知的栏目（如“全年预算数”“分值”“得分”“三级指标”）"
    _, kind, missing = best
    lacking = "、".join(sorted(missing))  # a frozenset iterates by hash: sorted, the same every run
    return f"像“{kind.name}”表，但缺少“{lacking}”栏"


# --- the rows the forms print, by their labels ----------------------------------------------

COST_ROWS: tuple[tuple[str, KeyPath], ...] = (
    (r"^三公经费", ("三公经费",)),
    (r"^公车购置", ("三公经费", "公务用车购置及运行维护费", "公车购置")),
    (r"^公车运行", ("三公经费", "公务用车购置及运行维护费", "公车运行维护")),
    (r"^公务用车", ("三公经费", "公务用车购置及运行维护费")),
    (r"出国", ("三公经费", "出国经费")),
    (r"^公务接待", ("三公经费", "公务接待")),
    (r"^项目支出$", ("项目支出",)),
    (r"^公用经费$", ("公用经费",)),
    (r"^政府采购", ("政府采购金额",)),
    (r"^部门基本支出预算调整|^基本支出预算调整", ("部门基本支出预算调整",)),
)
COST_LISTS: dict[KeyPath, str] = {("项目支出",): "明细", ("公用经费",): "其中"}
COST_COLUMNS = ("上年决算数", "本年预算数", "本年决算数")
BUILDING_COLUMNS = ("批复规模", "实际规模", "规模控制率", "预算投资", "实际投资", "投资概算控制率")

INCOME = (
    (r"^一般公共预算", ("按收入性质分", "一般公共预算")),
    (r"^政府性基金", ("按收入性质分", "政府性基金")),
    (r"^国有资本经营", ("按收入性质分", "国有资本经营")),
    (r"^社会保险基金", ("按收入性质分", "社会保险基金")),
    (r"^纳入专户管理的非税收入", ("按收入性质分", "纳入专户管理的非税收入")),
    (r"^其他(?:资金|收入)", ("按收入性质分", "其他资金")),
    (r"^基本支出", ("按支出性质分", "基本支出")),
    (r"^项目支出", ("按支出性质分", "项目支出")),
)
# Item rows of a “三公”经费 table → the model's item names (the order decides: 购置及运行 first).
PUBLIC_ROWS = (
    (
        r"购置(?:及|和|与)(?:运行|维护|运维)|^公务用车(?:经)?费$|^公车(?:经)?费$",
        "公务用车购置及运行维护费",
    ),
    (r"运行", "公务用车运行维护费"),
    (r"购置", "公务用车购置费"),
    (r"出国|出境", "因公出国（境）费"),
    (r"接待", "公务接待费"),
    (r"合计|总计|^“?三公”?经费", "合计"),
)
PUBLIC_COUNTS = (
    (r"团组", "因公出国（境）费", "团组数"),
    (r"出国.*(?:人数|人次)", "因公出国（境）费", "人次"),
    (r"接待.*批次", "公务接待费", "批次"),
    (r"接待.*(?:人数|人次)", "公务接待费", "人次"),
    (r"购置数|购置.*辆", "公务用车购置及运行维护费", "购置数"),
    (r"保有", "公务用车购置及运行维护费", "保有量"),
)
FUND_TOTALS = ("年度资金总额", "资金总额", "总额", "合计", "项目资金总额", "年度资金合计")
FUND_COLUMNS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
FIGURES = NUMERIC | {"年度指标值", "实际完成值", "指标值"}


def group_name(text: str) -> str:
    """An 一级指标 cell's name without its points (产出指标（50分）→ 产出指标) or spaces."""
    match = GROUP.match(text)
    name = match.group(1) if match else text
    return re.sub(r"\s+", "", name)


SIGN = re.compile(r"^(?:[≥≤＞＜><=＝]|定性|定量)$")
LABELLED = re.compile(r"^(.*?)[:：]\s*(-?[\d,]+(?:\.\d+)?\s*(?:万元|元|%|％)?)\s*$")
GROUP = re.compile(r"^(.*?)[(（]\s*(\d+(?:\.\d+)?)\s*分?\s*[)）]\s*$", re.S)
SINGLE_LABELS = {
    "厉行节约保障措施": ("厉行节约保障措施",),
    "预算单位名称": ("单位名称",),
    "单位名称": ("单位名称",),
    "项目名称": ("项目名称",),
    "主管部门": ("主管部门",),
    "实施单位": ("实施单位",),
    "预算单位": ("单位名称",),
}


# The 政府信息公开 block a published page carries above the report (索引号 | 发布机构 | 发布日期 …):
# the page's, not the report's, so it is neither read nor listed as a table not understood.
PAGE_LABELS = frozenset(
    {
        "索引号",
        "发布机构",
        "发布日期",
        "发布时间",
        "公开目录",
        "文号",
        "发文字号",
        "浏览量",
        "访问量",
        "信息来源",
        "来源",
        "成文日期",
        "生成日期",
        "发文机关",
        "主题分类",
        "体裁分类",
        "组配分类",
        "信息分类",
        "主题词",
        "公开方式",
        "公开范围",
        "公开时限",
        "有效性",
        "所属机构",
        "责任部门",
    }
)


def is_page_metadata(rows: list[Row]) -> bool:
    """Whether a table is a page's 信息公开 block: at least two of its labels, one in most
    of its rows, and no more rows than such a block has."""
    if not rows or len(rows) > 8:
        return False
    labels = [
        {t for t in (re.sub(r"\s", "", re.split(r"[:：]", c.flat)[0]) for c in row.cells)}
        & PAGE_LABELS
        for row in rows
    ]
    distinct = set().union(*labels)
    labelled = sum(1 for found in labels if found)
    filled = [r for r in rows if not r.blank()]
    alone = len(filled) == 1 and len([c for c in filled[0].cells if c.flat]) == 1  # 浏览量:1 | | |
    return (len(distinct) >= 2 or (alone and bool(distinct))) and labelled * 2 >= len(filled)
