"""A progress bar on standard error while a batch is checked and nothing else shows it moving.

``evalcheck 2000份/ -o out.json`` used to sit silent for as long as the check took.  The bar
(rich) is drawn on standard error only when it is a terminal, when more than one file is
checked, and when the output does not go to that terminal as it is made: it goes to a file or a
pipe, or the format writes everything at the end (json, sarif, html …).  It is transient (gone
when the run ends), and the one-line load errors printed meanwhile appear above it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import IO, Any

__all__ = ["progress", "wanted"]


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, OSError, ValueError):
        return False


def wanted(files: int, output: IO[str], errors: IO[str], streaming: bool) -> bool:
    """Whether to draw the bar: a batch, a terminal on stderr, and an output that does not
    scroll on that terminal while the bar is drawn (``streaming`` formats write as they go)."""
    if files < 2 or not _is_terminal(errors):
        return False
    return not (streaming and _is_terminal(output))


@contextlib.contextmanager
def progress(
    total: int, errors: IO[str], show: bool
) -> Iterator[tuple[Callable[[], None], IO[str]]]:
    """``(advance, errors)``: call ``advance()`` after each file; write load errors to the
    ``errors`` given back, which prints them above the bar.  Without ``show`` nothing is drawn
    and ``errors`` is the stream passed in."""
    if not show:
        yield (lambda: None), errors
        return
    from rich.console import Console
    from rich.file_proxy import FileProxy
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = Console(file=errors, soft_wrap=True, highlight=False, emoji=False, markup=False)
    bar = Progress(
        TextColumn("检查报告"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("已用"),
        TimeElapsedColumn(),
        TextColumn("剩余"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        redirect_stdout=False,
        redirect_stderr=False,
    )
    task = bar.add_task("", total=total)
    proxy: Any = FileProxy(console, errors)
    with bar:
        yield (lambda: bar.advance(task)), proxy
        proxy.flush()
