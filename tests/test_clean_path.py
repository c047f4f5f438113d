"""``evalcheck PATH …`` with no option runs without click (issue #18): same output, same exit.

The clean path (:mod:`evalcheck.cli.clean`) is taken only for a command line of paths; each
case below runs once that way and once through the click group, and both must print the
same bytes on stdout and stderr and exit with the same code.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import HANG_SECONDS

from evalcheck.cli.clean import plain_paths

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"

CLEAN = "import sys\nfrom evalcheck.cli import main\nmain()\n"
CLICK = "import sys\nfrom evalcheck.cli import cli\ncli.main(sys.argv[1:])\n"
MODULES = """
import sys
from evalcheck.cli import main
try:
    main()
except SystemExit:
    pass
print(" ".join(sorted(m for m in sys.modules if m.split(".")[0] in {"click", "rich", "pydantic", "yaml"})), file=sys.stderr)
"""


def run(program: str, args: list[str], cwd: Path) -> tuple[int, bytes, bytes]:
    done = subprocess.run(
        [sys.executable, "-c", program, *args],
        capture_output=True,
        cwd=cwd,
        timeout=HANG_SECONDS,
    )
    return done.returncode, done.stdout, done.stderr


def test_only_a_command_line_of_paths_takes_the_clean_path() -> None:
    assert plain_paths(["a.json", "b"]) == ("a.json", "b")
    assert plain_paths(["check", "rules"]) == ("rules",)  # a folder called rules
    assert plain_paths([]) is None
    assert plain_paths(["check"]) is None
    assert plain_paths(["rules"]) is None
    assert plain_paths(["a.json", "--format", "json"]) is None
    assert plain_paths(["-"]) is None
    assert plain_paths(["--version"]) is None
    assert plain_paths(["explain", "EC101"]) is None


def _cases(tmp_path: Path) -> list[list[str]]:
    bad = tmp_path / "bad.json"
    bad.write_text('{"预算执行": {"全年执行数": "abc"}}', encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    clean = tmp_path / "clean.json"
    clean.write_text(json.dumps({"单位名称": "某单位"}, ensure_ascii=False), encoding="utf-8")
    return [
        [str(SAMPLES / "shaoyang-beita-2023.json")],
        [str(SAMPLES / "zhanjiang-2024.json"), str(SAMPLES / "shaoyang-beita-2023.yaml")],
        ["check", str(SAMPLES)],
        [str(bad)],
        [str(broken)],
        [str(empty)],
        [str(tmp_path / "missing.json")],
        [str(clean)],
    ]


def test_the_clean_path_prints_what_click_prints(tmp_path: Path) -> None:
    for args in _cases(tmp_path):
        assert run(CLEAN, args, tmp_path) == run(CLICK, args, tmp_path), args


# A report with findings measures its code frames in terminal cells, and render/cells knows
# the widths of a report's characters itself (tests/test_cells.py): no rich for either sample,
# and no click, pydantic or yaml.
@pytest.mark.parametrize(
    ("sample", "findings"), [("shaoyang-beita-2023.json", True), ("zhanjiang-2024.json", False)]
)
def test_the_clean_path_imports_no_click(sample: str, findings: bool, tmp_path: Path) -> None:
    run(CLEAN, [str(SAMPLES / sample)], tmp_path)  # the rule cache filled: a later run reads it
    code, out, stderr = run(MODULES, [str(SAMPLES / sample)], tmp_path)
    assert code == 0
    assert (b"-->" in out) is findings  # code frames were drawn (and measured) for findings
    lines = stderr.decode().strip().splitlines()
    loaded = lines[-1].split() if lines else []
    assert loaded == [], loaded


def test_every_subcommand_goes_through_click() -> None:
    from evalcheck.cli import cli
    from evalcheck.cli.clean import SUBCOMMANDS

    assert set(SUBCOMMANDS) == set(cli.commands)
    assert plain_paths(["serve"]) is None
