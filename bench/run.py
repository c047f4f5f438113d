"""Measure evalcheck against its floors and print one markdown report.

Usage: ``python bench/run.py [--quick] [--sizes 1000,10000,100000] [--runs N] [--json FILE]``

Run it with the interpreter evalcheck is installed in (``.venv/bin/python`` after the README set-up): the
``evalcheck`` and ``check-jsonschema`` scripts are looked up next to it.  Every figure is
measured in this one run on this machine; see ``bench/README.md`` for what each one means.

* cold start: one report, a fresh process each time, against ``python -c pass`` (the floor)
  and ``check-jsonschema`` with evalcheck's own schema (a neighbour doing less work);
* batch: ``evalcheck`` over generated reports, against a process that only reads and
  ``json.loads`` the same files (the floor), with the peak RSS of each process;
* engine: ``Checker().check_path`` in one process, split into load / model / rules / findings,
  to tell CLI cost from engine cost.

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
GENERATOR = ROOT / "bench" / "generate.py"
FILES_PER_FOLDER = 1000  # as in generate.py: size N is the first N / 1000 folders

# Targets from issue #6.
COLD_VS_FLOOR = 12.0
COLD_VS_NEIGHBOUR = 0.5
BATCH_RATE = 2000.0
BATCH_VS_FLOOR = 10.0
MEMORY_MB = 200.0
FLAT = 1.5  # "flat": the largest size costs at most 1.5 × the smallest, per report or in RSS


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
    sample = Sample()
    for _ in range(warmup):
        run_once(command)
    for _ in range(runs):
        seconds, rss, code, output = run_once(command, capture)
        sample.seconds.append(seconds)
        sample.rss_mb.append(rss)
        sample.exit_codes.add(code)
        sample.output = output
    return sample


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
for step, name in [("load", "load_path"), ("statements", "with_statements"),
                   ("normalise", "normalise_report"), ("model", "parse_report"),
                   ("findings + positions", "to_findings")]:
    if hasattr(checker_module, name):
        setattr(checker_module, name, timed(step, getattr(checker_module, name)))
for step, name in [("rules", "outcomes"), ("diagnose", "diagnoses")]:
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


# --- the three measurements -----------------------------------------------------------------


def cold_start(runs: int, tools: dict[str, str], lines: list[str], results: dict[str, Any]) -> None:
    progress(f"cold start, {runs} runs each …")
    schema = ROOT / "schema" / "report.schema.json"
    if not schema.exists():
        schema = Path(os.environ.get("TMPDIR", "/tmp")) / "evalcheck-report.schema.json"
        exported = subprocess.run(
            [tools["evalcheck"], "schema"], capture_output=True, text=True, check=True
        )
        schema.write_text(exported.stdout, encoding="utf-8")
    commands = {
        "`python -c pass` (floor)": [sys.executable, "-c", "pass"],
        "`evalcheck --version` (CLI import only)": [tools["evalcheck"], "--version"],
        "`evalcheck` one report": [tools["evalcheck"], str(SAMPLE)],
        "`check-jsonschema` one report": [
            tools["check-jsonschema"],
            "--schemafile",
            str(schema),
            str(SAMPLE),
        ],
    }
    samples = {name: measure(cmd, runs) for name, cmd in commands.items()}
    floor, ours = samples["`python -c pass` (floor)"], samples["`evalcheck` one report"]
    neighbour = samples["`check-jsonschema` one report"]
    lines += [
        "## Cold start: one report, a fresh process",
        "",
        f"{runs} runs each after one warm-up; wall time min / **median** / max.",
        "",
        "| command | wall time | peak RSS | exit |",
        "|---|---|---|---|",
    ]
    for name, sample in samples.items():
        codes = ",".join(map(str, sorted(sample.exit_codes)))
        lines.append(f"| {name} | {sample.spread()} | {sample.peak_mb:.0f} MiB | {codes} |")
    vs_floor = ours.median / floor.median
    vs_neighbour = ours.median / neighbour.median
    lines += [
        "",
        "| ratio | value | target | |",
        "|---|---|---|---|",
        f"| evalcheck ÷ floor | {vs_floor:.1f} × | ≤ {COLD_VS_FLOOR:g} × "
        f"| {mark(vs_floor <= COLD_VS_FLOOR)} |",
        f"| evalcheck ÷ check-jsonschema | {vs_neighbour:.2f} × | ≤ {COLD_VS_NEIGHBOUR:g} × "
        f"| {mark(vs_neighbour <= COLD_VS_NEIGHBOUR)} |",
        "",
    ]
    results["cold_start"] = {
        name: {"seconds": s.seconds, "rss_mb": s.rss_mb} for name, s in samples.items()
    }


def batch(
    data: Path,
    sizes: list[int],
    runs_for: dict[int, int],
    tools: dict[str, str],
    extra: list[str],
    lines: list[str],
    results: dict[str, Any],
) -> None:
    rows = []
    for size in sizes:
        paths = folders(data, size)
        runs = runs_for[size]
        progress(f"batch {size:,}: floor, {runs} runs …")
        floor = measure([sys.executable, "-c", FLOOR, *paths], runs, warmup=1)
        progress(f"batch {size:,}: evalcheck, {runs} runs …")
        ours = measure([tools["evalcheck"], *extra, *paths], runs, warmup=0)
        rows.append((size, runs, floor, ours))
        results.setdefault("batch", {})[size] = {
            "evalcheck": {"seconds": ours.seconds, "rss_mb": ours.rss_mb},
            "floor": {"seconds": floor.seconds, "rss_mb": floor.rss_mb},
            "exit_codes": sorted(ours.exit_codes),
        }
    command = " ".join(["evalcheck", *extra, "DIR"])
    lines += [
        f"## Batch: `{command}` over generated reports",
        "",
        "Floor: one process that reads and `json.loads` the same files.  Wall time min / "
        "**median** / max; reports/s from the median.  Exit code 1 is expected (30 % of the "
        "reports carry an injected error).",
        "",
        "| reports | runs | evalcheck | reports/s | ms/report | floor | floor reports/s "
        "| ÷ floor | peak RSS | RSS floor | exit |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for size, runs, floor, ours in rows:
        codes = ",".join(map(str, sorted(ours.exit_codes)))
        lines.append(
            f"| {size:,} | {runs} | {ours.spread(1, 's')} | {size / ours.median:,.0f} "
            f"| {ours.median / size * 1000:.2f} | {floor.median:.2f} s "
            f"| {size / floor.median:,.0f} | {ours.median / floor.median:.0f} × "
            f"| {ours.peak_mb:.0f} MiB | {floor.peak_mb:.0f} MiB | {codes} |"
        )
    lines.append("")
    by_size = {size: (floor, ours) for size, _, floor, ours in rows}
    target_size = 10_000 if 10_000 in by_size else max(by_size)
    floor, ours = by_size[target_size]
    rate = target_size / ours.median
    vs_floor = ours.median / floor.median
    smallest, largest = min(by_size), max(by_size)
    per_report = [by_size[s][1].median / s for s in (smallest, largest)]
    rss = [by_size[s][1].peak_mb for s in (smallest, largest)]
    time_growth, rss_growth = per_report[1] / per_report[0], rss[1] / rss[0]
    lines += [
        "| target | value | target | |",
        "|---|---|---|---|",
        f"| reports/s over {target_size:,} | {rate:,.0f} | ≥ {BATCH_RATE:,.0f} "
        f"| {mark(rate >= BATCH_RATE)} |",
        f"| evalcheck ÷ read-and-parse floor ({target_size:,}) | {vs_floor:.0f} × "
        f"| ≤ {BATCH_VS_FLOOR:g} × | {mark(vs_floor <= BATCH_VS_FLOOR)} |",
        f"| time per report, {largest:,} ÷ {smallest:,} | {time_growth:.2f} × "
        f"| ≤ {FLAT:g} × (flat) | {mark(time_growth <= FLAT)} |",
        f"| peak RSS, {largest:,} ÷ {smallest:,} | {rss_growth:.2f} × "
        f"| ≤ {FLAT:g} × (flat) | {mark(rss_growth <= FLAT)} |",
        f"| peak RSS at {largest:,} | {rss[1]:.0f} MiB | < {MEMORY_MB:g} MB"
        + ("" if largest >= 100_000 else " at 100,000")
        + f" | {mark(rss[1] < MEMORY_MB)}"
        + ("" if largest >= 100_000 else " (100,000 not run)")
        + " |",
        "",
    ]


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


def tool(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        sys.exit(f"bench: {name} not found next to {sys.executable} nor on PATH")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="sizes up to 10,000, fewer runs")
    parser.add_argument("--sizes", help="comma-separated report counts (multiples of 1,000)")
    parser.add_argument("--runs", type=int, help="batch runs per size (default 3; 1 at 100,000)")
    parser.add_argument("--cold-runs", type=int, help="cold-start runs (default 9, quick 5)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", type=Path, default=Path("/tmp/evalcheck-bench"))
    parser.add_argument(
        "--evalcheck-args", default="", help='extra CLI arguments for the batch, e.g. "--jobs 2"'
    )
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--skip", default="", help="comma-separated: cold,batch,engine")
    args = parser.parse_args(argv)

    default_sizes = "1000,10000" if args.quick else "1000,10000,100000"
    sizes = sorted(int(s.replace("_", "")) for s in (args.sizes or default_sizes).split(","))
    if any(s % FILES_PER_FOLDER for s in sizes):
        parser.error("sizes must be multiples of 1,000")
    runs_for = {s: args.runs or (1 if s >= 100_000 else 3) for s in sizes}
    cold_runs = args.cold_runs or (5 if args.quick else 9)
    skip = set(filter(None, args.skip.split(",")))
    tools = {"evalcheck": tool("evalcheck"), "check-jsonschema": tool("check-jsonschema")}

    info = machine()
    results: dict[str, Any] = {"machine": info, "sizes": sizes}
    lines = [
        "# evalcheck benchmark",
        "",
        " · ".join(f"**{k}** {v}" for k, v in info.items()),
        "",
    ]
    if "cold" not in skip:
        cold_start(cold_runs, tools, lines, results)
    data = args.data / f"reports-seed{args.seed}"
    if not {"batch", "engine"} <= skip:
        args.data.mkdir(parents=True, exist_ok=True)
        dataset(data, max(sizes), args.seed)
    if "batch" not in skip:
        batch(data, sizes, runs_for, tools, args.evalcheck_args.split(), lines, results)
    if "engine" not in skip:
        engine(data, min(sizes), 3, lines, results)

    print("\n".join(lines))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
