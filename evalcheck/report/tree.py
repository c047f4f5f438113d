"""The report tree the rules read: a loaded report with every cell read exactly.

:func:`normalise_report` walks the data along the report's shape (``shape.json``, derived from
:mod:`.model`), reads each cell with :mod:`.normalise`, and then lets :mod:`.recognise` add
what the printed parts imply (the 报告类型, a target printed over three cells, the 预算执行率
row of the indicator table).
"""

from __future__ import annotations

import json
from collections.abc import Callable
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
    out: dict[str, Any] = _reader(shape)(data, path, totals)
    return out


def _value(value: object, node: dict[str, Any], path: KeyPath, totals: _Totals) -> Any:
    if value is None:
        return None
    return _reader(node)(value, path, totals)


# One reader per node of the shape, made on first use: the walk above without looking up the
# node's type, kind and fields again at every value (a report has about 500 values).
_Reader = Callable[[Any, KeyPath, _Totals], Any]
_READERS: dict[int, tuple[dict[str, Any], _Reader]] = {}


def _reader(node: dict[str, Any]) -> _Reader:
    found = _READERS.get(id(node))
    if found is None or found[0] is not node:
        found = _READERS[id(node)] = (node, _make_reader(node))
    return found[1]


def _make_reader(node: dict[str, Any]) -> _Reader:  # one reader per node type
    kind = node["type"]
    values_limit = MAX_REPORT_VALUES
    if kind == "figure":
        figure_kind = Kind(node["kind"])
        figures_limit = MAX_REPORT_FIGURES

        def figure(value: Any, path: KeyPath, totals: _Totals) -> Any:
            totals.values += 1
            if totals.values > values_limit:
                totals.value(path)
            totals.figures += 1
            if totals.figures > figures_limit:
                totals.figure(path)
            if isinstance(value, Figure):
                return value
            try:
                return read_figure(value, figure_kind)
            except NumberError as exc:
                raise ShapeError(path, str(exc)) from None

        return figure
    if kind == "target":

        def target(value: Any, path: KeyPath, totals: _Totals) -> Any:
            totals.value(path)
            try:
                return value if isinstance(value, Target) else read_target(value)
            except NumberError as exc:
                raise ShapeError(path, str(exc)) from None

        return target
    if kind == "text":

        def text(value: Any, path: KeyPath, totals: _Totals) -> Any:
            totals.value(path)
            try:
                return read_text(value)
            except NumberError as exc:
                raise ShapeError(path, str(exc)) from None

        return text
    if kind == "section":
        fields = node["fields"]
        others = node.get("others")  # a section whose unnamed keys are figures all the same

        readers: dict[str, _Reader | None] = {}  # by key, made on first use

        def section(value: Any, path: KeyPath, totals: _Totals) -> Any:
            if path:
                totals.value(path)
                if not isinstance(value, dict):
                    raise ShapeError(path, f"应为对象（{{…}}），实际为{kind_name(value)}")
            out: dict[str, Any] = {}
            for key, item in value.items():
                try:
                    read = readers[key]
                except (KeyError, TypeError):  # a key seen first, or not a string
                    field = fields.get(key, others)
                    read = None if field is None else _reader(field)
                    if len(readers) < 1000 and key.__class__ is str:
                        readers[key] = read
                if read is None or item is None:
                    out[key] = item
                else:
                    out[key] = read(item, (*path, key), totals)
            return out

        return section
    if kind == "list":
        limit = node.get("max")
        of = node["of"]

        def rows(value: Any, path: KeyPath, totals: _Totals) -> Any:
            totals.value(path)
            if not isinstance(value, list):
                raise ShapeError(path, f"应为数组（[…]），实际为{kind_name(value)}")
            if limit is not None and len(value) > limit:
                raise ShapeError(path, f"行数过多（{len(value)} 行，上限 {limit} 行）")
            read = _reader(of)
            return [None if v is None else read(v, (*path, i), totals) for i, v in enumerate(value)]

        return rows
    of = node["of"]

    def mapping(value: Any, path: KeyPath, totals: _Totals) -> Any:  # free keys, one kind
        totals.value(path)
        if not isinstance(value, dict):
            raise ShapeError(path, f"应为对象（{{…}}），实际为{kind_name(value)}")
        read = _reader(of)
        return {k: None if v is None else read(v, (*path, k), totals) for k, v in value.items()}

    return mapping
