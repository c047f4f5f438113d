"""Tables recognised by what their headers say, not by where they are: shared by all readers.

The 基础数据表 (附件1-1) and the 自评表 (附件1-2) come in many hands: 全角 or 半角 brackets,
spaces and line breaks inside cells (“年度\\n指标值”), “权重” for “分值”, “未完成原因分析” for
“偏差原因分析及改进措施”, merged cells left blank or repeated, extra blank rows and columns.  A
header row is matched by meaning (:func:`header_key` and :data:`COLUMNS`); the rows after it are
read column by column.  :class:`TableReader` turns a stream of rows into the report's sections.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..inputs.documents.headers import (
    COLUMNS,
    NUMERIC,
    YEAR_COLUMN,
    column_meaning,
    header_key,
    is_figure,
    label_key,
)
from ..inputs.documents.layout import Cell, Origin, Row, Unread
from ..inputs.source import KeyPath
from .template import is_instruction

__all__ = ["COLUMNS", "Assembly", "TableReader", "Unrecognised", "header_key", "label_key"]

_FLAT = NUMERIC | {"年度指标值", "实际完成值", "三级指标"}
_GROUP_POINTS = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]")


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
KINDS: list[Kind] = [INDICATORS, FUNDS, COSTS, STAFF, BUILDINGS, GOALS]


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
    budgets = [index for _, kind, index in years if kind == "预算"]
    finals = sorted((order, index) for order, kind, index in years if kind == "决算")
    if budgets and len(finals) >= 2:
        columns.setdefault("本年预算数", budgets[0])
        columns.setdefault("上年决算数", finals[0][1])
        columns.setdefault("本年决算数", finals[-1][1])
    return columns


def recognise(row: Row) -> tuple[Kind, dict[str, int]] | None:
    columns = header_columns(row)
    for kind in KINDS:
        if kind.required <= columns.keys():
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
    lacking = "、".join(sorted(missing, key=lambda m: list(kind.required).index(m)))
    return f"像“{kind.name}”表，但缺少“{lacking}”栏"


Unrecognised = Unread  # a cell or table that could not be placed (the report's 未识别)


@dataclass
class Assembly:
    """The report being built: plain data in the sample files' form, and where each value is."""

    data: dict[str, Any] = field(default_factory=dict)
    located: dict[KeyPath, Origin] = field(default_factory=dict)
    keys: dict[KeyPath, Origin] = field(default_factory=dict)

    def section(self, path: KeyPath, origin: Origin | None = None) -> dict[str, Any]:
        """The dict at ``path``, created (empty) if needed."""
        node: Any = self.data
        for depth, key in enumerate(path):
            child = node[int(key)] if isinstance(node, list) else node.get(key)
            if child is None:
                child = {}
                node[key] = child
                if origin is not None:
                    self.keys.setdefault(tuple(path[: depth + 1]), origin)
            node = child
        assert isinstance(node, dict)
        return node

    def append(self, path: KeyPath, origin: Origin) -> int:
        """A new dict at the end of the list at ``path``; its index."""
        parent = self.section(path[:-1], origin)
        items = parent.setdefault(str(path[-1]), [])
        items.append({})
        self.keys.setdefault((*path, len(items) - 1), origin)
        self.keys.setdefault(tuple(path), origin)
        return len(items) - 1

    def put(self, path: KeyPath, value: str, origin: Origin) -> None:
        self.section(path[:-1], origin)[str(path[-1])] = value
        self.located[tuple(path)] = origin

    def has(self, path: KeyPath) -> bool:
        node: Any = self.data
        for key in path:
            if isinstance(node, list):
                if not isinstance(key, int) or key >= len(node):
                    return False
                node = node[key]
            elif isinstance(node, dict) and key in node:
                node = node[key]
            else:
                return False
        return True

    def put_new(self, path: KeyPath, value: str, origin: Origin) -> None:
        """Set a value unless one is already there (the first place that prints it wins)."""
        if not self.has(path):
            self.put(path, value, origin)


def cell_origin(cell: Cell, row: Row, value: str = "") -> Origin:
    line, column = cell.find(value)
    return Origin(cell.description, line, column, row.quote, cell.box)


# --- rows after a header ----------------------------------------------------------------------

_COST_ROWS: tuple[tuple[str, KeyPath], ...] = (
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
_COST_LISTS: dict[KeyPath, str] = {("项目支出",): "明细", ("公用经费",): "其中"}
_COST_COLUMNS = ("上年决算数", "本年预算数", "本年决算数")
_BUILDING_COLUMNS = ("批复规模", "实际规模", "规模控制率", "预算投资", "实际投资", "投资概算控制率")

_INCOME = (
    (r"^一般公共预算", ("按收入性质分", "一般公共预算")),
    (r"^政府性基金", ("按收入性质分", "政府性基金")),
    (r"^国有资本经营", ("按收入性质分", "国有资本经营")),
    (r"^社会保险基金", ("按收入性质分", "社会保险基金")),
    (r"^纳入专户管理的非税收入", ("按收入性质分", "纳入专户管理的非税收入")),
    (r"^其他(?:资金|收入)", ("按收入性质分", "其他资金")),
    (r"^基本支出", ("按支出性质分", "基本支出")),
    (r"^项目支出", ("按支出性质分", "项目支出")),
)
_LABELLED = re.compile(r"^(.*?)[:：]\s*(-?[\d,]+(?:\.\d+)?\s*(?:万元|元|%|％)?)\s*$")
_GROUP = re.compile(r"^(.*?)[(（]\s*(\d+(?:\.\d+)?)\s*分?\s*[)）]\s*$", re.S)
_SINGLE_LABELS = {
    "厉行节约保障措施": ("厉行节约保障措施",),
    "预算单位名称": ("单位名称",),
    "单位名称": ("单位名称",),
}


class TableReader:
    """Reads rows into an :class:`Assembly`, switching block kind at each header row.

    Every cell the reader places is remembered, so :meth:`finish` can list what it could not
    place (:attr:`unread`): whole tables without a known header, figures in rows of a known
    table that no column or row label claims, template instructions in figure columns.
    """

    def __init__(self, assembly: Assembly, file: str) -> None:
        self.out = assembly
        self.file = file
        self.kind: Kind | None = None
        self.columns: dict[str, int] = {}
        self.header: Row | None = None
        self.recognised_tables: set[int] = set()
        self.rows: dict[int, list[Row]] = {}
        self.used: set[int] = set()
        self.unread: list[Unrecognised] = []
        self.cost_parent: KeyPath | None = None
        self.group = -1
        self.group_name = ""
        self.level2 = ""
        self.handlers: dict[str, Callable[[Row], None]] = {
            COSTS.name: self._cost,
            FUNDS.name: self._funds,
            INDICATORS.name: self._indicator,
        }

    def read(self, row: Row) -> None:
        self.rows.setdefault(row.table, []).append(row)
        if row.blank():
            return
        found = recognise(row)
        if found is not None:
            self.kind, self.columns = found
            self.header = row
            self.recognised_tables.add(row.table)
            self.used.update(id(row.cells[i]) for i in self.columns.values())
            self._start(row)
            return
        if self._single_label(row):
            self.recognised_tables.add(row.table)
            return
        if self.kind is not None and self.header is not None and row.table == self.header.table:
            self.handlers.get(self.kind.name, self._fill)(row)

    def finish(self) -> None:
        """List what was not placed: tables never recognised, figures no column claimed."""
        for number, rows in sorted(self.rows.items()):
            if number not in self.recognised_tables:
                self._unrecognised(rows)
                continue
            seen: set[int] = set()
            for row in rows:
                for cell in row.cells:
                    if id(cell) in seen or id(cell) in self.used:
                        continue
                    seen.add(id(cell))
                    if is_figure(cell.flat):
                        self._unread(cell, row, "表中此数字未能对应到报告项目")

    def _unread(self, cell: Cell, row: Row, reason: str) -> None:
        self.used.add(id(cell))
        self.unread.append(Unrecognised(cell_origin(cell, row), cell.text, reason))

    def _unrecognised(self, rows: list[Row]) -> None:
        first = next((r for r in rows if not r.blank()), rows[0])
        cell = next((c for c in first.cells if c.flat), first.cells[0] if first.cells else None)
        heading = "、".join(dict.fromkeys(t for t in first.texts if t))[:40]
        name = first.table_name or f"表{first.table}"
        figures = len({id(c) for r in rows for c in r.cells if is_figure(c.flat)})
        reason = f"无法识别{name}（首行：{heading or '空白'}）：{why_not(rows)}"
        if figures:
            reason += f"；表中 {figures} 个数字未读取"
        origin = cell_origin(cell, first) if cell is not None else Origin(name, 1, 1, first.quote)
        self.unread.append(Unrecognised(origin, heading, reason))

    # --- helpers

    def _cell(self, row: Row, meaning: str) -> Cell | None:
        index = self.columns.get(meaning)
        if index is None or index >= len(row.cells):
            return None
        return row.cells[index]

    def _label(self, row: Row) -> tuple[str, Cell | None]:
        """The row's label: the first non-blank cell left of the value columns."""
        first_value = min(self.columns.values(), default=len(row.cells))
        above = self.header.cells if self.header is not None else []
        for index, cell in enumerate(row.cells[: max(first_value, 1)]):
            merged_down = index < len(above) and above[index] is cell
            if cell.flat and not merged_down:
                self.used.add(id(cell))
                return cell.flat, cell
        return "", None

    def _put_cell(
        self, path: KeyPath, row: Row, cell: Cell | None, text: str | None = None
    ) -> None:
        if cell is None:
            return
        self.used.add(id(cell))
        flat = str(path[-1]) in _FLAT  # a figure broken over lines by a narrow column is one
        value = (cell.flat if flat else cell.text) if text is None else text
        if not value:
            return
        if str(path[-1]) in NUMERIC and is_instruction(value):
            self._unread(cell, row, "填报说明（模板文字），不作数字读取")
            return
        self.out.put(path, value, cell_origin(cell, row, value.split("\n")[0]))

    def _single_label(self, row: Row) -> bool:
        """Rows that stand alone in any block: 厉行节约保障措施, 预算单位名称."""
        cells = [c for c in row.cells if c.flat]
        if not cells:
            return False
        path = _SINGLE_LABELS.get(label_key(cells[0].flat))
        if path is None:
            return False
        values = [c for c in cells[1:] if label_key(c.flat) != label_key(cells[0].flat)]
        self.used.update(id(c) for c in cells)
        if values:
            self.out.put_new(path, values[0].text, cell_origin(values[0], row, values[0].text[:10]))
        self.kind = None
        return True

    def _start(self, row: Row) -> None:
        origin = cell_origin(next(c for c in row.cells if c.flat), row)
        if self.kind is BUILDINGS:  # printed even when empty: the form's block is there
            self.out.section(("楼堂馆所控制情况",), origin)
        elif self.kind is INDICATORS:
            self.out.data.setdefault("绩效指标", [])
            self.out.keys.setdefault(("绩效指标",), origin)
            self.group, self.group_name, self.level2 = -1, "", ""
        elif self.kind is COSTS:
            self.out.section(("经费控制情况",), origin)
            self.cost_parent = None

    # --- block kinds

    def _fill(self, row: Row) -> None:
        """A kind read by its table entry: one data row, or rows matched by their label."""
        kind = self.kind
        assert kind is not None
        base = kind.section
        if kind.rows:
            label, label_cell = self._label(row)
            key = label_key(label)
            path = next((p for pattern, p in kind.rows if re.search(pattern, key)), None)
            if path is None or label_cell is None:
                return
            base = (*kind.section, *path)
            self.out.section(base, cell_origin(label_cell, row, label.strip()[:4]))
        for meaning in kind.fields:
            self._put_cell((*base, meaning), row, self._cell(row, meaning))
        if not kind.rows:
            self.kind = None

    def _cost(self, row: Row) -> None:
        label, label_cell = self._label(row)
        key = label_key(label)
        if not key or re.fullmatch(r"[.…]+", key) or label_cell is None:
            return
        origin = cell_origin(label_cell, row, label.strip()[:4])
        path = next((p for pattern, p in _COST_ROWS if re.search(pattern, key)), None)
        if path is not None:
            self.cost_parent = path if path in _COST_LISTS else None
            base: KeyPath = ("经费控制情况", *path)
            self.out.section(base, origin)
        elif self.cost_parent is not None:
            list_path: KeyPath = ("经费控制情况", *self.cost_parent, _COST_LISTS[self.cost_parent])
            index = self.out.append(list_path, origin)
            base = (*list_path, index)
            self.out.put((*base, "名称"), key, origin)
        else:
            base = ("经费控制情况", key)
            self.out.section(base, origin)
        for column in _COST_COLUMNS:
            self._put_cell((*base, column), row, self._cell(row, column))

    def _funds(self, row: Row) -> None:
        label, label_cell = self._label(row)
        if label_cell is not None and header_key(label) in ("年度资金总额", "资金总额"):
            for meaning in ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"):
                self._put_cell(("预算执行", meaning), row, self._cell(row, meaning))
            return
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell) in seen:
                continue
            seen.add(id(cell))
            match = _LABELLED.match(re.sub(r"\s+", "", cell.flat))
            if match is None:
                continue
            key = label_key(match.group(1))
            path = next((p for pattern, p in _INCOME if re.search(pattern, key)), None)
            if path is not None:
                value = match.group(2)
                self.used.add(id(cell))
                self.out.put_new(("预算执行", *path), value, cell_origin(cell, row, value))

    def _indicator(self, row: Row) -> None:
        texts = [c.flat for c in row.cells]
        first = next((t for t in texts if t), "")
        if header_key(first) in ("总分", "合计", "总计"):
            self._total(row)
            return
        level1 = self._cell(row, "一级指标")
        level2 = self._cell(row, "二级指标")
        self.used.update(id(c) for c in (level1, level2) if c is not None)
        name = level1.flat if level1 is not None else ""
        if level1 is not None and name and _group_name(name) != self.group_name:
            self._new_group(row, level1)
        if self.group < 0:
            return
        new_level2 = level2 is not None and bool(level2.flat) and level2.flat != self.level2
        if new_level2 and level2 is not None:
            self.level2 = level2.flat
        fields = ("三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
        cells = {m: self._cell(row, m) for m in fields}
        if not new_level2 and not any(c is not None and c.flat for c in cells.values()):
            return
        anchor = next((c for c in (level2, *cells.values()) if c is not None and c.flat), None)
        origin = cell_origin(anchor or row.cells[0], row)
        rows_path: KeyPath = ("绩效指标", self.group, "指标")
        index = self.out.append(rows_path, origin)
        if self.level2:
            where = level2 if level2 is not None and level2.flat else anchor
            self.out.put(
                (*rows_path, index, "二级指标"),
                self.level2,
                cell_origin(where or row.cells[0], row),
            )
        for meaning, cell in cells.items():
            self._put_cell((*rows_path, index, meaning), row, cell)

    def _new_group(self, row: Row, cell: Cell) -> None:
        name = cell.flat
        origin = cell_origin(cell, row)
        groups = self.out.data.setdefault("绩效指标", [])
        groups.append({})
        self.group = len(groups) - 1
        self.group_name = _group_name(name)
        self.level2 = ""
        self.out.keys[("绩效指标", self.group)] = origin
        self.out.put(("绩效指标", self.group, "一级指标"), self.group_name, origin)
        points = _GROUP.match(name)
        if points is not None:
            self.out.put(
                ("绩效指标", self.group, "分值"),
                points.group(2),
                cell_origin(cell, row, points.group(2)),
            )
        self.out.data["绩效指标"][self.group]["指标"] = []
        self.out.keys[("绩效指标", self.group, "指标")] = origin

    def _total(self, row: Row) -> None:
        seen: set[int] = set()
        numbers: list[Cell] = []
        for cell in row.cells:
            if id(cell) in seen or not re.fullmatch(r"-?\d+(?:\.\d+)?", cell.flat):
                continue
            seen.add(id(cell))
            numbers.append(cell)
        label = next(c for c in row.cells if c.flat)
        self.used.add(id(label))
        self.out.section(("总分",), cell_origin(label, row))
        for meaning, cell in zip(("分值", "得分"), numbers, strict=False):
            self._put_cell(("总分", meaning), row, cell)
        self.kind = None


def _group_name(text: str) -> str:
    match = _GROUP.match(text)
    name = match.group(1) if match else text
    return re.sub(r"\s+", "", name)
