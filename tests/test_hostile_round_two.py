"""Issue #12, hostile input round two: each break the red-team pass found is a case here.

The cases (and the files each one makes, bombs included: nothing hostile is committed) live in
``scripts/hostile_summary.py`` under "round two", shared with the summary figure.  Each case runs
``python -m evalcheck`` in a folder of its own; :func:`broken_promises` lists what the run did
that it must not: a traceback, a hang (30 s unless the case says otherwise), a wrong exit code,
an error that is not one line (``file:line:col: 错误 …`` for a file), a raw control character on
the terminal, an input changed or a temporary file left behind, or the case's own promise.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hostile_summary_module import summary

NAMES = list(summary.ROUND_TWO)


def test_round_two_has_a_case_for_every_break() -> None:
    assert len(NAMES) >= 40


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[object, list[str]]]:
    """Every case, two at a time (they are separate processes)."""
    folder = tmp_path_factory.mktemp("round-two")

    def one(name: str) -> tuple[object, list[str]]:
        case_folder = folder / name
        case_folder.mkdir()
        return summary.run_case(name, case_folder)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(NAMES, pool.map(one, NAMES), strict=True))


@pytest.mark.parametrize("name", NAMES)
def test_case_keeps_every_promise(name: str, runs: dict[str, tuple[object, list[str]]]) -> None:
    _run, problems = runs[name]
    assert problems == [], f"{name}: {problems}"


def test_one_case_can_be_run_alone(tmp_path: Path) -> None:
    run, problems = summary.run_case("out-is-the-report", tmp_path)
    assert problems == [] and run.code == 2
