"""The report tree the rules read: a loaded report with every cell read exactly.

:func:`normalise_report` walks the data along the report's shape (``shape.json``, derived from
:mod:`.model`), reads each cell with :mod:`.normalise`, and then lets :mod:`.recognise` add
what the printed parts imply (the 报告类型, a target printed over three cells, the 预算执行率
row of the indicator table).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from ..inputs.source import LoadError, Source, format_path, kind_name
from .normalise import Figure, Kind, NumberError, Target, read_figure, read_target, read_text
from .recognise import recognise

__all__ = [
    "MAX_REPORT_FIGURES",
    "MAX_REPORT_VALUES",
    "KeyPath",
    "ReportTree",
    "ShapeError",
    "get",
    "get_mapped",
    "normalise_report",
    "report_shape",
]

KeyPath = tuple[str | int, ...]

# Totals over a whole report: each table has its row limit, but 1,000 groups of 1,000 rows, or a
# map of 500,000 keys, pass every per-list limit (the first took 83 s and 5.1 GB).  A real
# report has about 500 values, 150 of them figures.  Derived 正文数据 counts too.
MAX_REPORT_VALUES = 200_000
MAX_REPORT_FIGURES = 50_000


class ShapeError(ValueError):
    """A value of the wrong type at ``path`` (message in Chinese)."""

    def __init__(self, path: KeyPath, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message

    def located(self, source: Source | None, name: str = "<report>") -> LoadError:
        """The error at its line:col (1:1 for a report given as an object), with its key path."""
        position = None
        if source is not None:
            name = source.name
            position = source.position(self.path) or source.key_position(self.path)
        where = format_path(self.path)
        line, column = position or (1, 1)
        return LoadError(name, line, column, f"{where}：{self.message}" if where else self.message)


@cache
def report_shape() -> dict[str, Any]:
    """The report's shape, derived from :mod:`evalcheck.report.model` and shipped as data."""
    shape: dict[str, Any] = json.loads(
        (Path(__file__).with_name("shape.json")).read_text(encoding="utf-8")
    )
    return shape


def get(obj: Any, path: KeyPath) -> Any:
    """The value at a key path of the report tree (None when absent)."""
    for part in path:
        if isinstance(obj, dict):
            obj = obj.get(part)
        elif isinstance(obj, list) and isinstance(part, int) and 0 <= part < len(obj):
            obj = obj[part]
        else:
            return None
    return obj


def get_mapped(tree: Any, path: KeyPath) -> Any:
    """The value at a key path through mappings only, keys compared as text: the prose reader's
    paths name fields, and a list on the way means the field has no single value."""
    for key in path:
        if not isinstance(tree, dict):
            return None
        tree = tree.get(str(key))
    return tree


class ReportTree(dict[str, Any]):
    """A normalised report: what the rules read.  Normalising it again returns it as is."""


def normalise_report(data: object) -> ReportTree:
    """Turn loaded plain data into the report tree the rules read: every cell read exactly.

    Sections stay dicts keyed by the Chinese terms; figures become :class:`Figure`, indicator
    targets :class:`Target`, blanks None.  Unknown keys are kept as they are.
    """
    if isinstance(data, ReportTree):
        return data
    if not isinstance(data, dict):
        raise ShapeError((), f"报告的顶层必须是一个对象，实际为{kind_name(data)}")
    return ReportTree(recognise(_section(data, report_shape(), (), _Totals())))


class _Totals:
    """Values and figures read so far, against :data:`MAX_REPORT_VALUES` and
    :data:`MAX_REPORT_FIGURES`."""

    __slots__ = ("figures", "values")

    def __init__(self) -> None:
        self.values = 0
        self.figures = 0

    def value(self, path: KeyPath) -> None:
        self.values += 1
        if self.values > MAX_REPORT_VALUES:
            raise ShapeError(path, f"报告中的项目过多（超过 {MAX_REPORT_VALUES} 项）")

    def figure(self, path: KeyPath) -> None:
        self.figures += 1
        if self.figures > MAX_REPORT_FIGURES:
            raise ShapeError(path, f"报告中的数值过多（超过 {MAX_REPORT_FIGURES} 个）")


def _section(
    data: dict[str, Any], shape: dict[str, Any], path: KeyPath, totals: _Totals
) -> dict[str, Any]:
    fields = shape["fields"]
    others = shape.get("others")  # a section whose unnamed keys are figures all the same
    out: dict[str, Any] = {}
    for key, value in data.items():
        node = fields.get(key, others)
        out[key] = value if node is None else _value(value, node, (*path, key), totals)
    return out


def _value(value: object, node: dict[str, Any], path: KeyPath, totals: _Totals) -> Any:
    kind = node["type"]
    if value is None:
        return None
    totals.value(path)
    try:
        if kind == "figure":
            totals.figure(path)
            return value if isinstance(value, Figure) else read_figure(value, Kind(node["kind"]))
        if kind == "target":
            return value if isinstance(value, Target) else read_target(value)
        if kind == "text":
            return read_text(value)
    except NumberError as exc:
        raise ShapeError(path, str(exc)) from None
    if kind == "section":
        if not isinstance(value, dict):
            raise ShapeError(path, f"应为对象（{{…}}），实际为{kind_name(value)}")
        return _section(value, node, path, totals)
    if kind == "list":
        if not isinstance(value, list):
            raise ShapeError(path, f"应为数组（[…]），实际为{kind_name(value)}")
        limit = node.get("max")
        if limit is not None and len(value) > limit:
            raise ShapeError(path, f"行数过多（{len(value)} 行，上限 {limit} 行）")
        item = node["of"]
        return [_value(v, item, (*path, i), totals) for i, v in enumerate(value)]
    if not isinstance(value, dict):  # "map": free keys, one kind of value
        raise ShapeError(path, f"应为对象（{{…}}），实际为{kind_name(value)}")
    item = node["of"]
    return {k: _value(v, item, (*path, k), totals) for k, v in value.items()}
