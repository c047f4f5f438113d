"""Values for a figure computed from one a formula slip corrected (a 得分 from its 执行率): the
values that make the rule computing it hold, printed as the figure is."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from ..engine.run import Status
from ..report.normalise import Figure, Kind
from .entries import Entry
from .fields import suggest
from .tree import Path, Tree
from .typos import USUAL_PLACES

__all__ = ["solved_at"]

_HELD = (Status.PASS, Status.ROUNDING)


def solved_at(
    search: Any, trial: Tree, entry: Entry, path: Path, printed: Figure, options: int
) -> list[Figure]:
    """Up to ``options`` values of ``path`` that make ``entry`` hold, printed as the figure
    is, best first; ``search`` is the group's :class:`.search.GroupSearch` (its trials and
    budget)."""
    found: list[Figure] = []
    # A whole score is also solved from a fractional start: EC202 compares a whole 得分 with
    # the rounded product, any other with the product itself (10 may stand for 9.07).
    # A score computed from a rate may also keep one decimal more than the form usually
    # prints (9.241, as a 总分 of 92.241 shows it was added up).
    fractional = printed.value + Decimal("0.37")
    whole = printed.value == printed.value.to_integral_value()
    finer = printed
    if printed.kind is Kind.SCORE:
        decimals = max(printed.decimals, USUAL_PLACES[Kind.SCORE]) + 1
        finer = Figure(printed.value, decimals, printed.kind, printed.exact, printed.text)
    tried = itertools.chain(
        search._values(trial, path, printed, entry),
        search._values(trial, path, printed, entry, fractional) if whole else (),
        search._values(trial, path, finer, entry, fractional) if finer is not printed else (),
    )
    for value in tried:
        suggested = suggest(value, printed, path) or suggest(value, finer, path)
        if suggested is None or any(f.value == suggested.value for f in found):
            continue
        search.budget.tick()
        if search.trials.status(entry, search.assign(trial, path, suggested)[0]) in _HELD:
            found.append(suggested)
            if len(found) == options:
                break
    return found
