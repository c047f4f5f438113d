"""Configuration files: discovery by walking up, both file kinds, and errors with their line."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from evalcheck.cli import cli
from evalcheck.inputs.source import LoadError
from evalcheck.settings import Config, find_config, load_config, split_names


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_nearest_configuration_wins(tmp_path: Path) -> None:
    outer = write(tmp_path / ".evalcheck.yaml", "select: [EC1]\n")
    inner = write(tmp_path / "a" / "pyproject.toml", '[tool.evalcheck]\nselect = ["EC3"]\n')
    (tmp_path / "a" / "b" / "c").mkdir(parents=True)
    assert find_config(tmp_path / "a" / "b" / "c") == inner
    assert find_config(tmp_path) == outer


def test_pyproject_without_the_table_does_not_count(tmp_path: Path) -> None:
    outer = write(tmp_path / ".evalcheck.yml", "ignore: EC310\n")
    write(tmp_path / "a" / "pyproject.toml", "[project]\nname = 'x'\n")
    assert find_config(tmp_path / "a") == outer


def test_yaml_beats_pyproject_in_one_folder(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.evalcheck]\n")
    yaml_file = write(tmp_path / ".evalcheck.yaml", "{}\n")
    assert find_config(tmp_path) == yaml_file


def test_every_key_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path / ".evalcheck.yaml",
        """\
select: EC1, EC3
ignore: [EC310]
rules: [packs/ours.yaml]
builtin: false
severity: {EC308: 错误}
params:
  EC306: {等次: {优秀: 90.5, 良好: 80}}
  weight-profile: {权重方案: 湖南}
fail-level: info
format: concise
explanations: docs/说明.yaml
""",
    )
    config = load_config(path)
    assert config == Config(
        file=path,
        select=["EC1", "EC3"],
        ignore=["EC310"],
        rules=[tmp_path / "packs" / "ours.yaml"],
        builtin=False,
        severity={"EC308": "error"},
        params={
            "EC306": {"等次": {"优秀": Decimal("90.5"), "良好": Decimal("80")}},
            "weight-profile": {"权重方案": "湖南"},
        },
        fail_level="info",
        format="concise",
        explanations=tmp_path / "docs" / "说明.yaml",
    )


def test_toml_numbers_become_exact_decimals(tmp_path: Path) -> None:
    path = write(
        tmp_path / "pyproject.toml",
        '[tool.evalcheck]\nfail-level = "warning"\n\n'
        '[tool.evalcheck.params.EC306.等次]\n"优秀" = 90\n"良好" = 80.50\n',
    )
    with pytest.raises(LoadError):  # bare Chinese keys are not TOML
        load_config(path)
    write(
        path,
        '[tool.evalcheck]\nfail-level = "warning"\n\n'
        '[tool.evalcheck.params.EC306]\n"等次" = {"优秀" = 90, "良好" = 80.50}\n',
    )
    config = load_config(path)
    assert config.params == {"EC306": {"等次": {"优秀": Decimal(90), "良好": Decimal("80.50")}}}
    assert config.fail_level == "warning"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("select: [EC1]\nfail_level: warning\n", 2, "未知的配置项「fail_level」"),
        ("fail-level: loud\n", 1, "「fail-level」的值「loud」不合法"),
        ("severity:\n  EC308: severe\n", 2, "规则 EC308 的级别「severe」不合法"),
        ("select: 3\n", 1, "「select」应为字符串列表"),
        ("params:\n  EC311: 中央\n", 2, "规则 EC311 的参数应为 {参数: 值} 的键值对"),
        ("select: [EC1\n", 2, ""),
    ],
)
def test_yaml_errors_point_at_their_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = write(tmp_path / ".evalcheck.yaml", text)
    with pytest.raises(LoadError) as caught:
        load_config(path)
    assert caught.value.file == str(path)
    assert caught.value.line == line
    assert message in caught.value.message


def test_toml_errors_point_at_their_line(tmp_path: Path) -> None:
    path = write(
        tmp_path / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.evalcheck]\nselect = ["EC1"]\nformat = 3\n',
    )
    with pytest.raises(LoadError) as caught:
        load_config(path)
    assert (caught.value.line, caught.value.message) == (6, "「format」应为输出格式名，如 text")
    write(path, '[tool.evalcheck]\nselect = ["EC1"\n')
    with pytest.raises(LoadError) as syntax:
        load_config(path)
    assert syntax.value.line == 2
    assert syntax.value.message.startswith("TOML 语法错误")


def test_split_names() -> None:
    assert split_names(["EC1, EC3", "EC205", " ,"]) == ["EC1", "EC3", "EC205"]


# --------------------------------------------------------------------------- per file (issue 11)

BEITA = Path(__file__).resolve().parents[1] / "samples" / "shaoyang-beita-2023.json"


def _json_files(*paths: str, cwd: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Each file's ``--format json`` entry, by the name of its folder."""
    monkeypatch.chdir(cwd)
    result = CliRunner().invoke(cli, ["--format", "json", "--exit-zero", *paths])
    assert result.exit_code == 0, result.output
    return {Path(f["file"]).parent.name: f for f in json.loads(result.stdout)["files"]}


def _rules(entry: dict[str, Any]) -> list[str]:
    return sorted({x["rule"] for x in entry["findings"]})


def _two_copies(tmp_path: Path, *names: str) -> None:
    for name in names:
        (tmp_path / name).mkdir()
        shutil.copyfile(BEITA, tmp_path / name / "r.json")


def test_each_file_is_configured_by_its_nearest_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file's verdict does not change when another file is named beside it (pre-commit)."""
    _two_copies(tmp_path, "quiet", "plain")
    (tmp_path / "quiet" / ".evalcheck.yaml").write_text("ignore: [EC308]\n", encoding="utf-8")
    alone = {
        **_json_files("quiet/r.json", cwd=tmp_path, monkeypatch=monkeypatch),
        **_json_files("plain/r.json", cwd=tmp_path, monkeypatch=monkeypatch),
    }
    together = _json_files("quiet/r.json", "plain/r.json", cwd=tmp_path, monkeypatch=monkeypatch)
    assert {k: _rules(v) for k, v in together.items()} == {k: _rules(v) for k, v in alone.items()}
    assert "EC308" not in _rules(together["quiet"]) and "EC308" in _rules(together["plain"])


def test_each_file_finds_its_nearest_explanations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_copies(tmp_path, "explained", "plain")
    (tmp_path / "explained" / ".evalcheck-explanations.yaml").write_text(
        "explanations:\n  - {file: r.json, rule: EC116, reason: 年中追加公用经费预算}\n",
        encoding="utf-8",
    )
    files = _json_files("explained/r.json", "plain/r.json", cwd=tmp_path, monkeypatch=monkeypatch)
    explained = [x for x in files["explained"]["findings"] if x["rule"] == "EC116"]
    plain = [x for x in files["plain"]["findings"] if x["rule"] == "EC116"]
    assert explained[0]["explanation"] == "年中追加公用经费预算"
    assert "explanation" not in plain[0]
