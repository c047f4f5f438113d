"""Issue #12 through the API: the pieces the command-line cases of round two rely on.

tests/test_hostile_round_two.py runs each break through ``python -m evalcheck``; these tests pin
the building blocks (the opener and the writer) directly.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from evalcheck.inputs.files import Inputs, atomic_write, read_file
from evalcheck.inputs.source import LoadError

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples/shaoyang-beita-2023.json"


# --- the opener -----------------------------------------------------------------------------------


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "f.json"
    os.mkfifo(fifo)
    with pytest.raises(LoadError, match="命名管道"):
        read_file(str(fifo))


def test_a_device_is_refused_and_a_size_cap_holds(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="字符设备"):
        read_file("/dev/zero")
    big = tmp_path / "big"
    big.write_bytes(b"x" * 2000)
    with pytest.raises(LoadError, match="文件过大"):
        read_file(str(big), 1000)
    assert read_file(str(big), 2000) == b"x" * 2000


# --- the writer -----------------------------------------------------------------------------------


def test_a_failed_write_leaves_the_target_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_write(target) as stream:
        stream.write("half of the new text")
        raise RuntimeError("the run fails halfway")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]  # no temporary file left
    with atomic_write(target) as stream:
        stream.write("new\n")
    assert target.read_text(encoding="utf-8") == "new\n"


def test_an_input_is_recognised_by_path_or_inode(tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    report.write_text("{}", encoding="utf-8")
    os.link(report, tmp_path / "hard.json")
    (tmp_path / "soft.json").symlink_to(report)
    inputs = Inputs()
    inputs.add([report])
    assert inputs.clash(tmp_path / "hard.json") == str(report)
    assert inputs.clash(tmp_path / "soft.json") == str(report)
    assert inputs.clash(tmp_path / "sub" / ".." / "r.json") == str(report)
    assert inputs.clash(tmp_path / "other.json") is None
