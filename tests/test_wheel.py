"""The built wheel works on its own: installed into a fresh virtualenv, run from elsewhere.

This is the test that catches a rule pack left out of the wheel (pyproject force-includes
``rules/`` as ``evalcheck/builtin_rules``) or a module that only imports from a checkout.
It builds with hatchling from the current environment (no build isolation) and lets pip fetch
the runtime dependencies; it is skipped, not failed, when the package index is unreachable.
It takes about half a minute, most of it pip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def call(args: list[str], cwd: Path, **kwargs: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "NO_COLOR": "1", **kwargs}
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=600
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` folder of a fresh virtualenv with the freshly built wheel installed."""
    pytest.importorskip("hatchling")
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    # Build from a clean copy: nothing from the checkout's caches or outputs can leak in.
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "*.pyc", "__pycache__", ".*cache", "build", "dist"
        ),
    )
    built = call(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(work / "dist"),
            str(source),
        ],
        cwd=work,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (work / "dist").glob("evalcheck-*.whl")
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    done = call([str(python), "-m", "pip", "install", "--quiet", str(wheel)], cwd=work)
    if done.returncode != 0:
        network = ("Could not find a version", "connection", "Network", "resolve")
        if any(word in done.stdout + done.stderr for word in network):
            pytest.skip("the package index is unreachable: " + done.stderr.strip()[-200:])
        pytest.fail(done.stdout + done.stderr)
    return bin_dir


def test_installed_command_checks_a_report_with_the_shipped_rules(
    installed: Path, tmp_path: Path
) -> None:
    report = tmp_path / "beita.json"
    shutil.copyfile(ROOT / "samples" / "shaoyang-beita-2023.json", report)
    done = call([str(installed / "evalcheck"), "beita.json"], cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "错误[EC103]: 年初预算数应等于基本支出与项目支出年初预算之和" in done.stdout
    assert " --> beita.json:21:14" in done.stdout
    assert done.stdout.rstrip().endswith(
        "检查了 1 份报告：1 个错误，8 个警告，1 个提示（共读取 117 个数字，规则检查了 114 个）"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["beita.json"]


def test_installed_package_lists_rules_from_inside_the_wheel(
    installed: Path, tmp_path: Path
) -> None:
    python = installed / "python"
    where = call(
        [
            str(python),
            "-c",
            "from evalcheck.engine.pack import builtin_rules_dir; print(builtin_rules_dir())",
        ],
        cwd=tmp_path,
    )
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).parts[-2:] == ("evalcheck", "builtin_rules")
    listed = call([str(installed / "evalcheck"), "rules"], cwd=tmp_path)
    assert listed.returncode == 0
    assert "EC103" in listed.stdout and "EC311" in listed.stdout
    module = call([str(python), "-m", "evalcheck", "--version"], cwd=tmp_path)
    assert module.stdout.strip() == "evalcheck 0.1.0"
