"""Which places of a report may read a figure, found from the rules' lookups without evaluating.

The diagnosis needs, for a few figures (those of the failing checks and what they are tied
to), every check that reads them.  Evaluating every rule at every place with a trace to learn
that took most of the diagnosis.  Instead each rule's lookups are turned once into patterns
(``绩效指标[*].指标[*].得分`` → ``绩效指标 · * · 指标 · * · 得分``) and, per report, a figure's
key path is matched against them: the places that match are a superset of those whose traced
evaluation reads the figure (a lookup at a place resolves to the same key paths whether the
evaluation is traced or not), so tracing only them finds exactly the same readers.

A key path a lookup records ends in a figure only when the lookup went all the way, or when a
``[*]`` met a value that is no table (the path before the ``[*]``): either way it starts with
the pattern's leading plain keys (its *head*), which is what patterns are indexed by.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from ..engine.lookup import Base, Every, Index, Key, LoopKey
from ..engine.nodes import LoopVariable, Read
from ..engine.pack import Rule
from ..engine.run import _planned
from .tree import Path, Tree

__all__ = ["Places"]


class _Any:
    """A step that may be any key: ``[*]``, an index, a computed key."""

    __slots__ = ()


ANY = _Any()


class _Loop:
    """A step whose key is the value of a loop variable at the place."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


Step = str | _Any | _Loop
# (from the scope item, the steps, how many of them are plain keys at the start)
Pattern = tuple[bool, tuple[Step, ...], int]


def _patterns(rule: Rule) -> tuple[list[Pattern], bool]:
    """The rule's lookup patterns, and whether some key is computed (by an expression whose
    own reads no pattern shows)."""
    found: list[Pattern] = []
    computed = False
    for expression in (rule.check, rule.when):
        if expression is None:
            continue
        for node in expression.walk():
            if not isinstance(node, Read) or isinstance(node, LoopVariable):
                continue
            lookup = node.lookup
            if lookup.base is Base.BINDING:
                continue  # a loop variable's value: its path is ()
            steps: list[Step] = []
            for step in lookup.steps:
                if step.__class__ is Key:
                    steps.append(step.key)
                elif step.__class__ is LoopKey:
                    steps.append(_Loop(step.name))
                else:
                    computed |= step.__class__ not in (Every, Index)
                    steps.append(ANY)
            head = next((i for i, s in enumerate(steps) if not isinstance(s, str)), len(steps))
            found.append((lookup.base is Base.ITEM, tuple(steps), head))
    return found, computed


class _Index:
    """The patterns of a rule list, by head: relative to the scope item, or to the report
    (parameters are keyed from their own root, like the report: a superset is harmless)."""

    __slots__ = ("computed", "item", "patterns", "root", "rules")

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = list(rules)  # kept: the index is looked up by the rules' identities
        self.item: dict[Path, list[tuple[int, Pattern]]] = {}
        self.root: dict[Path, list[tuple[int, Pattern]]] = {}
        self.patterns: list[list[Pattern]] = []
        self.computed: list[bool] = []
        for position, rule in enumerate(self.rules):
            patterns, computed = _patterns(rule)
            self.patterns.append(patterns)
            self.computed.append(computed)
            for pattern in patterns:
                from_item, steps, head = pattern
                into = self.item if from_item and rule.scope is not None else self.root
                key: Path = tuple(steps[:head])  # type: ignore[arg-type]
                into.setdefault(key, []).append((position, pattern))


_INDEXES: dict[tuple[int, ...], _Index] = {}


def _index(rules: Sequence[Rule]) -> _Index:
    key = tuple(id(r) for r in rules)
    found = _INDEXES.get(key)
    if found is None:
        if len(_INDEXES) > 64:  # rules of many checkers: forget the old ones
            _INDEXES.clear()
        found = _INDEXES[key] = _Index(rules)
    return found


class Places:
    """Every rule at every place of one report, numbered in run order (rule order, then
    report order, then loop values), without evaluating any of them."""

    __slots__ = ("bindings", "index", "items", "offsets", "planned", "positions", "total")

    def __init__(self, tree: Tree, rules: Sequence[Rule], params: dict[str, dict[str, Any]]):
        self.index = _index(rules)
        self.planned = _planned(tree, rules, params, None)
        self.offsets: list[int] = []
        self.bindings: list[list[dict[str, str]]] = []
        self.positions: list[dict[Path, list[int]]] = []
        known: dict[int, dict[Path, list[int]]] = {}
        total = 0
        for rule, _, items in self.planned:
            combinations = rule.bindings()
            self.offsets.append(total)
            self.bindings.append(combinations)
            found = known.get(id(items))
            if found is None:
                found = known[id(items)] = {}
                for i, (_, path) in enumerate(items):
                    found.setdefault(path, []).append(i)
            self.positions.append(found)
            total += len(items) * len(combinations)
        self.total = total

    def place(self, index: int) -> tuple[Rule, dict[str, Any], Any, Path, dict[str, str]]:
        """The rule, its parameters, the scope item, its key path and the loop values."""
        position = _position(self.offsets, index)
        rule, params, items = self.planned[position]
        combinations = self.bindings[position]
        item, binding = divmod(index - self.offsets[position], len(combinations))
        value, path = items[item]
        return rule, params, value, path, combinations[binding]

    def readers(self, path: Path) -> list[int]:
        """The places that may read ``path`` (a printed figure), in run order."""
        found: set[int] = set()
        for start in range(len(path) + 1):
            scope, rest = path[:start], path[start:]
            for end in range(start, len(path) + 1):
                for position, pattern in self.index.item.get(path[start:end], ()):
                    rows = self.positions[position].get(scope)
                    if rows is not None:
                        found.update(self._matching(position, pattern, rest, rows))
        for end in range(len(path) + 1):
            for position, pattern in self.index.root.get(path[:end], ()):
                every = range(len(self.planned[position][2]))
                found.update(self._matching(position, pattern, path, every))
        return sorted(found)

    def may_read(self, index: int, path: Path) -> bool:
        """Whether the check at place ``index`` may read ``path``, or a table that holds it,
        on any tree of the report's shape, whichever branch it takes (a superset)."""
        position = _position(self.offsets, index)
        if self.index.computed[position]:
            return True
        rule, _, _, scope, bindings = self.place(index)
        for from_item, steps, _ in self.index.patterns[position]:
            rest = path
            if from_item and rule.scope is not None:
                if path[: len(scope)] != scope:
                    continue
                rest = path[len(scope) :]
            if all(
                step is ANY
                or (key == bindings.get(step.name) if isinstance(step, _Loop) else key == step)
                for key, step in zip(rest, steps, strict=False)
            ):
                return True
        return False

    def _matching(
        self, position: int, pattern: Pattern, rest: Path, items: Sequence[int] | range
    ) -> Iterator[int]:
        steps = pattern[1]
        if len(rest) > len(steps):
            return
        loops: dict[str, Any] = {}
        for key, step in zip(rest, steps, strict=False):
            if isinstance(step, str):
                if key != step:
                    return
            elif isinstance(step, _Loop) and loops.setdefault(step.name, key) != key:
                return
        combinations = self.bindings[position]
        chosen = [
            i
            for i, values in enumerate(combinations)
            if all(values.get(name) == key for name, key in loops.items())
        ]
        offset, count = self.offsets[position], len(combinations)
        for item in items:
            for i in chosen:
                yield offset + item * count + i


def _position(offsets: list[int], index: int) -> int:
    """The rule whose places include ``index`` (the last offset not above it)."""
    low, high = 0, len(offsets) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if offsets[middle] <= index:
            low = middle
        else:
            high = middle - 1
    return low
