"""A batch's memory does not grow with its size (issue 18): what a run keeps per report.

No test here measures memory or time (bench/run.py does).  They check the mechanisms that keep
the run flat: the file list is kept on disk past a few thousand names, the closing table keeps
sorted runs on disk, not a row object per report, JSON streams and SARIF spools its results —
and that the output is byte for byte what holding everything gave, with one process or two.
"""

from __future__ import annotations

import gc
import json
import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import evalcheck.cli
import evalcheck.render.batch
import evalcheck.render.spool
import evalcheck.runner.reports
from evalcheck.findings import Counts
from evalcheck.inputs.escape import json_safe
from evalcheck.render.batch import HEADINGS, BatchRow, BatchTable, batch_table
from evalcheck.render.cells import cell_len
from evalcheck.runner.reports import Reports, collect_reports

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted(p for p in (ROOT / "samples").iterdir() if p.is_file())


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(evalcheck.cli.cli, [str(a) for a in args])


def _shrink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every in-memory threshold at a few items, so that a small batch takes the disk paths."""
    monkeypatch.setattr(evalcheck.runner.reports, "KEPT", 3)
    monkeypatch.setattr(evalcheck.runner.reports, "CHUNK", 2)
    monkeypatch.setattr(evalcheck.render.batch, "RUN_ROWS", 3)
    monkeypatch.setattr(evalcheck.render.batch, "BLOCK_ROWS", 2)
    monkeypatch.setattr(evalcheck.render.spool, "IN_MEMORY", 200)
    monkeypatch.setattr(evalcheck.render.spool, "_PIECE", 7)  # splits UTF-8 characters too


@pytest.fixture
def tiny(monkeypatch: pytest.MonkeyPatch) -> None:
    _shrink(monkeypatch)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples twice over, in two folders, one with its own configuration, and a broken
    file: findings of every severity, clean reports, ties, an unreadable file."""
    root = tmp_path_factory.mktemp("memory")
    for sub in ("a", "b/c"):
        (root / sub).mkdir(parents=True)
        for sample in SAMPLES:
            shutil.copy(sample, root / sub / sample.name)
    (root / "b" / "c" / ".evalcheck.yaml").write_text("ignore: [EC103]\n", encoding="utf-8")
    (root / "a" / "broken.json").write_text('{"单位名称": "某局",,}', encoding="utf-8")
    return root


# --------------------------------------------------------------------------- the closing table


def _reference_table(rows: list[BatchRow]) -> str:
    """The table as it was computed from every row at once (before issue 18's streaming)."""
    ordered = sorted(rows, key=lambda r: (tuple(-n for n in r.badness), r.order))
    found = [r for r in ordered if any(r.badness)]
    if not found:
        return f"{len(ordered)} 份报告均未发现问题\n"
    name = evalcheck.render.batch._cut
    table = [HEADINGS] + [
        (
            name(r.name, 40),
            str(r.counts.errors),
            str(r.counts.warnings),
            str(r.counts.infos),
            str(r.counts.explained),
            r.file,
        )
        for r in found
    ]
    widths = [max(cell_len(line[i]) for line in table) for i in range(5)]
    lines = []
    for line in table:
        cells = [line[0] + " " * (widths[0] - cell_len(line[0]))]
        cells += [" " * (widths[i] - cell_len(line[i])) + line[i] for i in range(1, 5)]
        lines.append("  ".join([*cells, line[5]]))
    clean = len(ordered) - len(found)
    if clean:
        lines.append(f"另有 {clean} 份报告未发现问题")
    return "\n".join(lines) + "\n"


def _rows(count: int, seed: int) -> list[BatchRow]:
    chosen = random.Random(seed)
    names = ["北塔区委组织部", "某局", "湛江市财政局" * 5, "Bureau"]
    rows = []
    for order in range(count):
        counts = Counts(*(chosen.choice([0, 0, 1, 2, 12]) for _ in range(4)))
        name = chosen.choice(names)
        rows.append(BatchRow(f"d/r-{order}.json", name, counts, order))
    return rows


@pytest.mark.parametrize("seed", range(6))
def test_the_streamed_table_is_the_one_all_rows_give(tiny: None, seed: int) -> None:
    rows = _rows(random.Random(seed).choice([1, 2, 5, 40, 101]), seed)
    table = BatchTable()
    for row in rows:
        table.add_row(row)
    if len(rows) > 3 and any(any(r.badness) for r in rows[:-3]):
        assert table._runs, "rows past RUN_ROWS went to disk"
    assert "".join(table.lines()) == _reference_table(rows)


def test_ties_keep_the_order_given_even_with_equal_positions(tiny: None) -> None:
    rows = [BatchRow(f"r{i}.json", f"单位{i}", Counts(1, 0, 0, 0)) for i in range(9)]  # order 0
    assert batch_table(rows) == _reference_table(rows)
    assert [line.split()[-1] for line in batch_table(rows).splitlines()[1:]] == [
        f"r{i}.json" for i in range(9)
    ]


def test_the_text_reporter_keeps_no_row_object_per_report(tiny: None) -> None:
    from evalcheck.render import RenderOptions
    from evalcheck.render.text import TextReporter
    from evalcheck.runner.checker import Checker

    reporter = TextReporter(RenderOptions())
    result = Checker().check_path(str(ROOT / "samples" / "shaoyang-beita-2023.json"))
    assert result.findings  # a report with findings: it gets a row
    for _ in range(50):
        reporter.file(result)
    gc.collect()
    assert sum(isinstance(o, BatchRow) for o in gc.get_objects()) == 0
    assert len(reporter.batch._pending) < 3  # the rest is on disk, in sorted runs
    assert len(reporter.batch._runs) == 16
    closing = "".join(reporter.batch.lines())
    assert closing.count("shaoyang-beita-2023.json") == 50


# --------------------------------------------------------------------------- the file list


def test_reports_come_back_in_order_from_disk_any_number_of_times(tiny: None) -> None:
    names = [f"folder/r-{i}.json" for i in range(11)]
    reports = Reports(iter(names))
    assert len(reports) == 11
    assert reports._spill is not None  # past KEPT (3)
    assert list(reports) == names
    first, second = iter(reports), iter(reports)
    interleaved = [(next(first), next(second)) for _ in range(11)]
    assert interleaved == [(n, n) for n in names]
    assert list(reports) == names
    assert not Reports([])


def test_a_path_given_twice_is_checked_once(folder: Path) -> None:
    a, every = folder / "a", collect_reports([str(folder)])
    once = collect_reports([str(a)])
    assert once == sorted(p for p in every if Path(p).parent == a)
    assert len(once) == len(SAMPLES) + 1
    assert collect_reports([str(a), str(a)]) == once
    broken = str(a / "broken.json")
    assert collect_reports([broken, str(a)]) == [broken] + [p for p in once if p != broken]
    assert collect_reports([str(a), broken]) == once
    assert collect_reports([str(folder), str(a)]) == every
    assert collect_reports([str(a), str(folder)]) == once + [p for p in every if p not in once]
    other = str(folder / "b")
    assert collect_reports([str(a), other]) == every  # no overlap: nothing remembered


# --------------------------------------------------------------------------- whole runs


FORMATS = ["text", "concise", "json", "sarif", "github", "gitlab", "junit"]


@pytest.mark.parametrize("format_", FORMATS)
def test_a_run_on_disk_writes_what_a_run_in_memory_writes(
    folder: Path, format_: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ("--format", format_, "--no-color", folder)
    in_memory = run("--jobs", "1", *args)
    assert in_memory.exit_code == 2, in_memory.output  # the broken file
    with monkeypatch.context() as patched:
        _shrink(patched)
        one = run("--jobs", "1", *args)
        two = run("--jobs", "2", *args)
    for spilled in (one, two):
        assert spilled.exit_code == 2
        assert spilled.stdout_bytes == in_memory.stdout_bytes
        assert spilled.stderr_bytes == in_memory.stderr_bytes
    if format_ in ("json", "sarif"):  # the document json.dumps gives for the whole
        text = in_memory.stdout
        document = json.loads(text)
        assert text == json_safe(json.dumps(document, ensure_ascii=False, indent=2)) + "\n"
        if format_ == "json":
            assert len(document["files"]) == 2 * len(SAMPLES) + 1
            assert document["summary"]["unreadable"] == 1
        else:
            log = document["runs"][0]
            assert len(log["artifacts"]) == 2 * len(SAMPLES)
            assert log["results"]
            assert log["invocations"][0]["executionSuccessful"] is False
    if format_ == "text":
        assert "另有" in in_memory.stdout  # the closing table, with clean reports counted
