"""Issue #5, encodings and text forms: however a report is saved, the findings are the same.

The baseline is ``samples/shaoyang-beita-2023.json`` as committed (UTF-8, LF).  Each variant below
is the same report saved another way, checked through the API (and, where the CLI exists, through
``evalcheck --format json``); the findings must match the baseline's exactly, or, where a variant
rewrites figures, match rule by rule and place by place.  The loader's own unit tests
(tests/test_load.py) cover decoding of a tiny report; these tests cover the whole pipeline.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from evalcheck.inputs import load_path
from evalcheck.inputs.source import LoadError
from evalcheck.runner.checker import Checker

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_JSON = ROOT / "samples/shaoyang-beita-2023.json"
SAMPLE_YAML = ROOT / "samples/shaoyang-beita-2023.yaml"

CHECKER = Checker()
# GBK has no NO-BREAK SPACE; the sample's narrative has six.  Every variant starts from this text.
TEXT = SAMPLE_JSON.read_text(encoding="utf-8").replace("\xa0", " ")

Key = tuple[Any, ...]


def exact(path: Path) -> list[Key]:
    """Everything a finding says except the file name."""
    result = CHECKER.check_path(path)
    assert result.error is None, str(result.error)
    return [
        (f.rule_id, f.severity, f.line, f.column, f.path, f.message, f.label,
         [(v.name, v.value, v.path, v.line, v.column) for v in f.figures])
        for f in result.findings
    ]  # fmt: skip


def placed(path: Path) -> list[Key]:
    """Rule, line and key path: for variants that rewrite how figures are printed."""
    result = CHECKER.check_path(path)
    assert result.error is None, str(result.error)
    return [(f.rule_id, f.line, f.path) for f in result.findings]


def save(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> list[Key]:
    findings = exact(SAMPLE_JSON)
    assert findings, "the sample has known findings; an empty baseline would prove nothing"
    plain = save(tmp_path_factory.mktemp("base"), "r.json", TEXT.encode("utf-8"))
    assert exact(plain) == findings  # replacing NO-BREAK SPACE in the narrative changes nothing
    return findings


ENCODINGS: dict[str, Callable[[str], bytes]] = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8-bom": lambda t: t.encode("utf-8-sig"),
    "utf-16-le-bom": lambda t: b"\xff\xfe" + t.encode("utf-16-le"),
    "utf-16-be-bom": lambda t: b"\xfe\xff" + t.encode("utf-16-be"),
    "gb18030": lambda t: t.encode("gb18030"),
    "gbk": lambda t: t.encode("gbk"),
}


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_every_encoding_gives_the_same_findings(
    tmp_path: Path, baseline: list[Key], encoding: str
) -> None:
    path = save(tmp_path, "r.json", ENCODINGS[encoding](TEXT))
    assert exact(path) == baseline


@pytest.mark.parametrize("encoding", ["utf-8-bom", "utf-16-le-bom", "gbk"])
def test_yaml_in_other_encodings_gives_the_same_findings(tmp_path: Path, encoding: str) -> None:
    text = SAMPLE_YAML.read_text(encoding="utf-8").replace("\xa0", " ")
    path = save(tmp_path, "r.yaml", ENCODINGS[encoding](text))
    assert exact(path) == exact(SAMPLE_YAML)


def test_crlf_gives_the_same_findings_at_the_same_lines(
    tmp_path: Path, baseline: list[Key]
) -> None:
    path = save(tmp_path, "r.json", TEXT.replace("\n", "\r\n").encode("utf-8"))
    assert exact(path) == baseline
    old_mac = save(tmp_path, "mac.json", TEXT.replace("\n", "\r").encode("utf-8"))
    assert exact(old_mac) == baseline


def test_tab_indentation_keeps_lines(tmp_path: Path, baseline: list[Key]) -> None:
    tabbed = re.sub(r"(?m)^(  )+", lambda m: "\t" * (len(m.group(0)) // 2), TEXT)
    path = save(tmp_path, "r.json", tabbed.encode("utf-8"))
    assert placed(path) == [(k[0], k[2], k[4]) for k in baseline]


def test_a_utf8_file_with_one_damaged_byte_is_refused_not_read_as_gb18030(
    tmp_path: Path,
) -> None:
    """Regression: GB18030 decodes almost any bytes, so a UTF-8 report with one stray byte was
    read as mojibake, every key became unknown and the report passed without a finding."""
    data = TEXT.encode("utf-8").replace("刘飞飞".encode(), "刘飞".encode() + b"\xff", 1)
    line = TEXT[: TEXT.index("刘飞飞")].count("\n") + 1
    with pytest.raises(LoadError) as caught:
        load_path(save(tmp_path, "r.json", data))
    assert (caught.value.line, caught.value.message) == (
        line,
        "文件不是有效的 UTF-8 编码：无法解码的字节 0xFF",
    )


def test_gbk_text_with_an_accidental_utf8_sequence_still_reads_as_gbk(tmp_path: Path) -> None:
    # 鍗 in GBK is E5 8D, the first two bytes of a UTF-8 character; the file is still GBK.
    text = TEXT.replace("刘飞飞", "刘飞鍗")
    doc = load_path(save(tmp_path, "r.json", text.encode("gbk")))
    assert doc.source.encoding == "gb18030"
    assert doc.data["填表人"] == "刘飞鍗"


# --- full-width and spaced figures ------------------------------------------------------------

FULLWIDTH = str.maketrans("0123456789.%", "０１２３４５６７８９．％")


def fullwidth_figures(text: str) -> str:
    """Every number written as a full-width string: 586.88 → "５８６．８８", "100.00%" → "１００．００％"."""

    def number(match: re.Match[str]) -> str:
        return f'{match.group(1)}"{match.group(2).translate(FULLWIDTH)}"'

    def percent(match: re.Match[str]) -> str:
        return f'"{match.group(1).translate(FULLWIDTH)}"'

    text = re.sub(r"(: )(-?\d+(?:\.\d+)?)(?=,?\n)", number, text)
    return re.sub(r'"(\d+(?:\.\d+)?%)"', percent, text)


def test_fullwidth_digits_and_percent_give_the_same_findings(
    tmp_path: Path, baseline: list[Key]
) -> None:
    text = fullwidth_figures(TEXT)
    assert "５８６．８８" in text and "１００．００％" in text
    path = save(tmp_path, "r.json", text.encode("utf-8"))
    assert placed(path) == [(k[0], k[2], k[4]) for k in baseline]


def test_ideographic_spaces_around_figures_give_the_same_findings(
    tmp_path: Path, baseline: list[Key]
) -> None:
    text = re.sub(r"(: )(-?\d+(?:\.\d+)?)(?=,?\n)", lambda m: f'{m[1]}"\u3000{m[2]}\u3000"', TEXT)
    text = re.sub(r'"(\d+(?:\.\d+)?%)"', lambda m: f'"\u3000{m[1]} "', text)
    assert '"\u3000586.88\u3000"' in text
    path = save(tmp_path, "r.json", text.encode("utf-8"))
    assert placed(path) == [(k[0], k[2], k[4]) for k in baseline]


def test_figures_with_units_and_thousands_separators_give_the_same_rules(
    tmp_path: Path, baseline: list[Key]
) -> None:
    text = TEXT.replace('"决算": 586.88', '"决算": "5，868，800元"', 1)
    text = text.replace('"人员经费": 303.93', '"人员经费": "303.93万元"', 1)
    path = save(tmp_path, "r.json", text.encode("utf-8"))
    assert placed(path) == [(k[0], k[2], k[4]) for k in baseline]


# --- trailing commas ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('"遗属补助人数": 2\n', '"遗属补助人数": 2,\n'),
        ('"其他事业类发展资金"\n', '"其他事业类发展资金",\n'),
    ],
    ids=["object", "array"],
)
def test_trailing_comma_is_refused_with_line_and_column(tmp_path: Path, old: str, new: str) -> None:
    assert TEXT.count(old) >= 1
    text = TEXT.replace(old, new, 1)
    comma = text.index(new) + len(new) - 2
    closing = comma + 1 + re.match(r"\s*", text[comma + 1 :]).end()  # type: ignore[union-attr]
    with pytest.raises(LoadError) as caught:
        load_path(save(tmp_path, "r.json", text.encode("utf-8")))
    err = caught.value
    assert (err.line, err.column) in {position(text, comma), position(text, closing)}
    assert re.search("[\u4e00-\u9fff]", err.message)
    assert "逗号" in err.message or "应为一个值" in err.message


def position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# --- YAML anchors, aliases and merge keys ------------------------------------------------------

ANCHORED = [
    ("  全年预算数: 586.88\n", "  全年预算数: &total 586.88\n"),
    ("  全年执行数: 586.88\n", "  全年执行数: *total\n"),
    ("    基本支出: 586.88\n", "    基本支出: *total\n"),
    ("  决算: 586.88\n", "  决算: *total\n"),
    ("      公车购置: {}\n", "      公车购置: &empty {}\n"),
    ("      公车运行维护: {}\n", "      公车运行维护: *empty\n"),
    ("    出国经费: {}\n", "    出国经费: {<<: *empty}\n"),
    (
        "    公务接待:\n      上年决算数: 0.09\n      本年预算数: 0.5\n",
        "    公务接待:\n      <<: [{上年决算数: 0.09}, {本年预算数: 0.5, 上年决算数: 7}]\n",
    ),
]


def test_yaml_anchors_aliases_and_merge_keys_give_the_same_findings(tmp_path: Path) -> None:
    text = SAMPLE_YAML.read_text(encoding="utf-8")
    for old, new in ANCHORED:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    anchored = save(tmp_path, "r.yaml", text.encode("utf-8"))
    assert load_path(anchored).data == load_path(SAMPLE_YAML).data

    def said(path: Path) -> list[Key]:
        return [(f.rule_id, f.path, f.message, f.label) for f in CHECKER.check_path(path).findings]

    assert said(anchored) == said(SAMPLE_YAML)


# --- the same through the CLI ------------------------------------------------------------------


def cli_json(*paths: Path) -> list[dict[str, Any]]:
    run = subprocess.run(
        [sys.executable, "-m", "evalcheck", "--format", "json", *map(str, paths)],
        capture_output=True,
        timeout=120,
        cwd=ROOT,
    )
    assert run.returncode in (0, 1), run.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in run.stdout + run.stderr
    files: list[dict[str, Any]] = json.loads(run.stdout)["files"]
    return files


def without_names(entry: dict[str, Any]) -> str:
    """A file's entry with the file name blanked, as canonical text."""
    entry = {**entry, "file": ""}
    for finding in entry["findings"]:
        finding.pop("file", None)
        finding.pop("fingerprint", None)
    return json.dumps(entry, ensure_ascii=False, sort_keys=True)


def test_cli_json_output_is_the_same_for_every_encoding(tmp_path: Path) -> None:
    paths = [save(tmp_path, f"{name}.json", encode(TEXT)) for name, encode in ENCODINGS.items()]
    paths.append(save(tmp_path, "crlf.json", TEXT.replace("\n", "\r\n").encode("utf-8")))
    entries = cli_json(*paths)
    assert [e["file"] for e in entries] == [str(p) for p in paths]
    assert all(e["error"] is None and e["findings"] for e in entries)
    first = without_names(entries[0])
    assert all(without_names(e) == first for e in entries[1:])
