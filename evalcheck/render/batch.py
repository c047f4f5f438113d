"""The batch view: one row per report, worst first — the text table at the end of a
multi-file run, and the order of the HTML overview and the Excel export.

"Worst" is the reviewer's order: most errors first, then most warnings, then most notes, then
most explained findings; ties in the order the files were given.  Widths are terminal cells,
so Chinese names line up.
"""

from __future__ import annotations

import heapq
import os
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING

from ..findings import Counts
from ..inputs.escape import visible
from ..inputs.records import dataclass
from .cells import cell_len

if TYPE_CHECKING:
    from ..findings import FileResult

__all__ = ["BatchRow", "BatchTable", "batch_table", "row_of", "worst_first"]

# A unit name is cut to this many terminal cells in the text table (the file column follows).
NAME_CELLS = 40


@dataclass(frozen=True, slots=True)
class BatchRow:
    file: str
    name: str  # 单位名称 (or 实施单位, 项目名称), else the file name
    counts: Counts
    order: int = 0  # position in the run

    @property
    def badness(self) -> tuple[int, int, int, int]:
        c = self.counts
        return (c.errors, c.warnings, c.infos, c.explained)


def row_of(result: FileResult, order: int = 0) -> BatchRow:
    header = result.header
    name = header.unit if header is not None and header.unit else ""
    return BatchRow(result.file, name or result.file, Counts.of(result.findings), order)


def worst_first(rows: Iterable[BatchRow]) -> list[BatchRow]:
    return sorted(rows, key=lambda r: (tuple(-n for n in r.badness), r.order))


def _cut(text: str, cells: int) -> str:
    if cell_len(text) <= cells:
        return text
    out = ""
    for char in text:
        if cell_len(out + char) > cells - 1:
            break
        out += char
    return out + "…"


def _pad(text: str, width: int, right: bool = False) -> str:
    space = " " * max(width - cell_len(text), 0)
    return space + text if right else text + space


HEADINGS = ("单位名称", "错误", "警告", "提示", "已说明", "文件")


def batch_table(rows: Iterable[BatchRow]) -> str:
    """The reports with findings, worst first, as an aligned table; clean ones as one line."""
    table = BatchTable()
    for row in rows:
        table.add_row(row)
    return "".join(table.lines())


# A table row as kept: sort key first (worst first, then run order, then arrival: a stable
# sort), then the six cells shown.
_Kept = tuple[int, int, int, int, int, int, str, str, str, str, str, str]
# Rows sorted in memory before they go to disk as one sorted run (under 1 MB: ~400 B a row)...
RUN_ROWS = 2048
# ...in blocks of this many, so that merging the runs holds one block per run (100,000 reports
# with findings: 49 runs, 2.5 MB while the table is written).
BLOCK_ROWS = 128


class BatchTable:
    """The closing table of a batch, built one report at a time without holding a row per
    report: rows with findings are kept as plain tuples, sorted worst first in runs of
    :data:`RUN_ROWS` and spilled to an anonymous temporary file, then merged back when the
    table is written (clean reports are only counted, and column widths kept as maxima).
    The text is the one :func:`batch_table` gives for the same rows, byte for byte."""

    def __init__(self) -> None:
        self.reports = 0
        self.clean = 0
        self._widths = [cell_len(h) for h in HEADINGS[:5]]
        self._pending: list[_Kept] = []
        self._spill: IO[bytes] | None = None
        self._runs: list[list[int]] = []  # per sorted run, the offsets of its blocks

    def add(self, result: FileResult) -> None:
        self.add_row(row_of(result, self.reports))

    def add_row(self, row: BatchRow) -> None:
        self.reports += 1
        badness = row.badness
        if not any(badness):
            self.clean += 1
            return
        c = row.counts
        cells = (
            _cut(visible(row.name), NAME_CELLS),
            str(c.errors),
            str(c.warnings),
            str(c.infos),
            str(c.explained),
            visible(row.file),
        )
        for i, width in enumerate(self._widths):
            self._widths[i] = max(width, cell_len(cells[i]))
        worst = (-badness[0], -badness[1], -badness[2], -badness[3])
        self._pending.append((*worst, row.order, self.reports, *cells))
        if len(self._pending) >= RUN_ROWS:
            self._dump()

    def _dump(self) -> None:
        if self._spill is None:
            import tempfile

            self._spill = tempfile.TemporaryFile()  # noqa: SIM115 - closed after the merge
        self._pending.sort()
        offsets = []
        self._spill.seek(0, os.SEEK_END)
        import pickle  # only past a run of rows: not imported by a start that checks a few

        for start in range(0, len(self._pending), BLOCK_ROWS):
            offsets.append(self._spill.tell())
            block = self._pending[start : start + BLOCK_ROWS]
            pickle.dump(block, self._spill, protocol=pickle.HIGHEST_PROTOCOL)
        self._runs.append(offsets)
        self._pending = []

    def _run(self, offsets: list[int]) -> Iterator[_Kept]:
        spill = self._spill
        assert spill is not None
        import pickle

        for offset in offsets:
            spill.seek(offset)
            block: list[_Kept] = pickle.load(spill)
            yield from block

    def _sorted(self) -> Iterator[_Kept]:
        self._pending.sort()
        if not self._runs:
            return iter(self._pending)
        return heapq.merge(*(self._run(offsets) for offsets in self._runs), self._pending)

    def _line(self, cells: tuple[str, ...]) -> str:
        widths = self._widths
        out = [_pad(cells[0], widths[0])]
        out += [_pad(cells[i], widths[i], right=True) for i in range(1, 5)]
        return "  ".join([*out, cells[5]])

    def lines(self) -> Iterator[str]:
        """The table's text, a line at a time ("\n" included)."""
        if self.reports == self.clean:
            yield f"{self.reports} 份报告均未发现问题\n"
            return
        yield self._line(HEADINGS) + "\n"
        for kept in self._sorted():
            yield self._line(kept[6:]) + "\n"
        if self.clean:
            yield f"另有 {self.clean} 份报告未发现问题\n"
        if self._spill is not None:
            self._spill.close()
            self._spill = None
