"""Disagreements between the prose and a table that are one question, not several.

A figure the 正文 states and a table prints are two printings of one number; when they
disagree and nothing else fails, the identities of each side decide which slipped
(:mod:`.confirm`).  But an amount moved between two parts of one total — in the table, or in
the prose — keeps every sum of that side: each part disagrees with its other printing, and
each printing is consistent with its own identities.  Diagnosed one at a time, each
disagreement would blame the printing whose single change breaks nothing (a wrong figure
named whenever the move was on the other side).  Joined, the search weighs the two pairs
together: the two table figures changed by the same amount in opposite directions, or the
two prose figures, and says which one the evidence favours — usually neither.
"""

from __future__ import annotations

from .entries import Baseline, Entry, Group, is_prose

__all__ = ["coupled", "disputed"]


def coupled(base: Baseline, groups: list[Group]) -> list[Group]:
    """``groups`` with those that are only prose ↔ table disagreements joined when one
    identity that holds reads figures of both (the table's parts of one total, or the
    prose's); a joined group is marked ``coupled``."""
    lone = [i for i, g in enumerate(groups) if all(disputed(e) for e in g.entries)]
    parent = {i: i for i in lone}

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for a, i in enumerate(lone):
        for j in lone[a + 1 :]:
            if root(i) != root(j) and _couples(base, groups[i], groups[j]):
                parent[root(j)] = root(i)
    if all(root(i) == i for i in lone):
        return groups
    merged: dict[int, Group] = {}
    kept: list[Group] = []
    for i, group in enumerate(groups):
        if i not in parent:
            kept.append(group)
            continue
        into = merged.get(root(i))
        if into is None:
            merged[root(i)] = into = Group([], [], coupled=True)
            kept.append(into)
        into.entries.extend(group.entries)
        into.figures.extend(p for p in group.figures if p not in into.figures)
    for group in merged.values():
        group.entries.sort(key=lambda e: e.index)
        group.coupled = len(group.entries) > 1
    return kept


def disputed(entry: Entry) -> bool:
    """A failing tie between a figure of the prose and one of a table."""
    tie = entry.tie
    return entry.status.problem and tie is not None and is_prose(tie[0]) != is_prose(tie[1])


def _couples(base: Baseline, a: Group, b: Group) -> bool:
    theirs = {q for p in b.figures for q in base.quantity(p)}
    for path in (q for p in a.figures for q in base.quantity(p)):
        for entry in base.readers(path):
            if entry.tie is None and entry.status.holds and theirs & set(entry.figures):
                return True
    return False
