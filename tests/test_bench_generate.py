"""The benchmark's report generator: deterministic, loadable, clean where it says clean."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from evalcheck.inputs import read_path
from evalcheck.report import from_input
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


def _tables(report: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in report.items() if k != "正文"}


def test_the_narrative_restates_figures_of_the_same_tables() -> None:
    """--narrative changes only the 正文: the tables are the plain report's, byte for byte."""
    for index in range(20):
        plain, told = generate.build(index, seed=3), generate.build(index, seed=3, narrative=True)
        assert _tables(told) == _tables(plain)
        assert [s["标题"] for s in told["正文"]] == [s["标题"] for s in plain["正文"]]
    told = generate.build(3, seed=17, narrative=True)
    staffing = told["人员编制"]
    first = told["正文"][0]["内容"]
    assert first.startswith(f"本单位核定编制{staffing['编制数']}人") or first.startswith(
        f"本单位编制人数{staffing['编制数']}人"
    )
    assert f"实际在职人数{staffing['实际在职人数']}人" in first


@pytest.fixture(scope="module")
def narrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("narrated")
    assert generate.generate(COUNT * 2, root, seed=11, narrative=True) == COUNT * 2
    return root


def test_narrated_clean_reports_stay_clean_and_their_prose_is_read(narrated: Path) -> None:
    """Precision first: the restated figures agree with the tables, so a clean report raises
    no error or warning; and the prose reader reads them (正文数据 holds the restated fields)."""
    checker = Checker()
    read = 0
    for index in range(COUNT * 2):
        path = generate.report_path(narrated, index)
        result = checker.check_path(path)
        alarms = {f.rule_id for f in result.findings if f.severity in ("error", "warning")}
        kind = generate.injected_error(index)
        if kind is None:
            assert alarms == set(), index
        else:
            assert generate.ERROR_KINDS[kind][0] in alarms, (index, kind)
        data = json.loads(path.read_text(encoding="utf-8"))
        prose = "".join(s["内容"] for s in data["正文"])
        stated = from_input(read_path(path)).data.get("正文数据", {})
        for field, words, key in RESTATED:
            table = data
            for part in field:
                table = table[part]
            if f"{words}{_said(table)}" in prose:
                value = stated
                for part in field:
                    value = value[part]
                assert value == _said(table) + key, (index, field)
                read += 1
    assert read >= COUNT * 2  # about four restated fields a report


def _said(value: object) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


RESTATED = [  # field, the words before it in the prose, the unit it is read with
    (("人员编制", "实际在职人数"), "实际在职人数", "人"),
    (("预算执行", "全年执行数"), "年度实际支出", "万元"),
    (("基本支出", "人员经费"), "人员经费支出", "万元"),
    (("经费控制情况", "三公经费", "本年预算数"), "“三公”经费预算数为", "万元"),
    (("经费控制情况", "三公经费", "公务接待", "本年预算数"), "公务接待费预算数为", "万元"),
]


def test_three_reports_in_ten_are_faulty_and_kinds_cycle() -> None:
    kinds = [generate.injected_error(i) for i in range(10 * len(generate.ERROR_KINDS))]
    faulty = [k for k in kinds if k is not None]
    assert len(faulty) == 3 * len(generate.ERROR_KINDS)
    assert set(faulty) == set(generate.ERROR_KINDS)


def test_folders_hold_at_most_a_thousand_files() -> None:
    root = Path("r")
    assert generate.report_path(root, 999).parent == root / "0000"
    assert generate.report_path(root, 1000).parent == root / "0001"
