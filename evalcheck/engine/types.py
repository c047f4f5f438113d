"""Static types: what the compiler knows of a value before any report is read.

Two vocabularies.  :class:`ValueKind` is what an expression yields (a number, a text, a truth
value…), so ``绩效指标 + 1`` is refused at load time.  The ``*T`` classes are nodes of the
report shape (``evalcheck/report/shape.json``), so ``基本支出.不存在`` is refused with the keys
that do exist.
"""

from __future__ import annotations

from dataclasses import field
from enum import Enum
from typing import Any

from ..inputs.records import dataclass
from ..report.tree import report_shape

__all__ = [
    "DictT",
    "LeafT",
    "ListT",
    "ModelT",
    "ParamT",
    "ValueKind",
    "kind_of",
    "report_type",
    "static_type",
]


class ValueKind(Enum):
    """What an expression yields, as far as the compiler can tell."""

    NUMBER = "num"
    TEXT = "text"
    BOOL = "bool"
    LIST = "list"
    TARGET = "target"  # an indicator's 指标值: text that may hold a number and a direction
    MAP = "map"  # a section or table of the report
    ANY = "any"  # known only at run time (parameters, coalesce, None)

    @property
    def numeric(self) -> bool:
        """May take part in arithmetic."""
        return self in (ValueKind.NUMBER, ValueKind.TARGET, ValueKind.ANY)

    @property
    def truth(self) -> bool:
        """May stand as a check: a comparison or a truth value."""
        return self in (ValueKind.BOOL, ValueKind.ANY)


@dataclass(frozen=True, slots=True)
class ModelT:
    """A section of the report (a table or a group of figures), from the report shape."""

    name: str
    fields: dict[str, Any] = field(hash=False, compare=False)


@dataclass(frozen=True, slots=True)
class ListT:
    """A list of the report shape (its rows), of ``item``."""

    item: Any


@dataclass(frozen=True, slots=True)
class DictT:
    """A mapping of the report shape (names chosen by the report), of ``item``."""

    item: Any


@dataclass(frozen=True, slots=True)
class LeafT:
    """A value of the report shape: a figure, a target or a text."""

    kind: str  # "figure", "target", "text", as the report shape names them


class ParamT:
    """Rule parameters: plain data checked at run time."""


FIGURE = LeafT("figure")
_LEAVES = {"figure": ValueKind.NUMBER, "target": ValueKind.TARGET, "text": ValueKind.TEXT}


_MADE: dict[tuple[int, str], tuple[dict[str, Any], Any]] = {}
_MAX_MADE = 20_000  # the shape has ~900 nodes; anything past this is made afresh


def static_type(node: dict[str, Any], name: str = "报告") -> Any:
    """A node of the report shape, as the lookup compiler sees it.

    Made once per shape node and name (a pack's lookups ask for the same ones ~3,000 times;
    the types are immutable and the shape lives as long as the process)."""
    key = (id(node), name)
    made = _MADE.get(key)
    if made is not None and made[0] is node:
        return made[1]
    shape = _made(node, name)
    if len(_MADE) < _MAX_MADE:
        _MADE[key] = (node, shape)
    return shape


def _made(node: dict[str, Any], name: str) -> Any:
    kind = node["type"]
    if kind == "section":
        return ModelT(name, node["fields"])
    if kind == "list":
        return ListT(static_type(node["of"], name))
    if kind == "map":
        return DictT(static_type(node["of"], name))
    return LeafT(kind)


def report_type() -> ModelT:
    root = static_type(report_shape())
    assert isinstance(root, ModelT)
    return root


def kind_of(shape: Any) -> ValueKind:
    """What a lookup ending at this node of the shape yields."""
    if isinstance(shape, LeafT):
        return _LEAVES[shape.kind]
    if isinstance(shape, (ModelT, DictT)):
        return ValueKind.MAP
    if isinstance(shape, ListT):
        return ValueKind.LIST
    return ValueKind.ANY
