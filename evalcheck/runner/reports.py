"""The files a run checks: found once, in order, and kept on disk past a few thousand.

A province's folder holds 100,000 reports.  Holding every path (and, before, every path's
configuration and a set of every path seen) cost the run about 50 MiB before its first check,
and each ``--jobs`` worker inherited those pages.  :class:`Reports` walks the arguments once
(``collect`` semantics: files as given, folders searched for every suffix evalcheck reads,
sorted, hidden entries skipped, a path given twice checked once), keeps the first
:data:`KEPT` names in memory and spills the rest to an anonymous temporary file in pickled
chunks; it can be iterated as often as the run needs (refusing outputs, configuring folders,
checking), each time in the same order, from the same snapshot of the file system.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from typing import IO

from ..inputs import READERS
from ..inputs.files import walk_lazily
from ..inputs.source import LoadError
from .rules import located

__all__ = ["KEPT", "Reports", "collect_reports", "found_reports"]

# Names kept in memory before the rest goes to disk (a few hundred KB at most).
KEPT = 2048
# Names per pickled chunk on disk.
CHUNK = 1024


def _key(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))


def _within(inner: str, outer: str) -> bool:
    return inner == outer or inner.startswith(outer.rstrip(os.sep) + os.sep)


def found_reports(paths: Sequence[str]) -> Iterator[str]:
    """Files as given, folders searched for every suffix evalcheck reads, in sorted order.

    Hidden folders and files (``.git``, ``.evalcheck.yaml``) are skipped inside folders; a
    path named explicitly is always checked.  A path given twice is checked once: names are
    remembered for that only when two arguments overlap (one folder inside another, a file
    inside a folder, the same path twice), so one folder of any size costs no memory per file.
    """
    keys = [_key(p) for p in paths]
    folders = [os.path.isdir(p) for p in paths]

    def overlap(i: int, j: int) -> bool:
        if folders[i] and folders[j]:
            return _within(keys[i], keys[j]) or _within(keys[j], keys[i])
        if folders[i]:
            return _within(keys[j], keys[i])
        if folders[j]:
            return _within(keys[i], keys[j])
        return keys[i] == keys[j]

    count = len(paths)
    remember = [any(overlap(i, j) for j in range(i + 1, count)) for i in range(count)]
    look_up = [any(overlap(j, i) for j in range(i)) for i in range(count)]
    seen: set[str] = set()
    suffixes = tuple(READERS)

    for index, path in enumerate(paths):
        names: Iterable[str] = (path,)
        if folders[index]:  # iterative, bounded: 1,100 levels deep was a RecursionError
            names = walk_lazily(path, lambda n: n.lower().endswith(suffixes))
        try:
            for name in names:
                if look_up[index] or remember[index]:
                    key = _key(name)
                    if look_up[index] and key in seen:
                        continue
                    if remember[index]:
                        seen.add(key)
                yield name
        except LoadError as exc:
            raise located(exc) from None


def collect_reports(paths: Sequence[str]) -> list[str]:
    """:func:`found_reports` as a list (for callers that want them all at once)."""
    return list(found_reports(paths))


class Reports:
    """Report names in order, iterable any number of times; at most :data:`KEPT` in memory."""

    def __init__(self, names: Iterable[str]) -> None:
        self._kept: list[str] = []
        self._spill: IO[bytes] | None = None
        self._count = 0
        pending: list[str] = []
        for name in names:
            self._count += 1
            if len(self._kept) < KEPT:
                self._kept.append(name)
                continue
            pending.append(name)
            if len(pending) == CHUNK:
                self._dump(pending)
                pending = []
        if pending:
            self._dump(pending)

    def _dump(self, names: list[str]) -> None:
        if self._spill is None:
            import tempfile

            self._spill = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self._spill.seek(0, os.SEEK_END)
        import pickle  # only past KEPT names: not imported by a start that checks a few

        pickle.dump(names, self._spill, protocol=pickle.HIGHEST_PROTOCOL)

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0

    def __iter__(self) -> Iterator[str]:
        yield from self._kept
        spill = self._spill
        if spill is None:
            return
        import pickle

        offset, end = 0, spill.seek(0, os.SEEK_END)
        while offset < end:  # each iterator keeps its own place: two may run interleaved
            spill.seek(offset)
            names: list[str] = pickle.load(spill)
            offset = spill.tell()
            yield from names

    def close(self) -> None:
        if self._spill is not None:
            self._spill.close()
            self._spill = None
