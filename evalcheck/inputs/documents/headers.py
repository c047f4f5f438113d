"""What the column headers of the forms mean: the vocabulary readers and table recognition share.

A header cell is matched by meaning (:func:`header_key`, then :data:`COLUMNS`): 全角 or 半角
brackets, spaces and line breaks inside the cell (“年度\\n指标值”), notes in brackets (“（万元）”)
and the variants of LAYOUTS.md (“权重” for “分值”, “未完成原因分析” for the reason column) all
carry the same meaning.  The text readers use it to find a table's header and so the width of
its rows; :mod:`evalcheck.report.tables` uses it to read the rows after the header.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "COLUMNS",
    "NUMERIC",
    "SOURCES",
    "TOTAL_COLUMN",
    "column_meaning",
    "header_key",
    "is_figure",
    "label_key",
    "meanings",
    "source_name",
]

_WIDTH = str.maketrans("（）【】［］：；，", "()[][]:;,")


def header_key(text: str) -> str:
    """A header cell reduced to its meaning: no spaces, breaks, notes in brackets or colons."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(_WIDTH))
    text = re.sub(r"\([^)]*\)", "", text)
    return text.strip(":")


def label_key(text: str) -> str:
    """A row label without its numbering (“1、”, “其中：”) and trailing notes in brackets."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(_WIDTH))
    numbering = r"^(?:[\d一二三四五六七八九十]+[、.．)]|\([\d一二三四五六七八九十]+\))+"
    text = re.sub(numbering, "", text)
    text = re.sub(numbering, "", re.sub(r"^其中:", "", text))
    text = re.sub(r"\([^)]*\)$", "", text)
    return text.strip(":")


# Column meanings and the header texts that carry them (compared after header_key).
COLUMNS: dict[str, tuple[str, ...]] = {
    "编制数": ("编制数", "编制人数", "核定编制数", "编制", "人员编制"),
    "实际在职人数": ("实际在职人数", "在职人数", "实有人数", "实际人数"),
    "编制控制率": ("控制率", "编制控制率", "在职人员控制率", "人员控制率"),
    "年初预算数": ("年初预算数", "年初预算"),
    "全年预算数": ("全年预算数", "全年预算", "调整后预算数", "调整后预算", "预算数"),
    "全年执行数": ("全年执行数", "执行数", "全年支出数", "预算执行数", "实际执行数"),
    "分值": ("分值", "权重", "分值权重", "权重分值", "指标分值", "参考分值", "标准分值"),
    "执行率": ("执行率", "预算执行率"),
    "得分": ("得分", "评分", "自评得分", "实际得分"),
    "一级指标": ("一级指标",),
    "二级指标": ("二级指标",),
    "三级指标": ("三级指标",),
    "年度指标值": ("年度指标值", "指标值", "年度目标值", "目标值"),
    "实际完成值": ("实际完成值", "完成值", "实际值", "全年实际值", "全年实际完成值"),
    "偏差原因分析及改进措施": (
        "偏差原因分析及改进措施",
        "偏差原因分析",
        "偏差原因",
        "未完成原因分析",
        "未完成原因分析及改进措施",
        "偏差原因分析及改进措",
        "原因分析",
        "原因分析及改进措施",
        "原因",
        "偏差原因及改进措施",
    ),
    "指标性质": ("指标性质",),
    "度量单位": ("度量单位", "计量单位"),
    "预期目标": ("预期目标", "年度目标", "项目年度目标", "总体目标"),
    "实际完成情况": ("实际完成情况", "年度目标完成情况", "实际完成情况说明", "全年实际完成情况"),
    "本年预算数": ("本年预算数", "本年预算", "当年预算数"),
    "上年预算数": ("上年预算数", "上年预算"),
    "本年决算数": ("本年决算数", "本年决算", "决算数", "当年决算数"),
    "上年决算数": ("上年决算数", "上年决算"),
    "增减额": ("增减额", "增减", "比上年增减", "增减金额", "增减变化", "同比增减", "增减数"),
    "增减率": ("增减率", "增长率", "增减幅度", "增减比例", "比上年增减率", "同比增减率", "增幅"),
    "占比": ("占比", "比重", "所占比例", "占比例", "占比%"),
    "完成预算": ("完成预算", "完成预算比例", "预算完成率", "完成年初预算"),
    "批复规模": ("批复规模",),
    "实际规模": ("实际规模",),
    "规模控制率": ("规模控制率",),
    "预算投资": ("预算投资",),
    "实际投资": ("实际投资",),
    "投资概算控制率": ("投资概算控制率",),
}
# Meanings whose cells hold figures (the rest hold names, targets or text).
NUMERIC = frozenset(
    {
        "编制数",
        "实际在职人数",
        "编制控制率",
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
        "批复规模",
        "实际规模",
        "规模控制率",
        "预算投资",
        "实际投资",
        "投资概算控制率",
        "上年决算数",
        "本年预算数",
        "本年决算数",
        "上年预算数",
        "增减额",
        "增减率",
        "占比",
        "完成预算",
    }
)
_MEANING = {synonym: meaning for meaning, synonyms in COLUMNS.items() for synonym in synonyms}
YEAR_COLUMN = re.compile(r"^(?:(\d{4})年度?|(上年|本年|当年))(决算|预算)数?$")
_FIGURE = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*(?:%|万元|元)?$")


def column_meaning(text: str) -> str | None:
    """The meaning of a header cell, or None; year columns (“2023年决算数”) are “年份列”."""
    key = header_key(text)
    if not key:
        return None
    if key in _MEANING:
        return _MEANING[key]
    if YEAR_COLUMN.match(key):
        return "年份列"
    return _MEANING.get(re.sub(r"^\d{4}年度?", "", key))


# The sources of funds a statement table's columns split its lines by (合计 | 一般公共预算 | …),
# and the 合计 column before them (预算数合计, 2017年预算数合计; '-' for 年 on mirror pages).
SOURCES = (
    (r"^(?:一般)?公共(?:财政)?预算(?:财政)?(?:拨款|安排数?)?(?:收入)?$", "一般公共预算"),
    (r"^政府性基金(?:预算)?(?:财政)?(?:拨款|安排数?)?(?:收入)?$", "政府性基金预算"),
    (r"^国有资本经营(?:预算)?(?:财政)?(?:拨款|安排数?)?(?:收入)?$", "国有资本经营预算"),
    (r"^财政专户管理资金$|^纳入专户管理的非税收入(?:拨款)?$", "财政专户管理资金"),
    (r"^单位(?:自有)?资金$", "单位资金"),
    (r"^其他资金$|^其他收入$", "其他资金"),
)
TOTAL_COLUMN = re.compile(r"^(?:\d{4}(?:年度?|-度?))?(?:(预算|决算)数?)?合计数?$")


def source_name(text: str) -> str | None:
    """The source of funds a column header names (“公共财政预算拨款” → 一般公共预算), or None;
    a “其中：” column is a part, not a split of the total, and names none."""
    key = header_key(text)
    return next((name for pattern, name in SOURCES if re.search(pattern, key)), None)


def meanings(texts: list[str]) -> list[str | None]:
    return [column_meaning(t) for t in texts]


def is_figure(text: str) -> bool:
    """A cell that holds nothing but a number (with its thousands separators, % or 万元)."""
    return bool(_FIGURE.match(unicodedata.normalize("NFKC", text).strip()))
