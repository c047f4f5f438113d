"""Why one printing of a figure is trusted over another: the table's own identities.

A figure the 正文 states and a table prints are two statements of one number.  When they
disagree and nothing else fails, the table's identities decide: if they hold with the table's
figure (its parts add up to it, the rate computed from it is the printed rate) and would fail
with the prose's, the prose figure is the likelier slip; if they fail with the table's figure
and hold with the prose's, the table is.  The search only keeps fixes that break no rule, so
the choice is already made there; this module says it in the diagnosis line, with the
arithmetic (``表中 收支情况.支出合计 289.19 与表内各数相符（297.97 + 0.67 - 289.19 = 9.45）``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..engine.run import Status
from ..inputs.source import format_path
from ..report.normalise import Figure
from .entries import Baseline, Entry, is_prose
from .fields import like
from .tree import Path, Tree, get, row_name
from .trial import Candidate, Edit

__all__ = ["evidence", "name_of"]

SHOWN = 2  # identities quoted per figure: the line stays readable
_SUM = re.compile(r"sum\(([^()]*)\)")


def name_of(report: Tree, path: Path) -> str:
    """Indicator rows by their 三级指标 (``「社会影响力」得分``), figures the prose states as
    ``正文所述年初预算数``, other figures by key path."""
    if is_prose(path) and path[-1] != "数值":
        return f"正文所述{path[-1]}"
    if len(path) >= 2 and isinstance(path[-2], int):
        return f"「{row_name(get(report, path[:-1]), path[-2])}」{path[-1]}"
    return format_path(path)


def evidence(search: Any, candidate: Candidate) -> dict[Path, str]:
    """For each figure of ``candidate`` that disagrees with its other printing, the table
    identities that decide between them, in words; ``search`` is the group's
    :class:`.search.GroupSearch` (its baseline, trials and assignments).  Checks run here are
    not counted against the budget: they only word a fix already chosen, deterministically."""
    found: dict[Path, str] = {}
    shown = [e for e in candidate.edits if e.slip.kind != "same-printing"]
    disputed = _disputed(search, candidate)
    # the tables as the prose would have them, every disputed figure at once: an amount moved
    # between two parts keeps the sum, and then the sum decides nothing
    trial = search.base.report
    for table, value in disputed.values():
        trial, _ = search.assign(trial, table, value)
    for edit in shown:
        said = _prose_slip(search, edit, disputed, trial) or _table_slip(
            search, candidate.edits, edit
        )
        if said:
            found[edit.path] = said
    return found


def _disputed(search: Any, candidate: Candidate) -> dict[Path, tuple[Path, Figure]]:
    """The prose figures of ``candidate`` told to say what their table says: the table
    figure, and the prose's value as the table would print it."""
    base: Baseline = search.base
    changed = {e.path for e in candidate.edits}
    found: dict[Path, tuple[Path, Figure]] = {}
    for edit in candidate.edits:
        if not is_prose(edit.path) or edit.slip.kind == "same-printing":
            continue
        tables = (base.stated(p) for p in base.printed_with(edit.path))  # one print, read twice
        table = next((t for t in tables if t is not None), None)
        if table is None or table in changed:
            continue
        printed = base.figure(table)
        value = like(edit.printed, printed)
        if printed.value == edit.suggested.value and value is not None:
            found[edit.path] = (table, value)
    return found


def _prose_slip(
    search: Any, edit: Edit, disputed: dict[Path, tuple[Path, Figure]], trial: Tree
) -> str | None:
    """A prose figure told to say what the table says: the identities that hold with the
    table's figure and would fail with the prose's (``trial``: every disputed figure of the
    fix at the prose's value)."""
    base: Baseline = search.base
    if edit.path not in disputed:
        return None
    table = disputed[edit.path][0]
    printed = base.figure(table)
    held = [
        e
        for e in _identities(base, table)
        if e.status is Status.PASS and search.trials.status(e, trial).problem
    ]
    if not held:
        return None
    shown = "；".join(_arithmetic(e, base.report) for e in held[:SHOWN])
    return f"表中 {name_of(base.report, table)} {printed.text} 与表内各数相符（{shown}），正文所述与之不符"


def _table_slip(search: Any, edits: Sequence[Edit], edit: Edit) -> str | None:
    """A table figure changed to what the prose says: the identities that fail with the
    table's figure and hold with the prose's."""
    base: Baseline = search.base
    if is_prose(edit.path):
        return None
    stated = [
        p
        for e in base.readers(edit.path)
        if e.tie is not None and edit.path in e.tie and e.status is Status.FAIL
        for p in e.tie
        if is_prose(p) and base.figure(p).value == edit.suggested.value
    ]
    if not stated:
        return None
    trial = base.report
    for other in edits:
        trial = search.trials.put(trial, other.path, other.suggested)
    mended = [
        e
        for e in _identities(base, edit.path)
        if e.status is Status.FAIL and search.trials.status(e, trial).holds
    ]
    if not mended:
        return None  # the prose alone says nothing the disagreement did not
    prose = base.figure(stated[0]).text
    shown = "；".join(_arithmetic(e, trial) for e in mended[:SHOWN])
    return f"正文所述 {prose} 与之相同，改正后表内各数相符（{shown}）"


def _identities(base: Baseline, path: Path) -> list[Entry]:
    """The equalities of the tables that read ``path`` (no prose figure in them)."""
    return [
        e
        for e in base.readers(path)
        if e.equality and e.figures and not any(is_prose(p) for p in e.figures)
    ]


def _arithmetic(entry: Entry, tree: Tree) -> str:
    """The equality as a clerk checks it by hand: ``297.97 + 0.67 - 289.19 = 9.45``."""
    assert entry.sides is not None
    _, trace = entry.traced(tree)
    left, right = (side.side(trace) for side in entry.sides)
    if " = " not in left and " = " in right:
        text = right
    elif " = " not in right and " = " in left:
        text = left
    else:
        text = f"{left} = {right}"
    return _SUM.sub(lambda m: " + ".join(m[1].split(", ")), text)
