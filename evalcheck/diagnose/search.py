"""Culprit search in one group of failing checks: the fewest quantities whose change makes every
check of the group hold and breaks no rule of the report.

This is Fellegi–Holt error localisation (as R's ``errorlocate`` does it), fitted to the rule
engine instead of a linear-programming solver:

* For a figure of a failing equality, the value that makes the check hold is solved
  numerically on its two sides (a secant step, exact for sums, a reciprocal step for ratios),
  all in Decimal.  Values a data-entry slip explains are preferred when rounding allows.
* A change is applied to the whole quantity (a table cell and its repetitions, see
  :mod:`.entries`) and kept only if every check of the group then holds and no rule of the
  report that held — error or warning, range or equality — fails: a suggestion never breaks
  0 ≤ 得分 ≤ 分值, 总分 ≤ 满分 or a ≤ relation.  A prose figure is also held to the ranges of
  the table figure it states (``自评分数 100分`` is never told to be 1000).
* Formula slips (:mod:`.formulas`) are proposed beside single figures; two figures are tried
  only when nothing simpler works.

Work is bounded by a number of trial evaluations (:class:`Budget`), never by the clock, so the
result is the same on a busy machine; a wall-clock safety stop far above the step budget only
guards against a hang, and the diagnosis says so if it is ever reached.  Every trial works on
copies: the report itself is never changed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import field
from decimal import Decimal

from ..engine.run import Status
from ..engine.spec import Severity
from ..inputs.records import dataclass
from ..inputs.source import format_path
from ..report.normalise import Figure, Kind
from .disputes import disputed
from .entries import Baseline, Entry, Group, is_prose
from .fields import like as _like
from .fields import precision_weight, suggest
from .follow import solved_at
from .formulas import Hypothesis, hypotheses
from .tree import Path, Tree, get, neighbours
from .trial import (
    Budget,
    Candidate,
    Edit,
    OutOfSteps,
    SafetyStop,
    Trials,
    solve,
    trial_figure,
    values,
)
from .typos import (
    NO_SLIP,
    Slip,
    as_percent,
    corrections,
    explanations,
    percent_as_fraction,
)
from .verdict import CONFIRMED, FAR_UNITS, Verdict, weigh

__all__ = ["Budget", "Candidate", "Edit", "GroupSearch", "OutOfSteps", "SafetyStop"]

PRECISION = 40
_HELD = (Status.PASS, Status.ROUNDING)
# Values kept per failing check: the first that makes it hold exactly, or up to three that hold
# only within rounding (a slip's correction, the exact solution, the rounded one).
OPTIONS_PER_CHECK = 3
# A fix that takes two quantities must be much better explained than either single fix would be.
PAIR_PENALTY = 0.5
# A typing slip repeated identically in a second printing of the figure (prose, another table).
REPEATED_SLIP = 0.5
# A value wrong before it was copied (a total not updated) that the narrative states too: the
# narrative's author would have had to copy the stale table rather than the accounts.  Kept
# weak: a narrative is often written from the table, and at 0.7 an innocent part one wrong digit
# off was named over the true part that no slip explains (mutate copied-column, seed 17 case 27).
STATED_UPSTREAM = 0.85
# Values tried for a figure computed from a formula slip's corrected one.
FOLLOWER_OPTIONS = 3


@dataclass(slots=True)
class GroupSearch:
    """The search over one group, bounded by its budget of trial evaluations."""

    base: Baseline
    group: Group
    budget: Budget
    trials: Trials = field(init=False)  # what each check gave on each trial tree
    lax: frozenset[str] = frozenset()  # warnings a fix may break, at a cost (see _breaks)
    lone: frozenset[str] = frozenset()  # warnings the report breaks once only (see _breaks)

    def run(self) -> list[Candidate]:
        """Fixes found, best first (ties broken by the figures' order in the report)."""
        self.trials = Trials(self.base.report, self.base.places.may_read)
        found = [] if self.group.soft else self._singles()
        found += self._formulas()
        if not found and not self.group.soft:
            found = self._pairs()
        order = {p: i for i, p in enumerate(self.group.figures)}
        return sorted(
            found, key=lambda c: (-c.score, min(order.get(p, len(order)) for p in c.paths))
        )

    # --- trials -------------------------------------------------------------------------------

    def assign(self, tree: Tree, path: Path, value: Figure) -> tuple[Tree, list[Edit]]:
        """The tree with the quantity of ``path`` set to ``value`` (each printing at its own
        precision), and the printed figures that change."""
        edits = []
        for member in self.base.quantity(path):
            printed = self.base.figure(member)
            suggested = value if member == path else _like(value, printed)
            if suggested is None:
                continue
            tree = self.trials.put(tree, member, suggested)
            if suggested.value != printed.value:
                edits.append(Edit(member, printed, suggested, NO_SLIP))
        return tree, edits

    def verify(
        self, trial: Tree, edits: Sequence[Edit], entries: Sequence[Entry] | None = None
    ) -> Verdict | None:
        """Re-run the checks that read a changed figure (only they can change).  None when a
        rule that held now fails; ``left`` lists the group's checks still failing."""
        self.budget.tick()
        verdict = Verdict()
        pending = {id(e): e for e in (self.group.entries if entries is None else entries)}
        seen: set[int] = set()
        for edit in edits:
            for entry in self.base.readers(edit.path):
                if id(entry) in seen:
                    continue
                seen.add(id(entry))
                if self._breaks(entry, self.trials.status(entry, trial), verdict, pending):
                    return None
        for edit in edits:
            if not self._in_range(trial, edit, {e.path for e in edits}):
                return None
        verdict.left = list(pending.values())
        return verdict

    def _breaks(
        self, entry: Entry, status: Status, verdict: Verdict, pending: dict[int, Entry]
    ) -> bool:
        before = entry.status
        if id(entry) in pending:
            if status.holds:
                del pending[id(entry)]
                verdict.rounding |= status is Status.ROUNDING
            return False
        if before.holds and status.problem:
            if entry.rule.id in self.lax:
                verdict.strained += 1
                return False
            return entry.rule.severity is not Severity.INFO  # warnings and errors bind
        if before.problem and status.holds:
            verdict.repaired += entry.error
            verdict.warnings += not entry.error and entry.rule.severity is Severity.WARNING
            verdict.lone += entry.rule.id in self.lone
            verdict.mended.add(entry.index)
        elif before is Status.PASS and status is Status.ROUNDING:
            verdict.blurred += 1
        elif before is Status.ROUNDING and status is Status.PASS:
            verdict.sharpened += 1
            verdict.restored += self._far(entry)
        return False

    def _far(self, entry: Entry) -> bool:
        """The check, as printed, misses exact equality by many units of its finest decimal."""
        residual = self.trials.residual(entry, self.base.report)
        finest = max((self.base.figure(p).decimals for p in entry.figures), default=0)
        return residual is not None and abs(residual) >= FAR_UNITS * Decimal(1).scaleb(-finest)

    def _in_range(self, trial: Tree, edit: Edit, changed: set[Path]) -> bool:
        """A prose figure stands for the table figure it states: held to that figure's ranges
        and comparisons (not to its equalities, which the prose itself disputes)."""
        table = self.base.stated(edit.path)
        if table is None or table in changed or not is_prose(edit.path):
            return True
        if edit.suggested.value == self.base.figure(table).value:
            return True  # the prose told to say what the table says: nothing new to hold
        stand_in = _like(edit.suggested, self.base.figure(table))
        if (
            stand_in is None
            or suggest(edit.suggested.value, self.base.figure(table), table) is None
        ):
            return False
        probe = self.trials.put(trial, table, stand_in)
        for entry in self.base.readers(table):
            if entry.equality or entry.tie is not None:
                continue
            self.budget.tick()
            if entry.status.holds and self.trials.status(entry, probe).problem:
                return False
        return True

    # --- solving ------------------------------------------------------------------------------

    def options(self, tree: Tree, path: Path, entries: Sequence[Entry]) -> list[Figure]:
        """Values of the quantity at ``path`` that make at least one of ``entries`` hold."""
        printed = self.base.figure(path)
        members = set(self.base.quantity(path))
        bare = printed.kind is Kind.RATE and percent_as_fraction(printed, as_percent(printed).value)
        found: list[Figure] = []

        def keep(value: Figure, entry: Entry) -> Status | None:
            if any(o.value == value.value for o in found):
                return None
            self.budget.tick()
            status = self.trials.status(entry, self.assign(tree, path, value)[0])
            if status not in _HELD:
                return None
            found.append(value)
            return status

        for entry in entries:
            if not members & entry.paths:
                continue
            if bare and keep(as_percent(printed), entry):
                continue
            values = self._values(tree, path, printed, entry) if entry.equality else None
            kept = 0
            for value in values if values is not None else corrections(printed):
                suggested = suggest(value, printed, path)
                held = None if suggested is None else keep(suggested, entry)
                if held is None:
                    continue
                kept += 1
                if held is Status.PASS or kept == OPTIONS_PER_CHECK:
                    break  # an exact fix; or enough values that hold only within rounding
        return found

    def _values(
        self, tree: Tree, path: Path, printed: Figure, entry: Entry, start: Decimal | None = None
    ) -> Iterator[Decimal]:
        """Values to try, best first: a slip's correction that rounding allows, the exact
        solution, the solution at the printed precision.  ``start``: where the solver starts
        instead of the printed value (a rule that treats a whole score otherwise)."""

        def residual(x: Decimal) -> Decimal | None:
            if x == printed.value and tree is self.base.report:
                return self.trials.as_printed(entry, self.budget)
            self.budget.tick()
            return self.trials.residual(entry, self.assign(tree, path, trial_figure(x, printed))[0])

        begin = printed if start is None else trial_figure(start, printed)
        yield from values(solve(residual, begin, entry.linear), printed)

    # --- the search ---------------------------------------------------------------------------

    def _singles(self) -> list[Candidate]:
        found: dict[Path, Candidate] = {}
        for path in self.group.figures:
            for suggested in self.options(self.base.report, path, self.group.entries):
                trial, edits = self.assign(self.base.report, path, suggested)
                verdict = self.verify(trial, edits) if edits else None
                if verdict is None or verdict.left:
                    continue
                candidate = self.candidate([edits], verdict)
                if path not in found or candidate.score > found[path].score:
                    found[path] = candidate
        return list(found.values())

    def _pairs(self) -> list[Candidate]:
        """Two quantities, each explained by a slip: the first fixes some checks, the second
        what is left or newly broken."""
        found: dict[frozenset[Path], Candidate] = {}
        entries = self.group.entries
        for first in self.group.figures:
            for value in self.options(self.base.report, first, entries):
                trial, edits = self.assign(self.base.report, first, value)
                if not edits or (self._slip(edits)[0] is NO_SLIP and not self.group.coupled):
                    continue
                left = self._left(trial, edits)
                if not left:
                    continue
                seconds = {self.base.quantity(p)[0] for e in left for p in e.figures}
                order = {p: i for i, p in enumerate(self.group.figures)}
                for second in sorted(
                    seconds - {first}, key=lambda p: (order.get(p, len(order)), p)
                ):
                    for other in self.options(trial, second, left):
                        final, more = self.assign(trial, second, other)
                        if not more:
                            continue
                        verdict = self.verify(final, edits + more)
                        if verdict is None or verdict.left:
                            continue
                        if self._slip(more)[0] is NO_SLIP and not self.group.coupled:
                            continue  # (an amount moved between two parts is not a slip)
                        candidate = self.candidate([edits, more], verdict)
                        key = candidate.paths
                        if key not in found or candidate.score > found[key].score:
                            found[key] = candidate
        return list(found.values())

    def _left(self, trial: Tree, edits: list[Edit]) -> list[Entry]:
        """Checks still failing after a first change: the group's, and those it newly breaks."""
        self.budget.tick()
        left = []
        seen: set[int] = set()
        for edit in edits:
            for entry in self.base.readers(edit.path):
                if id(entry) in seen:
                    continue
                seen.add(id(entry))
                grouped = entry in self.group.entries
                if (grouped or entry.status.holds) and self.trials.status(entry, trial).problem:
                    left.append(entry)
        return [*left, *(e for e in self.group.entries if id(e) not in seen)]

    def _formulas(self) -> list[Candidate]:
        found = []
        for hypothesis in hypotheses(self.base, self.group, self.budget):
            candidate = self._hypothesis(hypothesis)
            if candidate is not None:
                found.append(candidate)
        return found

    def _hypothesis(self, hypothesis: Hypothesis) -> Candidate | None:
        """A formula slip: its corrected figures and what follows from them, verified."""
        start, changed = self.base.report, []
        for path, value in hypothesis.changes:
            start, more = self.assign(start, path, value)
            changed += more
        if not changed:
            return None
        # A figure computed from the corrected one may be printed whole or at the form's
        # usual decimals (得分 9 or 9.07): the first value that breaks no rule is kept.  One
        # that the corrected figure still allows is recomputed too when that also repairs a
        # failing check elsewhere (得分 10 holds beside 96.27% when rounded, but the 总分 was
        # added up with 9.627).
        chosen: tuple[list[Edit], Verdict] | None = None
        for force in (False, True):
            for pick in range(FOLLOWER_OPTIONS):
                trial, edits = self._follow(start, list(changed), pick, force)
                verdict = self.verify(trial, edits)
                if verdict is None or verdict.left:
                    continue
                if chosen is None or len(verdict.mended) > len(chosen[1].mended):
                    chosen = (edits, verdict)  # the first that holds, or one that mends more
        if chosen is None:
            return None
        edits, verdict = chosen
        slip = Slip(hypothesis.kind, hypothesis.reason, hypothesis.plausibility, upstream=True)
        first = Edit(edits[0].path, edits[0].printed, edits[0].suggested, slip)
        score = weigh(verdict) * slip.plausibility
        if self._confirmed(edits, verdict):
            score *= CONFIRMED
        return Candidate((first, *edits[1:]), score, 1, frozenset(verdict.mended))

    def _confirmed(self, edits: Sequence[Edit], verdict: Verdict) -> bool:
        """A formula slip's correction is what the prose states: a disagreement between the
        prose and the table that it mends by changing the table only.  A digit slip in the
        prose would have had to land on exactly the value the formula gives."""
        changed = {e.path for e in edits}
        mended = [self.base.entry(i) for i in sorted(verdict.mended)]
        return any(
            disputed(e) and not any(p in changed for p in e.tie or () if is_prose(p))
            for e in (*self.group.entries, *mended)
        )

    def _follow(
        self, trial: Tree, edits: list[Edit], pick: int = 0, force: bool = False
    ) -> tuple[Tree, list[Edit]]:
        """Figures computed from a corrected one, corrected with it (the 得分 the clerk
        computed from a wrong 执行率): a passing equality the change breaks (``force``: any
        passing equality that reads it) is solved for its own figure, up to three steps down."""
        for _ in range(3):
            changed = {e.path for e in edits}
            readers = {id(r): r for e in edits for r in self.base.readers(e.path)}
            broken = [
                entry
                for entry in readers.values()
                if entry.equality
                and entry.status.holds
                and entry.output is not None
                and entry.output not in changed
                and (force or _evaluate(self, entry, trial).problem)
            ]
            if not broken:
                break
            force = False  # only the figures read from the formula slip's own
            for entry in broken:
                assert entry.output is not None
                printed = self.base.figure(entry.output)
                found = solved_at(self, trial, entry, entry.output, printed, FOLLOWER_OPTIONS)
                value = found[min(pick, len(found) - 1)] if found else None
                if value is not None:
                    trial, more = self.assign(trial, entry.output, value)
                    edits += [
                        Edit(e.path, e.printed, e.suggested, _FOLLOWS)
                        for e in more
                        if e.path not in changed
                    ]
        return trial, edits

    # --- plausibility -------------------------------------------------------------------------

    def _slip(self, edits: Sequence[Edit]) -> tuple[Slip, float, int]:
        """The slip that best explains one quantity's change, its weight, and which printing
        shows it: a typing slip repeated in a second printing weighs less, a value that was
        wrong before it was copied (a stale total) somewhat less when the narrative states it
        too (:data:`STATED_UPSTREAM`), not at all when another table does."""
        best, weight, at = NO_SLIP, 0.0, 0
        printings = len({self.base.printed(e.path) for e in edits})
        repeats = REPEATED_SLIP ** (printings - 1)
        stated = printings > 1 and any(is_prose(e.path) for e in edits)
        copied = STATED_UPSTREAM if stated else 1.0
        for i, edit in enumerate(edits):
            found = explanations(
                edit.printed,
                edit.suggested,
                neighbours(self.base.report, edit.path),
                self._parts(edit.path),
            )
            for slip in found:
                value = slip.plausibility * (copied if slip.upstream else repeats)
                if value > weight:
                    best, weight, at = slip, value, i
        return best, weight, at

    def _parts(self, path: Path) -> list[tuple[str, Decimal]]:
        """When ``path`` is the printed total of a failing sum, the figures it adds up."""
        parts: list[tuple[str, Decimal]] = []
        for entry in self.group.entries:
            if entry.total == path:
                for part in entry.parts:
                    figure = get(self.base.report, part)
                    if isinstance(figure, Figure):
                        parts.append((format_path(part), figure.value))
        return parts

    def candidate(self, changes: Sequence[list[Edit]], verdict: Verdict) -> Candidate:
        """Each quantity's edits, the one that shows the slip first, scored."""
        score = weigh(verdict)
        edits: list[Edit] = []
        for quantity in changes:
            slip, weight, at = self._slip(quantity)
            shown = quantity[at]
            score *= weight * self._precision(shown, slip)
            edits.append(Edit(shown.path, shown.printed, shown.suggested, slip))
            one = self.base.printed(shown.path)
            edits += [
                Edit(
                    e.path,
                    e.printed,
                    e.suggested,
                    _READ if self.base.printed(e.path) == one else _SAME,
                )
                for e in quantity
                if e is not shown
            ]
        if len(changes) > 1:
            score *= PAIR_PENALTY ** (len(changes) - 1)
        return Candidate(tuple(edits), score, len(changes), frozenset(verdict.mended))

    def _precision(self, edit: Edit, slip: Slip) -> float:
        """A digit slip that also restores the decimals of the group's other figures."""
        if slip.kind not in _DIGIT_SLIPS:
            return 1.0
        figures = [self.base.figure(p) for p in self.group.figures if p != edit.path]
        return precision_weight(edit.printed, edit.suggested, figures)


_DIGIT_SLIPS = frozenset(
    {"extra-digit", "dropped-digit", "doubled-digit", "wrong-digit", "decimal-point"}
)
_SAME = Slip("same-figure", "同一数字的另一处印出", 1.0)
_READ = Slip("same-printing", "正文同一处所印数字的另一种读法", 1.0)
_FOLLOWS = Slip("follows", "由上一数字计算得出，随之更正", 1.0)


def _evaluate(search: GroupSearch, entry: Entry, trial: Tree) -> Status:
    search.budget.tick()
    return search.trials.status(entry, trial)
