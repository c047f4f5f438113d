"""Missing evidence: a check that fails because a part of it is not printed.

When a sum passes over a blank cell in a row that prints other figures, or the table is
marked incomplete (``表格不完整``), the difference is what the missing part would hold: no
printed figure is to blame, and a digit change would be a guess.  The diagnosis then says
which part is missing and suggests no value."""

from __future__ import annotations

from collections.abc import Sequence

from ..inputs.source import format_path
from ..report.normalise import Kind
from .entries import Baseline, Entry, Group
from .tree import Path, get, row_name
from .typos import display_value

__all__ = ["INCOMPLETE", "blank_parts", "cut_off"]

INCOMPLETE = "表格不完整"


def blank_parts(base: Baseline, entry: Entry) -> str:
    """What to say about a failing sum that passed over blank cells: which cells, and the
    difference they would have to hold."""
    named = "、".join(dict.fromkeys(describe(base, path) for path in entry.gaps))
    said = f"{named}未填写（空白），无法核对“{entry.rule.title}”"
    residual = entry.residual(base.report)
    if residual is not None and residual != 0:
        decimals = max((base.figure(p).decimals for p in entry.figures), default=0)
        shown = display_value(abs(residual), Kind.AMOUNT, min(decimals, 6))
        said += f"：已填各项与合计相差 {shown}，可能就是空白处应填的数"
    return f"{said}；请补填后再核对，不作数字修改建议"


def cut_off(base: Baseline, group: Group) -> str | None:
    """What to say when the table is marked incomplete and a failing check adds up rows."""
    where = get(base.report, (INCOMPLETE,))
    if not where or not any(e.total is not None or e.parts for e in group.entries):
        return None
    return (
        f"表格不完整（{where}）：合计与已印出的各项不符，可能是未印出的部分所致，"
        "请对照完整的表格核对，不作数字修改建议"
    )


def describe(base: Baseline, path: Path) -> str:
    """A blank cell named as a clerk finds it: the row (by its name) and the column."""
    if len(path) >= 2 and isinstance(path[-2], int):
        rows = get(base.report, path[:-2])
        if isinstance(rows, list):
            return f"「{row_name(rows[path[-2]], path[-2])}」的{path[-1]}"
    if len(path) >= 2:
        return f"{format_path(path[:-1])}的{path[-1]}"
    return format_path(path)


def rules_of(entries: Sequence[Entry]) -> tuple[str, ...]:
    return tuple(sorted({e.rule.id for e in entries}))
