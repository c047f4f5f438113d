"""The report being built from a document: plain data and the place of every value."""

from __future__ import annotations

from dataclasses import field
from typing import Any

from ..inputs.documents.layout import Cell, Origin, Row
from ..inputs.records import dataclass
from ..inputs.source import KeyPath

__all__ = ["Assembly", "cell_origin"]


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
    line, column, length = cell.locate(value)
    return Origin(cell.description, line, column, row.quote, cell.box, length)


# --- rows after a header ----------------------------------------------------------------------
