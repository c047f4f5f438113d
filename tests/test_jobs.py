"""``evalcheck check --jobs N``: the same output, byte for byte, on any number of processes."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner, Result

import evalcheck.cli
import evalcheck.runner.parallel
from evalcheck.runner.checker import Checker

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ["text", "json", "sarif", "concise"]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(evalcheck.cli.cli, [str(a) for a in args])


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_generate_for_jobs", ROOT / "bench" / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30 generated reports (some with injected errors), the samples, and one broken file."""
    root = tmp_path_factory.mktemp("batch")
    assert _load_generator().generate(30, root / "generated", seed=5) == 30
    for sample in sorted((ROOT / "samples").iterdir()):
        shutil.copy(sample, root / sample.name)
    (root / "broken.json").write_text('{"单位名称": "某局",,}', encoding="utf-8")
    return root


@pytest.mark.parametrize("format_", FORMATS)
def test_two_processes_write_what_one_writes(batch: Path, format_: str) -> None:
    alone = run("--jobs", "1", "--format", format_, "--no-color", batch)
    pooled = run("--jobs", "2", "--format", format_, "--no-color", batch)
    assert alone.exit_code == pooled.exit_code == 2  # the broken file
    assert pooled.stdout_bytes == alone.stdout_bytes
    assert pooled.stderr_bytes == alone.stderr_bytes
    assert "broken.json:1:" in alone.stderr


def test_pool_is_used_for_a_batch(batch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    used = []
    real = evalcheck.runner.parallel.check_paths

    def spy(*args: object, **kwargs: object) -> object:
        used.append(args[3])
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(evalcheck.runner.parallel, "check_paths", spy)
    assert run("--jobs", "2", "--format", "concise", batch).exit_code == 2
    assert used == [2]


def test_few_files_stay_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("no pool for a handful of files")

    monkeypatch.setattr(evalcheck.runner.parallel, "check_paths", refuse)
    few = sorted((ROOT / "samples").iterdir())[: evalcheck.runner.run.POOL_MIN_FILES - 1]
    result = run("--jobs", "4", "--format", "concise", *few)
    assert result.exit_code in (0, 1)


def test_exit_codes_agree_without_unreadable_files(batch: Path) -> None:
    reports = [str(p) for p in sorted(batch.rglob("*.json")) if p.name != "broken.json"]
    alone = run("--jobs", "1", "--format", "concise", *reports)
    pooled = run("--jobs", "2", "--format", "concise", *reports)
    assert alone.exit_code == pooled.exit_code == 1
    assert pooled.stdout_bytes == alone.stdout_bytes
    assert run("--jobs", "2", "--exit-zero", "-q", *reports).exit_code == 0


@pytest.mark.parametrize("value", ["0", "-1", "abc", ""])
def test_jobs_must_be_a_positive_number(value: str) -> None:
    result = run("check", "--jobs", value, ROOT / "samples")
    assert result.exit_code == 2
    assert "--jobs" in result.stderr
    assert "Traceback" not in result.stderr


# A worker writes to the real stderr, which CliRunner does not capture: these run evalcheck in a
# child process, with the failure planted before the command starts.
FAILING_CHECK = """
import sys
from evalcheck.runner.checker import Checker
from evalcheck.cli import main

def explode(self, path):
    if str(path).endswith("zhanjiang-2024.json"):
        raise RuntimeError("boom")
    return real(self, path)

real = Checker.check_path
Checker.check_path = explode
sys.argv = ["evalcheck", *sys.argv[1:]]
main()
"""
FAILING_START = """
import sys
import evalcheck.runner.run
from evalcheck.cli import main

def cannot(*args):
    raise OSError("规则包读不到了")

evalcheck.runner.run.make_resolver = cannot
sys.argv = ["evalcheck", *sys.argv[1:]]
main()
"""


def evalcheck_process(code: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=300,
    )


def test_a_failing_worker_is_one_line(batch: Path) -> None:
    alone = evalcheck_process(FAILING_CHECK, "--jobs", "1", "--format", "concise", batch)
    pooled = evalcheck_process(FAILING_CHECK, "--jobs", "2", "--format", "concise", batch)
    assert alone.returncode == pooled.returncode == 2
    assert "内部错误（RuntimeError：boom）" in pooled.stderr
    assert pooled.stderr == alone.stderr
    assert pooled.stdout == alone.stdout


def test_a_worker_that_cannot_start_is_one_line(batch: Path) -> None:
    result = evalcheck_process(FAILING_START, "--jobs", "2", "--format", "concise", batch)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "evalcheck：错误：内部错误（OSError：规则包读不到了），请把命令和报告文件一并报告给维护者"
    ]


def test_results_come_back_in_order_with_plain_sources(batch: Path) -> None:
    paths = [str(p) for p in sorted(batch.rglob("*.*"))]
    expected = [Checker().check_path(p) for p in paths]
    results = list(evalcheck.runner.parallel.check_paths(paths, len(paths), Checker, 2))
    assert [r.file for r in results] == paths
    for got, want in zip(results, expected, strict=True):
        assert got.findings == want.findings
        assert got.not_applicable == want.not_applicable
        assert str(got.error) == str(want.error)
        if want.source is not None:
            assert got.source is not None
            assert got.source.text == want.source.text
            assert got.source.line_text(3) == want.source.line_text(3)


class _Unpicklable(Exception):
    def __init__(self, what: str, where: int) -> None:
        super().__init__(f"{what} at {where}")


def test_an_exception_that_cannot_travel_keeps_its_name_and_message() -> None:
    travelled = evalcheck.runner.parallel._picklable(_Unpicklable("boom", 3))
    assert isinstance(travelled, RuntimeError)
    assert str(travelled) == "_Unpicklable：boom at 3"
    kept = ValueError("plain")
    assert evalcheck.runner.parallel._picklable(kept) is kept
