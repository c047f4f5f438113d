"""Where a row copied as text sits under its header: a page copied as text drops the cells a
rowspan covers (“预算执行情况（10分）” down its block, an 一级指标 down its rows), so the row's
cells sit further left than the header's.  Shared by the table readers of tables.py."""

from __future__ import annotations

import re

from ..inputs.documents.headers import NUMERIC, is_figure
from ..inputs.documents.layout import Row
from .kinds import FIGURES, SIGN, SOURCE_COLUMN

__all__ = ["align"]

_NUMBERING = ("序号", "编号")


def align(header: Row, columns: dict[str, int], row: Row) -> tuple[int, int]:
    """(shift, lead): how many cells the row lacks against its header, and how many leading
    cells stay where they are — 1 when the header's first column numbers the rows (序号) and
    this row starts with such a number, for the missing cells are then the ones after it.

    The shift is 0 unless the row is shorter than the header and a shift puts its figures
    under figure columns (and an indicator's ≥/≤ under 指标性质) better."""
    lead = int(
        bool(header.cells and row.cells)
        and re.sub(r"\s+", "", header.cells[0].flat) in _NUMBERING
        and re.fullmatch(r"\d{1,3}", row.cells[0].flat) is not None
    )
    width = len(row.cells)
    while width and not row.cells[width - 1].flat:
        width -= 1  # the padding of a row copied as text
    if width >= len(header.cells):
        return 0, lead
    meaning_at = {i: "全年预算数" if m.startswith(SOURCE_COLUMN) else m for m, i in columns.items()}
    label_columns = min(columns.values(), default=0)
    # a row of figures only has lost its label too: a figure in the label column is misplaced
    unlabelled = all(is_figure(c.flat) or not c.flat for c in row.cells[:width])

    def misplaced(shift: int) -> int:
        bad = 0
        for index, cell in enumerate(row.cells[:width]):
            text = cell.flat
            if index < lead or not text or text in ("/", "／", "-", "—"):
                continue
            meaning = meaning_at.get(index + shift)
            if is_figure(text):
                bad += 2 if meaning is None and index + shift >= label_columns else 0
                bad += 2 if meaning is not None and meaning not in FIGURES else 0
                bad += 1 if index + shift < label_columns and (index or unlabelled) else 0
            elif meaning in NUMERIC:
                bad += 2
            if SIGN.match(text):
                bad += 0 if meaning == "指标性质" else 1
        return bad

    scores = [(misplaced(k), k) for k in range(len(header.cells) - width + 1)]
    best = min(scores)
    return (0 if scores[0][0] == best[0] else best[1]), lead
