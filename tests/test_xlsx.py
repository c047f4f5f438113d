"""``--format xlsx`` read back with openpyxl, as an office opening the workbook would: a row
per finding with the unit, file, place, rule, severity, message and diagnosis the JSON output
gives for the same run; a report's text never becomes a formula (issue 19)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import HANG_SECONDS

from evalcheck.findings.counts import SEVERITY_LABEL

ROOT = Path(__file__).resolve().parents[1]
BEITA = ROOT / "samples" / "shaoyang-beita-2023.json"
ZHANJIANG = ROOT / "samples" / "zhanjiang-2024.json"
FINDING_HEADINGS = ["单位名称", "文件", "位置", "规则", "级别", "问题", "诊断", "数据项", "已说明"]


def evalcheck(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "evalcheck", *args],
        capture_output=True,
        cwd=cwd,
        timeout=HANG_SECONDS * 4,
    )


def rows(sheet: Any) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The samples, a copy of Beita whose unit name starts like a formula, and a broken file:
    the workbook and the JSON document of the same run."""
    folder = tmp_path_factory.mktemp("batch")
    beita = json.loads(BEITA.read_text(encoding="utf-8"))
    beita["单位名称"] = '=HYPERLINK("http://example.invalid","点我")'
    (folder / "formula.json").write_text(json.dumps(beita, ensure_ascii=False), "utf-8")
    (folder / "broken.json").write_text('{"单位名称": ', encoding="utf-8")
    args = ("samples", str(folder / "formula.json"), str(folder / "broken.json"))
    done = evalcheck(*args, "--format", "xlsx", "-o", str(folder / "out.xlsx"))
    assert done.returncode == 2, done.stderr.decode()  # a file could not be read
    assert done.stdout == b""
    document = json.loads(evalcheck(*args, "--format", "json").stdout)
    return folder / "out.xlsx", document


def test_a_row_per_finding_as_the_json_output_gives_it(batch: tuple[Path, dict[str, Any]]) -> None:
    path, document = batch
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["问题", "报告"]
    assert book.properties.creator == "evalcheck"
    table = rows(book["问题"])
    assert table[0] == FINDING_HEADINGS
    got = sorted((r[1], r[3], r[4], r[5]) for r in table[1:] if r[3])
    expected = []
    for entry in document["files"]:
        for f in entry["findings"]:
            text = f["message"]
            if f["detail"] and f["detail"] not in text:
                text += f"（{f['detail']}）"
            expected.append((entry["file"], f["rule"], SEVERITY_LABEL[f["severity"]], text))
    assert got == sorted(expected)
    assert len(expected) > 50  # the samples do have findings


def test_the_known_finding_of_beita(batch: tuple[Path, dict[str, Any]]) -> None:
    path, document = batch
    table = rows(openpyxl.load_workbook(path)["问题"])
    beita = next(f for f in document["files"] if f["file"] == "samples/shaoyang-beita-2023.json")
    ec103 = next(f for f in beita["findings"] if f["rule"] == "EC103")
    (row,) = [r for r in table if r[1] == "samples/shaoyang-beita-2023.json" and r[3] == "EC103"]
    assert row[0] == "中共邵阳市北塔区委组织部"
    assert row[2] == f"第 {ec103['line']} 行第 {ec103['column']} 列"
    assert row[4] == "错误"
    assert "262.78 ≠ 262.78 + 40.8 = 303.58" in row[5]
    assert "更可能应为 303.58" in row[6]
    assert row[6] == ec103["diagnosis"]["text"]
    assert row[7] == "预算执行.年初预算数"


def test_worst_first_and_the_unreadable_file_on_top(batch: tuple[Path, dict[str, Any]]) -> None:
    path, document = batch
    book = openpyxl.load_workbook(path)
    table = rows(book["问题"])
    assert table[1][1].endswith("broken.json") and table[1][4] == "错误"
    assert table[1][5].startswith("无法读取：")
    reports = rows(book["报告"])
    assert reports[0][:3] == ["单位名称", "报告类型", "评价年度"]
    assert len(reports) - 1 == len(document["files"])  # a row per report, the broken one too
    errors = [r[5] for r in reports[2:]]
    assert errors == sorted(errors, reverse=True)
    zhanjiang = next(r for r in reports if r[11] == "samples/zhanjiang-2024.json")
    assert zhanjiang[0] == "中共湛江市委组织部本级" and zhanjiang[5:9] == [0, 0, 0, 0]


def test_a_report_string_is_text_never_a_formula(batch: tuple[Path, dict[str, Any]]) -> None:
    path, _ = batch
    book = openpyxl.load_workbook(path)
    cells = [c for c in book["问题"]["A"] if str(c.value).startswith("=HYPERLINK")]
    assert cells and all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in archive.read(n) for n in sheets)


def test_to_a_pipe_it_is_the_workbook_itself() -> None:
    done = evalcheck(str(BEITA), "--format", "xlsx")
    assert done.returncode == 1, done.stderr.decode()
    book = openpyxl.load_workbook(io.BytesIO(done.stdout))
    assert {r[3] for r in rows(book["问题"])[1:]} >= {"EC103"}


def test_a_second_run_overwrites_its_own_workbook_in_the_folder(tmp_path: Path) -> None:
    (tmp_path / "zhanjiang.json").write_bytes(ZHANJIANG.read_bytes())
    for _ in range(2):
        done = evalcheck(".", "--format", "xlsx", "-o", "out.xlsx", cwd=tmp_path)
        assert done.returncode == 0, done.stderr.decode()
    reports = rows(openpyxl.load_workbook(tmp_path / "out.xlsx")["报告"])
    assert [r[11] for r in reports[1:]] == ["./zhanjiang.json"]  # out.xlsx skipped


def test_a_second_html_run_overwrites_its_own_page_in_the_folder(tmp_path: Path) -> None:
    (tmp_path / "zhanjiang.json").write_bytes(ZHANJIANG.read_bytes())
    for _ in range(2):
        done = evalcheck(".", "--format", "html", "-o", "out.html", cwd=tmp_path)
        assert done.returncode == 0, done.stderr.decode()
    page = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert page.count('<section class="report"') == 1
    done = evalcheck("out.html", cwd=tmp_path)  # named: said to be no report, and skipped
    assert (
        "这是 evalcheck 写出的检查结果（--format html），不是报告：已跳过" in done.stderr.decode()
    )
