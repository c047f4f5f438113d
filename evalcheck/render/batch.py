"""The batch view: one row per report, worst first — the text table at the end of a
multi-file run, and the order of the HTML overview and the Excel export.

"Worst" is the reviewer's order: most errors first, then most warnings, then most notes, then
most explained findings; ties in the order the files were given.  Widths are terminal cells,
so Chinese names line up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..findings import Counts
from ..inputs.escape import visible
from .cells import cell_len

if TYPE_CHECKING:
    from ..findings import FileResult

__all__ = ["BatchRow", "batch_table", "row_of", "worst_first"]

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
    ordered = worst_first(rows)
    found = [r for r in ordered if any(r.badness)]
    clean = len(ordered) - len(found)
    if not found:
        return f"{len(ordered)} 份报告均未发现问题\n"
    table = [HEADINGS] + [
        (
            _cut(visible(r.name), NAME_CELLS),
            str(r.counts.errors),
            str(r.counts.warnings),
            str(r.counts.infos),
            str(r.counts.explained),
            visible(r.file),
        )
        for r in found
    ]
    widths = [max(cell_len(line[i]) for line in table) for i in range(len(HEADINGS) - 1)]
    lines = []
    for line in table:
        cells = [_pad(line[0], widths[0])]
        cells += [_pad(line[i], widths[i], right=True) for i in range(1, 5)]
        lines.append("  ".join([*cells, line[5]]))
    if clean:
        lines.append(f"另有 {clean} 份报告未发现问题")
    return "\n".join(lines) + "\n"
