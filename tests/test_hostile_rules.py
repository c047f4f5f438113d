"""Issue #5, hostile rule files: every escape attempt is refused at load, or provably harmless.

Each file under ``tests/hostile/rules/`` is one attempt against the YAML loader or the expression
evaluator.  Its first lines say what it attempts and what must happen::

    # attempt: run os.system through PyYAML's !!python/object/apply tag
    # expect: refused at line 8 — 不允许的 YAML 标签

or ``# expect: accepted — <why it is harmless>``.  Attempts that try to run something run
``touch evalcheck-canary``; every run happens in an empty working folder, which must still be
empty afterwards (no canary, no file of any kind).  Each file goes through the API
(:func:`evalcheck.engine.pack.load_packs`, with the built-in pack, as the CLI loads it) and through
the CLI (``evalcheck --rules FILE report.json``).  tests/test_engine.py checks 45 hostile
expressions written inline; these are whole files, including attacks on the YAML itself.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import HANG_SECONDS

from evalcheck.cli import cli
from evalcheck.engine.pack import builtin_rules_dir, load_packs, load_rules
from evalcheck.inputs.source import LoadError
from evalcheck.runner.checker import Checker

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests/hostile/rules"
SAMPLE = ROOT / "samples/shaoyang-beita-2023.json"
CANARY = "evalcheck-canary"
SECONDS = HANG_SECONDS  # a hang guard per file: most are refused in a few hundredths of a second
CJK = re.compile("[\u4e00-\u9fff]")
HEADER = re.compile(
    r"\A# attempt: (?P<attempt>.+)\n"
    r"# expect: (?:refused at line (?P<line>\d+) — (?P<reason>.+)|accepted — (?P<why>.+))\n"
)


@dataclass(frozen=True)
class Attempt:
    path: Path
    attempt: str
    line: int | None  # None: accepted
    reason: str

    @property
    def refused(self) -> bool:
        return self.line is not None


def read_attempt(path: Path) -> Attempt:
    head = path.read_bytes()[:2000].decode("utf-8", errors="replace")
    match = HEADER.match(head)
    assert match, f"{path.name}: the first two lines must be '# attempt:' and '# expect:'"
    line = match["line"]
    return Attempt(
        path, match["attempt"], int(line) if line else None, match["reason"] or match["why"]
    )


ATTEMPTS = [read_attempt(p) for p in sorted(CORPUS.glob("*.yaml"))]
IDS = [a.path.stem for a in ATTEMPTS]


def test_the_corpus_covers_at_least_forty_attempts() -> None:
    assert len(ATTEMPTS) >= 40
    assert sum(a.refused for a in ATTEMPTS) >= 40
    running = [a for a in ATTEMPTS if CANARY in a.path.read_text(encoding="utf-8")]
    assert len(running) >= 10  # the attempts that try to run a command all aim at the canary


@pytest.fixture
def empty_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cwd"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.setenv("EVALCHECK_NO_CACHE", "1")
    return folder


# --- through the API ----------------------------------------------------------------------------


@pytest.mark.parametrize("attempt", ATTEMPTS, ids=IDS)
def test_api_refuses_or_stays_harmless(attempt: Attempt, empty_cwd: Path) -> None:
    started = time.perf_counter()
    if attempt.refused:
        with pytest.raises(LoadError) as caught:
            load_packs([builtin_rules_dir(), attempt.path])
        error = caught.value
        assert error.file == str(attempt.path)
        assert error.line == attempt.line, str(error)
        assert attempt.reason in error.message, str(error)
        assert CJK.search(error.message)
        assert str(error).startswith(f"{attempt.path}:{error.line}:{error.column}: ")
        assert "\n" not in str(error)
    else:
        rules = load_packs([builtin_rules_dir(), attempt.path])
        result = Checker(rules).check_path(SAMPLE)
        assert result.error is None
        again = Checker(rules).check_path(SAMPLE)
        assert [f.to_dict() for f in again.findings] == [f.to_dict() for f in result.findings]
    assert time.perf_counter() - started < SECONDS
    assert list(empty_cwd.iterdir()) == []


ON_ITS_OWN = [a for a in ATTEMPTS if a.refused and "重复" not in a.reason]


@pytest.mark.parametrize("attempt", ON_ITS_OWN, ids=[a.path.stem for a in ON_ITS_OWN])
def test_api_refuses_the_file_on_its_own_too(attempt: Attempt, empty_cwd: Path) -> None:
    with pytest.raises(LoadError) as caught:
        load_rules(attempt.path)
    assert (caught.value.line, attempt.reason in caught.value.message) == (attempt.line, True)


def test_a_plain_file_of_ten_thousand_rules_is_refused_quickly(empty_cwd: Path) -> None:
    rule = (
        "  - {{id: H{:04d}, name: hostile, title: 恶意规则, severity: error, check: 自评分数 >= 0, "
        "message: 测试, explain: 依据：无。, examples: [{{name: a, expect: pass, report: {{}}}}, "
        "{{name: b, expect: fail, report: {{}}}}]}}\n"
    )
    path = empty_cwd.parent / "many.yaml"
    path.write_text("rules:\n" + "".join(rule.format(i) for i in range(10_000)), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(LoadError) as caught:
        load_rules(path)
    assert time.perf_counter() - started < SECONDS
    assert caught.value.line == 2
    assert "rules" in caught.value.message and CJK.search(caught.value.message)


def test_duplicate_ids_across_two_rule_files_name_both_places(empty_cwd: Path) -> None:
    plain = CORPUS / "69_pack_name_path.yaml"  # accepted on its own; defines H100
    second = empty_cwd.parent / "second.yaml"
    shutil.copy(CORPUS / "54_params_that_look_like_code.yaml", second)  # H100 again
    with pytest.raises(LoadError) as caught:
        load_packs([plain, second])
    assert caught.value.file == str(second)
    assert caught.value.message == f"规则编号 H100 重复（已在 {plain}:5 定义）"


# --- through the CLI ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float


def check_cli_run(attempt: Attempt, run: Run, cwd: Path, report: Path) -> None:
    output = run.stdout + run.stderr
    assert "Traceback" not in output
    assert "内部错误" not in output  # the CLI's last-resort guard: a crash in disguise
    if attempt.refused:
        assert run.code == 2, output
        located = [line for line in run.stderr.splitlines() if line.startswith(f"{attempt.path}:")]
        assert located, run.stderr
        assert located[0].startswith(f"{attempt.path}:{attempt.line}:"), located[0]
        assert attempt.reason in located[0]
    else:
        assert run.code in (0, 1), output
    assert run.seconds < SECONDS
    assert list(cwd.iterdir()) == []  # no canary, no file of any kind
    assert report.read_bytes() == SAMPLE.read_bytes()
    assert report.stat().st_mtime_ns == MTIME


MTIME = 1_600_000_000_000_000_000


def pinned_report(folder: Path, name: str) -> Path:
    report = folder / f"{name}-report.json"
    shutil.copy(SAMPLE, report)
    os.utime(report, ns=(MTIME, MTIME))
    return report


@pytest.mark.parametrize("attempt", ATTEMPTS, ids=IDS)
def test_cli_refuses_or_stays_harmless(attempt: Attempt, empty_cwd: Path) -> None:
    """In-process through the click command (fast); the next test runs real subprocesses."""
    report = pinned_report(empty_cwd.parent, attempt.path.stem)
    started = time.perf_counter()
    result = CliRunner().invoke(cli, ["--rules", str(attempt.path), str(report)])
    run = Run(result.exit_code, result.stdout, result.stderr, time.perf_counter() - started)
    check_cli_run(attempt, run, empty_cwd, report)


def run_cli(attempt: Attempt, folder: Path) -> tuple[Run, Path, Path]:
    cwd = folder / attempt.path.stem
    cwd.mkdir()
    report = pinned_report(folder, attempt.path.stem)
    env = {**os.environ, "EVALCHECK_CACHE_DIR": str(folder / "cache"), "NO_COLOR": "1"}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "evalcheck", "--rules", str(attempt.path), str(report)],
        capture_output=True,
        timeout=60,
        cwd=cwd,
        env=env,
    )
    run = Run(
        done.returncode,
        done.stdout.decode("utf-8", errors="replace"),
        done.stderr.decode("utf-8", errors="replace"),
        time.perf_counter() - started,
    )
    return run, cwd, report


# A fresh interpreter per file costs most of a second: the attempts that aim at the canary, the
# accepted ones and the resource bombs run as real processes; the rest run in-process above.
SUBPROCESS = [
    a
    for a in ATTEMPTS
    if not a.refused
    or CANARY in a.path.read_text(encoding="utf-8")
    or re.search("bomb|laughs|million|thousand|megabyte", a.path.stem)
]


def test_cli_subprocess_attempts_are_a_real_selection() -> None:
    assert 15 <= len(SUBPROCESS) <= 30


@pytest.fixture(scope="module")
def cli_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Run, Path, Path]]:
    """The selected attempts through ``python -m evalcheck``, two at a time."""
    folder = tmp_path_factory.mktemp("cli")
    (folder / "warm").mkdir()
    subprocess.run(  # fill the rule cache with the built-in pack, as on any user's machine
        [sys.executable, "-m", "evalcheck", str(SAMPLE)],
        capture_output=True,
        timeout=60,
        env={**os.environ, "EVALCHECK_CACHE_DIR": str(folder / "cache")},
    )
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = pool.map(lambda a: run_cli(a, folder), SUBPROCESS)
        return {a.path.stem: run for a, run in zip(SUBPROCESS, runs, strict=True)}


@pytest.mark.parametrize("attempt", SUBPROCESS, ids=[a.path.stem for a in SUBPROCESS])
def test_cli_subprocess_refuses_or_stays_harmless(
    attempt: Attempt, cli_runs: dict[str, tuple[Run, Path, Path]]
) -> None:
    run, cwd, report = cli_runs[attempt.path.stem]
    check_cli_run(attempt, run, cwd, report)
