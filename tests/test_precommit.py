"""The pre-commit hook, run by the real ``pre-commit`` tool in a throwaway git repository.

Offline by design: ``PRE_COMMIT_HOME`` is a temporary folder and the hook under test is a
``repo: local`` hook with ``language: system`` running this interpreter's ``-m evalcheck``, so
pre-commit never builds a virtualenv or reaches the network.  The published manifest
(``.pre-commit-hooks.yaml``) is checked with ``pre-commit validate-manifest`` and its file
filters are copied into the local hook, so what is tested is what users get.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from evalcheck.inputs import READERS

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
sys.path.insert(0, str(Path(__file__).resolve().parent))

pytest.importorskip("pre_commit")
if shutil.which("git") is None:  # pragma: no cover - git is part of the test environment
    pytest.skip("git is not installed", allow_module_level=True)


def manifest() -> dict[str, Any]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list) and len(hooks) == 1
    hook: dict[str, Any] = hooks[0]
    return hook


def pre_commit(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )


def git(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "测试",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "测试",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "PRE_COMMIT_HOME": str(cwd.parent / "pre-commit-home"),
        "NO_COLOR": "1",
    }
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8"
    )


def test_manifest_is_valid_and_matches_reports(tmp_path: Path) -> None:
    hook = manifest()
    assert hook["id"] == "evalcheck"
    assert hook["entry"] == "evalcheck"
    assert hook["language"] == "python"
    assert hook["require_serial"] is False
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])
    for suffix in READERS:  # every reader's files reach the hook …
        assert files.search(f"报告/某局{suffix}") and not exclude.search(f"报告/某局{suffix}")
    for name in ("报告/说明.pdf.bak", "README.md", "pyproject.toml"):  # … and nothing else
        assert not files.search(name), name
    for hidden in (".pre-commit-config.yaml", "报告/.evalcheck.yaml", ".github/ci.yml"):
        assert exclude.search(hidden), hidden  # tools' own configuration is no report
    done = pre_commit(
        "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml"), cwd=ROOT, home=tmp_path
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    repo = tmp_path / "reports"
    repo.mkdir()
    assert git("init", "-q", "-b", "main", cwd=repo).returncode == 0
    hook = manifest()
    local = {
        "id": hook["id"],
        "name": hook["name"],
        "entry": f"{shlex.quote(sys.executable)} -m evalcheck",
        "language": "system",
        "files": hook["files"],
        "exclude": hook["exclude"],
        "require_serial": hook["require_serial"],
    }
    config = {"repos": [{"repo": "local", "hooks": [local]}]}
    (repo / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump(config, allow_unicode=True), encoding="utf-8"
    )
    installed = pre_commit("install", cwd=repo, home=tmp_path / "pre-commit-home")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    git("add", ".pre-commit-config.yaml", cwd=repo)
    assert git("commit", "-q", "-m", "配置", cwd=repo).returncode == 0
    return repo


def test_the_hook_environment_has_every_reader_extra() -> None:
    """The hook's environment is the package plus the extras its readers need (``office`` …)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    needed = {reader.extra for reader in READERS.values() if reader.extra}
    assert needed <= set(extras)
    wanted = sorted({requirement for extra in needed for requirement in extras[extra]})
    assert sorted(manifest()["additional_dependencies"]) == wanted


def test_clean_report_is_committed(repository: Path) -> None:
    shutil.copyfile(SAMPLES / "zhanjiang-2024.json", repository / "zhanjiang-2024.json")
    git("add", "zhanjiang-2024.json", cwd=repository)
    done = git("commit", "-m", "湛江 2024", cwd=repository)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "evalcheck" in done.stdout + done.stderr
    assert "Passed" in done.stdout + done.stderr


def test_broken_report_blocks_the_commit(repository: Path) -> None:
    shutil.copyfile(SAMPLES / "shaoyang-beita-2023.yaml", repository / "beita.yaml")
    git("add", "beita.yaml", cwd=repository)
    done = git("commit", "-m", "北塔 2023", cwd=repository)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "Failed" in output
    assert "- exit code: 1" in output
    assert "错误[EC103]: 年初预算数应等于基本支出与项目支出年初预算之和" in output
    assert " --> beita.yaml:18:10" in output
    log = git("log", "--oneline", cwd=repository).stdout
    assert "北塔" not in log


def test_broken_word_report_blocks_the_commit(repository: Path) -> None:
    from office import blocks, write_docx

    report = json.loads((SAMPLES / "shaoyang-beita-2023.json").read_text(encoding="utf-8"))
    write_docx(blocks(report), repository / "北塔2023.docx")
    git("add", "北塔2023.docx", cwd=repository)
    done = git("commit", "-m", "北塔 2023（Word）", cwd=repository)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "错误[EC103]: 年初预算数应等于基本支出与项目支出年初预算之和" in output
    assert "北塔2023.docx" in output
    assert "北塔" not in git("log", "--oneline", cwd=repository).stdout


@pytest.mark.slow
def test_the_published_hook_installs_and_blocks_a_broken_word_report(tmp_path: Path) -> None:
    """The hook as users get it: pre-commit clones this repository at HEAD and builds the
    hook's own environment from PyPI (the package and its additional_dependencies)."""
    from office import blocks, write_docx

    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    if not head:
        pytest.skip("not a git checkout: the published hook is installed from a commit")
    repo = tmp_path / "reports"
    repo.mkdir()
    assert git("init", "-q", "-b", "main", cwd=repo).returncode == 0
    config = {"repos": [{"repo": ROOT.as_uri(), "rev": head, "hooks": [{"id": "evalcheck"}]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    report = json.loads((SAMPLES / "shaoyang-beita-2023.json").read_text(encoding="utf-8"))
    write_docx(blocks(report), repo / "北塔2023.docx")
    shutil.copyfile(SAMPLES / "zhanjiang-2024.json", repo / "zhanjiang-2024.json")
    git("add", ".", cwd=repo)
    done = pre_commit("run", "--all-files", cwd=repo, home=tmp_path / "home")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "错误[EC103]" in output and "北塔2023.docx" in output
    assert "zhanjiang-2024.json" in output  # checked too, and clean
    assert ".pre-commit-config.yaml" not in output
