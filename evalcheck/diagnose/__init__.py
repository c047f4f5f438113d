"""Diagnosis: which printed figure is most likely wrong when identities fail, and why.

When equality checks fail, :func:`diagnose` looks for the fewest figures whose change makes
them all hold without breaking a check that held (:mod:`.locate`), and names the slip that
would explain each printed figure (:mod:`.typos`).  A diagnosis is a suggestion to verify,
never a correction: it is worded "更可能应为 …，建议核对" and the report is never changed.

It runs only for reports with failing equality findings, and stops after a fixed number of
trial checks per report (``BUDGET_STEPS``), keeping what it found: a clean run never pays for
it, a hostile one never hangs, and the result never depends on how busy the machine is.  A
wall-clock guard (``BUDGET_SECONDS``) sits far above what the step budget allows.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..engine.pack import Rule
from ..engine.run import Outcome, OutcomeKey, Status, as_tree, outcome_key
from ..inputs.source import format_path
from .locate import Candidate, Entry, Search
from .tree import Path, Tree, get, row_name

__all__ = [
    "BUDGET_SECONDS",
    "BUDGET_STEPS",
    "Change",
    "Diagnosis",
    "OutcomeKey",
    "diagnose",
    "outcome_key",
]

# Trial checks per report: bench/diagnose.py needs at most 15 (median 3) on 200 injected slips.
BUDGET_STEPS = 2000
# Only a guard against a hang; reaching it makes the result depend on the machine's load.
BUDGET_SECONDS = 5.0
# The best fix must beat the runner-up by this factor to be named at all: naming one of
# several equally likely figures would be a guess.
MARGIN = 1.25
# Weight of "none of these": the error may lie in a figure no rule reads, or in the rule.
UNEXPLAINED = 0.15
MAX_CONFIDENCE = 0.95
MAX_ALTERNATIVES = 3


@dataclass(frozen=True, slots=True)
class Change:
    """One figure to verify: where it is, what is printed, what it more likely should be."""

    key_path: Path
    path: str
    name: str
    printed: str
    suggested: str
    kind: str
    reason: str
    line: int = 0
    column: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "printed": self.printed,
            "suggested": self.suggested,
            "kind": self.kind,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """The most likely culprit(s) for a group of failing checks, with a confidence in (0, 1).

    ``changes`` has one entry (one figure explains every failing check of the group) or two;
    ``alternatives`` are the next-best single figures, for the reader who doubts the first.
    """

    changes: tuple[Change, ...]
    confidence: float
    text: str
    rules: tuple[str, ...]
    alternatives: tuple[Change, ...] = ()

    @property
    def suspect(self) -> Change:
        return self.changes[0]

    def placed(self, locate: Callable[[Path], tuple[int, int]]) -> Diagnosis:
        """The same diagnosis with line and column of every figure filled in."""

        def at(change: Change) -> Change:
            line, column = locate(change.key_path)
            return replace(change, line=line, column=column)

        return replace(
            self,
            changes=tuple(at(c) for c in self.changes),
            alternatives=tuple(at(c) for c in self.alternatives),
        )

    def to_dict(self) -> dict[str, Any]:
        """The primary suspect's fields at top level; every change and alternative listed."""
        return {
            **self.suspect.to_dict(),
            "confidence": self.confidence,
            "text": self.text,
            "rules": list(self.rules),
            "changes": [c.to_dict() for c in self.changes],
            "alternatives": [c.to_dict() for c in self.alternatives],
        }


def diagnose(
    report: Any,
    rules: Sequence[Rule],
    params: dict[str, dict[str, Any]] | None = None,
    outcomes: Iterable[Outcome] | None = None,
    *,
    budget: float = BUDGET_SECONDS,
    steps: int = BUDGET_STEPS,
) -> dict[OutcomeKey, Diagnosis]:
    """Diagnoses keyed by the failing outcomes they explain.

    ``outcomes``, when given (the checker has them), lets a report without failing equality
    checks return at once.  ``steps`` bounds the search in trial checks, ``budget`` in seconds.  ``report``: a
    :class:`~evalcheck.report.model.Report`, plain data or the normalised tree.
    """
    if outcomes is not None and not any(
        o.status is Status.FAIL and o.rule.check.sides is not None for o in outcomes
    ):
        return {}
    tree = as_tree(report)
    search = Search(tree, rules, params or {}, time.perf_counter() + budget, steps)
    found: dict[OutcomeKey, Diagnosis] = {}
    for component, candidates in search.run():
        diagnosis = _choose(tree, component, candidates)
        if diagnosis is not None:
            for entry in component:
                found[entry.key] = diagnosis
    return found


def _choose(report: Tree, component: list[Entry], candidates: list[Candidate]) -> Diagnosis | None:
    if not candidates:
        return None
    best = candidates[0]
    if len(candidates) > 1 and best.score < candidates[1].score * MARGIN:
        return None
    total = sum(c.score for c in candidates) + UNEXPLAINED
    confidence = round(min(best.score / total, MAX_CONFIDENCE), 2)
    changes = tuple(_change(report, change) for change in best.changes)
    alternatives = tuple(
        _change(report, c.changes[0])
        for c in candidates[1 : 1 + MAX_ALTERNATIVES]
        if len(c.changes) == 1
    )
    rules = tuple(sorted({e.rule.id for e in component}))
    return Diagnosis(changes, confidence, _text(changes), rules, alternatives)


def _change(report: Tree, change: Any) -> Change:
    path, printed, suggested, slip = change
    return Change(
        key_path=path,
        path=format_path(path),
        name=_name(report, path),
        printed=printed.text,
        suggested=suggested.text,
        kind=slip.kind,
        reason=slip.reason,
    )


def _name(report: Tree, path: Path) -> str:
    """Indicator rows by their 三级指标 (``「社会影响力」得分``), other figures by key path."""
    if len(path) >= 2 and isinstance(path[-2], int):
        return f"「{row_name(get(report, path[:-1]), path[-2])}」{path[-1]}"
    return format_path(path)


def _text(changes: Sequence[Change]) -> str:
    parts = [f"{c.name} {c.printed} 更可能应为 {c.suggested}：{c.reason}" for c in changes]
    if len(parts) == 1:
        return f"{parts[0]}，建议核对"
    return f"可能有 {len(parts)} 处错误：{'；'.join(parts)}，建议核对"
