"""The command line pauses garbage collection for its start-up only (runner/startup, #18)."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import HANG_SECONDS

from evalcheck.runner import startup

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def collector() -> Iterator[None]:
    was = gc.isenabled()
    yield
    startup._paused = False
    gc.unfreeze()
    if was:
        gc.enable()
    else:
        gc.disable()


def test_begin_pauses_and_ready_freezes_and_resumes(collector: None) -> None:
    gc.enable()
    gc.unfreeze()
    startup.begin()
    assert not gc.isenabled()
    startup.ready()
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0
    frozen = gc.get_freeze_count()
    startup.ready()  # once only
    assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_a_collector_begin_did_not_pause_is_left_as_it_is(collector: None) -> None:
    gc.unfreeze()
    gc.disable()  # an application's own choice
    startup.ready()
    assert not gc.isenabled() and gc.get_freeze_count() == 0
    startup.begin()
    startup.ready()
    assert not gc.isenabled()  # begin() found it off: not switched on behind the caller's back


PROBE = """
import atexit, gc, sys
atexit.register(lambda: print("collector", gc.isenabled(), gc.get_freeze_count() > 0, file=sys.stderr))
from evalcheck.cli import main
main()
"""


@pytest.mark.parametrize(
    ("args", "frozen"),
    [
        (["samples/shaoyang-beita-2023.json"], True),  # the clean path: paused, then frozen
        (["samples/zhanjiang-2024.json", "samples/shaoyang-beita-2023.yaml"], True),
        (["check", "--format", "json", "samples/zhanjiang-2024.json"], False),  # click: untouched
        (["missing-file.json"], True),
    ],
)
def test_the_command_line_collects_again_once_its_rules_are_loaded(
    args: list[str], frozen: bool
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=HANG_SECONDS,
    )
    assert done.stderr.splitlines()[-1] == f"collector True {frozen}", done.stderr
