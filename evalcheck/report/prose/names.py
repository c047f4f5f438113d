"""Item names: the noun phrase of a lead, as the grammar (:mod:`.grammar`) and the fields
(:mod:`.fields`) compare them — years, generic words (本年, 我镇 …), quotes and short brackets
removed; a bracket that names what comes before it is the name.
"""

from __future__ import annotations

import re

__all__ = ["YEAR", "bare", "item_name"]

YEAR = re.compile(r"(?P<year>(?:19|20)\d\d)\s*年(?:度)?(?:末|初|底)?")
_GENERIC_WORDS = (
    r"本年(?:度)?|全年|当年|今年|本期|我部|本部门|我单位|本单位|单位|部门|我局|本局|我镇|本镇|我乡|本乡|"
    r"我县|本县|我中心|本中心|我院|本院|区本级|市本级|县本级|镇本级|本级|全镇|全市|全县|全区|全乡|"
    r"整体|总体|实际|累计|年末|年初|年度"
)
_GENERIC = re.compile(rf"^(?:{_GENERIC_WORDS}|\s)*$")
_GENERIC_START = re.compile(rf"^(?:{_GENERIC_WORDS})+")


def bare(name: str) -> str:
    """``name`` without the generic words it starts with (我镇三公经费 → 三公经费)."""
    return _GENERIC_START.sub("", name)


_NAME_NOISE = re.compile(r"[\s“”\"'‘’「」《》]")
_BRACKETED = re.compile(r"\((?:境|含[^)]*|不含[^)]*|[^)]{0,8})\)")


# A bracket that defines a short name for the list before it, followed by column or total words.
_DEFINED = re.compile(
    r"[(（](?:以下)?(?:简称|下称|统称)(?P<term>[^()（）]{2,10})[)）]"
    r"(?P<rest>(?:财政拨款)?(?:支出|开支)?(?:预算|决算)?(?:数)?(?:合计|总计|总额|共计)?)$"
)


def item_name(label: str, year: int | None = None) -> str:
    """The noun phrase of a lead: years, generic words, quotes and short brackets removed; a
    bracket that names what comes before it (``……公车运行费(“三公”经费)``) is the name."""
    label = re.sub(r"\s+", "", label)
    apposition = re.search(r"\(([^()]{2,12})\)$", label)
    defined = _DEFINED.search(label)
    if defined:  # ……公务接待费(简称“三公”经费)支出合计: the defined term and what follows it
        label = defined.group("term") + defined.group("rest")
    elif (
        apposition
        and apposition.group(1) != "境"
        and not apposition.group(1).startswith(("含", "不含"))
    ):
        label = apposition.group(1)
    text = _BRACKETED.sub(lambda m: "(境)" if m.group(0) == "(境)" else "", label)
    text = YEAR.sub("", text)
    text = _NAME_NOISE.sub("", text)
    text = re.sub(
        r"^(?:经汇总|经比较|经统计|截至[^,]*|在[^,]{0,10}中|其中|全年|本年度?|当年|今年)+", "", text
    )
    text = re.sub(r"(?:的|中|里|内|为|是)$", "", text)
    if _GENERIC.match(text):
        return ""
    return text
