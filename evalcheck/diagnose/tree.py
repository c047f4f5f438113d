"""The report tree as the search reads and changes it: a value at a key path, a copy with one
value replaced (the report itself is never changed), and the figures printed beside a figure,
which make a slip such as a copied neighbour recognisable."""

from __future__ import annotations

from typing import Any

from ..report.normalise import Figure
from ..report.tree import get
from .typos import Neighbour

__all__ = ["Path", "Tree", "get", "neighbours", "replace", "row_name"]

Path = tuple[str | int, ...]
Tree = dict[str, Any]  # the normalised report tree the rules read


def replace(obj: Any, path: Path, value: Any) -> Any:
    """A copy of the tree with one value replaced; unchanged branches are shared, not copied."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(obj, dict):
        copy = type(obj)(obj)  # a ReportTree stays one: the engine does not normalise it again
        copy[head] = replace(obj.get(head), rest, value)
        return copy
    if isinstance(obj, list) and isinstance(head, int):
        items = list(obj)
        items[head] = replace(obj[head], rest, value)
        return items
    raise KeyError(path)


_COLUMNS = ("上年决算数", "本年预算数", "本年决算数")


def neighbours(report: Tree, path: Path) -> list[Neighbour]:
    """Figures printed beside ``path``: other columns of its row, adjacent rows or items."""
    if not path:
        return []
    key, parent = path[-1], get(report, path[:-1])
    found: list[Neighbour] = []
    if key in ("本年决算数", "本年预算数") and isinstance(parent, dict):
        last = get(parent, ("上年决算数",))
        if isinstance(last, Figure):
            found.append(Neighbour("上年决算数", last, "last-year"))
        if key == "本年决算数":
            budget = get(parent, ("本年预算数",))
            if isinstance(budget, Figure):
                found.append(Neighbour("本年预算数", budget, "column"))
    if len(path) >= 2 and isinstance(path[-2], int):
        rows = get(report, path[:-2])
        index = path[-2]
        if isinstance(rows, list):
            for other in (index - 1, index + 1):
                if 0 <= other < len(rows):
                    figure = get(rows[other], (key,))
                    if isinstance(figure, Figure):
                        relation = "row-above" if other < index else "row-below"
                        found.append(Neighbour(row_name(rows[other], other), figure, relation))
        return found
    if key in _COLUMNS and len(path) >= 2:  # the same column of the row above or below
        rows = get(report, path[:-2])
        names = (
            [k for k, v in rows.items() if isinstance(v, dict)] if isinstance(rows, dict) else []
        )
        if path[-2] in names:
            index = names.index(str(path[-2]))
            for other in (index - 1, index + 1):
                if 0 <= other < len(names):
                    figure = get(rows, (names[other], key))
                    if isinstance(figure, Figure):
                        relation = "row-above" if other < index else "row-below"
                        found.append(Neighbour(names[other], figure, relation))
    if not isinstance(parent, dict) or key in _COLUMNS:
        return found
    keys = [k for k, v in parent.items() if isinstance(v, Figure)]
    if key in keys:
        index = keys.index(key)
        for other in (index - 1, index + 1):
            if 0 <= other < len(keys):
                figure = get(parent, (keys[other],))
                if isinstance(figure, Figure):
                    relation = "row-above" if other < index else "row-below"
                    found.append(Neighbour(str(keys[other]), figure, relation))
    return found


def row_name(row: Any, index: int) -> str:
    """How a table row is named in messages: its 三级指标 or 名称, else its number."""
    for key in ("三级指标", "名称", "一级指标"):
        name = get(row, (key,))
        if isinstance(name, str) and name:
            return name
    return f"第 {index + 1} 行"
