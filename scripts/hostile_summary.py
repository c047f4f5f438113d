"""Run every hostile corpus through the CLI and print one summary figure (issue #5).

    python scripts/hostile_summary.py            # everything (a few minutes on 2 cores)
    python scripts/hostile_summary.py --quick    # a sample of each corpus (seconds)

Corpora: JSONTestSuite's test_parsing files, tests/hostile/rules/*.yaml (each with ``--rules``
on a sample report), the resource bombs below, and random mutations of the sample reports.
Each input is classified from the exit code and output of ``python -m evalcheck``:

* refused: exit 2 with a message and no traceback;
* checked: exit 0 or 1;
* crash: a traceback, the CLI's "内部错误" guard, a signal, or any other exit code;
* hang: still running after the time limit (then killed).

Peak memory is the child's ``VmHWM``, polled while it runs.  The bomb makers are shared with
tests/test_hostile_bombs.py, which asserts what each bomb must produce.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = [ROOT / "samples/shaoyang-beita-2023.json", ROOT / "samples/shaoyang-beita-2023.yaml"]
SAMPLE = SAMPLES[0]
JSON_SUITE = ROOT / "tests/data/JSONTestSuite/test_parsing"
RULE_CORPUS = ROOT / "tests/hostile/rules"
TIME_LIMIT = 60.0  # seconds before a run counts as a hang
BATCH = 40  # files per CLI run for the JSONTestSuite and mutation corpora


# --------------------------------------------------------------------------- measured runs


@dataclass(frozen=True)
class Measured:
    """One finished (or killed) run of the CLI."""

    code: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_mb: float
    timed_out: bool

    @property
    def crashed(self) -> bool:
        output = self.stdout + self.stderr
        return not self.timed_out and (
            self.code not in (0, 1, 2) or "Traceback" in output or "内部错误" in output
        )


def run_cli(args: list[str], *, cwd: Path | None = None, timeout: float = TIME_LIMIT) -> Measured:
    """``python -m evalcheck ARGS`` with its wall time and peak RSS (``os.wait4``)."""
    env = {**os.environ, "NO_COLOR": "1"}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "evalcheck", *args],
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            cwd=cwd or ROOT,
            env=env,
        )
        timed_out = False
        peak_kb = 0
        while True:
            peak_kb = max(peak_kb, _high_water_kb(process.pid))
            pid, status, _ = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > timeout:
                timed_out = True
                process.kill()
                pid, status, _ = os.wait4(process.pid, 0)
                break
            time.sleep(0.005)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        return Measured(
            process.returncode,
            out.read().decode("utf-8", errors="replace"),
            err.read().decode("utf-8", errors="replace"),
            seconds,
            peak_kb / 1024,
            timed_out,
        )


def _high_water_kb(pid: int) -> int:
    """Peak resident memory of a running process (``VmHWM``), 0 once it has exited.

    ``ru_maxrss`` from ``wait4`` would be simpler, but Linux carries the parent's peak into a
    child at ``exec``: a child of a test process that built a 50 MB report "used" 250 MB.
    """
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


# --------------------------------------------------------------------------- bombs


def _laughs(indent: str, first: str) -> str:
    lines = [f'{first}a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{indent}{level}: &{level} [{', '.join([f'*{previous}'] * 9)}]")
    return "\n".join(lines) + "\n"


def _sample_data() -> dict[str, object]:
    data: dict[str, object] = json.loads(SAMPLE.read_text(encoding="utf-8"))
    return data


def _write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _with(folder: Path, name: str, key: str, literal: str) -> Path:
    """The sample with one top-level value replaced by a literal JSON text."""
    text = json.dumps(_sample_data(), ensure_ascii=False, indent=1)
    old = f'"{key}": ' + json.dumps(_sample_data()[key], ensure_ascii=False)
    assert old in text, key
    path = folder / name
    path.write_text(text.replace(old, f'"{key}": {literal}', 1), encoding="utf-8")
    return path


def bomb_yaml_laughs_report(folder: Path) -> list[str]:
    path = folder / "laughs.yaml"
    path.write_text("单位名称: 测试\n附件:\n" + _laughs("  ", "  "), encoding="utf-8")
    return [str(path)]


def bomb_yaml_laughs_rules(folder: Path) -> list[str]:
    rules = folder / "laughs-rules.yaml"
    rules.write_text("pack: laughs\n" + _laughs("", "") + "rules: [*i]\n", encoding="utf-8")
    return ["--rules", str(rules), str(SAMPLE)]


def bomb_json_deep(folder: Path) -> list[str]:
    path = folder / "deep.json"
    path.write_text('{"附件": ' + "[" * 10_000 + "]" * 10_000 + "}", encoding="utf-8")
    return [str(path)]


def bomb_json_deep_unclosed(folder: Path) -> list[str]:
    path = folder / "deep-open.json"
    path.write_text("[" * 100_000, encoding="utf-8")
    return [str(path)]


def bomb_yaml_deep(folder: Path) -> list[str]:
    path = folder / "deep.yaml"
    path.write_text("附件: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n", encoding="utf-8")
    return [str(path)]


def bomb_report_50mb(folder: Path) -> list[str]:
    """A valid report whose 正文 holds 50 MB of prose (figures included)."""
    data = _sample_data()
    sections = data["正文"]
    assert isinstance(sections, list)
    size = len(json.dumps(sections, ensure_ascii=False).encode("utf-8"))
    data["正文"] = sections * (50_000_000 // size + 1)
    return [str(_write_json(folder / "huge.json", data))]


def bomb_string_10m(folder: Path) -> list[str]:
    data = _sample_data()
    data["单位名称"] = "中" * 10_000_000
    return [str(_write_json(folder / "long-string.json", data))]


def bomb_prose_10m(folder: Path) -> list[str]:
    """Ten million characters of prose in one 正文 section, no figures in it."""
    data = _sample_data()
    data["正文"] = [{"标题": "一、部门概况", "内容": "本部门严格执行预算管理制度" * 770_000}]
    return [str(_write_json(folder / "long-prose.json", data))]


def bomb_prose_figures(folder: Path) -> list[str]:
    """One 正文 section with 20,000 stated figures (each one is read and cross-checked)."""
    data = _sample_data()
    data["正文"] = [{"标题": "一、部门概况", "内容": "实际在职人数19人，支出586.88万元。" * 10_000}]
    return [str(_write_json(folder / "many-figures.json", data))]


def bomb_long_line(folder: Path) -> list[str]:
    """The whole report on one 12 MB line: every finding's code frame is that line."""
    data = _sample_data()
    data["附件"] = "字" * 4_000_000
    path = folder / "one-line.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return [str(path)]


def bomb_number_10000_digits(folder: Path) -> list[str]:
    return [str(_with(folder, "digits.json", "自评分数", "9" * 10_000))]


def bomb_exponent(folder: Path) -> list[str]:
    return [str(_with(folder, "exponent.json", "自评分数", "1e999999999"))]


def bomb_nan(folder: Path) -> list[str]:
    return [str(_with(folder, "nan.json", "自评分数", "NaN"))]


def bomb_infinity(folder: Path) -> list[str]:
    return [str(_with(folder, "infinity.json", "自评分数", "-Infinity"))]


def bomb_deep_rule_expression(folder: Path) -> list[str]:
    rules = folder / "deep-rule.yaml"
    rules.write_text(
        "rules:\n  - id: H100\n    name: deep\n    title: 深\n    severity: error\n"
        f"    check: '{'abs(' * 30}自评分数{')' * 30} >= 0'\n"
        "    message: 测试\n    explain: 依据：无。\n    examples:\n"
        "      - {name: a, expect: pass, report: {}}\n      - {name: b, expect: fail, report: {}}\n",
        encoding="utf-8",
    )
    return ["--rules", str(rules), str(SAMPLE)]


def indicator_rows(count: int) -> dict[str, object]:
    """The sample with ``count`` indicator rows (its own rows repeated, findings and all)."""
    data = _sample_data()
    groups = data["绩效指标"]
    assert isinstance(groups, list)
    rows = [row for group in groups for row in group["指标"]]
    groups[0]["指标"] = (rows * (count // len(rows) + 1))[:count]
    for group in groups[1:]:
        group["指标"] = []
    return data


def bomb_rows_100k(folder: Path) -> list[str]:
    path = _write_json(folder / "rows.json", indicator_rows(100_000))
    return ["--format", "json", str(path)]


BOMBS: dict[str, Callable[[Path], list[str]]] = {
    "yaml-billion-laughs-report": bomb_yaml_laughs_report,
    "yaml-billion-laughs-rules": bomb_yaml_laughs_rules,
    "json-10000-deep": bomb_json_deep,
    "json-100000-open-brackets": bomb_json_deep_unclosed,
    "yaml-10000-deep": bomb_yaml_deep,
    "report-50-mb": bomb_report_50mb,
    "string-10-million": bomb_string_10m,
    "prose-10-million": bomb_prose_10m,
    "prose-20000-figures": bomb_prose_figures,
    "one-12-mb-line": bomb_long_line,
    "number-10000-digits": bomb_number_10000_digits,
    "exponent-1e999999999": bomb_exponent,
    "json-nan": bomb_nan,
    "json-infinity": bomb_infinity,
    "deep-rule-expression": bomb_deep_rule_expression,
    "indicator-rows-100000": bomb_rows_100k,
}


# --------------------------------------------------------------------------- mutations


def mutate(text: str, rng: random.Random) -> str:
    """One random edit of a report's text: a figure, a key, a type, junk, or a cut."""
    kind = rng.randrange(7)
    at = rng.randrange(len(text) + 1)
    if kind == 0:  # change a digit
        digits = [i for i, c in enumerate(text) if c.isdigit()]
        i = rng.choice(digits)
        return text[:i] + str(rng.randrange(10)) + text[i + 1 :]
    if kind == 1:  # delete a line (a key, or half of a structure)
        lines = text.split("\n")
        del lines[rng.randrange(len(lines))]
        return "\n".join(lines)
    if kind == 2:  # swap a value's type
        swaps = ['"x"', "[]", "{}", "null", "true", "-1", '"５８６．８８万元"', '"——"', "1e400"]
        i = text.find(": ", at)
        if i < 0:
            return text
        j = min((k for k in (text.find(",", i), text.find("\n", i)) if k >= 0), default=i + 2)
        return text[: i + 2] + rng.choice(swaps) + text[j:]
    if kind == 3:  # insert junk bytes (as text: lone control characters, BOMs, quotes)
        junk = rng.choice(["\x00", "\ufeff", '"', "\\", "{", "]", "\u3000", "\x1b[2J", "\ud800"])
        return text[:at] + junk * rng.randint(1, 3) + text[at:]
    if kind == 4:  # truncate
        return text[:at]
    if kind == 5:  # duplicate a line (duplicate keys)
        lines = text.split("\n")
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
        return "\n".join(lines)
    return text[:at] + text[at:].replace("，", ",", 1)  # a full-width comma made ASCII


def mutations(folder: Path, count: int, seed: int = 5) -> list[Path]:
    rng = random.Random(seed)
    paths = []
    for n in range(count):
        source = SAMPLES[n % len(SAMPLES)]
        text = source.read_text(encoding="utf-8")
        for _ in range(rng.randint(1, 3)):
            text = mutate(text, rng)
        path = folder / f"mutation-{n:04d}{source.suffix}"
        path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
        paths.append(path)
    return paths


# --------------------------------------------------------------------------- the summary


@dataclass
class Tally:
    tried: int = 0
    refused: int = 0
    checked: int = 0
    crashes: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    max_seconds: float = 0.0
    max_seconds_of: str = ""
    max_rss_mb: float = 0.0
    max_rss_of: str = ""

    def add(self, name: str, run: Measured, inputs: int = 1, outcomes: list[bool] | None = None):
        """``outcomes``: per input of a batch, whether it was refused (else: checked)."""
        self.tried += inputs
        if run.timed_out:
            self.hangs.append(name)
        elif run.crashed:
            self.crashes.append(name)
        elif outcomes is not None:
            self.refused += sum(outcomes)
            self.checked += len(outcomes) - sum(outcomes)
        elif run.code == 2:
            self.refused += inputs
        else:
            self.checked += inputs
        per_input = run.seconds / inputs
        if per_input > self.max_seconds:
            self.max_seconds, self.max_seconds_of = per_input, name
        if run.max_rss_mb > self.max_rss_mb:
            self.max_rss_mb, self.max_rss_of = run.max_rss_mb, name

    def merge(self, other: Tally) -> None:
        self.tried += other.tried
        self.refused += other.refused
        self.checked += other.checked
        self.crashes += other.crashes
        self.hangs += other.hangs
        if other.max_seconds > self.max_seconds:
            self.max_seconds, self.max_seconds_of = other.max_seconds, other.max_seconds_of
        if other.max_rss_mb > self.max_rss_mb:
            self.max_rss_mb, self.max_rss_of = other.max_rss_mb, other.max_rss_of


def run_batch(name: str, paths: list[Path], tally: Tally) -> None:
    """Many report files in one CLI run (``--format json``); a failed batch is split up."""
    run = run_cli(["--format", "json", *map(str, paths)])
    if run.timed_out or run.crashed:
        if len(paths) == 1:
            tally.add(f"{name}:{paths[0].name}", run)
            return
        half = len(paths) // 2
        run_batch(name, paths[:half], tally)
        run_batch(name, paths[half:], tally)
        return
    try:
        files = json.loads(run.stdout)["files"]
        refused = [entry["error"] is not None for entry in files]
        assert len(refused) == len(paths)
    except (ValueError, KeyError, TypeError, AssertionError):
        tally.add(f"{name}: unreadable --format json output", Measured(99, "", "", 0, 0, False))
        return
    tally.add(f"{name}:{paths[0].name}…", run, len(paths), refused)


def _batches(paths: list[Path]) -> Iterator[list[Path]]:
    for start in range(0, len(paths), BATCH):
        yield paths[start : start + BATCH]


def corpus_json_suite(quick: bool) -> Tally:
    tally = Tally()
    if not JSON_SUITE.is_dir():
        return tally
    files = sorted(JSON_SUITE.glob("*.json"))
    if quick:
        files = files[::10]
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda batch: run_batch("JSONTestSuite", batch, tally), _batches(files)))
    return tally


def corpus_rules(quick: bool) -> Tally:
    tally = Tally()
    files = sorted(RULE_CORPUS.glob("*.yaml"))
    if quick:
        files = files[::8]

    def one(path: Path) -> None:
        with tempfile.TemporaryDirectory() as cwd:
            run = run_cli(["--rules", str(path), str(SAMPLE)], cwd=Path(cwd))
            if any(Path(cwd).iterdir()):  # a canary or any other file: the attempt ran
                run = Measured(99, run.stdout, run.stderr + "side effect", run.seconds, 0, False)
        tally.add(f"rules:{path.name}", run)

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(one, files))
    return tally


def corpus_bombs(quick: bool, folder: Path) -> Tally:
    tally = Tally()
    names = [n for n in BOMBS if not quick or n in QUICK_BOMBS]
    for name in names:
        args = BOMBS[name](folder)
        tally.add(f"bomb:{name}", run_cli(args))
        for leftover in folder.iterdir():
            leftover.unlink()
    return tally


QUICK_BOMBS = {"yaml-billion-laughs-report", "json-10000-deep", "number-10000-digits", "json-nan"}


def corpus_mutations(quick: bool, folder: Path) -> Tally:
    tally = Tally()
    paths = mutations(folder, 40 if quick else 400)
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda batch: run_batch("mutations", batch, tally), _batches(paths)))
    return tally


def summarise(quick: bool = False) -> dict[str, Tally]:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        (folder / "bombs").mkdir()
        (folder / "mutations").mkdir()
        return {
            "JSONTestSuite": corpus_json_suite(quick),
            "hostile rules": corpus_rules(quick),
            "resource bombs": corpus_bombs(quick, folder / "bombs"),
            "random mutations": corpus_mutations(quick, folder / "mutations"),
        }


def render(tallies: dict[str, Tally]) -> str:
    total = Tally()
    lines = [
        f"{'corpus':<18}{'tried':>7}{'refused':>9}{'checked':>9}{'crashes':>9}{'hangs':>7}"
        f"{'max s':>8}{'max MB':>8}"
    ]
    for name, tally in [*tallies.items(), ("total", total)]:
        if tally is not total:
            total.merge(tally)
        lines.append(
            f"{name:<18}{tally.tried:>7}{tally.refused:>9}{tally.checked:>9}"
            f"{len(tally.crashes):>9}{len(tally.hangs):>7}{tally.max_seconds:>8.2f}"
            f"{tally.max_rss_mb:>8.0f}"
        )
    lines.append(f"slowest: {total.max_seconds_of} ({total.max_seconds:.2f} s)")
    lines.append(f"largest: {total.max_rss_of} ({total.max_rss_mb:.0f} MB peak RSS)")
    for problem in total.crashes:
        lines.append(f"CRASH: {problem}")
    for problem in total.hangs:
        lines.append(f"HANG: {problem}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a sample of each corpus")
    options = parser.parse_args()
    started = time.perf_counter()
    tallies = summarise(options.quick)
    print(render(tallies))
    print(f"wall time: {time.perf_counter() - started:.0f} s")
    failed = any(t.crashes or t.hangs for t in tallies.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
