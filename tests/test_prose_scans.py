"""The prose reader skips a scan when the text cannot hold a match (#18): a numbered-list style
whose mark or item appears nowhere, a leftover whose key words appear nowhere.  The entries
must be those of scanning every text in full: the reference below is the reader with the
checks made to pass (every style and kind scanned).

Compared on every text of each sample, of generated reports (plain and with narratives) and
on random texts made of the characters the patterns look for.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalcheck.inputs import read_path
from evalcheck.report.narrative import texts_of
from evalcheck.report.prose import leftovers, lists
from evalcheck.report.prose.clauses import Piece, read_piece

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").iterdir())
_ALWAYS = re.compile("")


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _entries(piece: Piece) -> tuple[list[Any], list[Any]]:
    return lists.numbered_lists(piece), leftovers.residue(piece, "正文")


def _shown(found: tuple[list[Any], list[Any]]) -> list[tuple[Any, ...]]:
    return [(e.kind, e.values, e.figures, e.start, e.end) for part in found for e in part]


def _agree(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Any], list[Any]]:
    piece = read_piece(text)
    found = _entries(piece)
    with monkeypatch.context() as patched:  # every style and every kind scanned in full
        patched.setattr(
            lists, "_SCANS", tuple((s, f, ("",), _ALWAYS) for s, f, _, _ in lists._SCANS)
        )
        patched.setattr(leftovers, "_HELD", {})
        reference = _entries(piece)
    assert _shown(found) == _shown(reference), text
    return found


def _texts(data: Any) -> list[str]:
    reports = data if isinstance(data, list) else [data]
    return [t.text for r in reports if isinstance(r, dict) for t in texts_of(r)]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_the_texts_of_each_sample_read_as_when_scanned_in_full(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for text in _texts(read_path(sample).data):  # type: ignore[union-attr]
        _agree(text, monkeypatch)


def test_the_texts_of_generated_reports_read_as_when_scanned_in_full(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    generator = _load_generator()
    texts = []
    for i in range(30):
        texts += _texts(generator.make_report(i, 5))
        texts += _texts(generator.narrate(generator.make_report(i, 5), i, 5))
    assert len(texts) > 300
    for text in texts:
        _agree(text, monkeypatch)


def test_lists_and_leftovers_are_still_found(monkeypatch: pytest.MonkeyPatch) -> None:
    numbered, left = _agree(
        "一、概况\n二、目标\n二、完成情况。本单位20XX年预算增加 万元", monkeypatch
    )
    assert [e.values["编号"] for e in numbered] == [["1", "2", "2"]]
    assert {e.values["类别"] for e in left} == {"占位符", "未填的增减"}


_PIECES = st.sampled_from(
    ["1", "2", "12", "一", "二", "十", "(", ")", "、", ".", "．", "。", "；", ":", "\n", " ",
     "x", "X", "×", "*", "20", "年", "单位", "增加", "减少", "下降", "增长", "万元", "元", "%",
     "占", "比", "字以内", "说明", "错误!未定义书签", "项目", "A"]
)  # fmt: skip


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_random_texts_read_as_when_scanned_in_full(text: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        _agree(text, monkeypatch)
