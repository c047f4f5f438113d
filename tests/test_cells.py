"""render/cells measures what rich measures, without importing rich for a report's usual text."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest
from rich.cells import cell_len as rich_cell_len

from evalcheck.render import cells
from evalcheck.render.cells import NARROW, WIDE, cell_len

KNOWN = [chr(c) for low, high in (*NARROW, *WIDE) for c in range(low, high + 1)]
OTHERS = [
    "\t",
    "\n",
    "\x00",
    "\x7f",
    "\u200b",
    "\u200d",
    "\ufe0f",
    "👍",
    "👨‍👩‍👧",
    "é",
    "\u0301",
    "𠀀",
]


@pytest.fixture(autouse=True)
def latest_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("UNICODE_VERSION", raising=False)


def test_every_known_character_is_as_wide_as_rich_says() -> None:
    assert len(KNOWN) > 29_000
    wrong = [c for c in KNOWN if cell_len(c) != rich_cell_len(c)]
    assert wrong == []
    assert {cell_len(c) for c in KNOWN} == {1, 2}


def test_texts_measure_as_rich_measures_them() -> None:
    chosen = random.Random(18)
    alphabet = KNOWN[:200] + KNOWN[-3000:] + OTHERS
    for _ in range(3000):
        text = "".join(chosen.choices(alphabet, k=chosen.randint(0, 40)))
        assert cell_len(text) == rich_cell_len(text), ascii(text)
    line = '    "年初预算数": 262.78,  // 基本支出 262.78 + 项目支出 40.8 ≠ 303.58（差 40.80）'
    assert cell_len(line) == rich_cell_len(line) > len(line)


def test_another_unicode_version_is_left_to_rich(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UNICODE_VERSION", "4.1.0")
    monkeypatch.setattr(cells, "_measure", None)
    for text in ("\u9fff", "中文\u9ffe", "〇", "预算"):
        assert cell_len(text) == rich_cell_len(text)
    assert cells._measure is not None  # measured by rich, with the table asked for


def test_a_report_s_text_does_not_import_rich() -> None:
    text = "预算执行率 97.43%（全年预算数 586.88 万元）…"
    program = (
        "import sys\nfrom evalcheck.render.cells import cell_len\n"
        f"print(cell_len({text!r}), 'rich' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert done.stdout.split() == [str(rich_cell_len(text)), "False"]
