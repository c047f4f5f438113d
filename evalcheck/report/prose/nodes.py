"""What the grammar of :mod:`.grammar` builds: items, the figures said of them (uses), the
scopes (其中 …) that make items parts of another, claims of no change, and sentences."""

from __future__ import annotations

from dataclasses import field

from ...inputs.records import dataclass
from .clauses import Fig

__all__ = ["Claim", "Item", "Scope", "Sentence", "Use"]


@dataclass(eq=False)
class Item:
    """Something the prose gives figures for: 三公经费, 公务接待费, 基本支出, or "" (the report's
    own spending when no noun is printed)."""

    name: str
    label: str
    sentence: int
    parent: Item | None = None
    scope: Scope | None = None
    uses: list[Use] = field(default_factory=list)

    def values(self) -> list[Use]:
        return [u for u in self.uses if u.role == "数值"]


@dataclass(eq=False)
class Use:
    """A figure as the grammar reads it."""

    fig: Fig
    role: str  # 数值 上年数 预算数 增减额 增减率 较预算增减额 较预算增减率 完成预算 占比 计数
    label: str  # the lead as printed, fillers stripped
    item: Item
    sentence: int
    time: str | None = None  # 本年 / 上年 / 2021年 …
    basis: str | None = None  # 年初预算 全年预算 预算 决算 支出
    base: str | None = None  # for changes: 上年 / 预算 / 2021年
    sign: int = 0
    whole: str | None = None  # for shares: the whole named after 占
    quote_start: int = 0
    lead: str = ""  # the lead as printed, fillers kept (共15个)


@dataclass(eq=False)
class Scope:
    """其中 / 包括 / a bracket: the items in it are parts of ``parent``."""

    parent: Item
    word: str
    sentence: int
    at: int  # the figure of the parent the scope follows (index in parent.uses)
    items: list[Item] = field(default_factory=list)
    closed_by_etc: bool = False  # the list ends in 等: not every part is named


@dataclass(eq=False)
class Claim:
    """无变化 / 持平 / 与上年一致 said of an item."""

    item: Item
    word: str
    base: str | None
    start: int
    end: int
    sentence: int


@dataclass
class Sentence:
    start: int
    end: int
    items: list[Item] = field(default_factory=list)
    scopes: list[Scope] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    uses: list[Use] = field(default_factory=list)
    open_list: Scope | None = None  # a 其中 list still open when the sentence ended
    fragment: bool = False  # the text starts inside this sentence (a page cut mid-sentence)
