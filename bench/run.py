"""Measure evalcheck against its floors and print one markdown report.

Usage: ``python bench/run.py [--quick] [--sizes 1000,5000] [--memory 100000] [--baseline PYTHON]``

Run it with the interpreter evalcheck is installed in (``.venv/bin/python`` after the README set-up): the
``evalcheck`` and ``check-jsonschema`` scripts are looked up next to it.  Every figure is
measured in this one run on this machine; see ``bench/README.md`` for what each one means.

* cold start: one report, a fresh process each time, against ``python -c pass`` (the floor)
  and ``check-jsonschema`` with evalcheck's own schema (a neighbour doing less work);
* batch: ``evalcheck`` over generated reports, against a process that only reads and
  ``json.loads`` the same files (the floor), with the peak RSS of each process;
* memory: the batch's peak RSS at the largest size against the smallest (``--memory N`` adds
  one run over N reports, 100,000 by default without ``--quick``);
* diagnosis: in one process, the time ``Checker.diagnoses`` takes per failing report;
* start-up: ``python -X importtime`` of one report's run, against the budget below, and the
  modules the clean path must not import;
* engine: ``Checker().check_path`` in one process, split into load / model / rules / findings,
  to tell CLI cost from engine cost;
* instructions (``--instructions``): the cold start counted by ``valgrind --tool=callgrind``,
  which does not depend on the machine's load.

``--baseline PYTHON`` measures a second installation (another checkout's venv) in the same
run, each of its runs interleaved with this one's, so "before" and "after" see the same load.

Generated reports are cached under ``--data`` and reused while the generator is unchanged.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "shaoyang-beita-2023.json"
CLEAN_SAMPLE = ROOT / "samples" / "zhanjiang-2024.json"  # no finding: the clean path
GENERATOR = ROOT / "bench" / "generate.py"
FILES_PER_FOLDER = 1000  # as in generate.py: size N is the first N / 1000 folders

# Targets from issue #18 (issue #6 set the first ones).
COLD_VS_FLOOR = 10.0
COLD_VS_NEIGHBOUR = 0.5
BATCH_SIZE = 5000  # the batch the rate and the floor ratio are quoted for
BATCH_RATE = 2000.0
BATCH_VS_FLOOR = 10.0
DIAGNOSIS_MS = 5.0  # median per failing report
MEMORY_MB = 200.0
FLAT = 1.5  # "flat": the largest size costs at most 1.5 × the smallest, per report or in RSS

# Start-up budget (``python -X importtime``, cumulative ms, median of the runs) for checking one
# report, and what the clean path (a report with no finding, no option) must not import at all.
# See bench/README.md.
IMPORT_BUDGET_MS = {"evalcheck (everything one report's check imports)": 60.0}
NOT_ON_CLEAN_PATH = (
    "pydantic",
    "yaml",
    "rich",
    "click",
    "docx",
    "openpyxl",
    "xlrd",
    "pdfplumber",
    "concurrent.futures",
    "evalcheck.diagnose",
    "evalcheck.report.model",
    # replaced by the shipped compiled forms (on the interpreter that made them, bench/README.md)
    "hashlib",
    "pickle",
    "difflib",
    "evalcheck.engine.cache",
    "evalcheck.engine.compile",
)


@dataclass
class Sample:
    """Repeated runs of one command: wall seconds and peak RSS (MiB) of each."""

    seconds: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    exit_codes: set[int] = field(default_factory=set)
    output: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak_mb(self) -> float:
        return max(self.rss_mb)

    def spread(self, scale: float = 1000.0, unit: str = "ms") -> str:
        values = [s * scale for s in self.seconds]
        return f"{min(values):.0f} / **{statistics.median(values):.0f}** / {max(values):.0f} {unit}"


def run_once(command: list[str], capture: bool = False) -> tuple[float, float, int, str]:
    """Wall time, peak RSS and exit code of one child process (output to /dev/null or a pipe)."""
    stdout = subprocess.PIPE if capture else subprocess.DEVNULL
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=stdout, stderr=subprocess.DEVNULL, cwd=ROOT)
    output = process.stdout.read().decode() if process.stdout is not None else ""
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in KiB on Linux and the process's own peak, not the maximum over children.
    return elapsed, usage.ru_maxrss / 1024, process.returncode, output


def measure(command: list[str], runs: int, warmup: int = 1, capture: bool = False) -> Sample:
    return interleaved({"": command}, runs, warmup, capture)[""]


def interleaved(
    commands: dict[str, list[str]], runs: int, warmup: int = 1, capture: bool = False
) -> dict[str, Sample]:
    """Each command ``runs`` times, round-robin (A B C A B C …), so a change of load on the
    shared machine falls on all of them alike; ``warmup`` rounds first, not counted."""
    samples = {name: Sample() for name in commands}
    for _ in range(warmup):
        for command in commands.values():
            run_once(command)
    for _ in range(runs):
        for name, command in commands.items():
            seconds, rss, code, output = run_once(command, capture)
            sample = samples[name]
            sample.seconds.append(seconds)
            sample.rss_mb.append(rss)
            sample.exit_codes.add(code)
            sample.output = output
    return samples


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def mark(ok: bool) -> str:
    return "✓" if ok else "✗"


# --- machine --------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "evalcheck", "rules"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "evalcheck": commit + (" + uncommitted changes" if dirty else ""),
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
    }


# --- data -----------------------------------------------------------------------------------


def dataset(directory: Path, count: int, seed: int) -> Path:
    """At least ``count`` generated reports in ``directory``, regenerated only when stale."""
    digest = hashlib.sha256(GENERATOR.read_bytes()).hexdigest()[:16]
    stamp = directory.parent / f".{directory.name}.stamp"
    if stamp.exists() and directory.is_dir():
        cached, cached_seed, cached_digest = stamp.read_text().split()
        if int(cached) >= count and (cached_seed, cached_digest) == (str(seed), digest):
            return directory
    progress(f"generating {count:,} reports in {directory} …")
    if directory.exists():
        shutil.rmtree(directory)
    command = [sys.executable, str(GENERATOR), str(count), str(directory), "--seed", str(seed)]
    subprocess.run(command, check=True)
    stamp.write_text(f"{count} {seed} {digest}")
    return directory


def folders(root: Path, count: int) -> list[str]:
    """The paths that hold the first ``count`` reports (``count`` a multiple of 1,000)."""
    return [str(root / f"{i:04d}") for i in range(-(-count // FILES_PER_FOLDER))]


# --- helper processes -----------------------------------------------------------------------

# Reads and parses the same files evalcheck would, walking folders the same way.
FLOOR = r"""
import json, os, sys
n = 0
for top in sys.argv[1:]:
    for root, dirs, files in os.walk(top):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".json"):
                with open(os.path.join(root, name), "rb") as f:
                    json.loads(f.read().decode("utf-8"))
                n += 1
print(n)
"""

# Times each step of the pipeline in one process; prints JSON.  The steps are timed by wrapping
# the names evalcheck.runner.checker calls (whichever of them exist), so the helper follows refactors.
ENGINE = r"""
import json, os, sys, time
clock = time.perf_counter
t0 = clock()
import evalcheck.runner.checker as checker_module
from evalcheck.runner.checker import Checker
t1 = clock()
checker = Checker()
t2 = clock()
paths = []
for top in sys.argv[1:]:
    for root, dirs, files in os.walk(top):
        dirs.sort()
        paths += [os.path.join(root, n) for n in sorted(files) if n.endswith(".json")]
start = clock()
findings = sum(len(checker.check_path(p).findings) for p in paths)
check_path_total = clock() - start
steps = {}
def timed(step, function):
    def wrapper(*args, **kwargs):
        started = clock()
        try:
            return function(*args, **kwargs)
        finally:
            steps[step] = steps.get(step, 0.0) + clock() - started
    return wrapper
for step, name in [("load", "load_path"), ("load", "read_path"),
                   ("statements", "with_statements"), ("statements", "from_input"),
                   ("normalise", "normalise_report"), ("model", "parse_report"),
                   ("coverage", "coverage"), ("not-applicable list", "_not_applicable"),
                   ("findings + positions", "to_findings")]:
    if hasattr(checker_module, name):
        setattr(checker_module, name, timed(step, getattr(checker_module, name)))
# the checker's own steps: the rules' run is run_log since the run log (outcomes before it)
rules_step = "run_log" if hasattr(Checker, "run_log") else "outcomes"
for step, name in [("rules", rules_step), ("diagnose", "diagnoses")]:
    if hasattr(Checker, name):
        setattr(checker, name, timed(step, getattr(checker, name)))
start = clock()
for p in paths:
    checker.check_path(p)
split_total = clock() - start
steps["other"] = split_total - sum(steps.values())
print(json.dumps({"files": len(paths), "import": t1 - t0, "compile": t2 - t1,
                  "steps": steps, "split_total": split_total,
                  "check_path": check_path_total, "findings": findings}))
"""


# Diagnosis per failing report, in one process (prints JSON): the reports whose checks fail
# are found first, then ``Checker.diagnoses`` is timed on each (with time.process_time, which
# counts this process's CPU only, so other processes on the machine inflate it less).
DIAGNOSIS = r"""
import json, os, sys, time
from evalcheck.runner.checker import Checker
from evalcheck.inputs import read_path
from evalcheck.report import from_input
from evalcheck.report.tree import normalise_report
from evalcheck.engine.run import Status
paths = []
for top in sys.argv[1:]:
    for root, dirs, files in os.walk(top):
        dirs.sort()
        paths += [os.path.join(root, n) for n in sorted(files) if n.endswith(".json")]
checker = Checker()
cases = []
for p in paths:
    tree = normalise_report(from_input(read_path(p)).data)
    outcomes = checker.outcomes(tree)
    if any(o.status is Status.FAIL for o in outcomes):
        cases.append((tree, outcomes))
for tree, outcomes in cases[:5]:
    checker.diagnoses(tree, outcomes)
times = []
for tree, outcomes in cases:
    started = time.process_time()
    checker.diagnoses(tree, outcomes)
    times.append(time.process_time() - started)
print(json.dumps({"reports": len(paths), "failing": len(cases), "seconds": times}))
"""

# The modules one report's check imports, with ``-X importtime`` (prints the raw lines on stderr).
IMPORTS = r"""
import sys
from evalcheck.cli import main
sys.argv = ["evalcheck", sys.argv[1]]
try:
    main()
except SystemExit:
    pass
"""


def label(name: str, baseline: bool) -> str:
    return f"{name} (baseline)" if baseline else name


def cold_start(
    runs: int,
    tools: dict[str, str],
    base: dict[str, str] | None,
    lines: list[str],
    results: dict[str, Any],
) -> None:
    progress(f"cold start, {runs} runs each, interleaved …")
    schema = ROOT / "schema" / "report.schema.json"
    commands = {"`python -c pass` (floor)": [sys.executable, "-c", "pass"]}
    for suffix, found in (("", tools), (" (baseline)", base)):
        if found is None:
            continue
        commands[f"`evalcheck --version` (CLI import only){suffix}"] = [
            found["evalcheck"],
            "--version",
        ]
        commands[f"`evalcheck` one report{suffix}"] = [found["evalcheck"], str(SAMPLE)]
    if "check-jsonschema" in tools:
        commands["`check-jsonschema` one report"] = [
            tools["check-jsonschema"],
            "--schemafile",
            str(schema),
            str(SAMPLE),
        ]
    samples = interleaved(commands, runs)
    floor, ours = samples["`python -c pass` (floor)"], samples["`evalcheck` one report"]
    lines += [
        "## Cold start: one report, a fresh process",
        "",
        f"{runs} runs each after one warm-up, interleaved; wall time min / **median** / max.",
        "",
        "| command | wall time | ÷ floor | peak RSS | exit |",
        "|---|---|---|---|---|",
    ]
    for name, sample in samples.items():
        codes = ",".join(map(str, sorted(sample.exit_codes)))
        lines.append(
            f"| {name} | {sample.spread()} | {sample.median / floor.median:.1f} × "
            f"| {sample.peak_mb:.0f} MiB | {codes} |"
        )
    vs_floor = ours.median / floor.median
    lines += [
        "",
        "| ratio | value | target | |",
        "|---|---|---|---|",
        f"| evalcheck ÷ floor | {vs_floor:.1f} × | ≤ {COLD_VS_FLOOR:g} × "
        f"| {mark(vs_floor <= COLD_VS_FLOOR)} |",
    ]
    neighbour = samples.get("`check-jsonschema` one report")
    if neighbour is not None:
        vs_neighbour = ours.median / neighbour.median
        lines.append(
            f"| evalcheck ÷ check-jsonschema | {vs_neighbour:.2f} × | ≤ {COLD_VS_NEIGHBOUR:g} × "
            f"| {mark(vs_neighbour <= COLD_VS_NEIGHBOUR)} |"
        )
    before = samples.get("`evalcheck` one report (baseline)")
    if before is not None:
        lines.append(f"| baseline ÷ floor | {before.median / floor.median:.1f} × | (before) | |")
    lines.append("")
    results["cold_start"] = {
        name: {"seconds": s.seconds, "rss_mb": s.rss_mb} for name, s in samples.items()
    }


def batch(
    data: Path,
    sizes: list[int],
    runs_for: dict[int, int],
    tools: dict[str, str],
    base: dict[str, str] | None,
    extra: list[str],
    lines: list[str],
    results: dict[str, Any],
) -> dict[int, tuple[Sample, Sample]]:
    rows = []
    for size in sizes:
        paths = folders(data, size)
        runs = runs_for[size]
        progress(f"batch {size:,}: floor and evalcheck, {runs} runs, interleaved …")
        commands = {
            "floor": [sys.executable, "-c", FLOOR, *paths],
            "evalcheck": [tools["evalcheck"], *extra, *paths],
        }
        if base is not None:
            commands["baseline"] = [base["evalcheck"], *extra, *paths]
        samples = interleaved(commands, runs, warmup=1 if size == min(sizes) else 0)  # pages cached
        rows.append((size, runs, samples))
        ours, floor = samples["evalcheck"], samples["floor"]
        progress(
            f"batch {size:,}: evalcheck {ours.median:.1f} s ({size / ours.median:,.0f} reports/s, "
            f"peak {ours.peak_mb:.0f} MiB), floor {floor.median:.2f} s, "
            f"{ours.median / floor.median:.1f} × the floor"
        )
        results.setdefault("batch", {})[size] = {
            name: {"seconds": s.seconds, "rss_mb": s.rss_mb, "exit_codes": sorted(s.exit_codes)}
            for name, s in samples.items()
        }
    command = " ".join(["evalcheck", *extra, "DIR"])
    lines += [
        f"## Batch: `{command}` over generated reports, all cores",
        "",
        "Floor: one process that reads and `json.loads` the same files.  Runs interleaved "
        "(floor, evalcheck" + (", baseline" if base else "") + "); wall time min / **median** "
        "/ max; reports/s from the median.  Exit code 1 is expected (30 % of the reports carry "
        "an injected error).",
        "",
        "| reports | runs | command | wall time | reports/s | ms/report | ÷ floor | peak RSS | exit |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for size, runs, samples in rows:
        floor = samples["floor"]
        for name, sample in samples.items():
            codes = ",".join(map(str, sorted(sample.exit_codes)))
            lines.append(
                f"| {size:,} | {runs} | {name} | {sample.spread(1, 's')} "
                f"| {size / sample.median:,.0f} | {sample.median / size * 1000:.2f} "
                f"| {sample.median / floor.median:.1f} × | {sample.peak_mb:.0f} MiB | {codes} |"
            )
    lines.append("")
    by_size = {size: (samples["floor"], samples["evalcheck"]) for size, _, samples in rows}
    target_size = BATCH_SIZE if BATCH_SIZE in by_size else max(by_size)
    floor, ours = by_size[target_size]
    rate = target_size / ours.median
    vs_floor = ours.median / floor.median
    lines += [
        "| target | value | target | |",
        "|---|---|---|---|",
        f"| reports/s over {target_size:,} | {rate:,.0f} | ≥ {BATCH_RATE:,.0f} "
        f"| {mark(rate >= BATCH_RATE)} |",
        f"| evalcheck ÷ read-and-parse floor ({target_size:,}) | {vs_floor:.1f} × "
        f"| ≤ {BATCH_VS_FLOOR:g} × | {mark(vs_floor <= BATCH_VS_FLOOR)} |",
    ]
    for size, _, samples in rows:
        if "baseline" in samples and size == target_size:
            gain = samples["baseline"].median / ours.median
            lines.append(f"| baseline ÷ evalcheck ({size:,}) | {gain:.1f} × faster | | |")
    lines.append("")
    return by_size


def memory(
    by_size: dict[int, tuple[Sample, Sample]], lines: list[str], results: dict[str, Any]
) -> None:
    smallest, largest = min(by_size), max(by_size)
    if smallest == largest:
        return
    per_report = [by_size[s][1].median / s for s in (smallest, largest)]
    rss = [by_size[s][1].peak_mb for s in (smallest, largest)]
    time_growth, rss_growth = per_report[1] / per_report[0], rss[1] / rss[0]
    lines += [
        f"## Memory and time per report, {smallest:,} → {largest:,} reports",
        "",
        "| target | value | target | |",
        "|---|---|---|---|",
        f"| time per report, {largest:,} ÷ {smallest:,} | {time_growth:.2f} × "
        f"| ≤ {FLAT:g} × (flat) | {mark(time_growth <= FLAT)} |",
        f"| peak RSS, {largest:,} ÷ {smallest:,} | {rss_growth:.2f} × ({rss[0]:.0f} → "
        f"{rss[1]:.0f} MiB) | ≤ {FLAT:g} × (flat) | {mark(rss_growth <= FLAT)} |",
        f"| peak RSS at {largest:,} | {rss[1]:.0f} MiB | < {MEMORY_MB:g} MB "
        f"| {mark(rss[1] < MEMORY_MB)} |",
        "",
    ]
    results["memory"] = {"sizes": [smallest, largest], "rss_mb": rss, "per_report": per_report}


def diagnosis(
    data: Path, size: int, base: dict[str, str] | None, lines: list[str], results: dict[str, Any]
) -> None:
    progress(f"diagnosis in-process over the failing reports of {size:,} …")
    paths = folders(data, size)
    rows = []
    pythons = {"evalcheck": sys.executable}
    if base is not None:
        pythons["baseline"] = base["python"]
    for name, python in pythons.items():
        _, _, code, output = run_once([python, "-c", DIAGNOSIS, *paths], capture=True)
        if code != 0 or not output.strip():
            rows.append((name, None))
            continue
        rows.append((name, json.loads(output)))
    lines += [
        f"## Diagnosis: `Checker.diagnoses` per failing report ({size:,} generated reports)",
        "",
        "CPU time of this process (`time.process_time`) per report with a failing check.",
        "",
        "| installation | failing reports | median | p90 | max | target | |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, found in rows:
        if found is None:
            lines.append(f"| {name} | (helper failed) | | | | | |")
            continue
        times = sorted(found["seconds"])
        median = statistics.median(times) * 1000
        p90 = times[int(0.9 * (len(times) - 1))] * 1000
        lines.append(
            f"| {name} | {found['failing']} | **{median:.2f} ms** | {p90:.2f} ms "
            f"| {times[-1] * 1000:.1f} ms | ≤ {DIAGNOSIS_MS:g} ms | {mark(median <= DIAGNOSIS_MS)} |"
        )
        results.setdefault("diagnosis", {})[name] = found
    lines.append("")


def imports(runs: int, lines: list[str], results: dict[str, Any]) -> None:
    """``-X importtime`` of one report's check: the budget and the modules kept off the path."""
    progress(f"import times, {runs} runs …")
    totals: list[float] = []
    tops: dict[str, list[float]] = {}
    modules: set[str] = set()  # what the clean path imports (a report with no finding)
    for sample, timed in ((SAMPLE, True), (CLEAN_SAMPLE, False)):
        for _ in range(runs if timed else 1):
            process = subprocess.run(
                [sys.executable, "-X", "importtime", "-c", IMPORTS, str(sample)],
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            total = 0.0
            for line in process.stderr.splitlines():
                if not line.startswith("import time:") or "|" not in line:
                    continue
                _, cumulative, name = line[len("import time:") :].split("|")
                if not cumulative.strip().isdigit():
                    continue
                if not timed:
                    modules.add(name.strip())
                    continue
                depth = len(name) - len(name.lstrip())
                if depth <= 1:  # a top-level import of the run
                    ms = int(cumulative) / 1000
                    total += ms
                    tops.setdefault(name.strip(), []).append(ms)
            if timed:
                totals.append(total)
    ours = statistics.median(totals)
    budget = next(iter(IMPORT_BUDGET_MS.values()))
    forbidden = sorted(m for m in NOT_ON_CLEAN_PATH if m in modules)
    lines += [
        "## Start-up: `python -X importtime` of one report's check",
        "",
        f"Median of {runs} runs, cumulative ms of each top-level import (the interpreter's "
        "own, `site` and `encodings`, included).",
        "",
        "| import | ms |",
        "|---|---|",
    ]
    for name, values in sorted(tops.items(), key=lambda kv: -statistics.median(kv[1]))[:12]:
        lines.append(f"| {name} | {statistics.median(values):.1f} |")
    lines += [
        "",
        "| budget | value | target | |",
        "|---|---|---|---|",
        f"| every import of one report's check | {ours:.0f} ms | ≤ {budget:g} ms "
        f"| {mark(ours <= budget)} |",
        f"| imported by a clean report's check ({CLEAN_SAMPLE.name}) although unused | "
        f"{', '.join(forbidden) or 'none'} | none | {mark(not forbidden)} |",
        "",
    ]
    results["imports"] = {"tops": tops, "totals": totals, "forbidden": forbidden}


def instructions(
    tools: dict[str, str], base: dict[str, str] | None, lines: list[str], results: dict[str, Any]
) -> None:
    """The cold start in instructions (callgrind): the same count whatever the load."""
    if shutil.which("valgrind") is None:
        lines += ["## Instructions", "", "(valgrind not found)", ""]
        return
    progress("instruction counts under callgrind (slow) …")
    commands = {"`python -c pass` (floor)": [sys.executable, "-c", "pass"]}
    commands["`evalcheck` one report"] = [tools["evalcheck"], str(SAMPLE)]
    if base is not None:
        commands["`evalcheck` one report (baseline)"] = [base["evalcheck"], str(SAMPLE)]
    counts: dict[str, int] = {}
    for name, command in commands.items():
        out = Path(os.environ.get("TMPDIR", "/tmp")) / "evalcheck-bench.callgrind"
        process = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *command],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        for line in process.stderr.splitlines():
            if "Collected :" in line:
                counts[name] = int(line.rsplit(":", 1)[1].strip())
        out.unlink(missing_ok=True)
    floor = counts.get("`python -c pass` (floor)")
    lines += [
        "## Cold start in instructions (`valgrind --tool=callgrind`)",
        "",
        "| command | instructions | ÷ floor |",
        "|---|---|---|",
    ]
    for name, count in counts.items():
        ratio = f"{count / floor:.1f} ×" if floor else ""
        lines.append(f"| {name} | {count:,} | {ratio} |")
    lines.append("")
    results["instructions"] = counts


def engine(data: Path, size: int, runs: int, lines: list[str], results: dict[str, Any]) -> None:
    progress(f"engine in-process over {size:,}, {runs} runs …")
    paths = folders(data, size)
    reports: list[dict[str, Any]] = []
    rss: list[float] = []
    for _ in range(runs):
        _, peak, code, output = run_once([sys.executable, "-c", ENGINE, *paths], capture=True)
        if code != 0 or not output.strip():
            lines += ["## Engine in-process", "", f"(helper failed with exit code {code})", ""]
            return
        reports.append(json.loads(output))
        rss.append(peak)
    median = sorted(reports, key=lambda r: float(r["check_path"]))[(runs - 1) // 2]
    results["engine"] = {"runs": reports, "rss_mb": rss}
    files = median["files"]
    steps = median["steps"]
    split_total = median["split_total"]
    lines += [
        f"## Engine in-process: `Checker().check_path` over {files:,} reports",
        "",
        f"One process, no CLI; the run with the median `check_path` time of {runs}.  "
        "The split is a second pass over the same files with each step evalcheck.runner.checker calls "
        "wrapped in a timer.",
        "",
        "| what | total | per report | share |",
        "|---|---|---|---|",
        f"| import evalcheck.runner.checker | {median['import'] * 1000:.0f} ms | | |",
        f"| compile built-in rules (`Checker()`) | {median['compile'] * 1000:.0f} ms | | |",
        f"| `check_path` loop | {median['check_path']:.2f} s "
        f"| {median['check_path'] / files * 1000:.3f} ms "
        f"| {files / median['check_path']:,.0f} reports/s |",
    ]
    for step, seconds in steps.items():
        lines.append(
            f"| · {step} | {seconds:.2f} s | {seconds / files * 1000:.3f} ms "
            f"| {seconds / split_total:.0%} |"
        )
    lines += [f"| peak RSS | {max(rss):.0f} MiB | | |", ""]


# --- main -----------------------------------------------------------------------------------


def bytecode(pythons: list[str], lines: list[str]) -> None:
    """Compile each installation's evalcheck package to bytecode first, as installing a wheel
    does: a module whose ``.pyc`` is missing or stale is compiled from source at every start
    while ``PYTHONDONTWRITEBYTECODE`` is set (it is in some shells and CI images), which added
    ~30% to the cold start's instructions on a checkout edited since its last import."""
    for python in pythons:
        folder = subprocess.run(
            [python, "-c", "import evalcheck, os; print(os.path.dirname(evalcheck.__file__))"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        subprocess.run([python, "-m", "compileall", "-q", folder], capture_output=True, check=True)
    lines += [
        "Bytecode: `python -m compileall` over the evalcheck package before measuring (an"
        " installed wheel has it; `PYTHONDONTWRITEBYTECODE` is"
        f" {'set' if os.environ.get('PYTHONDONTWRITEBYTECODE') else 'not set'} here).",
        "",
    ]


def tool(name: str, python: str = sys.executable, required: bool = True) -> str | None:
    beside = Path(python).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None and required:
        sys.exit(f"bench: {name} not found next to {python} nor on PATH")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1k and 5k only, fewer runs")
    parser.add_argument("--sizes", help="comma-separated report counts (multiples of 1,000)")
    parser.add_argument("--memory", type=int, help="one more batch run over this many reports")
    parser.add_argument("--runs", type=int, help="batch runs per size (default 3)")
    parser.add_argument("--cold-runs", type=int, help="cold-start runs (default 9, quick 5)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", type=Path, default=Path("/tmp/evalcheck-bench"))
    parser.add_argument("--baseline", help="another installation's python, measured alongside")
    parser.add_argument(
        "--evalcheck-args", default="", help='extra CLI arguments for the batch, e.g. "--jobs 2"'
    )
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument(
        "--skip", default="", help="comma-separated: cold,imports,batch,diagnosis,engine"
    )
    parser.add_argument("--instructions", action="store_true", help="callgrind the cold start")
    args = parser.parse_args(argv)

    sizes = sorted(int(s.replace("_", "")) for s in (args.sizes or "1000,5000").split(","))
    extra_size = args.memory if args.memory is not None else (None if args.quick else 100_000)
    if extra_size and extra_size not in sizes:
        sizes.append(extra_size)
    if any(s % FILES_PER_FOLDER for s in sizes):
        parser.error("sizes must be multiples of 1,000")
    runs_for = {s: 1 if s == extra_size else (args.runs or 3) for s in sizes}
    cold_runs = args.cold_runs or (5 if args.quick else 9)
    skip = set(filter(None, args.skip.split(",")))
    tools: dict[str, str] = {"evalcheck": str(tool("evalcheck"))}
    neighbour = tool("check-jsonschema", required=False)
    if neighbour is not None:
        tools["check-jsonschema"] = neighbour
    base = None
    if args.baseline:
        base = {"python": args.baseline, "evalcheck": str(tool("evalcheck", args.baseline))}

    info = machine()
    results: dict[str, Any] = {"machine": info, "sizes": sizes}
    lines = [
        "# evalcheck benchmark",
        "",
        " · ".join(f"**{k}** {v}" for k, v in info.items()),
        "",
    ]
    if base is not None:
        lines += [f"Baseline: `{base['evalcheck']}` (measured in the same run, interleaved).", ""]
    shown = 0

    def show() -> None:  # each section as soon as it is measured: a long run stopped keeps them
        nonlocal shown
        print("\n".join(lines[shown:]), flush=True)
        shown = len(lines)

    bytecode([sys.executable] + ([base["python"]] if base is not None else []), lines)
    show()
    if "cold" not in skip:
        cold_start(cold_runs, tools, base, lines, results)
        show()
    if args.instructions:
        instructions(tools, base, lines, results)
        show()
    if "imports" not in skip:
        imports(5, lines, results)
        show()
    data = args.data / f"reports-seed{args.seed}"
    if not {"batch", "diagnosis", "engine"} <= skip:
        args.data.mkdir(parents=True, exist_ok=True)
        dataset(data, max(sizes), args.seed)
    if "diagnosis" not in skip:
        diagnosis(data, min(sizes), base, lines, results)
        show()
    if "engine" not in skip:
        engine(data, min(sizes), args.runs or 3, lines, results)
        show()
    if "batch" not in skip:
        by_size = batch(
            data, sizes, runs_for, tools, base, args.evalcheck_args.split(), lines, results
        )
        memory(by_size, lines, results)
        show()

    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
