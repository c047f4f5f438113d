"""The report as the diagnosis sees it: every rule at every place, evaluated once with a trace.

Evaluation is deterministic, so the trace says exactly which printed figures an outcome can
depend on: a trial change re-runs only the checks that read a changed figure.  Three things
are read off the baseline:

* **readers** — for each figure, the checks that read it;
* **quantities** — figures that a passing tie (``a == b``, one printed figure each side: a
  table cell and its repetition in the prose or in another table) makes one number.  A
  quantity is changed as a whole: a suggestion for 总分 that left 自评分数 unchanged would
  only move the error, and a figure the report states twice is confirmed by the second
  statement;
* **groups** — the failing checks, partitioned into groups that share no quantity.  Each group
  is diagnosed on its own (an error in the 三公经费 does not hide one in the scores).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal, InvalidOperation, localcontext
from typing import Any

from ..engine.lookup import Env
from ..engine.nodes import Arithmetic, Call, Constant, Expr, Logic, Read, Trace
from ..engine.pack import Rule
from ..engine.run import Outcome, Status, evaluate
from ..engine.spec import Severity
from ..engine.values import EvalError, Missing, number
from ..inputs.records import dataclass
from ..report.normalise import Figure, Target
from .reads import Places
from .tree import Path, Tree, get

__all__ = ["PROSE", "Baseline", "Entry", "Group", "is_prose"]

PRECISION = 40
PROSE = "正文数据"  # figures the narrative states (read from 正文 by report.narrative)


def is_prose(path: Path) -> bool:
    return bool(path) and path[0] == PROSE


@dataclass(slots=True)
class Entry:
    """One rule at one place (scope item and loop binding), as the search re-evaluates it."""

    rule: Rule
    scope: Path
    bindings: dict[str, str]
    params: dict[str, Any]
    status: Status = Status.PASS
    paths: frozenset[Path] = frozenset()
    figures: tuple[Path, ...] = ()  # the printed figures its check read (not its ``when``)
    output: Path | None = None  # the one figure a side of ``figure == f(…)`` is
    total: Path | None = None  # the printed total, when the check is "total == a + b + …"
    parts: tuple[Path, ...] = ()
    gaps: tuple[Path, ...] = ()  # blank parts a sum passed over in a row that prints others
    tie: tuple[Path, Path] | None = None  # ``a == b`` with one printed figure on each side
    index: int = 0  # its place in the run: rule order, then report order
    sides: tuple[Expr, Expr] | None = None  # the equality that decides the check, if one does
    linear: bool = False  # both sides only add and subtract figures: one secant step solves it

    @property
    def key(self) -> tuple[str, Path, tuple[tuple[str, str], ...]]:
        return (self.rule.id, self.scope, tuple(sorted(self.bindings.items())))

    @property
    def equality(self) -> bool:
        return self.sides is not None

    @property
    def error(self) -> bool:
        return self.rule.severity == Severity.ERROR

    def env(self, report: Tree) -> Env:
        item = get(report, self.scope) if self.rule.scope is not None else report
        return Env(report, item, self.scope, self.params, self.bindings)

    def evaluate(self, report: Tree) -> Status:
        """The outcome status, as :func:`evalcheck.engine.run.run_rules` would report it."""
        return evaluate(self.rule, self.env(report)).status

    def traced(self, report: Tree) -> tuple[Status, Trace]:
        trace = Trace()
        return evaluate(self.rule, self.env(report), trace).status, trace

    def record(self, report: Tree) -> Status:
        """:meth:`evaluate`, keeping every figure the evaluation read and the check's shape."""
        status, trace = self.traced(report)
        self.paths = trace.read()
        self.figures = _figure_paths(trace, _shape(self.rule.check)[0])
        self.sides = sides = _deciding(self.rule.check, trace)
        if sides is None:
            return status
        self.linear = all(_shape(side)[1] for side in sides)
        self.gaps = _gaps(report, self.rule.check, trace)
        ones = [_figure_paths(trace, _shape(side)[0]) for side in sides]
        single = [
            len(found) == 1 and _shape(side)[2] for side, found in zip(sides, ones, strict=True)
        ]
        if all(single) and ones[0][0] != ones[1][0]:
            self.tie = (ones[0][0], ones[1][0])
        for i in (0, 1):
            if single[i] and ones[1 - i]:
                self.output = self.output or ones[i][0]
                if sides[1 - i].adds and not self.total:
                    self.total, self.parts = ones[i][0], ones[1 - i]
        return status

    def residual(self, report: Tree) -> Decimal | None:
        """Left side minus right side of an equality, at the printed midpoints."""
        env = self.env(report)
        if self.sides is None:
            return None
        left, right = self.sides
        try:  # a side that is blank or not a number has no residual
            a = number(left.evaluate(env), left.source)
            b = number(right.evaluate(env), right.source)
        except (Missing, EvalError, InvalidOperation, ArithmeticError):
            return None
        with localcontext() as ctx:
            ctx.prec = PRECISION
            return a.value - b.value


def _deciding(check: Expr, trace: Trace) -> tuple[Expr, Expr] | None:
    """The equality that decides a check: the check itself (``a == b``), the branch an
    ``if`` on a parameter took, or the equality that held in an ``or`` of equalities."""
    node: Expr | None = check
    while node is not None:
        if node.sides is not None:
            return node.sides
        chosen = node.chosen(trace)
        if chosen is None and isinstance(node, Logic) and not node.conjunction:
            chosen = next((p for p in node.parts if trace.values.get(p) is True), None)
        node = chosen
    return None


# Keyed by the node itself (identity), which keeps it alive: an id could be reused.
_SHAPES: dict[Expr, tuple[frozenset[int], bool, bool]] = {}


def _shape(side: Expr) -> tuple[frozenset[int], bool, bool]:
    """What a side of an equality is, computed once per compiled rule: the ids of its nodes;
    whether it only adds and subtracts figures and constants (``sum``, ``coalesce``), so one
    secant step solves it; whether it is a figure as printed, not computed from several."""
    found = _SHAPES.get(side)
    if found is None:
        nodes = list(side.walk())
        additive = all(
            isinstance(n, (Read, Constant))
            or (isinstance(n, Arithmetic) and n.adds)
            or (isinstance(n, Call) and (n.helper.adds or n.helper.picks))
            for n in nodes
        )
        one = not any(
            isinstance(n, Arithmetic) or (isinstance(n, Call) and not n.helper.picks) for n in nodes
        )
        found = _SHAPES[side] = (frozenset(id(n) for n in nodes), additive, one)
    return found


def _gaps(report: Tree, check: Expr, trace: Trace) -> tuple[Path, ...]:
    """Blank cells a sum passed over, in rows that print other figures: a part of the total
    is missing from the table, so no printed figure can be blamed with a digit slip."""
    found: list[Path] = []
    for node in check.walk():
        if not node.adds:
            continue
        for part in _parts(node):
            if not isinstance(part, Read) or not part.lookup.figure:
                continue  # a parameter, a loop variable
            for path in trace.paths.get(part, []):
                if path and get(report, path) is None and _prints_figures(get(report, path[:-1])):
                    found.append(path)
    return tuple(dict.fromkeys(found))


def _parts(node: Expr) -> Iterator[Expr]:
    """The operands a sum adds up, through nested sums (not lookups inside its conditions)."""
    for child in node.children:
        if child.adds:
            yield from _parts(child)
        elif not child.children:
            yield child


def _prints_figures(row: Any) -> bool:
    return isinstance(row, dict) and any(
        isinstance(v, Figure) or (isinstance(v, Target) and v.figure is not None)
        for v in row.values()
    )


def _figure_paths(trace: Trace, within: frozenset[int] | None = None) -> tuple[Path, ...]:
    """The printed figures the evaluation read (``within``: under these nodes only), in
    reading order, from the values the trace recorded beside each key path."""
    found: dict[Path, None] = {}
    for node, paths in trace.paths.items():
        if within is not None and id(node) not in within:
            continue
        values = trace.values.get(node)
        listed = values if isinstance(values, list) else [values] * len(paths)
        for path, value in zip(paths, listed, strict=False):
            if value.__class__ is Figure:
                found[path] = None
    return tuple(found)


@dataclass(slots=True)
class Group:
    """Failing checks that share figures, and the figures (whole quantities) they read.

    ``soft``: only warnings that compare (``≤``), which a digit change is no evidence for;
    such a group is diagnosed only when a formula slip explains it."""

    entries: list[Entry]
    figures: list[Path]
    soft: bool = False
    coupled: bool = False  # disagreements prose ↔ table joined by an identity (.disputes)


class Baseline:
    """The rules at the places of one report, traced only where the diagnosis looks: the
    failing checks, and the checks that read a figure it asks about (:mod:`.reads` finds
    them without evaluating).  Readers, quantities and groups are what tracing every place
    would give; ``outcomes`` (the run's, every place in run order) say which checks fail."""

    __slots__ = (
        "_failing",
        "_made",
        "_order",
        "_printings",
        "_quantities",
        "_readers",
        "params",
        "places",
        "printing",
        "report",
        "rules",
    )

    def __init__(
        self,
        report: Tree,
        rules: Sequence[Rule],
        params: dict[str, dict[str, Any]],
        outcomes: Sequence[Outcome] | None = None,
        printing: Callable[[Path], int | Path | None] | None = None,
    ) -> None:
        self.report = report
        self.rules = rules
        self.params = params
        self.places = Places(report, rules, params)
        self.printing = printing  # the prose statement a figure of 正文数据 was read from
        self._made: dict[int, Entry] = {}
        self._readers: dict[Path, list[Entry]] = {}
        self._quantities: dict[Path, tuple[Path, ...]] = {}
        self._order: dict[Path, tuple[int, int]] = {}
        self._printings: dict[Path | tuple[str, int], tuple[Path, ...]] | None = None
        self._failing = _failing(self, outcomes)

    def entry(self, index: int) -> Entry:
        """The check at place ``index``, traced (once)."""
        found = self._made.get(index)
        if found is None:
            rule, params, _, path, bindings = self.places.place(index)
            found = self._made[index] = Entry(rule, path, bindings, params, index=index)
            found.status = found.record(self.report)
        return found

    @property
    def failing(self) -> list[Entry]:
        """The checks that fail, traced, in run order."""
        return [self.entry(i) for i in self._failing]

    @property
    def entries(self) -> list[Entry]:
        """Every place, traced (slow: for studies of the diagnosis, not for the diagnosis)."""
        return [self.entry(i) for i in range(self.places.total)]

    def readers(self, path: Path) -> list[Entry]:
        """The checks whose evaluation reads ``path`` (a printed figure), in run order."""
        found = self._readers.get(path)
        if found is None:
            found = self._readers[path] = [
                e for e in map(self.entry, self.places.readers(path)) if path in e.paths
            ]
        return found

    def stated(self, path: Path) -> Path | None:
        """The table figure a prose figure states: the other side of the first tie (a
        passing or failing ``a == b``) between it and a table figure."""
        if not is_prose(path):
            return None
        for entry in self.readers(path):
            if entry.tie is not None and path in entry.tie:
                a, b = entry.tie
                if is_prose(a) != is_prose(b):
                    return b if a == path else a
        return None

    def printed(self, path: Path) -> Path | tuple[str, int]:
        """What one printing of a figure is known by: the prose statement it was read from,
        the table figure a field of 正文数据 quotes (``复述[0].表中``), else its key path."""
        found = self.printing(path) if self.printing is not None and is_prose(path) else None
        if isinstance(found, tuple):
            return found
        return path if found is None else (PROSE, found)

    def printed_with(self, path: Path) -> tuple[Path, ...]:
        """The figures of one printing with ``path`` (itself included) that a check reads as
        a figure: the fields of 正文数据 read from one statement, or a table figure and the
        fields that quote it."""
        if self.printing is None:
            return (path,)
        if self._printings is None:
            by: dict[Path | tuple[str, int], list[Path]] = {}
            for found, value in _leaves(get(self.report, (PROSE,)), (PROSE,)):
                key = self.printed(found) if value.__class__ is Figure else found
                if key != found:
                    by.setdefault(key, [key] if key[0] != PROSE else []).append(found)
            self._printings = {
                key: tuple(p for p in paths if get(self.report, p).__class__ is Figure)
                for key, paths in by.items()
            }
        together = self._printings.get(self.printed(path))
        if together is None or len(together) < 2:
            return (path,)
        return tuple(p for p in together if p == path or self._read(p))

    def _read(self, path: Path) -> bool:
        return any(path in e.figures for e in self.readers(path))

    def quantity(self, path: Path) -> tuple[Path, ...]:
        """The figures that are one number with ``path`` (the table's first), itself included:
        the figures passing ties join to it, directly or through others, and the figures of
        正文数据 read from the same printed figure of the prose."""
        found = self._quantities.get(path)
        if found is not None:
            return found
        joined, pending = {path}, [path]
        while pending:
            here = pending.pop()
            for same in self.printed_with(here):
                if same not in joined:
                    joined.add(same)
                    pending.append(same)
            for entry in self.readers(here):
                if entry.tie is None or entry.status not in (Status.PASS, Status.ROUNDING):
                    continue
                a, b = entry.tie
                other = b if a == here else a if b == here else None
                if other is not None and other not in joined:
                    joined.add(other)
                    pending.append(other)
        if len(joined) == 1:
            found = (path,)
        else:
            found = tuple(sorted(joined, key=lambda p: (is_prose(p), self._first(p))))
        for member in found:
            self._quantities[member] = found
        return found

    def _first(self, path: Path) -> tuple[int, int]:
        """Where the run first reads ``path`` as a figure of a check: the place, and the
        figure's rank among those the check reads (the report's reading order)."""
        found = self._order.get(path)
        if found is None:
            found = self._order[path] = min(
                (e.index, e.figures.index(path)) for e in self.readers(path) if path in e.figures
            )
        return found

    def figure(self, path: Path) -> Figure:
        found = get(self.report, path)
        assert isinstance(found, Figure), path
        return found

    def groups(self) -> tuple[list[Group], list[Entry]]:
        """The failing checks in groups that share no quantity (errors and equalities; then
        groups of warnings that only compare), and the failing sums with a blank part."""
        members, soft, blanks = [], [], []
        for entry in map(self.entry, self._failing):
            if entry.status is not Status.FAIL or not entry.figures:
                continue  # passing, or a check of presence (得分 left blank): not a figure's fault
            if entry.gaps:
                blanks.append(entry)
            elif entry.equality or entry.error:
                members.append(entry)
            else:
                soft.append(entry)
        groups = self._components(members)
        taken = {q for g in groups for p in g.figures for q in self.quantity(p)}
        loose = [e for e in soft if not any(p in taken for p in e.figures)]
        groups += [Group(g.entries, g.figures, soft=True) for g in self._components(loose)]
        return groups, blanks

    def _components(self, entries: Iterable[Entry]) -> list[Group]:
        found: list[tuple[set[Path], list[Entry]]] = []
        for entry in entries:
            keys = {self.quantity(p)[0] for p in entry.figures}
            joined = [g for g in found if g[0] & keys]
            merged: tuple[set[Path], list[Entry]] = (keys, [entry])
            for group in joined:
                found.remove(group)
                merged[0].update(group[0])
                merged[1].extend(group[1])
            found.append(merged)
        groups = []
        for _, grouped in found:
            grouped.sort(key=lambda e: e.index)
            figures: dict[Path, None] = {}
            for entry in grouped:
                for path in entry.figures:
                    figures.setdefault(self.quantity(path)[0], None)
            groups.append(Group(grouped, list(figures)))
        groups.sort(key=lambda g: g.entries[0].index)
        return groups


def _leaves(tree: Any, path: Path) -> Iterator[tuple[Path, Any]]:
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(tree, list):
        for i, value in enumerate(tree):
            yield from _leaves(value, (*path, i))
    else:
        yield path, tree


def _failing(base: Baseline, outcomes: Sequence[Outcome] | None) -> list[int]:
    """The places whose check fails: read off the run's outcomes when they are every place
    in run order, else found by evaluating every place (untraced)."""
    places = base.places
    if outcomes is not None and len(outcomes) == places.total:
        found = [i for i, o in enumerate(outcomes) if o.status is Status.FAIL]
        if all(_same(places.place(i), outcomes[i]) for i in found):
            return found
    found = []
    for i in range(places.total):
        rule, params, item, path, bindings = places.place(i)
        if evaluate(rule, Env(base.report, item, path, params, bindings)).status is Status.FAIL:
            found.append(i)
    return found


def _same(place: tuple[Rule, Any, Any, Path, dict[str, str]], outcome: Outcome) -> bool:
    rule, _, _, path, bindings = place
    return outcome.rule is rule and outcome.scope == path and outcome.bindings == bindings
