"""Terminal cells a text takes (rich's measure; a Chinese character takes two), with rich
imported on first use: a run with nothing to measure never loads it (issue #18)."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["cell_len"]

_measure: Callable[[str], int] | None = None


def cell_len(text: str) -> int:
    """Cells ``text`` takes in a terminal."""
    global _measure
    if _measure is None:
        from rich.cells import cell_len as measure

        _measure = measure
    return _measure(text)
