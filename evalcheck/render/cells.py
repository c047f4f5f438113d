"""Terminal cells a text takes (rich's measure; a Chinese character takes two).

A report's lines are ASCII, Chinese characters and the usual punctuation, whose widths this
module knows (every code point of the ranges below is checked against rich's latest table in
``tests/test_cells.py``); any other character, or a ``UNICODE_VERSION`` asking rich for
another table, is measured by rich itself, imported then (importing rich and its table costs
~6 ms of a cold start with a code frame to cut: issue #18).
"""

from __future__ import annotations

import os
from collections.abc import Callable

__all__ = ["cell_len"]

NARROW = (  # one cell
    (0x20, 0x7E),  # ASCII
    (0xA0, 0x2FF),  # Latin-1 and Latin extended: · × ÷ ° ±
    (0x2010, 0x2027),  # dashes, quotes, ellipsis: — “ ” ‘ ’ …
    (0x202F, 0x205F),  # ‰ ′ ″ ※
    (0x2100, 0x22FF),  # letterlike, arrows, maths: ℃ № → ≠ ≤ ≥
    (0x2460, 0x24FF),  # enclosed numbers: ① ⑴ ⒈
    (0x2500, 0x25FC),  # box drawing and shapes: ─ ■ □ ● ○ ◆
)
WIDE = (  # two cells
    (0x3000, 0x3029),  # ideographic space and punctuation: 、 。 《 》 【 】
    (0x3030, 0x303E),
    (0x3041, 0x3096),  # hiragana
    (0x309B, 0x30FF),  # katakana
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xFF01, 0xFF60),  # fullwidth forms: ， ： （ ） ％ ０
    (0xFFE0, 0xFFE6),  # ￥ ￡
)

_measure: Callable[[str], int] | None = None


def cell_len(text: str) -> int:
    """Cells ``text`` takes in a terminal."""
    if text.isascii() and text.isprintable():
        return len(text)
    if "UNICODE_VERSION" not in os.environ:
        total = 0
        for character in text:
            width = _width(ord(character))
            if width is None:
                break
            total += width
        else:
            return total
    return _rich(text)


def _width(code: int) -> int | None:
    for low, high in WIDE:
        if low <= code <= high:
            return 2
    for low, high in NARROW:
        if low <= code <= high:
            return 1
    return None


def _rich(text: str) -> int:
    global _measure
    if _measure is None:
        from rich.cells import cell_len as measure

        _measure = measure
    return _measure(text)
