"""Where a run's output goes, and how every way of failing to write it becomes one line.

* :func:`output` gives the stream for ``-o FILE`` (written beside the file and renamed into
  place only when complete: see :func:`evalcheck.inputs.files.atomic_write`) or for standard
  output.  Any error while writing (a full disk, ``-o /dev/full``, standard output on a full
  device or closed with ``>&-``) is an :class:`OutputError`: one line, exit 2, and no file
  that looks complete but is not.
* :func:`refuse_inputs` refuses, before anything is written, an output that is one of the
  run's own inputs (a report, a rule file, the configuration, the explanations or the baseline)
  by resolved path or by inode: ``evalcheck r.json -o r.json`` used to truncate the report
  before reading it.
* :func:`guard_process` makes SIGTERM unwind like Ctrl-C (so temporary files are removed and
  ``--jobs`` workers stopped), and takes over descriptors 0-2 when they were closed at start,
  so that no file evalcheck opens gets number 1 and standard output can say it is closed.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import signal
import sys
from collections.abc import Iterable, Iterator
from typing import IO, Any

from ..inputs.escape import visible
from ..inputs.files import Inputs, atomic_write
from ..inputs.source import LoadError, NotAReport
from .rules import RunError

__all__ = [
    "STDOUT",
    "OutputError",
    "Terminated",
    "guard_process",
    "output",
    "own_output_dropped",
    "refuse_inputs",
    "silence_closed_pipe",
    "silence_stdout",
    "stop_if_terminated",
    "write_reason",
]

STDOUT = "标准输出"

_REASONS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EFBIG: "文件过大（超出系统限制）",
    errno.EROFS: "文件系统只读",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.ENOENT: "目录不存在",
    errno.EISDIR: "这是一个目录",
    errno.ENOTDIR: "路径中有一段不是目录",
    errno.EBADF: "已关闭",
    errno.EPIPE: "管道已关闭",
    errno.ENXIO: "命名管道的另一端没有读取者",
    errno.EIO: "输入输出错误",
}


class OutputError(RunError):
    """The output could not be written (the message is the one line to print)."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the run is so that it unwinds like Ctrl-C."""


def write_reason(exc: OSError) -> str:
    return _REASONS.get(exc.errno or 0) or exc.strerror or type(exc).__name__


def _failed(where: str, exc: OSError) -> OutputError:
    what = "标准输出" if where == STDOUT else f"输出文件 {visible(where)}"
    return OutputError(f"evalcheck：错误：无法写入{what}：{write_reason(exc)}")


class _Guarded:
    """A text stream whose write errors are :class:`OutputError` (one line, exit 2)."""

    def __init__(self, stream: IO[str] | None, where: str) -> None:
        self._stream = stream
        self._where = where

    def write(self, text: str) -> int:
        stop_if_terminated()
        if self._stream is None:
            raise _failed(self._where, OSError(errno.EBADF, "closed"))
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise  # ``evalcheck … | head``: stop quietly, as every command-line tool does
        except OSError as exc:
            raise _failed(self._where, exc) from None

    def write_bytes(self, data: bytes) -> None:
        """A binary format's output, written to the bytes under the text stream."""
        stop_if_terminated()
        if self._stream is None:
            raise _failed(self._where, OSError(errno.EBADF, "closed"))
        try:
            self._stream.flush()
            buffer = self._stream.buffer  # type: ignore[attr-defined]
            buffer.write(data)
            buffer.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _failed(self._where, exc) from None

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _failed(self._where, exc) from None

    def isatty(self) -> bool:
        try:
            return self._stream is not None and self._stream.isatty()
        except (OSError, ValueError):
            return False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def output(name: str | None) -> Iterator[IO[str]]:
    """The stream to write a command's output to: ``name`` (atomically), or standard output."""
    if name is None:
        stream: Any = _Guarded(sys.stdout, STDOUT)
        yield stream
        stream.flush()
        return
    try:
        with atomic_write(name) as target:
            guarded: Any = _Guarded(target, name)
            yield guarded
            stop_if_terminated()  # never rename an output the run did not finish
    except OSError as exc:
        raise _failed(name, exc) from None


def refuse_inputs(
    inputs: Inputs, outputs: Iterable[tuple[str, str | None]], reports: Iterable[str] = ()
) -> None:
    """Refuse ``(option, file)`` outputs that would overwrite one of the run's ``reports`` (in
    their order, first) or other ``inputs``.  The reports are compared one by one, not kept:
    a folder of 100,000 reports costs one pass over their names."""
    wanted = [(option, name) for option, name in outputs if name is not None]
    if not wanted:
        return
    targets = Inputs()
    targets.add(name for _, name in wanted)
    first: dict[str, str] = {}  # output name -> the first report it names
    for report in reports:
        target = targets.clash(report)
        if target is not None and target not in first:
            first[target] = report
            if len(first) == len(wanted):
                break
    for option, name in wanted:
        clash = first.get(name) or inputs.clash(name)
        if clash is not None:
            same = "" if os.path.realpath(clash) == os.path.realpath(name) else f"（即 {clash}）"
            raise RunError(
                f"evalcheck：错误：{option} {visible(name)}{visible(same)} 是本次运行要读取的文件，"
                "写入会覆盖它：请换一个输出文件"
            )


def own_output_dropped(
    reports: Iterable[str], named: Iterable[str], target: str | None
) -> Iterator[str]:
    """``reports`` without ``target`` when a folder walk found it and it is one of evalcheck's
    own outputs (a JSON, SARIF or GitLab report, a baseline): it would be skipped as a report
    anyway, so writing it again is no loss.  A file named on the command line is never dropped."""
    if target is None:
        yield from reports
        return
    inputs = Inputs()
    inputs.add([target])
    explicit = {os.path.realpath(n) for n in named}
    for report in reports:
        if (
            os.path.realpath(report) not in explicit
            and inputs.clash(report) is not None
            and _is_own_output(report)
        ):
            continue
        yield report


def _is_own_output(name: str) -> bool:
    from ..inputs import read_path

    try:
        read_path(name)
    except NotAReport:
        return True
    except LoadError:
        return False
    return False


def silence_stdout() -> None:
    """After standard output failed, let Python exit without trying (and failing) again."""
    with contextlib.suppress(OSError, ValueError):
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the exit


def silence_closed_pipe() -> None:
    """After a closed pipe (``evalcheck … | head``), let Python exit without complaining: the
    descriptor itself points at /dev/null, so the interpreter's final flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass
    silence_stdout()


_terminated = False


def _terminate(signum: int, frame: Any) -> None:
    global _terminated
    _terminated = True
    raise Terminated


def stop_if_terminated() -> None:
    """Raise :class:`Terminated` again if SIGTERM came: Python swallows an exception raised
    where it cannot propagate (an ``at_fork`` hook, a ``__del__``), so the run checks at the
    points where stopping matters (each result, each write, before an output is renamed)."""
    if _terminated:
        raise Terminated


def guard_process() -> None:
    """SIGTERM unwinds like Ctrl-C; closed standard descriptors are taken over by /dev/null;
    standard output is wrapped so that failing to write it is an :class:`OutputError`."""
    with contextlib.suppress(ValueError, OSError):  # not the main thread: leave signals alone
        signal.signal(signal.SIGTERM, _terminate)
    closed = sys.stdout is None
    for descriptor in (0, 1, 2):
        try:
            os.fstat(descriptor)
        except OSError:
            closed |= descriptor == 1
            with contextlib.suppress(OSError):
                taken = os.open(os.devnull, os.O_RDWR)
                if taken != descriptor:
                    os.dup2(taken, descriptor)
                    os.close(taken)
    if not isinstance(sys.stdout, _Guarded):
        stream: Any = _Guarded(None if closed else sys.stdout, STDOUT)
        sys.stdout = stream
