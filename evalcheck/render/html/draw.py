"""Drawing cells and the generic tables: a value at a key path, marked as findings say.

Every string from a report goes through :func:`evalcheck.inputs.escape.markup` exactly once,
here (or in :mod:`.prose` for running text); nothing a report holds is ever written raw.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from ...inputs.escape import markup
from ...inputs.source import format_path
from .marks import Marks

__all__ = ["Draw", "Part", "shown"]

KeyPath = tuple[str | int, ...]
Part = tuple[str, str, str]  # (id, caption, table markup)


def shown(value: Any) -> str:
    """A value as printed: numbers as written, a list joined with 、, nothing for a blank."""
    if value is None or isinstance(value, dict):
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple)):
        return "、".join(shown(v) for v in value)
    return str(value)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


class Draw:
    """Cells of one report (``base`` prefixes the key paths of a report inside a list)."""

    def __init__(self, marks: Marks, base: KeyPath = ()) -> None:
        self.marks = marks
        self.base = base

    def path(self, keys: KeyPath) -> str:
        return format_path((*self.base, *keys))

    def part_id(self) -> str:
        return self.marks.new_part()

    def value(
        self,
        value: Any,
        keys: KeyPath,
        *,
        tag: str = "td",
        span: str = "",
        also: Sequence[str] = (),
        text: str | None = None,
        css: str = "",
    ) -> str:
        """A cell showing ``value`` (or ``text``) printed at ``keys``; ``also``: other paths
        (as formatted) that name the same figure."""
        body = markup(shown(value) if text is None else text)
        number = ' data-n=""' if is_number(value) else ""
        if self._marked(keys) or also:
            attributes, refs = self.marks.cell([self.path(keys), *also], css)
        else:
            attributes, refs = (f' class="{css}"' if css else ""), ""
        return f"<{tag}{span}{number}{attributes}>{body}{refs}</{tag}>"

    def _marked(self, keys: KeyPath) -> bool:
        """Whether a finding may involve the value at ``keys`` (its first key is marked)."""
        roots = self.marks.roots
        if not roots:
            return False
        first = self.base[0] if self.base else keys[0] if keys else ""
        return (f"[{first}]" if isinstance(first, int) else first) in roots

    @staticmethod
    def label(text: str, span: str = "") -> str:
        return f"<th{span}>{markup(text)}</th>"

    # --- generic tables ------------------------------------------------------------------

    def pairs(self, section: Mapping[str, Any], keys: KeyPath, names: Iterable[str]) -> list[str]:
        """Rows ``name | value`` for the named keys of ``section`` that hold a value (a map of
        figures, such as 编制构成, gives a row per entry)."""
        rows = []
        for name in names:
            if name not in section:
                continue
            value = section[name]
            if isinstance(value, dict):
                for sub, item in value.items():
                    if not isinstance(item, (dict, list)):
                        label = self.label(f"{name}：{sub}")
                        rows.append(f"<tr>{label}{self.value(item, (*keys, name, sub))}</tr>")
                continue
            if isinstance(value, list) and any(isinstance(v, dict) for v in value):
                continue
            rows.append(f"<tr>{self.label(name)}{self.value(value, (*keys, name))}</tr>")
        return rows

    def lines(self, mapping: Mapping[str, Any], keys: KeyPath, order: Sequence[str]) -> str:
        """A map of lines (``{item: {column: figure}}``) as a table: a row per item, a column
        per key printed in any of them (``order`` first); nested maps, and lists of named
        lines (明细, 其中), as indented rows under their total."""
        rows: list[tuple[int, str, KeyPath, Mapping[str, Any], bool]] = []
        scalars: list[str] = []

        def collect(name: str, line: Any, at: KeyPath, depth: int, named: bool) -> None:
            if not isinstance(line, dict):
                line = {"": line}
            rows.append((depth, name, at, line, named))
            for key, value in line.items():
                if isinstance(value, dict):
                    collect(key, value, (*at, key), depth + 1, False)
                elif isinstance(value, list):
                    for i, item in enumerate(value):
                        if isinstance(item, dict):
                            title = shown(item.get("名称")) or f"{key}（{i + 1}）"
                            collect(title, item, (*at, key, i), depth + 1, "名称" in item)
                elif key not in scalars and not (named and key == "名称"):
                    scalars.append(key)

        for name, line in mapping.items():
            collect(name, line, (*keys, name), 0, False)
        columns = [c for c in order if c in scalars] + [c for c in scalars if c not in order]
        head = "".join(self.label(c or "金额") for c in columns)
        body = []
        for depth, name, at, line, named in rows:
            cells = "".join(self.value(line.get(c), at if c == "" else (*at, c)) for c in columns)
            indent = f"d{min(depth, 3)}" if depth else ""
            if named:
                title = self.value(name, (*at, "名称"), tag="th", css=indent)
            else:
                title = f'<th class="{indent}">{markup(name)}</th>' if indent else self.label(name)
            body.append(f"<tr>{title}{cells}</tr>")
        return f"<thead><tr><th>项目</th>{head}</tr></thead><tbody>{''.join(body)}</tbody>"

    def records(self, items: Sequence[Any], keys: KeyPath, order: Sequence[str]) -> str:
        """A list of objects (计数, 金额构成, 未识别) as a table, a row per object."""
        columns: list[str] = [
            c for c in order if any(isinstance(i, dict) and c in i for i in items)
        ]
        for item in items:
            if isinstance(item, dict):
                columns += [k for k in item if k not in columns]
        head = "".join(self.label(c) for c in columns)
        body = []
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            cells = []
            for column in columns:
                value = item.get(column)
                if isinstance(value, dict):
                    cells.append(self.mapping(value, (*keys, index, column)))
                else:
                    cells.append(self.value(value, (*keys, index, column)))
            body.append(f"<tr>{''.join(cells)}</tr>")
        return f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody>"

    def mapping(self, value: Mapping[str, Any], keys: KeyPath) -> str:
        """A small map inside a cell (构成 {行政单位: 3, 事业单位: 7}), each entry marked."""
        entries = []
        for name, item in value.items():
            paths = [self.path((*keys, name))]
            attributes = self.marks.attributes(paths)
            entry = f"{markup(name)}：{markup(shown(item))}"
            entries.append(f"<span{attributes}>{entry}{self.marks.refs(paths)}</span>")
        whole = self.marks.attributes([self.path(keys)])
        return f"<td{whole}>{'；'.join(entries)}</td>"
