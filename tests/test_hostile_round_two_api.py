"""Issue #12 through the API: the pieces the command-line cases of round two rely on.

tests/test_hostile_round_two.py runs each break through ``python -m evalcheck``; these tests pin
the building blocks (the opener, the walker, the writer, the escaper, the cache's checks, the
evaluation budget) directly, including what the command line cannot reach cheaply (a run's
budget of 20 million evaluations).
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

from evalcheck.engine import cache
from evalcheck.engine.pack import _Stale, _trusted, builtin_rules_dir, load_packs
from evalcheck.engine.run import Budget
from evalcheck.inputs import load_bytes
from evalcheck.inputs.escape import file_name, json_safe, visible, visible_lines
from evalcheck.inputs.files import Inputs, atomic_write, read_file, walk
from evalcheck.inputs.source import LoadError
from evalcheck.runner.checker import Checker

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples/shaoyang-beita-2023.json"


# --- the opener -----------------------------------------------------------------------------------


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "f.json"
    os.mkfifo(fifo)
    with pytest.raises(LoadError, match="命名管道"):
        read_file(str(fifo))


def test_a_device_is_refused_and_a_size_cap_holds(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="字符设备"):
        read_file("/dev/zero")
    big = tmp_path / "big"
    big.write_bytes(b"x" * 2000)
    with pytest.raises(LoadError, match="文件过大"):
        read_file(str(big), 1000)
    assert read_file(str(big), 2000) == b"x" * 2000


# --- the walker -----------------------------------------------------------------------------------


def test_a_walk_is_iterative_sorted_and_bounded(tmp_path: Path) -> None:
    deep = str(tmp_path / "top")
    os.mkdir(deep)
    for _ in range(1100):
        deep = os.path.join(deep, "d")
        os.mkdir(deep)
    Path(deep, "r.json").write_text("{}", encoding="utf-8")
    Path(tmp_path / "top" / "b.json").write_text("{}", encoding="utf-8")
    Path(tmp_path / "top" / "a.json").write_text("{}", encoding="utf-8")
    found = walk(str(tmp_path / "top"), lambda n: n.endswith(".json"))
    assert [Path(p).name for p in found] == ["a.json", "b.json", "r.json"]
    with pytest.raises(LoadError, match="过多"):
        walk(str(tmp_path / "top"), lambda n: True, limit=10)
    while deep != str(tmp_path / "top"):  # shutil.rmtree recurses: remove bottom-up
        for entry in os.listdir(deep):
            os.unlink(os.path.join(deep, entry))
        os.rmdir(deep)
        deep = os.path.dirname(deep)


# --- the writer -----------------------------------------------------------------------------------


def test_a_failed_write_leaves_the_target_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_write(target) as stream:
        stream.write("half of the new text")
        raise RuntimeError("the run fails halfway")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]  # no temporary file left
    with atomic_write(target) as stream:
        stream.write("new\n")
    assert target.read_text(encoding="utf-8") == "new\n"


def test_an_input_is_recognised_by_path_or_inode(tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    report.write_text("{}", encoding="utf-8")
    os.link(report, tmp_path / "hard.json")
    (tmp_path / "soft.json").symlink_to(report)
    inputs = Inputs()
    inputs.add([report])
    assert inputs.clash(tmp_path / "hard.json") == str(report)
    assert inputs.clash(tmp_path / "soft.json") == str(report)
    assert inputs.clash(tmp_path / "sub" / ".." / "r.json") == str(report)
    assert inputs.clash(tmp_path / "other.json") is None


# --- the escaper ----------------------------------------------------------------------------------


def test_the_escaper_shows_every_control_character() -> None:
    assert visible("a\x1b]0;x\x07\x1b[2J\rb\nc\td") == "a\\x1b]0;x\\x07\\x1b[2J\\rb\\nc\td"
    assert visible("\u202eabc\u2028") == "\\u202eabc\\u2028"
    assert visible(os.fsdecode(b"\xff\xfe.json")) == "\\xff\\xfe.json"
    assert visible_lines("一\n二\x1b") == "一\n二\\x1b"
    assert (
        visible("部门整体支出绩效自评报告") == "部门整体支出绩效自评报告"
    )  # unchanged, same object


def test_json_stays_json_and_utf8() -> None:
    document = json_safe(
        json.dumps({"file": os.fsdecode(b"\xff.json"), "x": "\x85"}, ensure_ascii=False)
    )
    document.encode("utf-8")  # no lone surrogate left
    assert json.loads(document) == {"file": os.fsdecode(b"\xff.json"), "x": "\x85"}
    assert file_name(os.fsdecode(b"\xff.json")) == "\\xff.json"


# --- YAML numbers and aliases ---------------------------------------------------------------------


def test_base60_is_exact_and_overflow_is_refused() -> None:
    assert load_bytes(b"a: 1:30\nb: -2:00:00\n", "r.yaml", "yaml").data == {
        "a": Decimal(90),
        "b": Decimal(-7200),
    }
    for text in ("a: !!int 1e999999:0\n", "a: 1" + ":00" * 1000 + "\n"):
        with pytest.raises(LoadError, match="读作数值"):
            load_bytes(text.encode(), "r.yaml", "yaml")


def test_aliases_are_bounded_by_the_bytes_they_add() -> None:
    text = 'a: &a "' + "x" * 100_000 + '"\nb: [' + ", ".join(["*a"] * 200) + "]\n"
    with pytest.raises(LoadError, match="别名展开过大") as caught:
        load_bytes(text.encode(), "r.yaml", "yaml")
    assert caught.value.line == 2


# --- the rule cache -------------------------------------------------------------------------------


def _specs() -> dict[str, object]:
    os.environ["EVALCHECK_NO_SHIPPED"] = "1"  # compiled and cached, not rebuilt (test_ship.py)
    try:
        rules = load_packs([builtin_rules_dir() / "scores.yaml"])
    finally:
        del os.environ["EVALCHECK_NO_SHIPPED"]
    assert rules
    folder = Path(os.environ["EVALCHECK_CACHE_DIR"])
    for entry in folder.glob("*.json"):
        body = entry.read_bytes().partition(b"\n")[2]
        value = json.loads(body, object_hook=cache._decode)
        # the cache also keeps compiled regular expressions (engine/patterns.py): not a pack
        if isinstance(value, dict) and any(r["id"] == rules[0].id for r in value.get("rules", [])):
            return value
    raise AssertionError("the built-in pack was not cached")


def test_a_cached_spec_is_checked_against_every_limit() -> None:
    value = _specs()
    _pack, specs = _trusted(value)
    assert specs == value["rules"]
    for change in (
        {"for_each": {name: [str(n) for n in range(50)] for name in "abcd"}},
        {"tolerance": Decimal("-1")},
        {"tolerance": "0.5"},
        {"title": "x" * 81},
        {"severity": "fatal"},
        {"params": {"x": Decimal("NaN")}},
        {"examples": []},
    ):
        broken = dict(value, rules=[dict(value["rules"][0], **change)])
        with pytest.raises(_Stale):
            _trusted(broken)


def test_an_entry_without_a_valid_signature_is_a_miss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVALCHECK_CACHE_DIR", str(tmp_path))
    cache.write("k", {"a": Decimal("1.5")})
    assert cache.read("k") == {"a": Decimal("1.5")}
    entry = tmp_path / "k.json"
    signature, _, body = entry.read_bytes().partition(b"\n")
    entry.write_bytes(signature + b"\n" + body.replace(b"1.5", b"2.5"))
    assert cache.read("k") is None
    entry.write_bytes(b"0" * 64 + b"\n" + body)
    assert cache.read("k") is None
    cache.write("big", "x" * (cache.MAX_ENTRY_BYTES + 1))
    assert not (tmp_path / "big.json").exists()


# --- the evaluation budget ------------------------------------------------------------------------


def test_a_run_budget_refuses_the_reports_past_it() -> None:
    counted = Budget(10**9, 10**9, allowance=0)
    Checker(budget=counted).check_path(SAMPLE)
    needed = 10**9 - counted.left  # the sample's evaluations (about 300)
    assert 0 < needed < 1000
    checker = Checker(budget=Budget(needed + 10, needed + 10, allowance=0))
    first = checker.check_path(SAMPLE)
    assert first.error is None
    second = checker.check_path(SAMPLE)
    assert second.error is not None
    assert f"本次运行的规则计算次数已达上限（{needed + 10} 次）" in second.error.message


def test_each_report_adds_its_allowance_to_the_run_budget() -> None:
    counted = Budget(10**9, 10**9, allowance=0)
    Checker(budget=counted).check_path(SAMPLE)
    needed = 10**9 - counted.left
    # a budget that alone holds one report: with an allowance of one report's need, any number
    # of reports pass (a folder of 100,000 ran out after 27,746 before)
    checker = Checker(budget=Budget(needed + 10, needed + 10, allowance=needed))
    results = [checker.check_path(SAMPLE) for _ in range(5)]
    assert [r.error for r in results] == [None] * 5
    assert checker.budget.limit == needed + 10 + 5 * needed


def test_a_temporary_file_a_killed_run_left_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run killed while writing a cache entry leaves ``.<key>.json.<random>.tmp`` behind."""
    monkeypatch.setenv("EVALCHECK_CACHE_DIR", str(tmp_path))
    cache.write("first", {"a": 1})
    left = tmp_path / ".second.json.abc123.tmp"
    left.write_bytes(b"x" * 1000)
    os.utime(left, (0, 0))  # long ago
    fresh = tmp_path / ".third.json.def456.tmp"
    fresh.write_bytes(b"x")  # another run may be writing it right now
    cache.write("second", {"a": 2})
    assert not left.exists() and fresh.exists()
