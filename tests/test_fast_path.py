"""The command-line path: the report shape and the rule cache keep pydantic and YAML off it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from evalcheck.engine import cache
from evalcheck.engine.pack import load_rules
from evalcheck.engine.run import as_tree
from evalcheck.inputs.source import LoadError
from evalcheck.report.model import Report, derive_shape
from evalcheck.report.tree import normalise_report, report_shape

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "shaoyang-beita-2023.json"

PROBE = """
import sys
from evalcheck.runner.checker import Checker
result = Checker().check_path(sys.argv[1])
print(len(result.findings), "pydantic" in sys.modules, "yaml" in sys.modules)
"""


def test_committed_shape_matches_the_model() -> None:
    committed = json.loads(
        (ROOT / "evalcheck" / "report" / "shape.json").read_text(encoding="utf-8")
    )
    assert committed == derive_shape(), (
        "run: python -m evalcheck.report.model > evalcheck/report/shape.json"
    )


def test_shape_normaliser_agrees_with_the_pydantic_model() -> None:
    data = json.loads(SAMPLE.read_text(encoding="utf-8"), parse_float=str, parse_int=str)
    through_model = as_tree(Report.model_validate(data))
    direct = normalise_report(data)
    assert without_blanks(through_model) == without_blanks(direct)
    assert direct["基本支出"]["人员经费"].value == Report.model_validate(data).basic.personnel.value  # type: ignore[union-attr]


def without_blanks(tree: object) -> object:
    """Absent values: a blank cell kept as None and a key left out mean the same."""
    if isinstance(tree, dict):
        return {k: without_blanks(v) for k, v in tree.items() if v is not None}
    if isinstance(tree, list):
        return [without_blanks(v) for v in tree]
    return tree


def run_probe(cache_dir: Path, **extra: str) -> str:
    env = {"EVALCHECK_CACHE_DIR": str(cache_dir), "PATH": "/usr/bin:/bin", **extra}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(SAMPLE)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return done.stdout.strip()


def test_second_run_uses_the_rule_cache_without_pydantic_or_yaml(tmp_path: Path) -> None:
    # The built-in pack compiled, as any other pack is (not rebuilt from its shipped form).
    first = run_probe(tmp_path, EVALCHECK_NO_SHIPPED="1")
    second = run_probe(tmp_path, EVALCHECK_NO_SHIPPED="1")
    assert first.split()[0] == second.split()[0] == "10"
    assert first.endswith("True True")  # the first run validates the rule files
    assert second.endswith("False False")  # the second reads the validated specs from the cache


def test_the_shipped_built_in_pack_needs_neither_pydantic_nor_yaml_nor_the_cache(
    tmp_path: Path,
) -> None:
    assert run_probe(tmp_path) == "10 False False"  # an empty cache folder: a first run
    assert list(tmp_path.glob("*.json")) == []  # and nothing was validated to be kept there


def test_changed_rule_file_is_validated_again(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("EVALCHECK_CACHE_DIR", str(tmp_path / "cache"))
    rules = tmp_path / "r.yaml"
    body = (ROOT / "rules" / "budget.yaml").read_text(encoding="utf-8")
    rules.write_text(body, encoding="utf-8")
    assert len(load_rules(rules)) == body.count("- id: ")
    rules.write_text(body.replace("severity: error", "severity: fatal", 1), encoding="utf-8")
    try:
        load_rules(rules)
    except Exception as exc:
        assert "fatal" in str(exc) and str(exc).startswith(f"{rules}:")
    else:
        raise AssertionError("a changed, invalid rule file was served from the cache")


def test_corrupt_cache_entry_is_ignored(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("EVALCHECK_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("EVALCHECK_NO_SHIPPED", "1")
    path = ROOT / "rules" / "scores.yaml"
    first = load_rules(path)
    for entry in tmp_path.glob("*.json"):
        entry.write_text("{not json", encoding="utf-8")
    again = load_rules(path)
    assert [r.id for r in again] == [r.id for r in first]
    assert cache.read("missing-key") is None


def test_report_shape_is_data() -> None:
    assert report_shape()["fields"]["基本支出"]["fields"]["决算"] == {
        "type": "figure",
        "kind": "amount",
    }


def test_cached_spec_that_no_longer_compiles_is_reported_at_its_line(
    tmp_path: Path,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    import evalcheck.engine.types as types

    monkeypatch.setenv("EVALCHECK_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("EVALCHECK_NO_SHIPPED", "1")
    path = ROOT / "rules" / "budget.yaml"
    assert len(load_rules(path)) == path.read_text(encoding="utf-8").count("- id: ")  # cached
    shape = report_shape()
    fields = {k: v for k, v in shape["fields"].items() if k != "基本支出"}
    monkeypatch.setattr(types, "report_shape", lambda: {**shape, "fields": fields})
    with pytest.raises(LoadError) as caught:
        load_rules(path)
    assert str(caught.value).startswith(f"{path}:") and "未知的键「基本支出」" in str(caught.value)
