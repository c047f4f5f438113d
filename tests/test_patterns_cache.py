"""Regular expressions kept compiled in the signed cache (evalcheck.engine.patterns, #18).

The cache may only change how fast a pattern is made, never what it is: a record is written
only when it rebuilds a pattern equal to re's, and an entry that is not exactly what was
written (signature, types, bounds, group tables, code the engine refuses) is skipped.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import HANG_SECONDS

from evalcheck.engine import cache, patterns

ROOT = Path(__file__).resolve().parents[1]
needs_engine = pytest.mark.skipif(patterns._engine() is None, reason="Python < 3.11")

PROBES = [
    (r"(?P<年>\d{4})年(?P<月>\d{1,2})月", 0, "2023年12月 和 2024年1月"),
    (r"^\s*[一二三四五六七八九十]+[、.．]", re.MULTILINE, "一、总体\n  二．目标\n三"),
    (r"预算(?:执行)?率", re.IGNORECASE, "预算执行率 预算率 预算"),
    (r"[\s\u3000]+$", 0, "末尾空白　 "),
]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("EVALCHECK_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(patterns, "_records", {})
    monkeypatch.setattr(patterns, "_left", set())
    re.purge()
    yield tmp_path
    re.purge()  # nothing a test loaded stays in re's cache


def entry_path(folder: Path) -> Path:
    assert patterns._engine() is not None
    return folder / f"{patterns._key(patterns._engine()[0])}.json"


def stored(folder: Path) -> dict[str, Any]:
    value = cache.read(patterns._key(patterns._engine()[0]))  # type: ignore[index]
    assert isinstance(value, dict)
    return value


def compile_probes() -> list[re.Pattern[str]]:
    return [re.compile(pattern, flags) for pattern, flags, _ in PROBES]


def fresh_process() -> None:
    """What a new process starts with: nothing loaded, nothing in re's cache."""
    patterns._records.clear()
    patterns._left.clear()
    re.purge()


@needs_engine
def test_saved_patterns_come_back_equal_and_match_the_same(folder: Path) -> None:
    compiled = compile_probes()
    patterns.save()
    held = {record[0] for record in stored(folder)["patterns"]}
    assert {pattern for pattern, _, _ in PROBES} <= held
    fresh_process()
    assert patterns.load() >= len(PROBES)
    for (pattern, flags, text), original in zip(PROBES, compiled, strict=True):
        loaded = re.compile(pattern, flags)  # served from re's cache, as filled by load()
        assert loaded is not original  # rebuilt in this "process", not the old object
        assert loaded == original  # same text, flags and compiled code
        assert (loaded.flags, loaded.groups, loaded.groupindex) == (
            original.flags,
            original.groups,
            original.groupindex,
        )
        assert [m.span() for m in loaded.finditer(text)] == [
            m.span() for m in original.finditer(text)
        ]
        assert [m.groupdict() for m in loaded.finditer(text)] == [
            m.groupdict() for m in original.finditer(text)
        ]


@needs_engine
def test_nothing_is_written_again_while_no_new_pattern_is_compiled(folder: Path) -> None:
    compile_probes()
    re.compile("[\ud800-\udfff]")  # a lone surrogate: cannot be written, left to re
    patterns.save()
    path = entry_path(folder)
    first = path.stat().st_mtime_ns
    fresh_process()
    patterns.load()
    compile_probes()
    re.compile("[\ud800-\udfff]")
    path.unlink()
    patterns.save()  # everything known: no write (the entry is not made again)
    assert not path.exists()
    re.compile("新的模式")
    patterns.save()
    assert path.exists() and path.stat().st_mtime_ns >= first
    held = [record[0] for record in stored(folder)["patterns"]]
    assert "新的模式" in held and r"预算(?:执行)?率" in held
    assert "[\ud800-\udfff]" not in held


@needs_engine
def test_an_entry_with_a_wrong_signature_is_not_loaded(folder: Path) -> None:
    compile_probes()
    patterns.save()
    path = entry_path(folder)
    data = path.read_bytes()
    signature, _, body = data.partition(b"\n")
    path.write_bytes(signature + b"\n" + body.replace("预算".encode(), "决算".encode()))
    fresh_process()
    assert patterns.load() == 0
    assert re._cache == {}  # type: ignore[attr-defined]


def _forged(folder: Path, change: Any) -> int:
    """Sign an entry whose one record ``change`` altered, as someone holding the key could."""
    compile_probes()
    patterns.save()
    entry = stored(folder)
    record = next(r for r in entry["patterns"] if r[0] == PROBES[0][0])
    change(record)
    entry["patterns"] = [record]
    cache.write(patterns._key(patterns._engine()[0]), entry)  # type: ignore[index]
    fresh_process()
    return patterns.load()


def _set(index: int, value: Any) -> Any:
    def change(record: list[Any]) -> None:
        record[index] = value

    return change


def _code(change: Any) -> Any:
    """Change a record's code words (kept as base64 of their bytes)."""

    def changed(record: list[Any]) -> None:
        words = patterns._decoded(record[3])
        assert words is not None and len(words) > 10
        record[3] = patterns._encoded(change(words))

    return changed


def _base64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


FORGERIES = {
    "code-not-sre": _code(lambda words: [1, 2, 3, 4]),
    "code-jumps-out": _code(lambda words: [*words[:2], 10**6, *words[3:]]),
    "code-truncated": _code(lambda words: words[: len(words) // 2]),
    "code-too-long": _code(lambda words: words * (patterns.MAX_CODE // len(words) + 1)),
    "code-as-numbers": lambda r: r.__setitem__(3, patterns._decoded(r[3])),  # format 1
    "code-not-base64": lambda r: r.__setitem__(3, r[3][:-4] + "!@#$"),
    "code-loose-base64": lambda r: r.__setitem__(3, r[3][:8] + "\n" + r[3][8:]),
    "code-partial-word": lambda r: r.__setitem__(3, _base64(b"\x01\x00\x00")),
    "code-not-text": _set(3, 12),
    "pattern-not-text": _set(0, 12),
    "flags-not-int": _set(1, "0"),
    "debug-flag": _set(1, int(re.DEBUG)),
    "flags-lose-requested": _set(2, 0),
    "groups-disagree": _set(4, 5),
    "group-name-moved": lambda r: r.__setitem__(5, {"年": 2, "月": 1}),
    "group-table-short": lambda r: r.__setitem__(6, r[6][:1]),
    "group-extra-name": lambda r: r.__setitem__(6, [None, "年", "月", "日"]),
    "record-too-short": lambda r: r.pop(),
    "record-too-long": lambda r: r.append(0),
}


@needs_engine
@pytest.mark.parametrize("change", FORGERIES.values(), ids=FORGERIES.keys())
def test_a_signed_record_that_is_not_valid_is_skipped(folder: Path, change: Any) -> None:
    assert _forged(folder, change) == 0
    assert re._cache == {}  # type: ignore[attr-defined]
    pattern, flags, text = PROBES[0]
    assert re.compile(pattern, flags).findall(text) == [("2023", "12"), ("2024", "1")]


@needs_engine
def test_entries_of_another_shape_are_misses(folder: Path) -> None:
    key = patterns._key(patterns._engine()[0])  # type: ignore[index]
    for value in (
        [],
        {"patterns": []},
        {"patterns": {}, "left": []},
        {"patterns": [[]] * (patterns.MAX_PATTERNS + 1), "left": []},
        {"patterns": [None, "x", [1]], "left": [None, ["a"], ["a", "0"]]},
        {"patterns": [], "left": [], "more": 1},
    ):
        cache.write(key, value)
        fresh_process()
        assert patterns.load() == 0


def test_the_entry_is_keyed_by_the_interpreter_and_the_regex_engine() -> None:
    class Engine:
        MAGIC = 20221023
        CODESIZE = 4

    class Other(Engine):
        MAGIC = 20230612

    assert patterns._key(Engine()) != patterns._key(Other())
    assert patterns._key(Engine()) == patterns._key(Engine())


@needs_engine
def test_the_command_line_stores_and_reuses_its_patterns(tmp_path: Path) -> None:
    # on an interpreter the shipped patterns are not for (EVALCHECK_NO_SHIPPED: as if)
    environment = {
        "EVALCHECK_CACHE_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
        "EVALCHECK_NO_SHIPPED": "1",
    }
    program = "from evalcheck.cli import main\nmain()\n"
    sample = str(ROOT / "samples" / "shaoyang-beita-2023.json")
    probe = (
        "import re, sys\nfrom evalcheck.engine import patterns\n"
        "print(patterns.load(), len(re._cache))\n"
    )
    runs = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", program, sample],
            capture_output=True,
            cwd=ROOT,
            env=environment,
            timeout=HANG_SECONDS,
        )
        runs.append((done.returncode, done.stdout, done.stderr))
    assert runs[0] == runs[1]
    assert runs[0][0] == 1 and b"EC103" in runs[0][1] and runs[0][2] == b""
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        timeout=HANG_SECONDS,
    )
    loaded, held = map(int, done.stdout.split())
    assert loaded > 100 and held >= loaded  # importing evalcheck compiles a few itself
    body = json.loads(
        (tmp_path / f"{patterns._key(patterns._engine()[0])}.json")
        .read_text(encoding="utf-8")
        .partition("\n")[2]
    )  # type: ignore[index]
    assert len(body["patterns"]) >= loaded


@needs_engine
def test_with_the_shipped_patterns_the_command_line_leaves_the_cache_alone(
    tmp_path: Path,
) -> None:
    environment = {"EVALCHECK_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    program = (
        "import sys\nfrom evalcheck.cli import main\ntry:\n    main()\nexcept SystemExit:\n"
        "    print(sorted(m for m in ('hashlib', 'hmac', 'evalcheck.engine.cache')"
        " if m in sys.modules), file=sys.stderr)\n"
    )
    sample = str(ROOT / "samples" / "shaoyang-beita-2023.json")
    done = subprocess.run(
        [sys.executable, "-c", program, sample],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        timeout=HANG_SECONDS,
    )
    assert "EC103" in done.stdout
    assert done.stderr == "[]\n"  # neither the cache nor its signing imported
    assert list(tmp_path.iterdir()) == []  # nothing read, nothing written, no key made
