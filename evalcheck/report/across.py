"""A “三公”经费 table printed across: the items are its columns, one row of figures under them.

Budget tables of some counties print ``合计 | 因公出国（境）费 | 公务用车购置及运行费 | 公务接待费``
with ``小计 | 公务用车购置费 | 公务用车运行费`` under the car column on a second header row (a
two-level header), then one row of figures.  Such a table is read only when nothing is left to
guess: every header cell is a 三公 item, the second row splits the car column and nothing else,
the figure row holds one figure per leaf column, and the table's caption says whether the
figures are a budget or a final account.  Otherwise the table stays unrecognised and says why.
"""

from __future__ import annotations

import re
from dataclasses import field

from ..inputs.documents.headers import is_figure, label_key
from ..inputs.documents.layout import Cell, Row
from ..inputs.records import dataclass
from .kinds import PUBLIC_ROWS

__all__ = [
    "Across",
    "Captions",
    "caption_column",
    "header_items",
    "is_change_row",
    "labelled_header",
    "row_column",
]

CAR = "公务用车购置及运行维护费"
_PARTS = {"公务用车购置费", "公务用车运行维护费"}
# fund names that contain 预算 yet say nothing about budget or final account
_SOURCES = re.compile(r"一般公共预算|公共预算|政府性基金预算|国有资本经营预算|社会保险基金预算")


def item_of(text: str) -> str | None:
    key = label_key(text)
    if not key or len(key) > 20:
        return None
    return next((name for pattern, name in PUBLIC_ROWS if re.search(pattern, key)), None)


def caption_column(captions: list[str]) -> str | None:
    """本年预算数 or 本年决算数, from what the caption says; None when it says neither or both."""
    text = _SOURCES.sub("", re.sub(r"\s+", "", "".join(captions)))  # 预    算: a mirror's pinyin
    budget, final = "预算" in text, "决算" in text
    if budget == final or re.search(r"预算(?:的)?执行|执行(?:情况|数)", text):
        return None  # “…预算执行情况表”: what was spent of a budget, the columns say which
    return "本年预算数" if budget else "本年决算数"


def header_items(row: Row) -> list[tuple[str, Cell]] | None:
    """A header row whose cells are three 三公 items or more, and nothing else."""
    cells = [c for c in row.cells if c.flat]
    items = [(item_of(c.flat), c) for c in cells]
    names = [name for name, _ in items]
    if len(cells) < 3 or None in names or len(set(names)) != len(names):
        return None
    return [(name, cell) for name, cell in items if name is not None]


# The heading of a first column that labels each row with its year or column (年度 | 合计 | …).
_ROW_HEADINGS = {"年度", "年份", "年度项目", "项目", "时间", "口径", "类别", "栏目"}


def labelled_header(row: Row) -> Across | None:
    """``年度 | 合计 | 因公出国(境)经费 | 公务接待费 | 公车购置及运行维护费 | 合计 | 车辆购置 | 车辆运行``:
    a first column of row labels, then the items; the car column's 合计 (or 小计) and parts
    printed after it are its second header row, flattened into the first."""
    cells = list({id(c): c for c in row.cells if c.flat}.values())  # a merged cell once
    if len(cells) < 4 or label_key(cells[0].flat) not in _ROW_HEADINGS:
        return None
    named = [
        (item_of(c.flat) or ("小计" if label_key(c.flat) == "小计" else None), c) for c in cells[1:]
    ]
    names = [n for n, _ in named]
    parts = None
    if CAR in names:
        at = names.index(CAR)
        tail = names[at + 1 : at + 4]
        if tail[:1] in (["合计"], ["小计"]) and set(tail[1:]) == _PARTS and len(tail) == 3:
            parts = [(CAR, named[at + 1][1]), *[(n, c) for n, c in named[at + 2 : at + 4] if n]]
            names, named = names[: at + 1] + names[at + 4 :], named[: at + 1] + named[at + 4 :]
    if None in names or "小计" in names or len(set(names)) != len(names) or len(names) < 3:
        return None
    items = [(n, c) for n, c in named if n is not None]
    return Across(row.table, items, parts, [row], labelled=True)


def is_change_row(label: str) -> bool:
    """``2016年比2015年增减%``: a row of changes or shares, no column of the statement."""
    return re.search(r"增减|增长|下降|变动|比上年|较上年|%|％|占", label) is not None


def row_column(label: str, captions: list[str]) -> str | None:
    """The column a labelled row's figures are (上年决算数, 本年预算数 …): its year against the
    caption's latest year, its 预算/决算 from its own words or else the caption's; None when a
    word is missing or the row is a change (增减, %)."""
    if is_change_row(label):
        return None
    years = [int(y) for y in re.findall(r"((?:19|20)\d\d)\s*年", "".join(captions))]
    own = re.findall(r"((?:19|20)\d\d)\s*年", label)
    if own and years:
        time = {max(years): "本年", max(years) - 1: "上年"}.get(int(own[0]))
    else:
        time = "上年" if "上年" in label else "本年" if re.search(r"本年|当年", label) else None
    basis = caption_column([label]) or caption_column(captions)
    if time is None or basis is None:
        return None
    return basis.replace("本年", time)


@dataclass(slots=True)
class Across:
    """The header rows seen so far of one table printed across."""

    table: int
    items: list[tuple[str, Cell]]
    parts: list[tuple[str, Cell]] | None = None
    rows: list[Row] = field(default_factory=list)
    labelled: bool = False  # each row of figures starts with its label (2015年, 2016年 …)

    def leaves(self) -> list[tuple[str, Cell]]:
        if self.parts is None:
            return self.items
        leaves: list[tuple[str, Cell]] = []
        for name, cell in self.items:
            leaves += self.parts if name == CAR else [(name, cell)]
        return leaves

    def sub_header(self, row: Row) -> bool:
        """A second header row splitting the car column: 小计 (the car item itself) and its parts."""
        if self.parts is not None or CAR not in (n for n, _ in self.items):
            return False
        above = {id(c) for r in self.rows[:1] for c in r.cells}  # merged down from the first row
        cells = [c for c in row.cells if c.flat and id(c) not in above]
        subtotal = ("小计", "合计") if self.labelled else ("小计",)  # 合计 under the car column
        parts = [(CAR if label_key(c.flat) in subtotal else item_of(c.flat), c) for c in cells]
        names = [n for n, _ in parts]
        if (
            not set(names) >= _PARTS
            or len(set(names)) != len(names)
            or not set(names) <= {CAR, *_PARTS}
        ):
            return False
        self.parts = [(n, c) for n, c in parts if n is not None]
        return True

    def figures(self, row: Row) -> list[tuple[str, Cell, Cell]] | str:
        """(item, its header cell, its figure) for a row of figures, or why it cannot be read."""
        cells = list(row.cells)
        while cells and not cells[-1].flat:
            cells.pop()  # the padding of a row copied as text
        if self.labelled:
            cells = cells[1:]  # the row's label
        leaves = self.leaves()
        if any(not c.flat or not is_figure(c.flat) for c in cells):
            return "数字行中有空白或文字，无法确定各数字所属的栏目"
        if len(cells) != len(leaves):
            return (
                f"表头有 {len(leaves)} 栏，数字行有 {len(cells)} 个数字，无法确定各数字所属的栏目"
            )
        return [(name, header, cell) for (name, header), cell in zip(leaves, cells, strict=True)]

    def labelled_row(
        self, row: Row, captions: list[str]
    ) -> tuple[list[tuple[str, Cell, Cell]], str] | str | None:
        """A labelled row's figures and column; None for a change row (read on past it); why
        it cannot be read otherwise."""
        read, label = self.figures(row), row.cells[0].flat
        column = row_column(label, captions)
        if isinstance(read, str):
            return read
        if column is None:
            return (
                None if is_change_row(label) else f"行“{label}”与表题未说明是哪一年的预算数或决算数"
            )
        return read, column

    def header_row(self, cell: Cell) -> Row:
        return next(r for r in self.rows if any(c is cell for c in r.cells))


class Captions:
    """The lines printed just before a table (its title, its unit): the last three paragraphs
    after the previous table, and one-cell rows at the top of the table itself."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.after_row = False
        self.table = 0

    def paragraph(self, text: str) -> None:
        if self.after_row:
            self.texts, self.after_row = [], False
        self.texts = [*self.texts, text][-3:]

    def row(self, row: Row) -> None:
        if row.table != self.table and self.after_row:
            self.texts = []  # a table right after another: the other's caption is not its own
        self.table, self.after_row = row.table, True
        cells = [c.flat for c in row.cells if c.flat]
        if len(cells) == 1 and not is_figure(cells[0]):
            self.texts = [*self.texts, cells[0]][-3:]
