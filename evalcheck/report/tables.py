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

from ..inputs.documents.headers import (
    COLUMNS,
    NUMERIC,
    column_meaning,
    header_key,
    is_figure,
    label_key,
)
from ..inputs.documents.layout import Cell, Origin, Row, Unread
from ..inputs.source import KeyPath
from .across import Across, Captions, caption_column, header_items, labelled_header
from .align import align
from .assembly import Assembly, cell_origin
from .kinds import (
    BUILDINGS,
    COST_COLUMNS,
    COST_LISTS,
    COST_ROWS,
    COSTS,
    FUND_COLUMNS,
    FUND_TOTALS,
    FUNDS,
    GROUP,
    INCOME,
    INDICATORS,
    KINDS,
    LABELLED,
    LINES,
    PUBLIC,
    PUBLIC_COUNTS,
    PUBLIC_ROWS,
    SINGLE_LABELS,
    Kind,
    group_name,
    header_columns,
    is_page_metadata,
    recognise,
    why_not,
    words_in_money,
)
from .sources import Held, line_columns, source_header
from .template import is_instruction

__all__ = [
    "COLUMNS",
    "KINDS",
    "Assembly",
    "Kind",
    "TableReader",
    "Unrecognised",
    "header_columns",
    "header_key",
    "label_key",
]

_FLAT = NUMERIC | {"年度指标值", "实际完成值", "三级指标"}

Unrecognised = Unread  # a cell or table that could not be placed (the report's 未识别)


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
        self.shift = 0  # cells the current row lacks against its header (see align.py) …
        self.lead = 0  # … after its leading 序号 cell, if it has one
        self.guessed: set[int] = set()  # tables taken for statement tables by their columns …
        self.placed: set[int] = set()  # … and those that had a 三公 row
        self.group = -1
        self.group_name = ""
        self.level2 = ""
        self.across: Across | None = None  # a 三公 table printed across (see across.py)
        self.captions = Captions()
        self.why: dict[int, str] = {}  # why a table was not read, when not for want of a header
        self.after: dict[int, str] = {}  # the paragraph after each table (see sources.py)
        self.held = Held()  # 合计 rows of tables not yet known to be 三公 tables
        self.handlers: dict[str, Callable[[Row], None]] = {
            COSTS.name: self._cost,
            PUBLIC.name: self._public,
            FUNDS.name: self._funds,
            INDICATORS.name: self._indicator,
        }

    def read(self, row: Row) -> None:
        self.rows.setdefault(row.table, []).append(row)
        if row.blank():
            return
        self.captions.row(row)
        if self.across is not None and self._across(row):
            return
        found = recognise(row) or source_header(row, self.captions.texts, self.after.get(row.table))
        if found is None and (items := header_items(row)) is not None:
            self.kind, self.across = None, Across(row.table, items, rows=[row])
            return
        if found is None and (labelled := labelled_header(row)) is not None:
            self.kind, self.across = None, labelled
            return
        if found is not None:
            self.kind, self.columns = found
            self.header = row
            self.recognised_tables.add(row.table)
            self.used.update(id(row.cells[i]) for i in self.columns.values())
            if self.kind is PUBLIC:
                self.guessed.add(row.table)
                self.held.header(row.table, self.captions.texts)
            self._block_points(row)
            self._start(row)
            return
        if self._single_label(row):
            self.recognised_tables.add(row.table)
            return
        if self.kind is not None and self.header is not None and row.table == self.header.table:
            self.shift, self.lead = align(self.header, self.columns, row)
            if self.lead:
                self.used.add(id(row.cells[0]))  # the row's number (序号)
            self.handlers.get(self.kind.name, self._fill)(row)
            self.shift = self.lead = 0

    def finish(self) -> None:
        """List what was not placed: tables never recognised, figures no column claimed."""
        for number in self.guessed - self.placed:
            self.recognised_tables.discard(number)  # a statement table none of whose rows is 三公
        for number, rows in sorted(self.rows.items()):
            if number not in self.recognised_tables:
                if not is_page_metadata(rows):
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
        why = self.why.get(first.table) or why_not(rows)
        reason = f"无法识别{name}（首行：{heading or '空白'}）：{why}"
        if figures:
            reason += f"；表中 {figures} 个数字未读取"
        origin = cell_origin(cell, first) if cell is not None else Origin(name, 1, 1, first.quote)
        self.unread.append(Unrecognised(origin, heading, reason))

    def _across(self, row: Row) -> bool:
        """The next row of a table printed across: its second header row, or its figures."""
        across, self.across = self.across, None
        assert across is not None
        if row.table != across.table:
            return False
        across.rows.append(row)
        if across.sub_header(row):
            self.across = across
            return True
        if across.labelled:
            return self._labelled(across, row)
        read = across.figures(row)
        column = caption_column(self.captions.texts)
        if isinstance(read, str) or column is None:
            self.why[row.table] = read if isinstance(read, str) else "表题未说明是预算数还是决算数"
            return True
        self._place_across(across, row, read, column)
        return True

    def _labelled(self, across: Across, row: Row) -> bool:
        """A row of a table across whose rows say their columns (2016年 | 2364 | …); a change
        row (增减%) is left unread; a row that cannot be read ends the table."""
        read = across.labelled_row(row, self.captions.texts)
        if isinstance(read, str):
            if row.table not in self.recognised_tables:
                self.why.setdefault(row.table, read)
            return True
        self.across = across
        if read is not None:
            self.used.add(id(row.cells[0]))
            self._place_across(across, row, *read)
        return True

    def _place_across(
        self, across: Across, row: Row, read: list[tuple[str, Cell, Cell]], column: str
    ) -> None:
        self.recognised_tables.add(row.table)
        for item, header, cell in read:
            self.used.add(id(header))
            self.out.section(("三公经费", item), cell_origin(header, across.header_row(header)))
            self._put_cell(("三公经费", item, column), row, cell)

    # --- helpers

    def _cell(self, row: Row, meaning: str) -> Cell | None:
        index = self.columns.get(meaning)
        if index is None:
            return None
        index -= self.shift
        if not 0 <= index < len(row.cells) or (self.shift and index < self.lead):
            return None  # a cell the row lacks (a rowspan's), not its 序号
        return row.cells[index]

    def _label(self, row: Row) -> tuple[str, Cell | None]:
        """The row's label: the first non-blank cell left of the value columns."""
        first_value = min(self.columns.values(), default=len(row.cells)) - self.shift
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
        if not value:  # a blank cell of a known column: its place is kept, its value absent
            self.out.located.setdefault(tuple(path), cell_origin(cell, row))
            return
        if str(path[-1]) in NUMERIC and is_instruction(value):
            self._unread(cell, row, "填报说明（模板文字），不作数字读取")
            return
        if words_in_money(str(path[-1]), value):
            self._unread(cell, row, "金额栏中是文字（可能是下一行的名称移入了此栏），未作数字读取")
            return
        self.out.put(path, value, cell_origin(cell, row, value.split("\n")[0]))

    def _block_points(self, row: Row) -> None:
        """A header's leading cell that is a block title with points: 预算执行情况（10分）."""
        first = next((c for c in row.cells if c.flat), None)
        if first is None or column_meaning(first.flat) is not None:
            return
        match = GROUP.match(first.flat)
        if match is not None:
            self.used.add(id(first))
            name = re.sub(r"\s+", "", match.group(1))
            self.out.put_new(
                ("板块分值", name), match.group(2), cell_origin(first, row, match.group(2))
            )

    def _single_label(self, row: Row) -> bool:
        """Rows of label–value pairs that stand alone in any block: 厉行节约保障措施,
        预算单位名称, 项目名称 … 主管部门 … 实施单位 …"""
        cells = list({id(c): c for c in row.cells if c.flat}.values())
        if not cells or SINGLE_LABELS.get(label_key(cells[0].flat)) is None:
            return False
        for index, cell in enumerate(cells):
            path = SINGLE_LABELS.get(label_key(cell.flat))
            if path is None:
                continue
            self.used.add(id(cell))
            value = cells[index + 1] if index + 1 < len(cells) else None
            if value is None or SINGLE_LABELS.get(label_key(value.flat)) is not None:
                continue
            self.used.add(id(value))
            self.out.put_new(path, value.text, cell_origin(value, row, value.text[:10]))
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
        path = next((p for pattern, p in COST_ROWS if re.search(pattern, key)), None)
        if path is not None:
            self.cost_parent = path if path in COST_LISTS else None
            base: KeyPath = ("经费控制情况", *path)
            self.out.section(base, origin)
        elif self.cost_parent is not None:
            list_path: KeyPath = ("经费控制情况", *self.cost_parent, COST_LISTS[self.cost_parent])
            index = self.out.append(list_path, origin)
            base = (*list_path, index)
            self.out.put((*base, "名称"), key, origin)
        else:
            base = ("经费控制情况", key)
            self.out.section(base, origin)
        for column in COST_COLUMNS:
            self._put_cell((*base, column), row, self._cell(row, column))

    def _public(self, row: Row) -> None:
        """A row of a “三公”经费 table: an item's money columns, or a count beside them
        (团组数, 人次, 批次, 购置数, 保有量)."""
        label, label_cell = self._label(row)
        key = label_key(label)
        if not key or label_cell is None or len(key) > 30 or re.match(r"(?:备)?注|说明", key):
            return  # a note under the table (“注：1、‘三公’经费包括……”)
        count = next(
            ((item, f) for pattern, item, f in PUBLIC_COUNTS if re.search(pattern, key)), None
        )
        if count is not None:
            counted, name = count
            value = next(
                (c for m in LINES if (c := self._cell(row, m)) is not None and is_figure(c.flat)),
                None,
            )
            if value is not None:
                self._put_cell(("三公经费", counted, name), row, value)
            return
        item = next((n for pattern, n in PUBLIC_ROWS if re.search(pattern, key)), None)
        if item is None or self.held.hold(row, item, (self.shift, self.lead)):
            return  # no item, or a 合计 of a table not yet known to be a 三公 table (Held)
        base: KeyPath = ("三公经费", item)
        self.placed.add(row.table)
        self.out.section(base, cell_origin(label_cell, row, label.strip()[:4]))
        for path, meaning in line_columns(self.columns, base):  # the line's, its sources'
            self.out.section(path[:-1], cell_origin(label_cell, row, label.strip()[:4]))
            self._put_cell(path, row, self._cell(row, meaning))
        if "本年预算数" not in self.columns:  # “预算数” alone: this year's budget
            self._put_cell((*base, "本年预算数"), row, self._cell(row, "全年预算数"))
        for waiting, place in self.held.release(row.table):  # its 合计, held until this item
            self.shift, self.lead = place  # showed a 三公 table (read() resets them after)
            self._public(waiting)

    def _funds(self, row: Row) -> None:
        label, label_cell = self._label(row)
        if label_cell is not None and header_key(label) in FUND_TOTALS:
            for meaning in FUND_COLUMNS:
                self._put_cell(("预算执行", meaning), row, self._cell(row, meaning))
            reason = self._cell(row, "偏差原因分析及改进措施")
            self._put_cell(("预算执行", "说明"), row, reason)
            return
        figures = [self._cell(row, m) for m in FUND_COLUMNS[:3]]
        if (
            label_cell is not None
            and re.search(r"[\u4e00-\u9fff]", label)  # a name, not a stray figure
            and not LABELLED.match(label)
            and any(c is not None and is_figure(c.flat) for c in figures)
        ):  # a 其中 row of a project's funds block: 财政资金, 上年结转资金 …
            base: KeyPath = ("预算执行", "资金来源", label_key(label))
            self.out.section(base, cell_origin(label_cell, row, label.strip()[:4]))
            for meaning in FUND_COLUMNS:
                self._put_cell((*base, meaning), row, self._cell(row, meaning))
            return
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell) in seen:
                continue
            seen.add(id(cell))
            match = LABELLED.match(re.sub(r"\s+", "", cell.flat))
            if match is None:
                continue
            key = label_key(match.group(1))
            path = next((p for pattern, p in INCOME if re.search(pattern, key)), None)
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
        if level1 is not None and name and group_name(name) != self.group_name:
            self._new_group(row, level1)
        if self.group < 0:
            return
        new_level2 = level2 is not None and bool(level2.flat) and level2.flat != self.level2
        if new_level2 and level2 is not None:
            self.level2 = level2.flat
        fields = (
            "三级指标",
            "指标性质",
            "年度指标值",
            "度量单位",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        )
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
        self.group_name = group_name(name)
        self.level2 = ""
        self.out.keys[("绩效指标", self.group)] = origin
        self.out.put(("绩效指标", self.group, "一级指标"), self.group_name, origin)
        points = GROUP.match(name)
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
