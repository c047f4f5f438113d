"""Diagnosis: which printed figure is most likely wrong when checks fail, and why.

The failing checks are partitioned into groups that share no figure (:mod:`.entries`); each
group is diagnosed on its own, so an error in one part of a report neither hides nor changes
the diagnosis of another.  Per group the search (:mod:`.search`) looks for the fewest figures
whose change makes every check of the group hold without breaking any rule of the report, and
names the slip that explains each printed figure: a typing slip (:mod:`.typos`), a formula
slip (:mod:`.formulas`), or a missing part (:mod:`.absent`), which is said as such and never
turned into a digit change.

A diagnosis is a suggestion to verify, never a correction: it is worded "更可能应为 …，建议核对"
and the report is never changed.  When several fixes are about equally likely, the diagnosis
says so and lists them instead of guessing.  The work is bounded by a number of trial
evaluations per group (``GROUP_STEPS``), so the result never depends on how busy the machine
is; a wall-clock safety stop (``SAFETY_SECONDS``) far above that only guards against a hang,
and a diagnosis it cut short says so.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from ..engine.pack import Rule
from ..engine.run import Outcome, OutcomeKey, Status, as_tree, outcome_key
from ..engine.spec import Severity
from ..inputs.records import dataclass
from ..inputs.source import format_path
from ..report.normalise import Figure
from .absent import blank_parts, cut_off, rules_of
from .confirm import evidence, name_of
from .disputes import coupled
from .entries import Baseline, Group
from .search import Budget, Candidate, Edit, GroupSearch, OutOfSteps, SafetyStop
from .tree import Path, Tree, get

__all__ = [
    "GROUP_STEPS",
    "REPORT_STEPS",
    "SAFETY_SECONDS",
    "Change",
    "Diagnosis",
    "OutcomeKey",
    "diagnose",
    "outcome_key",
]

# Trial evaluations per group of failing checks (a group needs a few dozen, a hard one a few
# hundred), and per report: a hostile report with hundreds of groups stops, deterministically.
GROUP_STEPS = 5000
REPORT_STEPS = 50000
# Only a guard against a hang, far above what the step budgets allow on any machine.
SAFETY_SECONDS = 120.0
# The best fix must beat the runner-up by this factor to be named at all: naming one of
# several equally likely figures would be a guess.
MARGIN = 1.5
# Weight of "none of these": the error may lie in a figure no rule reads, or in the rule.
UNEXPLAINED = 0.15
MAX_CONFIDENCE = 0.95
MAX_LISTED = 4  # candidates an ambiguous diagnosis lists
LISTED_SHARE = 0.5  # … those at least half as likely as the best

NAMED = "named"
AMBIGUOUS = "ambiguous"
MISSING_PART = "missing-part"
UNFINISHED = "unfinished"


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
    evidence: str = ""  # what decided between two printings that disagree (see .confirm)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "printed": self.printed,
            "suggested": self.suggested,
            "kind": self.kind,
            "reason": self.reason,
            "evidence": self.evidence,
        }


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """What a group of failing checks points to, with a confidence in (0, 1).

    ``status``: ``named`` (``changes`` holds the figure(s) to correct: one quantity, what a
    formula slip changed with it, or two independent slips), ``ambiguous`` (no change named;
    ``alternatives`` lists the fixes that are about equally likely), ``missing-part`` (a part
    of the check is not printed; nothing to change) or ``unfinished`` (the search stopped).
    """

    changes: tuple[Change, ...]
    confidence: float
    text: str
    rules: tuple[str, ...]
    alternatives: tuple[Change, ...] = ()
    status: str = NAMED

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
        """The primary suspect's fields at top level (when one is named); every change and
        alternative listed."""
        top = self.suspect.to_dict() if self.changes else {}
        return {
            **top,
            "status": self.status,
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
    budget: float = SAFETY_SECONDS,
    steps: int = GROUP_STEPS,
    printing: Callable[[Path], int | Path | None] | None = None,
) -> dict[OutcomeKey, Diagnosis]:
    """Diagnoses keyed by the failing outcomes they explain.

    ``outcomes``, when given (the checker has them), lets a report without failing checks
    return at once.  ``steps`` bounds each group's search in trial evaluations; ``budget`` is
    the wall-clock safety stop in seconds.  ``printing``: the prose statement a figure of
    正文数据 was read from, or the table figure it quotes (one printing, however many fields
    read it).  ``report``: a
    :class:`~evalcheck.report.model.Report`, plain data or the normalised tree.
    """
    listed = None if outcomes is None else list(outcomes)
    if listed is not None and not any(o.status is Status.FAIL for o in listed):
        return {}
    tree = as_tree(report)
    deadline = time.perf_counter() + budget
    base = Baseline(tree, rules, params or {}, listed, printing)
    groups, blanks = base.groups()
    groups = coupled(base, groups)
    found: dict[OutcomeKey, Diagnosis] = {}
    for entry in blanks:
        missing = Diagnosis((), 0.0, blank_parts(base, entry), (entry.rule.id,), (), MISSING_PART)
        found[entry.key] = missing
    left = REPORT_STEPS
    lax, lone = conventions(base)
    stopped = False
    chosen: list[tuple[Group, Diagnosis | None, Candidate | None]] = []
    for group in groups:
        if stopped or left <= 0:
            chosen.append((group, _unfinished(group, stopped, steps), None))
            continue
        diagnosis, best, used, stopped = _diagnose_group(
            base, group, min(steps, left), deadline, (lax, lone)
        )
        left -= used
        chosen.append((group, diagnosis, best))
    for group, diagnosis in _explained_elsewhere(chosen):
        for entry in group.entries:
            found[entry.key] = diagnosis
    return found


def _explained_elsewhere(
    chosen: list[tuple[Group, Diagnosis | None, Candidate | None]],
) -> Iterator[tuple[Group, Diagnosis]]:
    """Each group with its diagnosis; a group whose every check a named fix of another group
    also repairs (the 总分 that fails because a 得分 was computed from a wrong 执行率) is
    explained by that fix, and both groups share the diagnosis."""
    covering: dict[int, int] = {}
    for i, (_, diagnosis, best) in enumerate(chosen):
        if diagnosis is None or best is None or diagnosis.status != NAMED:
            continue
        for j, (other, _, _) in enumerate(chosen):
            if (
                j != i
                and j not in covering
                and all(e.index in best.repaired for e in other.entries)
            ):
                covering[j] = i
    shared: dict[int, Diagnosis] = {}
    for i, (_, diagnosis, _) in enumerate(chosen):
        if diagnosis is None or i in covering or diagnosis.status != NAMED:
            continue
        rules = {*diagnosis.rules}
        for j, k in covering.items():
            if k == i:
                rules.update(rules_of(chosen[j][0].entries))
        shared[i] = replace(diagnosis, rules=tuple(sorted(rules)))
    for i, (group, diagnosis, _) in enumerate(chosen):
        final = shared.get(covering.get(i, i), diagnosis)
        if final is not None:
            yield group, final


def _diagnose_group(
    base: Baseline,
    group: Group,
    steps: int,
    deadline: float,
    kept: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset()),
) -> tuple[Diagnosis | None, Candidate | None, int, bool]:
    """One group's diagnosis and the fix it names, the trial evaluations it took, and whether
    the safety stop was reached."""
    missing = cut_off(base, group)
    if missing is not None:
        return (
            Diagnosis((), 0.0, missing, rules_of(group.entries), (), MISSING_PART),
            None,
            0,
            False,
        )
    budget = Budget(steps, deadline)
    search = GroupSearch(base, group, budget, lax=kept[0], lone=kept[1])
    try:
        candidates = search.run()
    except OutOfSteps:
        return _unfinished(group, False, steps), None, budget.spent, False
    except SafetyStop:
        return _unfinished(group, True, steps), None, budget.spent, True
    diagnosis = _choose(base.report, group, candidates, lambda c: evidence(search, c))
    return diagnosis, candidates[0] if candidates else None, budget.spent, False


def conventions(base: Baseline) -> tuple[frozenset[str], frozenset[str]]:
    """Warnings about what the text says (a 偏差原因 given for lost points, a 完成值 that says
    the target was met), split by how the report keeps them.

    ``lax``: broken in more than one place — the author does not keep them, so a fix that
    breaks one once more is less likely, not impossible.  ``lone``: broken in one place only —
    a convention the report keeps everywhere else, so a fix that mends that one breach is
    likelier.  Warnings that only compare figures (在职 ≤ 编制, 决算 ≤ 预算) always bind."""
    failing: dict[str, int] = {}
    for entry in base.failing:
        if (
            entry.status is Status.FAIL
            and entry.rule.severity is Severity.WARNING
            and any(not isinstance(get(base.report, p), Figure) for p in entry.paths)
        ):
            failing[entry.rule.id] = failing.get(entry.rule.id, 0) + 1
    lax = frozenset(rule for rule, n in failing.items() if n > 1)
    lone = frozenset(rule for rule, n in failing.items() if n == 1)
    return lax, lone


def _unfinished(group: Group, stopped: bool, steps: int) -> Diagnosis | None:
    if group.soft:
        return None  # warnings that only compare: nothing was promised for them
    if stopped:
        text = f"诊断在 {SAFETY_SECONDS:.0f} 秒的安全时限内未完成，未给出建议（此情况与机器负载有关，请报告）"
    else:
        text = f"诊断未完成：试算 {steps} 次后仍未找出最可能的错误数字，未给出建议"
    return Diagnosis((), 0.0, text, rules_of(group.entries), (), UNFINISHED)


def _choose(
    report: Tree,
    group: Group,
    candidates: list[Candidate],
    weighed: Callable[[Candidate], dict[Path, str]] = lambda c: {},
) -> Diagnosis | None:
    """The diagnosis the candidates make; ``weighed`` gives a shown fix's figures the evidence
    that decided between two printings (:func:`.confirm.evidence`)."""
    if not candidates:
        return None
    best = candidates[0]
    total = sum(c.score for c in candidates) + UNEXPLAINED
    confidence = round(min(best.score / total, MAX_CONFIDENCE), 2)
    rules = rules_of(group.entries)
    if len(candidates) == 1 or best.score >= candidates[1].score * MARGIN:
        said = weighed(best)
        changes = tuple(_change(report, edit, said) for edit in best.edits)
        others = [c for c in candidates[1:] if c.quantities == 1][:3]
        alternatives = tuple(_change(report, c.edits[0], weighed(c)) for c in others)
        return Diagnosis(changes, confidence, _named(changes, best), rules, alternatives)
    # Each fix said once, by every figure it changes (and the evidence that words it).
    listed: dict[str, tuple[str, Change]] = {}
    for candidate in candidates:
        if candidate.score < best.score * LISTED_SHARE or len(listed) == MAX_LISTED:
            break
        plain = _option(report, candidate)
        if plain not in listed:
            said = weighed(candidate)
            listed[plain] = (
                _option(report, candidate, said),
                _change(report, candidate.edits[0], said),
            )
    shown = tuple(dict.fromkeys(change for _, change in listed.values()))
    options = "；".join(text for text, _ in listed.values())
    left = len({_option(report, c) for c in candidates}) - len(listed)
    more = f"，另有 {left} 种可能" if left > 0 else ""
    text = f"无法确定是哪一个数字有误，以下各处改正后相关检查都能成立：{options}{more}；请逐一核对"
    return Diagnosis((), confidence, text, rules, shown, AMBIGUOUS)


def _option(report: Tree, candidate: Candidate, said: dict[Path, str] | None = None) -> str:
    """One fix of an ambiguous group in words: every figure it changes (what only follows
    from another or repeats it is left out), with the evidence ``said`` of each."""
    changes = [
        _change(report, e, said or {})
        for e in candidate.edits
        if e.slip.kind not in _FOLLOWERS and e.slip.kind != _READ
    ]
    return " 且 ".join(f"{c.name} {c.printed} 或应为 {c.suggested}，{_why(c)}" for c in changes)


def _why(change: Change) -> str:
    return f"{change.reason}，{change.evidence}" if change.evidence else change.reason


def _change(report: Tree, edit: Edit, said: dict[Path, str] | None = None) -> Change:
    return Change(
        key_path=edit.path,
        path=format_path(edit.path),
        name=name_of(report, edit.path),
        printed=edit.printed.text,
        suggested=edit.suggested.text,
        kind=edit.slip.kind,
        reason=edit.slip.reason,
        evidence=(said or {}).get(edit.path, ""),
    )


_FOLLOWERS = {"same-figure": "同样应为", "follows": "随之应为"}
_READ = "same-printing"  # one figure of the prose that several fields of 正文数据 read


def _named(changes: Sequence[Change], best: Candidate) -> str:
    """``X 262.78 更可能应为 303.58：合计漏加了…，建议核对``; a figure printed twice or computed
    from the first is said after it; two independent slips are numbered."""
    parts: list[str] = []
    for change in changes:
        if change.kind == _READ:
            continue  # the figure already named, as another field reads the same print
        follows = _FOLLOWERS.get(change.kind)
        if follows is None:
            parts.append(
                f"{change.name} {change.printed} 更可能应为 {change.suggested}：{_why(change)}"
            )
        else:
            parts[-1] += f"，{change.name} {change.printed} {follows} {change.suggested}"
    if best.quantities == 1:
        return f"{'；'.join(parts)}，建议核对"
    return f"可能有 {len(parts)} 处错误：{'；'.join(parts)}，建议核对"
