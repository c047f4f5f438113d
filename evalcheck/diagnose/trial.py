"""One trial of the culprit search: its budget, the figures it changes, and the values worth
trying for one figure of a failing check.

Work is counted in trial evaluations (:class:`Budget`), never in seconds, so the result is the
same on a busy machine; the wall-clock deadline is only a safety stop against a hang."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from dataclasses import field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from ..engine.run import Status
from ..inputs.records import dataclass
from ..report.normalise import MAX_EXPONENT, Figure
from .entries import Entry
from .fields import places
from .tree import Path, Tree, replace
from .typos import USUAL_PLACES, Slip, corrections, substitutions

__all__ = [
    "Budget",
    "Candidate",
    "Edit",
    "OutOfSteps",
    "SafetyStop",
    "Trials",
    "solve",
    "trial_figure",
    "values",
]

PRECISION = 40


class OutOfSteps(Exception):
    """The group's budget of trial evaluations is spent: its search is incomplete."""


class SafetyStop(Exception):
    """The wall-clock safety stop was reached (a hang, never a busy machine)."""


@dataclass(slots=True)
class Budget:
    """Trial evaluations left for one group, and the report's wall-clock safety stop."""

    steps: int
    deadline: float
    spent: int = 0

    def tick(self) -> None:
        self.spent += 1
        if self.spent > self.steps:
            raise OutOfSteps
        if self.spent % 64 == 1 and time.perf_counter() > self.deadline:
            raise SafetyStop


@dataclass(frozen=True, slots=True)
class Edit:
    """One printed figure and the value it more likely should have, with the slip between."""

    path: Path
    printed: Figure
    suggested: Figure
    slip: Slip


@dataclass(frozen=True, slots=True)
class Candidate:
    """A proposed fix: the figures changed (the first names the slip), and how plausible."""

    edits: tuple[Edit, ...]
    score: float
    quantities: int = 1  # independent changes it takes (a quantity and what follows from it)
    repaired: frozenset[int] = frozenset()  # failing checks elsewhere it makes hold (indices)

    @property
    def paths(self) -> frozenset[Path]:
        return frozenset(e.path for e in self.edits)


Content = frozenset[tuple[Path, tuple[Any, ...]]]
_UNCHANGED: tuple[Tree, dict[Path, tuple[Any, ...]], Content] = ({}, {}, frozenset())
MAX_TREES = 256  # trial trees remembered (a table of 1,000 rows copies its list per tree)


@dataclass(slots=True)
class Trials:
    """The trial trees of one search, each known by what it changed in the report, and what
    a check gave on each: evaluation is deterministic, so a check is evaluated once per
    content of the tree (a candidate value tried for one check and then verified against all
    its readers, the first change of a pair that was already a single fix).  The budget counts
    trials, not evaluations: remembering one changes no result."""

    report: Tree
    may_read: Callable[[int, Path], bool]  # see reads.Places.may_read
    trees: dict[int, tuple[Tree, dict[Path, tuple[Any, ...]], Content]] = field(
        default_factory=dict
    )
    statuses: dict[tuple[int, Content], Status] = field(default_factory=dict)
    reads: dict[tuple[int, Path], bool] = field(default_factory=dict)
    asked: set[int] = field(default_factory=set)  # checks whose residual as printed was asked
    residuals: dict[tuple[int, Content], Decimal | None] = field(default_factory=dict)

    def put(self, tree: Tree, path: Path, value: Figure) -> Tree:
        """A copy of ``tree`` with ``value`` at ``path`` (see :func:`.tree.replace`)."""
        changed: Tree = replace(tree, path, value)
        known = self._known(tree)
        if known is not None:
            content = {**known[1], path: _content(value)}
            self.trees[id(changed)] = (changed, content, frozenset(content.items()))
            if len(self.trees) > MAX_TREES:  # the least recently used goes (memory stays flat)
                del self.trees[next(iter(self.trees))]
        return changed

    def _known(self, tree: Tree) -> tuple[Tree, dict[Path, tuple[Any, ...]], Content] | None:
        """What ``tree`` changed in the report, if it is one of the trees kept."""
        if tree is self.report:
            return _UNCHANGED
        known = self.trees.pop(id(tree), None)
        if known is None or known[0] is not tree:
            return None
        self.trees[id(tree)] = known  # used again: kept longer
        return known

    def status(self, entry: Entry, tree: Tree) -> Status:
        """``entry.evaluate(tree)``, once per content."""
        known = self._known(tree)
        if known is None:
            return entry.evaluate(tree)
        key = self._key(entry.index, known[1])
        found = self.statuses.get(key)
        if found is None:
            found = self.statuses[key] = entry.evaluate(tree)
        return found

    def residual(self, entry: Entry, tree: Tree) -> Decimal | None:
        """``entry.residual(tree)``, once per content."""
        known = self._known(tree)
        if known is None:
            return entry.residual(tree)
        key = self._key(entry.index, known[1])
        if key not in self.residuals:
            self.residuals[key] = entry.residual(tree)
        return self.residuals[key]

    def as_printed(self, entry: Entry, budget: Budget) -> Decimal | None:
        """The check's residual on the report as printed (the same for every figure): one
        trial the first time it is asked for."""
        if entry.index not in self.asked:
            budget.tick()
            self.asked.add(entry.index)
        return self.residual(entry, self.report)

    def _key(self, index: int, changed: dict[Path, tuple[Any, ...]]) -> tuple[int, Content]:
        """What a check's value depends on: the changes it may read."""
        kept = []
        for path, value in changed.items():
            read = self.reads.get((index, path))
            if read is None:
                read = self.reads[index, path] = self.may_read(index, path)
            if read:
                kept.append((path, value))
        return index, frozenset(kept)


def _content(value: Figure) -> tuple[Any, ...]:
    """Everything a figure is made of (its value with its exponent: ``1.0`` is not ``1.00``)."""
    return (
        value.__class__,
        str(value.value),
        value.decimals,
        value.kind,
        value.exact,
        value.text,
        value.unit,
    )


def values(solved: Decimal | None, printed: Figure) -> Iterator[Decimal]:
    """Values to try for a figure, best first: a slip's correction that rounding allows near
    the exact solution, the exact solution, the solution at the printed precision (and at the
    form's usual precision, for a whole 10 that should be 9.37)."""
    if solved is None:
        yield from corrections(printed)
        return
    unit = Decimal(1).scaleb(-printed.decimals)
    allowed = max(printed.decimals, USUAL_PLACES[printed.kind])
    window = Decimal(3).scaleb(-allowed)  # rounding of the other figures
    with localcontext() as ctx:
        ctx.prec = PRECISION
        near = [
            value
            for value in itertools.chain(corrections(printed), substitutions(printed))
            if abs(value - solved) <= window and places(value) <= allowed
        ]
        yield from sorted(near, key=lambda value: abs(value - solved))
        if places(solved) <= allowed:
            yield solved
        if solved.adjusted() + allowed >= ctx.prec:
            return  # more digits than any printed figure has: no rounding of it to suggest
        yield solved.quantize(unit, ROUND_HALF_UP)  # the decimals of the printed figure
        if allowed > printed.decimals:
            yield solved.quantize(Decimal(1).scaleb(-allowed), ROUND_HALF_UP)
        if places(solved) == allowed + 1:  # a dropped digit? (fields.suggest decides)
            yield solved


def solve(
    residual: Callable[[Decimal], Decimal | None], printed: Figure, linear: bool = False
) -> Decimal | None:
    """The value that zeroes ``residual``, or None; a solution larger than any figure may be
    printed (10^MAX_EXPONENT) is none: 1 against a 较预算增减率 of 0.00% solves to 1.7e39."""
    solved = _solve(residual, printed, linear)
    if solved is None or not solved.is_finite() or solved.adjusted() >= MAX_EXPONENT:
        return None
    return solved


def _solve(
    residual: Callable[[Decimal], Decimal | None], printed: Figure, linear: bool = False
) -> Decimal | None:
    """A secant step (exact for sums, so ``linear`` residuals stop there), then a reciprocal
    step (exact for a denominator), then a few secant refinements."""
    x0 = printed.value
    with localcontext() as ctx:
        ctx.prec = PRECISION
        step = max(abs(x0), Decimal(1)) / 2
        x1 = x0 + step
        r0, r1 = residual(x0), residual(x1)
        if r0 is None or r1 is None or r0 == r1:
            return None
        scale = abs(r0) + 1
        guesses = [x0 - r0 * (x1 - x0) / (r1 - r0)]
        if linear:
            return guesses[0]
        if x0 != 0 and x1 != 0:
            u0, u1 = 1 / x0, 1 / x1
            u = u0 - r0 * (u1 - u0) / (r1 - r0)
            if u != 0:
                guesses.append(1 / u)
        for guess in guesses:
            value = residual(guess)
            if value is not None and abs(value) <= scale * Decimal("1e-12"):
                return guess
        a, ra, b = x1, r1, guesses[0]
        for _ in range(8):
            rb = residual(b)
            if rb is None:
                return None
            if abs(rb) <= scale * Decimal("1e-12"):
                return b
            if rb == ra:
                return None
            a, ra, b = b, rb, b - rb * (b - a) / (rb - ra)
    return None


def trial_figure(value: Decimal, like: Figure) -> Figure:
    return Figure(value=value, decimals=like.decimals, kind=like.kind, exact=True, text="")
