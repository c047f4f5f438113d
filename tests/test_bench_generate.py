"""The benchmark's report generator: deterministic, loadable, clean where it says clean."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from evalcheck.runner.checker import Checker

COUNT = 50  # 15 faulty reports: every injected error kind at least once
GENERATOR = Path(__file__).resolve().parent.parent / "bench" / "generate.py"


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generate = _load_generator()


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("reports")
    assert generate.generate(COUNT, root, seed=7) == COUNT
    return root


def _files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.json"))


def test_same_seed_gives_the_same_bytes(reports: Path, tmp_path: Path) -> None:
    generate.generate(COUNT, tmp_path, seed=7)
    first = [p.read_bytes() for p in _files(reports)]
    second = [p.read_bytes() for p in _files(tmp_path)]
    assert first == second


def test_another_seed_gives_other_reports() -> None:
    assert generate.render(generate.build(0, seed=1)) != generate.render(generate.build(0, seed=2))


def test_render_writes_what_json_dumps_writes() -> None:
    for index in range(20):
        report = generate.build(index, seed=3)
        expected = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
        assert generate.render(report) == expected


def test_reports_have_realistic_shape(reports: Path) -> None:
    for path in _files(reports):
        data = json.loads(path.read_text(encoding="utf-8"))
        groups = data["绩效指标"]
        rows = [r for g in groups for r in g["指标"] if "分值" in r]
        assert 3 <= len(groups) <= 5
        assert 15 <= len(rows) <= 60
        assert 3 <= len(data["支出功能分类"]) <= 8


def test_every_report_loads_and_validates(reports: Path) -> None:
    checker = Checker()
    for path in _files(reports):
        assert checker.check_path(path).error is None, path


def test_clean_reports_have_no_errors_and_faulty_ones_the_injected_error(reports: Path) -> None:
    checker = Checker()
    for index in range(COUNT):
        result = checker.check_path(generate.report_path(reports, index))
        errors = {f.rule_id for f in result.findings if f.severity in ("error", "warning")}
        kind = generate.injected_error(index)
        if kind is None:
            assert errors == set(), index
        else:
            assert generate.ERROR_KINDS[kind][0] in errors, (index, kind)


def test_three_reports_in_ten_are_faulty_and_kinds_cycle() -> None:
    kinds = [generate.injected_error(i) for i in range(10 * len(generate.ERROR_KINDS))]
    faulty = [k for k in kinds if k is not None]
    assert len(faulty) == 3 * len(generate.ERROR_KINDS)
    assert set(faulty) == set(generate.ERROR_KINDS)


def test_folders_hold_at_most_a_thousand_files() -> None:
    root = Path("r")
    assert generate.report_path(root, 999).parent == root / "0000"
    assert generate.report_path(root, 1000).parent == root / "0001"
