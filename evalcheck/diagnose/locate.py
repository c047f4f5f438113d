"""Culprit search: the fewest figures whose change makes every failing identity hold.

This is Fellegi–Holt error localisation (as R's ``errorlocate`` does it), fitted to the rule
engine instead of a linear-programming solver:

* Every rule is evaluated once at every place with a :class:`Trace`, which records each figure
  the evaluation read.  Evaluation is deterministic, so changing a figure can only change the
  outcome of checks that read it: a trial change re-runs only those, in microseconds.
* Failing equality checks that share a figure form one *component*; independent errors in
  separate components are localised separately.
* For a figure of a failing check, the value that makes the check hold is solved numerically
  on the check's two sides (a secant step, exact for sums, with a reciprocal step for ratios),
  all in Decimal.  Values a data-entry slip explains are preferred when rounding allows.
* A change is kept only if every failing equality check of its component then holds and no
  check that held before fails.  Single changes first; pairs only when no single one works.

Every trial works on copies of the frozen model: the report itself is never changed.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import Any

from ..engine.lookup import Env
from ..engine.nodes import Expr, Trace
from ..engine.pack import Rule
from ..engine.run import Status, evaluate, places
from ..engine.spec import Severity
from ..engine.values import EvalError, Missing, number
from ..inputs.source import format_path
from ..report.normalise import Figure, Kind, Target
from .tree import Path, Tree, get, neighbours, replace
from .typos import NO_SLIP, USUAL_PLACES, Slip, classify, corrections, display_value, substitutions

__all__ = ["Candidate", "Entry", "OutOfTime", "Search"]
PRECISION = 40
_HELD = (Status.PASS, Status.ROUNDING)  # an equality that holds, if only within rounding
# A fix that takes two figures must be much better explained than either single fix would be.
PAIR_PENALTY = 0.5
# A change that trips a warning is less likely; one that also repairs another failing check
# (the score above its 分值 that made the total wrong) is more likely.
SOFT_PENALTY = 0.75
REPAIR_BONUS = 1.5
# A fix after which a repaired check holds only within rounding explains it less well.
ROUNDING_PENALTY = 0.7
# Trust added to a figure: being the printed total of a sum, and each passing check it is in.
TOTAL_TRUST = 0.5
CONFIRMATION_TRUST = 0.25


class OutOfTime(Exception):
    """The per-report time budget ran out: keep what was found."""


@dataclass(slots=True)
class Entry:
    """One rule at one place (scope item and loop binding), as the search re-evaluates it."""

    rule: Rule
    scope: Path
    bindings: dict[str, str]
    params: dict[str, Any]
    status: Status = Status.PASS
    paths: frozenset[Path] = frozenset()
    total: Path | None = None  # the printed total, when the check is "total == a + b + …"
    parts: tuple[Path, ...] = ()
    gaps: tuple[Path, ...] = ()  # blank parts a sum passed over in a row that prints others

    @property
    def key(self) -> tuple[str, Path, tuple[tuple[str, str], ...]]:
        return (self.rule.id, self.scope, tuple(sorted(self.bindings.items())))

    @property
    def equality(self) -> bool:
        return self.rule.check.sides is not None

    def env(self, report: Tree) -> Env:
        item = get(report, self.scope) if self.rule.scope is not None else report
        return Env(report, item, self.scope, self.params, self.bindings)

    def evaluate(self, report: Tree) -> Status:
        """The outcome status, as :func:`evalcheck.engine.run.run_rules` would report it."""
        return evaluate(self.rule, self.env(report)).status

    def record(self, report: Tree) -> Status:
        """:meth:`evaluate`, keeping every figure the evaluation read.  Evaluation is
        deterministic, so a change to any other figure cannot change this outcome."""
        trace = Trace()
        status = evaluate(self.rule, self.env(report), trace).status
        self.paths = trace.read()
        self.gaps = _gaps(report, self.rule.check, trace)
        sides = self.rule.check.sides
        if sides is not None:
            for one, other in (sides, sides[::-1]):
                single = _figure_paths(report, one, trace)
                parts = _figure_paths(report, other, trace)
                if len(single) == 1 and parts and other.adds:
                    self.total, self.parts = single[0], parts
        return status

    def residual(self, report: Tree) -> Decimal | None:
        """Left side minus right side of an equality, at the printed midpoints."""
        env = self.env(report)
        sides = self.rule.check.sides
        if sides is None:
            return None
        left, right = sides
        try:  # a side that is blank or not a number has no residual
            a, b = (
                number(left.evaluate(env), left.source),
                number(right.evaluate(env), right.source),
            )
        except (Missing, EvalError, InvalidOperation, ArithmeticError):
            return None
        with localcontext() as ctx:
            ctx.prec = PRECISION
            return a.value - b.value


def _gaps(report: Tree, check: Expr, trace: Trace) -> tuple[Path, ...]:
    """Blank cells a sum passed over, in rows that print other figures: a part of the total
    is missing from the table, so no printed figure can be blamed with a digit slip."""
    found: list[Path] = []
    for node in check.walk():
        if not node.adds:
            continue
        for part in _parts(node):
            for path in trace.paths.get(part, []):
                if path and get(report, path) is None and _prints_figures(get(report, path[:-1])):
                    found.append(path)
    return tuple(found)


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


def _figure_paths(report: Tree, node: Expr, trace: Trace) -> tuple[Path, ...]:
    """The printed figures one side of a check read."""
    found: list[Path] = []
    for sub in node.walk():
        found.extend(p for p in trace.paths.get(sub, []) if isinstance(get(report, p), Figure))
    return tuple(found)


@dataclass(slots=True)
class Verdict:
    """A trial change: checks it leaves wrong (failing in the group, or newly failing with
    severity error), warnings it newly trips, and other failing checks it repairs."""

    wrong: list[Entry] = field(default_factory=list)
    soft: int = 0
    repaired: int = 0
    rounding: bool = False  # a repaired check holds only within rounding


@dataclass(frozen=True, slots=True)
class Candidate:
    """A proposed fix: the changed figures with their new values, and how plausible it is."""

    changes: tuple[tuple[Path, Figure, Figure, Slip], ...]  # path, printed, suggested, slip
    score: float

    @property
    def paths(self) -> frozenset[Path]:
        return frozenset(c[0] for c in self.changes)


@dataclass(slots=True)
class Search:
    """The culprit search over one report, bounded by a number of trial checks.

    Counting trials rather than seconds keeps the diagnosis the same on a busy machine (a
    report's findings must not depend on load); the wall-clock ``deadline`` is only a last
    guard against a hang and is far above what the step budget allows.
    """

    report: Tree
    rules: Sequence[Rule]
    params: dict[str, dict[str, Any]]
    deadline: float
    steps: int = 2000
    entries: list[Entry] = field(default_factory=list)
    readers: dict[Path, list[Entry]] = field(default_factory=dict)

    def run(self) -> list[tuple[list[Entry], list[Candidate]]]:
        """Per component of failing equality checks: its checks and the fixes found, best first."""
        self._baseline()
        results = []
        for component in self._components():
            try:
                found = self._singles(component)
                if not found:
                    found = self._pairs(component)
            except OutOfTime:
                found = []
            results.append((component, sorted(found, key=lambda c: -c.score)))
            if self.steps < 0 or time.perf_counter() > self.deadline:
                break
        return results

    # --- evaluation -------------------------------------------------------------------------

    def _baseline(self) -> None:
        for rule, env in places(self.report, self.rules, self.params):
            entry = Entry(rule, env.prefix, env.bindings, env.params)
            entry.status = entry.record(self.report)
            self.entries.append(entry)
            for path in entry.paths:
                self.readers.setdefault(path, []).append(entry)

    def _tick(self) -> None:
        self.steps -= 1
        if self.steps < 0 or time.perf_counter() > self.deadline:
            raise OutOfTime

    def _components(self) -> list[list[Entry]]:
        failing = [e for e in self.entries if e.equality and e.status is Status.FAIL and not e.gaps]
        groups: list[tuple[set[Path], list[Entry]]] = []
        for entry in failing:
            figures = {p for p in entry.paths if isinstance(get(self.report, p), Figure)}
            joined = [g for g in groups if g[0] & figures]
            merged: tuple[set[Path], list[Entry]] = (set(figures), [entry])
            for group in joined:
                groups.remove(group)
                merged[0].update(group[0])
                merged[1].extend(group[1])
            groups.append(merged)
        return [g[1] for g in groups]

    def _verify(self, trial: Tree, changed: Sequence[Path], component: Sequence[Entry]) -> Verdict:
        """Re-run the checks that read a changed figure (only they can change)."""
        self._tick()
        verdict = Verdict()
        pending = {id(e): e for e in component}
        seen: set[int] = set()
        for path in changed:
            for entry in self.readers.get(path, []):
                if id(entry) in seen:
                    continue
                seen.add(id(entry))
                status = entry.evaluate(trial)
                if status.holds:
                    if pending.pop(id(entry), None) is not None:
                        verdict.rounding |= status is Status.ROUNDING
                    elif not entry.status.holds:
                        verdict.repaired += 1
                elif not entry.status.holds:
                    continue
                elif entry.rule.severity == Severity.ERROR:
                    verdict.wrong.append(entry)
                else:
                    verdict.soft += 1
        verdict.wrong[:0] = pending.values()
        return verdict

    # --- solving ----------------------------------------------------------------------------

    def _figures(self, entries: Sequence[Entry], exclude: frozenset[Path]) -> list[Path]:
        paths = {p for e in entries for p in e.paths if p not in exclude}
        return sorted(
            (p for p in paths if isinstance(get(self.report, p), Figure)), key=format_path
        )

    def _options(self, base: Tree, path: Path, entries: Sequence[Entry]) -> list[Figure]:
        """Values of the figure at ``path`` that make at least one of ``entries`` hold."""
        printed = get(self.report, path)
        assert isinstance(printed, Figure)
        options: list[Figure] = []
        for entry in entries:
            if path not in entry.paths or not entry.equality:
                continue
            for value in self._values(base, path, printed, entry):
                suggested = _suggest(value, printed)
                if suggested is None or any(o.value == suggested.value for o in options):
                    continue
                if entry.evaluate(replace(base, path, suggested)) in _HELD:
                    options.append(suggested)
                    break
        return options

    def _values(self, base: Tree, path: Path, printed: Figure, entry: Entry) -> Iterator[Decimal]:
        """Values to try, best first: a slip's correction that rounding allows, the exact
        solution, the solution at the printed precision."""
        solved = _solve(lambda x: entry.residual(replace(base, path, _trial(x, printed))), printed)
        if solved is None:
            yield from corrections(printed)
            return
        unit = Decimal(1).scaleb(-printed.decimals)
        allowed = max(printed.decimals, USUAL_PLACES[printed.kind])
        # Rounding of the other figures: a few units of the form's last digit.
        window = Decimal(3).scaleb(-allowed)
        with localcontext() as ctx:
            ctx.prec = PRECISION
            near = [
                value
                for value in itertools.chain(corrections(printed), substitutions(printed))
                if abs(value - solved) <= window and _places(value) <= allowed
            ]
            yield from sorted(near, key=lambda value: abs(value - solved))
            if _places(solved) <= allowed:
                yield solved
            yield solved.quantize(unit, ROUND_HALF_UP)

    # --- the search -------------------------------------------------------------------------

    def _singles(self, component: list[Entry]) -> list[Candidate]:
        found: dict[Path, Candidate] = {}
        for path in self._figures(component, frozenset()):
            for suggested in self._options(self.report, path, component):
                verdict = self._verify(replace(self.report, path, suggested), [path], component)
                if verdict.wrong:
                    continue
                candidate = self._candidate([(path, suggested)], component, verdict)
                if path not in found or candidate.score > found[path].score:
                    found[path] = candidate
        return list(found.values())

    def _pairs(self, component: list[Entry]) -> list[Candidate]:
        """Two figures: the first fixes some checks, the second what is left or newly broken."""
        found: dict[frozenset[Path], Candidate] = {}
        for first in self._figures(component, frozenset()):
            for value in self._options(self.report, first, component):
                trial = replace(self.report, first, value)
                left = self._verify(trial, [first], component).wrong
                if not left:
                    continue
                for second in self._figures(left, frozenset({first})):
                    for other in self._options(trial, second, left):
                        final = replace(trial, second, other)
                        verdict = self._verify(final, [first, second], component)
                        if verdict.wrong:
                            continue
                        changes = [(first, value), (second, other)]
                        candidate = self._candidate(changes, component, verdict)
                        if any(c[3] is NO_SLIP for c in candidate.changes):
                            continue  # two unexplained changes are no evidence of anything
                        key = candidate.paths
                        if key not in found or candidate.score > found[key].score:
                            found[key] = candidate
        return list(found.values())

    def _candidate(
        self, changes: Sequence[tuple[Path, Figure]], component: Sequence[Entry], verdict: Verdict
    ) -> Candidate:
        described = []
        score = SOFT_PENALTY**verdict.soft * REPAIR_BONUS ** min(verdict.repaired, 2)
        if verdict.rounding:
            score *= ROUNDING_PENALTY
        for path, suggested in changes:
            printed = get(self.report, path)
            assert isinstance(printed, Figure)
            slip = classify(
                printed,
                suggested,
                neighbours(self.report, path),
                self._parts(path, component),
            )
            described.append((path, printed, suggested, slip))
            score *= slip.plausibility / self._trust(path)
        if len(changes) > 1:
            score *= PAIR_PENALTY
        return Candidate(tuple(described), score)

    def _trust(self, path: Path) -> float:
        """A total printed on the form, and a figure other checks confirm, are less suspect."""
        total = any(e.total == path for e in self.readers.get(path, []))
        confirmations = sum(
            1 for e in self.readers.get(path, []) if e.equality and e.status in _HELD
        )
        return 1 + TOTAL_TRUST * total + CONFIRMATION_TRUST * confirmations

    def _parts(self, path: Path, component: Sequence[Entry]) -> list[tuple[str, Decimal]]:
        """When ``path`` is the printed total of a failing sum, the figures it adds up."""
        parts: list[tuple[str, Decimal]] = []
        for entry in component:
            if entry.total == path:
                for part in entry.parts:
                    figure = get(self.report, part)
                    if isinstance(figure, Figure):
                        parts.append((format_path(part), figure.value))
        return parts


def _places(value: Decimal) -> int:
    return max(-int(value.normalize().as_tuple().exponent), 0)


def _trial(value: Decimal, like: Figure) -> Figure:
    return Figure(value=value, decimals=like.decimals, kind=like.kind, exact=True, text="")


def _suggest(value: Decimal, printed: Figure) -> Figure | None:
    """The value as the report would print it; None when the field cannot hold it."""
    if not value.is_finite() or value == printed.value:
        return None
    if value < 0 <= printed.value:
        return None  # amounts, counts, scores and rates in these reports are never negative
    with localcontext() as ctx:
        ctx.prec = PRECISION
        value = value.normalize()
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))
    places = _places(value)
    if printed.kind is Kind.COUNT and places:
        return None
    usual = USUAL_PLACES[printed.kind]
    # Printed with more decimals than the form's: the extra one may be the slip.
    decimals = max(places, printed.decimals if printed.decimals <= usual else usual)
    if decimals > max(printed.decimals, usual):
        return None
    exact = value == 0 or (decimals == 0 and printed.kind in (Kind.COUNT, Kind.SCORE))
    text = display_value(value, printed.kind, decimals)
    return Figure(value=value, decimals=decimals, kind=printed.kind, exact=exact, text=text)


def _solve(residual: Callable[[Decimal], Decimal | None], printed: Figure) -> Decimal | None:
    """The value that zeroes ``residual``: a secant step (exact for sums), then a reciprocal
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
