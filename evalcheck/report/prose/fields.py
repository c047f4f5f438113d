"""Which report field a value states: the item's head noun and the column word that governs it.

The head noun is matched at the *end* of the item's noun phrase (``2023年度区委组织部财政预算拨款收入``
is 财政拨款收入; ``一般公共预算财政拨款收入`` is one source of it, not the total, so a qualifier that
narrows the head blocks the match).  The column comes from the last column word before the
figure (``一般公共预算安排“三公”经费决算数2364万元`` is a 决算 figure) or from a year word (2021年 in
a 2022 statement is 上年).  A value whose field cannot be told this way is kept with a reason.

Two key spaces: a 部门整体支出绩效自评 report (附件1-1 经费控制情况, 基本支出, 预算执行 …) and the
statements of the family (三公经费 lines, 预决算说明), as :mod:`evalcheck.report.family` names them.
"""

from __future__ import annotations

import re

from ...inputs.records import dataclass
from ...inputs.source import KeyPath
from .grammar import Use, item_name
from .lexicon import FUNCTIONS, PUBLIC_ITEMS, column_of

__all__ = ["Context", "assign", "public_item"]

WHOLE = "整体"  # 部门整体支出绩效自评: 附件1-1 and 附件1-2 keys
STATEMENT = "说明"  # 三公经费说明, 部门预算/决算说明: the family's keys


@dataclass(frozen=True, slots=True)
class Context:
    """What the document says about itself: its year, its kind, its default column."""

    year: int | None
    space: str = WHOLE
    basis: str | None = None  # 预算 or 决算 when the title says which the statement is


# Qualifiers that narrow a head noun to one of its parts.
_NARROWING = re.compile(
    r"(?:一般公共预算|政府性基金(?:预算)?|国有资本经营(?:预算)?|社会保险基金(?:预算)?|上级补助|事业|经营|"
    r"附属单位|专项|中央|省级|市级|县级|区级|项目|本级|其他|非税|转移支付)(?:财政)?(?:拨款)?$"
)
# What narrows a “三公” item: a fund other than the 一般公共预算 (财政拨款) that every 三公经费
# statement is of, or a kind of spending.  The level words are the reporting body's scope
# there (镇本级“三公”经费决算4.5万元 is the statement's total), not a part of it.
_PUBLIC_NARROWING = re.compile(
    r"(?:政府性基金(?:预算)?|国有资本经营(?:预算)?|社会保险基金(?:预算)?|上级补助|事业|经营|"
    r"附属单位|专项|项目|其他|非税|转移支付)(?:财政)?(?:拨款)?$"
)
_TOTAL_SUFFIX = r"(?:总计|合计|总额|总数|共计|人数|数)?"

_STAFF: tuple[tuple[str, KeyPath | None], ...] = (
    (
        r"(参照公务员法管理事业|行政工勤|事业工勤|工勤|行政|事业|参公)编制(?:数|人数)?",
        None,
    ),  # 编制构成
    (r"自评(?:工作)?小组|评价(?:工作)?小组(?:成员)?|(?:自评|评价)工作组", ("自评小组人数",)),
    (
        r"(?:实际)?在职(?:人员|职工|干部)?(?:人数|总数)?|实有(?:在职)?(?:人员)?(?:人数|总数)?|实际人数",
        ("人员编制", "实际在职人数"),
    ),
    (
        r"离退休(?:人员|干部|职工)?(?:人数)?|退休(?:人员|职工|干部)?(?:人数)?",
        ("人员编制", "离退休人数"),
    ),
    (r"遗属(?:补助)?(?:人数|人员)?", ("人员编制", "遗属补助人数")),
    (r"(?:总|核定|人员|核定人员)?编制(?:人数|数|总数)?", ("人员编制", "编制数")),
)
_AMOUNTS: tuple[tuple[str, KeyPath], ...] = (
    (r"收入合计|总收入", ("收支情况", "收入合计")),
    (r"财政(?:预算)?拨款收入" + _TOTAL_SUFFIX, ("收支情况", "财政拨款收入")),
    (r"年初结转(?:和|及)?结余", ("收支情况", "年初结转和结余")),
    (r"年末结转(?:和|及)?结余", ("收支情况", "年末结转和结余")),
    (r"支出合计|总支出", ("收支情况", "支出合计")),
)
_FUNCTION = re.compile("(" + "|".join(FUNCTIONS) + r")支出$")
# The sources a 收入合计 is split into (收支情况.收入构成), as a 其中 list after it names them.
_SOURCES = (
    (r"一般公共预算(?:财政)?(?:拨款)?(?:收入)?", "一般公共预算"),
    (r"政府性基金(?:预算)?(?:财政)?(?:拨款)?(?:收入)?", "政府性基金"),
    (r"国有资本经营(?:预算)?(?:财政)?(?:拨款)?(?:收入)?", "国有资本经营"),
    (r"社会保险基金(?:预算)?(?:收入)?", "社会保险基金"),
    (r"纳入专户管理的非税收入", "纳入专户管理的非税收入"),
    (r"其他(?:资金|收入)", "其他资金"),
)
_PUBLIC = [(re.compile(f"(?:{pattern})$"), key) for pattern, key in PUBLIC_ITEMS]
_CONTROL = {
    "合计": ("经费控制情况", "三公经费"),
    "因公出国（境）费": ("经费控制情况", "三公经费", "出国经费"),
    "公务接待费": ("经费控制情况", "三公经费", "公务接待"),
    "公务用车购置及运行维护费": ("经费控制情况", "三公经费", "公务用车购置及运行维护费"),
    "公务用车购置费": ("经费控制情况", "三公经费", "公务用车购置及运行维护费", "公车购置"),
    "公务用车运行维护费": ("经费控制情况", "三公经费", "公务用车购置及运行维护费", "公车运行维护"),
}
_SPENT_TOTAL = re.compile(r"三公[”\"“]?(?:经费)?(?:财政拨款)?支出(?:合计|总计|总额|共计)$")
_PRE = ("年初预算", "全年预算", "预算")
_POST = ("决算", "支出")


def public_item(name: str) -> str | None:
    """The "三公"经费 line a name prints (合计, 公务接待费 …), or None."""
    for pattern, key in _PUBLIC:
        match = pattern.search(name)
        if match and not _PUBLIC_NARROWING.search(name[: match.start()]):
            if key == "合计" and "三公" not in name:
                continue
            return key
    return None


def _head(name: str, pattern: str) -> bool:
    match = re.search(f"(?:{pattern})$", name)
    return match is not None and not _NARROWING.search(name[: match.start()])


def assign(use: Use, parent: KeyPath | None, context: Context) -> tuple[KeyPath | None, str]:
    """The field ``use`` states, or None and why not."""
    name = use.item.name
    unit = use.fig.unit
    kind = use.fig.kind
    label = use.label
    if not label and not name:
        return None, "数字前没有说明它是什么"
    if kind == "count" and unit in ("人", "名"):
        return _staff(name, label)
    if kind == "score":
        if _head(
            name,
            r"自评(?:总)?(?:分数|得分)|自评分|综合(?:评分|得分)|(?:评价|自评)(?:总)?分(?:数|值)?",
        ):
            return ("自评分数",), ""
        return None, f"“{label}”在表格中没有对应的项目"
    if kind == "rate":
        if _head(name, "固定资产利用率"):
            return ("固定资产利用率",), ""
        if _head(name, r"(?:预算|资金)?执行率"):
            return ("预算执行", "执行率"), ""
        return None, f"“{label}”在表格中没有对应的项目"
    if kind != "amount":
        return None, f"“{label}”在表格中没有对应的项目"
    return _amount(use, name, parent, context)


def _staff(name: str, label: str) -> tuple[KeyPath | None, str]:
    for pattern, path in _STAFF:
        match = re.search(f"(?:{pattern})$", name)
        if match is None or _NARROWING.search(name[: match.start()]):
            continue
        if path is None:
            return ("人员编制", "编制构成", match.group(1) + "编制"), ""
        return path, ""
    return None, f"“{label}”在表格中没有对应的项目"


def _amount(
    use: Use, name: str, parent: KeyPath | None, context: Context
) -> tuple[KeyPath | None, str]:
    basis = use.basis
    time = use.time or "本年"
    label = use.label
    public = public_item(name)
    if public is not None:
        if basis is None and _SPENT_TOTAL.search(name):
            basis = "支出"  # “三公”经费支出合计: 支出合计 is no item of its own here
        return _public(public, time, basis, context, label)
    if context.space != WHOLE:
        return _statement(name, time, basis or context.basis, label)
    if time != "本年":
        return None, f"“{label}”说的是{time}的数，报告中没有对应的栏目"
    own = bool(item_name(label[: column_of(label)[2]]))
    fixed = [(pattern, path) for pattern, path in _AMOUNTS]
    fixed += [
        ("人员经费(?:支出)?", ("基本支出", "人员经费")),
        ("公用经费(?:支出)?", ("基本支出", "公用经费")),
    ]
    function = _FUNCTION.search(name)
    if function and not _NARROWING.search(name[: function.start()]):
        fixed.insert(0, (re.escape(function.group(0)), ("支出功能分类", function.group(0))))
    for pattern, path in fixed:
        if _head(name, pattern):
            if basis not in _PRE:
                return path, ""
            if own:
                return None, f"“{label}”是预算数，报告中该项是决算数"
            name = (
                ""  # 年初预算数为262.78万元 after 财政拨款收入586.88万元: the report's own budget
            )
            break
    if parent == ("收支情况", "收入合计") and basis in (None, "收入"):
        for pattern, source in _SOURCES:
            if re.fullmatch(pattern, name):  # 收入合计…，其中一般公共预算…、政府性基金…
                return ("收支情况", "收入构成", source), ""
    for head in ("基本支出", "项目支出"):
        if _head(name, head):
            if parent == ("预算执行", "全年执行数") and basis in (None, *_POST):
                # 实际支出586.88万元（基本支出586.88万元、项目支出0万元）: the parts of what was
                # spent — their 决算, not the 按支出性质分 split of the 全年预算数 (EC107)
                return (head, "决算"), ""
            column = {
                "年初预算": "年初预算",
                "全年预算": "全年预算",
                "决算": "决算",
                "支出": "决算",
            }
            if basis in column:
                return (head, column[basis]), ""
            if basis is None and parent is not None and parent[-1] in ("决算", "全年执行数"):
                return (head, "决算"), ""
            return None, f"无法确定“{label}”是{head}的哪一栏（年初预算、全年预算或决算）"
    if not name:
        column = {"年初预算": "年初预算数", "全年预算": "全年预算数", "决算": "全年执行数"}
        if basis in column:
            return ("预算执行", column[basis]), ""
    return None, f"无法确定“{label}”对应哪一个表格项目"


def _column(time: str, basis: str | None) -> str | None:
    if basis in _PRE:
        return f"{time}预算数"
    if basis in _POST:
        return f"{time}决算数"
    return None


def _public(
    item: str, time: str, basis: str | None, context: Context, label: str
) -> tuple[KeyPath | None, str]:
    if context.space == WHOLE:
        if time == "上年" and basis in (None, *_POST):
            return (*_CONTROL[item], "上年决算数"), ""
        if time == "本年":
            column = _column("本年", basis)
            if column is not None:
                return (*_CONTROL[item], column), ""
        return None, f"无法确定“{label}”是“三公”经费的哪一栏（上年决算、本年预算或本年决算）"
    if time not in ("本年", "上年"):
        return None, f"“{label}”说的是{time}的数，说明中没有对应的栏目"
    column = _column(time, basis or context.basis)
    if column is None:
        return None, f"无法确定“{label}”是预算数还是决算数"
    return ("三公经费", item, column), ""


def _statement(name: str, time: str, basis: str | None, label: str) -> tuple[KeyPath | None, str]:
    if time not in ("本年", "上年"):
        return None, f"“{label}”说的是{time}的数，说明中没有对应的栏目"
    column = _column(time, basis)
    if column is None:
        return None, f"无法确定“{label}”是预算数还是决算数"
    bare = re.sub(r"^(?:本单位|本部门|我单位|我部|单位|部门|本年|全年|当年)+", "", name)
    if bare in ("收入", "总收入") or (not bare and basis == "收入"):
        return ("预决算说明", "收入合计", column), ""
    if bare in ("支出", "总支出") or (not bare and basis in _POST):
        return ("预决算说明", "支出合计", column), ""
    for head, path in (
        ("收入合计", ("预决算说明", "收入合计")),
        ("支出合计", ("预决算说明", "支出合计")),
        ("收入总计", ("预决算说明", "收入总计")),
        ("支出总计", ("预决算说明", "支出总计")),
        ("基本支出", ("预决算说明", "支出", "基本支出")),
        ("项目支出", ("预决算说明", "支出", "项目支出")),
        ("人员经费", ("预决算说明", "支出", "基本支出", "人员经费")),
        ("公用经费", ("预决算说明", "支出", "基本支出", "公用经费")),
    ):
        if _head(name, head):
            return (*path, column), ""
    return None, f"无法确定“{label}”对应说明中的哪一项"
