"""Issue #5, JSONTestSuite through the CLI: every file refused cleanly or checked, never a crash.

tests/test_load.py runs the suite through :func:`evalcheck.load.load_path`; here every file goes
through ``evalcheck --format json`` (a few CLI runs over many files each, in parallel), and a
subset runs one file per process to check the exit code, the one-line stderr, time and memory.

* ``n_`` (must be refused): exit 2, ``file:line:col: 错误 <Chinese reason>``.
* ``y_`` (valid JSON): checked, or refused because a report's top level must be an object or a
  list of objects (or
  because duplicate keys would hide a figure).
* ``i_`` (parsers may choose): the behaviour documented per family in docs/limits.md, for the
  file as it is and wrapped in ``{"x": …}`` so the family's own content is what gets tested.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from conftest import HANG_SECONDS

ROOT = Path(__file__).resolve().parents[1]
SUITE = Path(__file__).resolve().parent / "data/JSONTestSuite/test_parsing"
FILES = sorted(SUITE.glob("*.json"))

CJK = re.compile("[\u4e00-\u9fff]")
TOP_LEVEL = "报告的顶层必须是一个对象（{…}）"  # or a list of objects
DUPLICATE = "重复的键"
UNKNOWN_ENCODING = "无法识别文件编码（不是 UTF-8、UTF-16 或 GB18030）"
BROKEN_UTF8 = "文件不是有效的 UTF-8 编码"
CHECKED = ""  # expectation: checked (exit 0 or 1)

# The i_ families: (file name pattern, as the file is, wrapped in {"x": …}).
I_FAMILIES: list[tuple[str, str, str]] = [
    # An exponent beyond Decimal's own range is refused at load; anything else is kept exactly.
    (r"i_number_huge_exp", "数值超出可处理范围", "数值超出可处理范围"),
    (r"i_number_", TOP_LEVEL, CHECKED),
    # Lone or broken surrogate escapes become U+FFFD (a lone surrogate cannot be printed).
    (r"i_object_key_lone_2nd_surrogate", CHECKED, CHECKED),
    (
        r"i_string_(1st_|incomplete_|invalid_lonely|invalid_surrogate|inverted|lone_second)",
        TOP_LEVEL,
        CHECKED,
    ),
    # UTF-16 with or without a BOM is decoded.
    (r"i_string_(UTF-16LE_with_BOM|utf16BE_no_BOM|utf16LE_no_BOM)", TOP_LEVEL, CHECKED),
    # Bytes that are neither UTF-8 nor GB18030 are refused at the first bad byte.
    (
        r"i_string_(UTF8_surrogate_U\+D800|invalid_utf-8|iso_latin_1|lone_utf8_continuation_byte"
        r"|overlong_sequence_6_bytes_null|truncated-utf-8)",
        UNKNOWN_ENCODING,
        UNKNOWN_ENCODING,
    ),
    # UTF-8 text with a damaged byte among valid multi-byte characters is refused as UTF-8.
    (r"i_string_UTF-8_invalid_sequence", BROKEN_UTF8, BROKEN_UTF8),
    # Invalid UTF-8 with no valid multi-byte character at all that GB18030 reads is GB18030.
    (
        r"i_string_(not_in_unicode_range|overlong_sequence_2_bytes|overlong_sequence_6_bytes)",
        TOP_LEVEL,
        CHECKED,
    ),
    (
        r"i_structure_500_nested_arrays",
        "嵌套层数过深（超过 200 层）",
        "嵌套层数过深（超过 200 层）",
    ),
    (r"i_structure_UTF-8_BOM_empty_object", CHECKED, CHECKED),
]
# Valid JSON a report still must not contain: duplicate keys hide a figure.
REFUSED_VALID = {"y_object_duplicated_key.json", "y_object_duplicated_key_and_value.json"}


def i_family(name: str) -> tuple[str, str]:
    for pattern, plain, wrapped in I_FAMILIES:
        if re.match(pattern, name):
            return plain, wrapped
    raise AssertionError(f"{name}: no documented i_ family")


def wrap(raw: bytes) -> bytes:
    """``{"x": <file>}`` in the file's own encoding (BOM kept in front)."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                       (b"\xfe\xff", "utf-16-be")):  # fmt: skip
        if raw.startswith(bom):
            return bom + '{"x": '.encode(codec) + raw[len(bom) :] + "}".encode(codec)
    codec = "utf-8"
    if len(raw) >= 2 and (raw[0] == 0) != (raw[1] == 0):
        codec = "utf-16-be" if raw[0] == 0 else "utf-16-le"
    return '{"x": '.encode(codec) + raw + "}".encode(codec)


def cli(*args: str) -> tuple[int, str, str, float]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "evalcheck", *args],
        capture_output=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "NO_COLOR": "1"},
    )
    return (
        done.returncode,
        done.stdout.decode("utf-8", errors="replace"),
        done.stderr.decode("utf-8", errors="replace"),
        time.perf_counter() - started,
    )


def batch_results(paths: list[Path]) -> dict[str, dict[str, Any]]:
    """``--format json`` over every path, four CLI runs two at a time; entry per file name,
    with ``stderr`` set to the file's own one-line error from the run's stderr."""
    chunks = [paths[i::4] for i in range(4)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda c: cli("--format", "json", *map(str, c)), chunks))
    results: dict[str, dict[str, Any]] = {}
    for chunk, (code, stdout, stderr, _) in zip(chunks, runs, strict=True):
        assert "Traceback" not in stdout + stderr and "内部错误" not in stdout + stderr
        assert code in (0, 1, 2)
        files = json.loads(stdout)["files"]
        assert [f["file"] for f in files] == [str(p) for p in chunk]
        errors = stderr.splitlines()
        for path, entry in zip(chunk, files, strict=True):
            mine = [e for e in errors if e.startswith(f"{path}:")]
            results[Path(entry["file"]).name] = {**entry, "stderr": mine}
    return results


@pytest.fixture(scope="module")
def plain() -> dict[str, dict[str, Any]]:
    return batch_results(FILES)


@pytest.fixture(scope="module")
def wrapped(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("wrapped")
    paths = []
    for path in FILES:
        if path.name.startswith("i_"):
            paths.append(folder / path.name)
            paths[-1].write_bytes(wrap(path.read_bytes()))
    return batch_results(paths)


def assert_refused(entry: dict[str, Any], reason: str) -> None:
    error = entry["error"]
    assert error is not None, f"{entry['file']} was checked, expected refusal: {reason}"
    assert error["line"] >= 1 and error["column"] >= 1
    assert CJK.search(error["message"]), error["message"]
    assert error["message"].startswith(reason), error["message"]
    line = f"{entry['file']}:{error['line']}:{error['column']}: "
    assert len(entry["stderr"]) == 1 and entry["stderr"][0].startswith(line), entry["stderr"]


def assert_expected(entry: dict[str, Any], expected: str) -> None:
    if expected == CHECKED:
        assert entry["error"] is None, entry["error"]
        assert entry["stderr"] == []
    else:
        assert_refused(entry, expected)


@pytest.mark.parametrize("name", [p.name for p in FILES], ids=[p.stem for p in FILES])
def test_every_file_is_refused_cleanly_or_checked(
    name: str, plain: dict[str, dict[str, Any]]
) -> None:
    entry = plain[name]
    if name.startswith("n_"):
        assert_refused(entry, "")
    elif name.startswith("y_"):
        if entry["error"] is not None:
            assert_refused(entry, DUPLICATE if name in REFUSED_VALID else TOP_LEVEL)
    else:
        assert_expected(entry, i_family(name)[0])


I_FILES = [p.name for p in FILES if p.name.startswith("i_")]


@pytest.mark.parametrize("name", I_FILES, ids=[n[:-5] for n in I_FILES])
def test_i_family_content_inside_a_report(name: str, wrapped: dict[str, dict[str, Any]]) -> None:
    assert_expected(wrapped[name], i_family(name)[1])


# --- one file per process: exit code, the exact stderr line, time and memory ---------------------

ONE_BY_ONE = sorted(
    {*FILES[::12], *(p for p in FILES if "100000_opening" in p.name or "500_nested" in p.name)}
)


@pytest.fixture(scope="module")
def one_by_one() -> dict[str, tuple[int, str, str, float]]:
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = pool.map(lambda p: cli(str(p)), ONE_BY_ONE)
        return {p.name: run for p, run in zip(ONE_BY_ONE, runs, strict=True)}


@pytest.mark.parametrize("path", ONE_BY_ONE, ids=[p.stem for p in ONE_BY_ONE])
def test_one_file_per_process(
    path: Path,
    plain: dict[str, dict[str, Any]],
    one_by_one: dict[str, tuple[int, str, str, float]],
) -> None:
    code, stdout, stderr, seconds = one_by_one[path.name]
    assert "Traceback" not in stdout + stderr and "内部错误" not in stdout + stderr
    assert seconds < HANG_SECONDS  # a hang guard, not a speed test
    error = plain[path.name]["error"]
    if error is None:
        assert code in (0, 1) and stderr == ""
    else:
        assert code == 2
        assert stderr == f"{path}:{error['line']}:{error['column']}: 错误 {error['message']}\n"
    if path.name.startswith("n_"):
        assert code == 2


def test_the_deepest_file_is_in_the_subset() -> None:
    assert any(p.name == "n_structure_100000_opening_arrays.json" for p in ONE_BY_ONE)
