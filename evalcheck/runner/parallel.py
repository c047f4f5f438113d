"""Check many reports on several processes; results come back in the order the files were given.

Reports are independent, so a batch spreads over processes.  Compiled rules hold closures, which
do not pickle, so each worker process builds its own :class:`~evalcheck.runner.checker.Checker` once,
from a picklable recipe (a module-level function, or a :func:`functools.partial` of one), and
then checks chunks of paths.  Each :class:`~evalcheck.runner.checker.FileResult` travels back with a
plain :class:`~evalcheck.inputs.source.Source` holding the text only: the findings already carry their
lines and columns, and renderers need no more than the source lines for code frames.  Results
travel as tuples (see ``_pack``): pickling dataclasses costs the parent, which handles every
result alone, three times as much.

At most a few chunks are in flight and results are handed on chunk by chunk, in order, so
memory stays flat however many files there are.  A worker prints nothing: what goes wrong in
one (an exception, even while building its checker) is raised again in the parent, where the
CLI turns it into its usual one-line message.
"""

from __future__ import annotations

import pickle
import signal
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Protocol

from ..findings import Coverage, Finding
from ..inputs.source import LoadError, Source
from .checker import FileResult, NotApplicable


class PathChecker(Protocol):
    """What a worker builds once and calls per file (a Checker, or a per-file Resolver)."""

    def check_path(self, path: str) -> FileResult: ...


if TYPE_CHECKING:
    from concurrent.futures import Future

__all__ = ["check_paths"]

# Files per task: large enough to make the round trip cheap, small enough to balance the load.
MAX_CHUNK = 32
# Chunks submitted ahead per worker: keeps every worker busy without queueing the whole batch.
AHEAD = 2

# FileResult with its not-applicable notes and its source as tuples; see _pack.
_Packed = tuple[
    str,
    list[Finding],
    list[tuple[str, str, str]],
    LoadError | None,
    tuple[str, str, str, str] | None,
    Coverage | None,
    str | None,
]
_Checked = tuple[list[_Packed], Exception | None]

_checker: PathChecker | None = None
_start_error: Exception | None = None


def check_paths(
    paths: Sequence[str], make_checker: Callable[[], PathChecker], jobs: int
) -> Iterator[FileResult]:
    """Results of ``make_checker().check_path(p)`` for each of ``paths``, in order."""
    from concurrent.futures import ProcessPoolExecutor  # 30 ms of imports: only for a pool

    chunk = max(1, min(MAX_CHUNK, len(paths) // (jobs * 4)))
    chunks = (list(paths[i : i + chunk]) for i in range(0, len(paths), chunk))
    workers = max(1, min(jobs, -(-len(paths) // chunk)))
    executor = ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(make_checker,))
    try:
        running: deque[Future[_Checked]] = deque(
            executor.submit(_check_chunk, first) for first in islice(chunks, workers * AHEAD)
        )
        while running:
            packed, error = running.popleft().result()
            following = next(chunks, None) if error is None else None
            if following is not None:
                running.append(executor.submit(_check_chunk, following))
            yield from map(_unpack, packed)
            if error is not None:
                raise error
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _start_worker(make_checker: Callable[[], PathChecker]) -> None:
    global _checker, _start_error
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:
        _checker = make_checker()
    except Exception as exc:  # raised with the first chunk: an initializer's would be printed
        _start_error = exc


def _check_chunk(paths: list[str]) -> _Checked:
    """The chunk's results up to the first unexpected exception, and that exception: the files
    before it are reported, as they are when checking in one process."""
    if _start_error is not None:
        raise _picklable(_start_error)
    assert _checker is not None
    results: list[_Packed] = []
    try:
        for path in paths:
            results.append(_pack(_checker.check_path(path)))
    except Exception as exc:
        return results, _picklable(exc)
    return results, None


def _picklable(exc: Exception) -> Exception:
    """``exc``, or a stand-in with its name and message if it would not reach the parent."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}：{exc}")
    return exc


def _pack(result: FileResult) -> _Packed:
    """A result as plain tuples, which pickle at a third of the cost of dataclasses.

    The source travels as its text only: no position index, no importer tables.
    """
    source = result.source
    return (
        result.file,
        result.findings,
        [(n.rule_id, n.path, n.reason) for n in result.not_applicable],
        result.error,
        None if source is None else (source.name, source.text, source.format, source.encoding),
        result.coverage,
        result.skipped,
    )


def _unpack(packed: _Packed) -> FileResult:
    file, findings, not_applicable, error, source, coverage, skipped = packed
    return FileResult(
        file,
        findings,
        [NotApplicable(*n) for n in not_applicable],
        error,
        None if source is None else Source(*source),
        coverage,
        skipped,
    )
