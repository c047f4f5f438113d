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

import contextlib
import os
import pickle
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Protocol

from ..findings import Coverage, Finding, not_applicable
from ..inputs.source import LoadError, Source
from ..report.header import Header
from .checker import FileResult
from .output import stop_if_terminated


class PathChecker(Protocol):
    """What a worker builds once and calls per file (a Checker, or a per-file Resolver)."""

    def check_path(self, path: str) -> FileResult: ...


if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

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
    Header | None,
    object,
]
_Checked = tuple[list[_Packed], Exception | None]

_checker: PathChecker | None = None
_start_error: Exception | None = None


def check_paths(
    paths: Iterable[str], count: int, make_checker: Callable[[], PathChecker], jobs: int
) -> Iterator[FileResult]:
    """Results of ``make_checker().check_path(p)`` for each of the ``count`` ``paths``, in
    order.  ``paths`` is read lazily, a few chunks ahead of the results, so a long list can
    come from disk (:class:`~evalcheck.runner.reports.Reports`) and the workers, forked by the
    first submissions, inherit no more of it than the parent holds."""
    from concurrent.futures import ProcessPoolExecutor  # 30 ms of imports: only for a pool

    chunk = max(1, min(MAX_CHUNK, count // (jobs * 4)))
    names = iter(paths)
    chunks = iter(lambda: list(islice(names, chunk)), [])
    workers = max(1, min(jobs, -(-count // chunk)))
    executor = ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(make_checker,))
    finished = False
    try:
        # The workers are forked by the first submissions: SIGTERM is held back meanwhile, so
        # that neither a worker (before it resets the handler) nor the parent (in an at_fork
        # hook, where Python swallows the exception) is interrupted halfway through a fork.
        with _sigterm_held():
            running: deque[Future[_Checked]] = deque(
                executor.submit(_check_chunk, first) for first in islice(chunks, workers * AHEAD)
            )
        while running:
            packed, error = running.popleft().result()
            stop_if_terminated()
            following = next(chunks, None) if error is None else None
            if following is not None:
                running.append(executor.submit(_check_chunk, following))
            yield from map(_unpack, packed)
            if error is not None:
                raise error
        finished = True
    finally:
        if not finished:  # interrupted (SIGTERM, Ctrl-C) or failed: stop the workers now, as a
            _stop(executor)  # worker blocked writing a result to us would never finish
        executor.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def _sigterm_held() -> Iterator[None]:
    held = hasattr(signal, "pthread_sigmask")
    if held:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        yield
    finally:
        if held:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})


def _stop(executor: ProcessPoolExecutor) -> None:
    processes = getattr(executor, "_processes", None) or {}
    for process in list(processes.values()):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            process.terminate()


def _start_worker(make_checker: Callable[[], PathChecker]) -> None:
    global _checker, _start_error
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's handler is inherited: undo it
    if hasattr(signal, "pthread_sigmask"):  # held while the parent forked (see check_paths)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    _die_with_parent()
    try:
        _checker = make_checker()
    except Exception as exc:  # raised with the first chunk: an initializer's would be printed
        _start_error = exc


def _die_with_parent() -> None:
    """Linux: the kernel kills this worker when the parent dies, however it dies (even by
    SIGKILL), so no worker is left behind blocked on a pipe nobody reads."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError, ImportError):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() == 1:  # the parent died before the request was made
            os._exit(1)


_PR_SET_PDEATHSIG = 1


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
        result.header,
        result.report,
    )


def _unpack(packed: _Packed) -> FileResult:
    file, findings, not_applicable_rows, error, source, coverage, skipped, header, report = packed
    return FileResult(
        file,
        findings,
        [not_applicable(*n) for n in not_applicable_rows],
        error,
        None if source is None else Source(*source),
        coverage,
        skipped,
        header,
        report,
    )
