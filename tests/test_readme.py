"""The README's rule table and set-up commands are generated or checked, so they cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from evalcheck.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_rule_table_matches_the_registry() -> None:
    table = re.search(r"<!-- rules:start -->\n(.*?)\n<!-- rules:end -->", README, re.S)
    assert table is not None
    result = CliRunner().invoke(cli, ["rules", "--format", "markdown"])
    assert result.exit_code == 0
    assert table.group(1) == result.output.strip(), "run: evalcheck rules --format markdown"


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", README, re.S)
    install, tests = blocks[0], blocks[1]
    assert "pip install" in install and "evalcheck samples/" in install
    assert tests == "bash .ci/run"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pytest" in ci and "set -euo pipefail" in ci
