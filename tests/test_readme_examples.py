"""Every example in the README is run: the output it shows, the report, the rule, the
configuration, the explanations, the pre-commit configuration, the shell commands and the
Python API (issue 11: an example rejected as written is a broken promise)."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BEITA = ROOT / "samples" / "shaoyang-beita-2023.json"
sys.path.insert(0, str(Path(__file__).resolve().parent))


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)\n```", README, re.S)


def block_starting(language: str, first_line: str) -> str:
    (found,) = [b for b in blocks(language) if b.splitlines()[0].startswith(first_line)]
    return found


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "evalcheck", *map(str, args)],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
        timeout=120,
    )


def test_the_output_shown_is_the_output_printed() -> None:
    shown = block_starting("text", "$ evalcheck samples/")
    command, *printed = shown.splitlines()
    result = run(*shlex.split(command.removeprefix("$ evalcheck ")))
    assert result.returncode == 1
    actual = result.stdout.splitlines()
    for chunk in "\n".join(printed).split("\n...\n"):  # each excerpt appears as it is shown
        lines = chunk.splitlines()
        assert any(actual[i : i + len(lines)] == lines for i in range(len(actual))), chunk


def test_the_report_format_example_is_a_report(tmp_path: Path) -> None:
    report = tmp_path / "example.json"
    report.write_text(block_starting("json", "{"), encoding="utf-8")
    result = run("--format", "json", "--exit-zero", report)
    assert result.returncode == 0, result.stderr
    entry = json.loads(result.stdout)["files"][0]
    assert entry["error"] is None and entry["coverage"]["checked"] > 0


def test_the_rule_example_passes_its_own_examples(tmp_path: Path) -> None:
    rule = block_starting("yaml", "- id: ")
    pack = tmp_path / "pack.yaml"
    pack.write_text("rules:\n" + "\n".join("  " + line for line in rule.splitlines()), "utf-8")
    result = run("rules", "--test", pack)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "EC101" in result.stdout


def test_the_configuration_example_is_read_and_applied(tmp_path: Path) -> None:
    config = block_starting("yaml", "# .evalcheck.yaml")
    (tmp_path / ".evalcheck.yaml").write_text(config, encoding="utf-8")
    (tmp_path / "省级规则").mkdir()  # the extra pack it names
    shutil.copyfile(BEITA, tmp_path / "北塔.json")
    (tmp_path / ".evalcheck-explanations.yaml").write_text("explanations: []\n", "utf-8")
    result = run("--format", "json", "--exit-zero", "北塔.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rules = {f["rule"] for f in json.loads(result.stdout)["files"][0]["findings"]}
    selected = set(yaml.safe_load(config)["select"])
    assert rules and all(r.startswith(tuple(selected)) or r.startswith("EC0") for r in rules)
    assert "EC116" not in rules  # ignored


def test_the_explanations_example_explains_its_finding(tmp_path: Path) -> None:
    explanations = block_starting("yaml", "# .evalcheck-explanations.yaml")
    (tmp_path / ".evalcheck-explanations.yaml").write_text(explanations, encoding="utf-8")
    (tmp_path / "2023").mkdir()
    shutil.copyfile(BEITA, tmp_path / "2023" / "北塔.json")
    result = run("--format", "json", "--exit-zero", "2023/北塔.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (ec116,) = [
        f for f in json.loads(result.stdout)["files"][0]["findings"] if f["rule"] == "EC116"
    ]
    assert ec116["explanation"].startswith("年中追加公用经费 258 万元")


def test_the_pre_commit_example_is_a_valid_configuration(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit")
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(block_starting("yaml", "# .pre-commit-config.yaml"), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(config)],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PRE_COMMIT_HOME": str(tmp_path / "home")},
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (hook,) = yaml.safe_load(config.read_text(encoding="utf-8"))["repos"][0]["hooks"]
    assert hook["id"] == "evalcheck"


def _materialise(name: str, folder: Path) -> None:
    """The file a README command names, made from the Beita sample in that file's format."""
    from layouts import write_html, write_pdf, write_xls
    from office import blocks as office_blocks
    from office import write_docx, write_xlsx

    report = json.loads(BEITA.read_text(encoding="utf-8"), parse_float=str, parse_int=str)
    report.pop("$schema", None)
    path = folder / name
    suffix = path.suffix
    if suffix == ".docx":
        write_docx(office_blocks(report), path)
    elif suffix == ".xlsx":
        write_xlsx(office_blocks(report), path)
    elif suffix == ".xls":
        write_xls(report, path)
    elif suffix in (".html", ".htm"):
        write_html(report, path)
    elif suffix == ".pdf":
        write_pdf(report, path)
    elif suffix == ".json":
        shutil.copyfile(BEITA, path)


def shell_commands() -> list[str]:
    commands = [
        line.split("  #")[0].strip()
        for block in blocks("sh")[2:]  # the first two are the set-up commands, tested elsewhere
        for line in block.splitlines()
        if line.startswith("evalcheck ")
    ]
    inline = re.findall(r"`(evalcheck [^`]*)`", README)
    return commands + [c for c in inline if c not in commands]


PLACEHOLDERS = {"PACK": "rules", "DIR": "reports", "FILE": "out.json"}


@pytest.mark.parametrize("command", shell_commands())
def test_every_command_runs_as_written(command: str, tmp_path: Path) -> None:
    """Run in a folder holding the files the command names (made from the Beita sample),
    ``reports/`` and ``samples/``; exit 2 would mean the command is wrong as written."""
    args = [PLACEHOLDERS.get(a, a) for a in shlex.split(command)[1:]]
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    (tmp_path / "reports").mkdir()
    shutil.copyfile(BEITA, tmp_path / "reports" / "北塔.json")
    outputs = {args[i + 1] for i, a in enumerate(args[:-1]) if a in ("-o", "--output")}
    for arg in args:
        named = "." in arg and not arg.startswith("-") and arg not in outputs
        if named and not (tmp_path / arg).exists():
            _materialise(arg, tmp_path)
    if args[0] == "serve":  # it runs until stopped: started, its address read, stopped
        serving(args, tmp_path)
        return
    result = run(*args, cwd=tmp_path)
    assert result.returncode in (0, 1), f"{command}: {result.stderr}"
    assert "Traceback" not in result.stderr


def serving(args: list[str], folder: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "evalcheck", *(a for a in args if a != "--open")],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "PYTHONPATH": str(ROOT)},
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert re.search(r"http://127\.0\.0\.1:\d+/", line), line
    finally:
        process.terminate()
        process.wait(timeout=60)
    assert "Traceback" not in (process.stderr.read() if process.stderr else "")


def test_the_python_example_runs() -> None:
    code = block_starting("python", "import evalcheck")
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("EC103 error 21 14")
