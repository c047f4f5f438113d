"""A batch, as a reviewer runs it: the closing table names each report's unit, worst first, and
a progress bar shows on a terminal while the output goes elsewhere (issue 19)."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

from conftest import HANG_SECONDS

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "evalcheck", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=HANG_SECONDS * 4,
        env={**os.environ, "NO_COLOR": "1"},
    )


def test_a_multi_file_run_ends_with_the_units_worst_first() -> None:
    done = run("samples/zhanjiang-2024.json", "samples/shaoyang-beita-2023.json")
    lines = done.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("单位名称"))
    assert lines[start].split() == ["单位名称", "错误", "警告", "提示", "已说明", "文件"]
    assert lines[start + 1].split() == [
        "中共邵阳市北塔区委组织部",
        "1",
        "8",
        "1",
        "0",
        "samples/shaoyang-beita-2023.json",
    ]
    assert lines[start + 2] == "另有 1 份报告未发现问题"
    assert lines[-1].startswith("检查了 2 份报告")


def test_one_file_has_no_batch_table() -> None:
    done = run("samples/shaoyang-beita-2023.json")
    assert "单位名称" not in done.stdout


def test_more_errors_rank_above_more_warnings(tmp_path: Path) -> None:
    project = (SAMPLES / "project-sichuan-qingshen-2023.yaml").read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(project, encoding="utf-8")  # 2 errors
    shutil.copy(SAMPLES / "shaoyang-beita-2023.json", tmp_path / "b.json")  # 1 error, 8 warnings
    done = run(str(tmp_path / "b.json"), str(tmp_path / "a.yaml"))
    table = done.stdout[done.stdout.index("单位名称") :].splitlines()
    assert table[1].startswith("青神县发展和改革局")
    assert table[2].startswith("中共邵阳市北塔区委组织部")


def _with_terminal_stderr(args: list[str], out: Path) -> str:
    """Run evalcheck with standard error on a pseudo-terminal; what the terminal received."""
    leader, follower = pty.openpty()
    with out.open("w", encoding="utf-8") as stdout:
        process = subprocess.Popen(
            [sys.executable, "-m", "evalcheck", *args],
            stdout=stdout,
            stderr=follower,
            cwd=ROOT,
            env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"},
        )
        os.close(follower)
        received = b""
        deadline = time.monotonic() + HANG_SECONDS * 4
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # the follower side closed: the process is gone
                    break
                if not chunk:
                    break
                received += chunk
            elif process.poll() is not None:
                break
        process.wait(timeout=HANG_SECONDS)
    os.close(leader)
    return received.decode("utf-8", errors="replace")


def test_a_progress_bar_shows_on_a_terminal_while_the_output_goes_to_a_file(
    tmp_path: Path,
) -> None:
    terminal = _with_terminal_stderr(["samples", "--format", "json"], tmp_path / "out.json")
    assert "检查报告" in terminal
    samples = [p for p in Path("samples").iterdir() if p.suffix in (".json", ".yaml")]
    assert f"/{len(samples)}" in terminal  # every sample file counted
    assert (tmp_path / "out.json").read_text(encoding="utf-8").startswith("{")


def test_no_progress_bar_when_standard_error_is_not_a_terminal(tmp_path: Path) -> None:
    done = run("samples", "--format", "json", "-o", str(tmp_path / "out.json"))
    assert "检查报告" not in done.stderr
    assert done.stderr == ""
