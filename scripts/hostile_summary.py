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
import functools
import hashlib
import hmac
import io
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    raw: bytes = b""  # stdout and stderr as written, for the terminal-injection checks
    cpu_seconds: float = 0.0  # user + system time of the run (a loaded machine leaves it alone)

    @property
    def crashed(self) -> bool:
        output = self.stdout + self.stderr
        return not self.timed_out and (
            self.code not in (0, 1, 2) or "Traceback" in output or "内部错误" in output
        )


def run_cli(
    args: list[str],
    *,
    cwd: Path | None = None,
    timeout: float = TIME_LIMIT,
    env: dict[str, str] | None = None,
    stdout: str = "pipe",
    preexec: Callable[[], None] | None = None,
    during: Callable[[int, float], None] | None = None,
) -> Measured:
    """``python -m evalcheck ARGS`` with its wall time and peak RSS (``os.wait4``).

    ``stdout``: "pipe" (captured), "closed" (the child starts with descriptor 1 closed, as after
    ``>&-``) or a file name to write to (``/dev/full``).  ``preexec`` runs in the child before
    ``exec`` (resource limits); ``during(pid, seconds)`` is called while the child runs.
    """
    environment = {**os.environ, "NO_COLOR": "1", **(env or {})}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        target: Any = out
        steps: list[Callable[[], None]] = [preexec] if preexec else []
        if stdout == "closed":
            target = None
            steps.append(lambda: os.close(1))
        elif stdout != "pipe":
            target = open(stdout, "wb")  # noqa: SIM115 - closed below
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "evalcheck", *args],
            stdout=target,
            stderr=err,
            stdin=subprocess.DEVNULL,
            cwd=cwd or ROOT,
            env=environment,
            preexec_fn=(lambda: [step() for step in steps]) if steps else None,
        )
        if target not in (None, out):
            target.close()
        timed_out = False
        peak_kb = 0
        while True:
            peak_kb = max(peak_kb, _high_water_kb(process.pid))
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            elapsed = time.perf_counter() - started
            if during is not None:
                during(process.pid, elapsed)
            if elapsed > timeout:
                timed_out = True
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.005)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        out_bytes, err_bytes = out.read(), err.read()
        return Measured(
            process.returncode,
            out_bytes.decode("utf-8", errors="replace"),
            err_bytes.decode("utf-8", errors="replace"),
            seconds,
            peak_kb / 1024,
            timed_out,
            out_bytes + err_bytes,
            usage.ru_utime + usage.ru_stime,
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


def bomb_bar_lines(folder: Path) -> list[str]:
    """200,000 lines of a bare bar: each one a paragraph of its own (found quadratic: every
    section looked up its place among all paragraphs, 45 s of CPU for 30,000 lines)."""
    path = folder / "bars.txt"
    path.write_text("|\n" * 200_000, encoding="utf-8")
    return [str(path)]


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
    "bar-lines-200000": bomb_bar_lines,
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


# --------------------------------------------------------------------------- round two (issue #12)
#
# Each case below is one way an outside red-team pass broke a promise (no data lost, no hang, no
# traceback, no terminal injection).  A case makes its files in an empty folder of its own and
# says what the run must do; :func:`run_case` runs it and lists every promise it broke.  The
# generic promises hold for every case: no traceback and no "内部错误", exit code as expected,
# an error is exactly one line (``file:line:col: 错误 …`` when it is about a file), no raw control
# character on stdout or stderr, and the case folder unchanged but for the files the case
# declares it may write (no input modified, no temporary file left behind).


@dataclass
class Case:
    """One hostile input of round two and what the run must do with it."""

    args: list[str]
    code: tuple[int, ...] = (2,)
    says: str = ""  # the one error line contains this
    located: bool = True  # the error line starts with file:line:col (else "evalcheck：错误：")
    cwd: Path | None = None
    env: dict[str, str] = field(default_factory=dict)
    stdout: str = "pipe"  # or "closed", or a file to write to ("/dev/full")
    writes: tuple[str, ...] = ("cache/",)  # paths (prefixes) under the folder the run may change
    check: Callable[[Measured], str | None] | None = None  # a further promise, or None
    preexec: Callable[[], None] | None = None
    during: Callable[[int, float], None] | None = None
    cleanup: Callable[[], None] | None = None  # for what the usual removal cannot handle
    timeout: float = TIME_LIMIT  # generous: a hang, not a slow run (also on a loaded machine)
    folder: Path | None = None  # set by the case maker


USAGE_HINT = "运行 evalcheck --help 查看用法。"  # the line click's usage errors add
_CONTROL = re.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f]")
_LOCATED = re.compile(r"^.+:\d+:\d+: 错误 ")


def _snapshot(folder: Path) -> dict[str, tuple[Any, ...]]:
    """Every entry under ``folder`` (never opening a FIFO or device): kind, size, mtime, bytes."""
    found: dict[str, tuple[Any, ...]] = {}
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            name = os.path.relpath(entry.path, folder)
            info = entry.stat(follow_symlinks=False)
            if entry.is_dir(follow_symlinks=False):
                found[name] = ("dir",)
                stack.append(Path(entry.path))
            elif entry.is_file(follow_symlinks=False) and info.st_size <= 4_000_000:
                with open(entry.path, "rb") as stream:
                    found[name] = ("file", info.st_mtime_ns, stream.read())
            else:
                found[name] = ("other", info.st_mode, info.st_size, info.st_mtime_ns)
    return found


def broken_promises(
    case: Case, run: Measured, before: dict[str, Any], after: dict[str, Any]
) -> list[str]:
    """What the run did that it must not (empty: every promise held)."""
    problems = []
    if run.timed_out:
        return [f"still running after {case.timeout:.0f} s"]
    if run.crashed:
        problems.append("crash: " + (run.stderr.strip().splitlines() or ["?"])[-1][:300])
    if run.code not in case.code:
        problems.append(f"exit {run.code}, expected {case.code}: {run.stderr[-300:]!r}")
    if run.code == 2 and case.says:
        lines = [line for line in run.stderr.splitlines() if line.strip() and line != USAGE_HINT]
        if len(lines) != 1:
            problems.append(f"{len(lines)} error lines, expected one: {lines[:3]!r}")
        elif case.says not in lines[0]:
            problems.append(f"the error does not say {case.says!r}: {lines[0][:300]!r}")
        elif case.located and not _LOCATED.match(lines[0]):
            problems.append(f"the error is not located at file:line:col: {lines[0][:200]!r}")
        elif not case.located and not lines[0].startswith("evalcheck：错误："):
            problems.append(f"the error does not start with evalcheck：错误：: {lines[0][:200]!r}")
    text = run.raw.decode("utf-8", errors="replace")
    control = _CONTROL.search(text)
    if control:
        problems.append(f"raw control character U+{ord(control.group()):04X} in the output")
    for name in sorted(set(before) | set(after)):
        if any(name == w.rstrip("/") or name.startswith(w) for w in case.writes):
            continue
        if name not in after:
            problems.append(f"{name} was removed")
        elif name not in before:
            problems.append(f"{name} was created")
        elif before[name] != after[name]:
            problems.append(f"{name} was changed")
    if case.check is not None and not problems:
        problem = case.check(run)
        if problem:
            problems.append(problem)
    return problems


def run_case(name: str, folder: Path) -> tuple[Measured, list[str]]:
    """Make case ``name`` in the empty ``folder``, run it, and list the promises it broke."""
    case = ROUND_TWO[name](folder)
    env = {"EVALCHECK_CACHE_DIR": str(folder / "cache"), **case.env}
    before = _snapshot(folder)
    run = run_cli(
        case.args,
        cwd=case.cwd or folder,
        timeout=case.timeout,
        env=env,
        stdout=case.stdout,
        preexec=case.preexec,
        during=case.during,
    )
    after = _snapshot(folder)
    if case.cleanup is not None:
        case.cleanup()
    return run, broken_promises(case, run, before, after)


# ---- making the files

REPORT_TEXT = SAMPLE.read_text(encoding="utf-8")


def _report(folder: Path, name: str = "r.json", text: str | None = None) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(REPORT_TEXT if text is None else text, encoding="utf-8")
    return path


def _fifo(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    return path


def _sparse(path: Path, size: int) -> Path:
    """A file of ``size`` bytes that takes no room (a hole): only its size is ever looked at."""
    with open(path, "wb") as stream:
        stream.truncate(size)
    return path


def rule_yaml(rule_id: str, check: str = "自评分数 >= 0", **extra: str) -> str:
    """One valid rule as YAML (list item, two-space indent); ``extra`` adds or replaces keys."""
    keys = {
        "id": rule_id,
        "name": rule_id.lower(),
        "title": "测试规则",
        "severity": "error",
        "check": f"'{check}'",
        "message": "测试",
        "explain": "依据：无。",
        "examples": "[{name: a, expect: pass, report: {}}, {name: b, expect: fail, report: {}}]",
    }
    keys.update(extra)
    lines = [f"  - id: {keys.pop('id')}"] + [f"    {k}: {v}" for k, v in keys.items()]
    return "\n".join(lines) + "\n"


def _rules(folder: Path, text: str, name: str = "rules.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _sample_with(**values: Any) -> dict[str, Any]:
    data = _sample_data()
    data.update(values)
    return data


MiB = 1024 * 1024


# ---- reference output, for the runs that must behave as if nothing were wrong


@functools.cache
def reference_output(*args: str) -> str:
    """Standard output of a clean run (no cache) on the sample."""
    run = run_cli([*args, str(SAMPLE)], env={"EVALCHECK_NO_CACHE": "1"})
    assert run.code == 1, run.stderr
    return run.stdout


def _same_as_clean(*args: str) -> Callable[[Measured], str | None]:
    def check(run: Measured) -> str | None:
        return None if run.stdout == reference_output(*args) else "output differs from a clean run"

    return check


# ---- FIFOs, devices and files too big


def case_fifo_report(folder: Path) -> Case:
    return Case([str(_fifo(folder / "f.json"))], says="命名管道")


def case_fifo_in_folder(folder: Path) -> Case:
    _report(folder / "reports", "a.json")
    _fifo(folder / "reports/b.json")
    return Case([str(folder / "reports")], says="命名管道")


def case_fifo_via_symlink(folder: Path) -> Case:
    _fifo(folder / "f")
    (folder / "link.json").symlink_to(folder / "f")
    return Case([str(folder / "link.json")], says="命名管道")


def case_fifo_rules(folder: Path) -> Case:
    return Case(["--rules", str(_fifo(folder / "f.yaml")), str(SAMPLE)], says="命名管道")


def case_fifo_rules_in_folder(folder: Path) -> Case:
    _fifo(folder / "packs/f.yaml")
    return Case(["--rules", str(folder / "packs"), str(SAMPLE)], says="命名管道")


def case_fifo_explanations(folder: Path) -> Case:
    fifo = _fifo(folder / "e.yaml")
    return Case(["--explanations", str(fifo), str(SAMPLE)], says="命名管道")


def case_fifo_config(folder: Path) -> Case:
    return Case(["--config", str(_fifo(folder / "c.yaml")), str(SAMPLE)], says="命名管道")


def case_fifo_import(folder: Path) -> Case:
    return Case(["import", str(_fifo(folder / "f.txt"))], says="命名管道", located=False)


def case_dev_zero_rules(folder: Path) -> Case:
    return Case(["--rules", "/dev/zero", str(SAMPLE)], says="字符设备")


def case_dev_zero_report(folder: Path) -> Case:
    return Case(["/dev/zero"], says="字符设备")


def case_sparse_rules(folder: Path) -> Case:
    rules = _sparse(folder / "big.yaml", 17 * MiB)
    return Case(["--rules", str(rules), str(SAMPLE)], says="文件过大（超过 16 MiB）")


def case_sparse_report(folder: Path) -> Case:
    return Case([str(_sparse(folder / "big.json", 65 * MiB))], says="文件过大（超过 64 MiB）")


def case_sparse_import(folder: Path) -> Case:
    big = _sparse(folder / "big.docx", 65 * MiB)
    return Case(["import", str(big)], says="文件过大（超过 64 MiB）", located=False)


# ---- YAML numbers and aliases


def case_base60_report_tag(folder: Path) -> Case:
    path = _report(folder, "r.yaml", "单位名称: 测试\n自评分数: !!int 1e999999:0\n")
    return Case([str(path)], says="无法把「1e999999:0」读作数值")


def case_base60_report_colons(folder: Path) -> Case:
    path = _report(folder, "r.yaml", "单位名称: 测试\n自评分数: 1" + ":00" * 400_000 + "\n")
    return Case([str(path)], says="读作数值")


def case_base60_rules(folder: Path) -> Case:
    rules = _rules(folder, "rules:\n" + rule_yaml("H100", params="{x: !!int 1e999999:0}"))
    return Case(["--rules", str(rules), str(SAMPLE)], says="读作数值")


def case_base60_config(folder: Path) -> Case:
    (folder / ".evalcheck.yaml").write_text("params: {EC311: {权重方案: !!int 1e999999:0}}\n")
    report = _report(folder)
    return Case([str(report)], says="读作数值")


def case_base60_explanations(folder: Path) -> Case:
    explanations = folder / "e.yaml"
    explanations.write_text(
        "explanations:\n  - {file: r.json, rule: EC308, reason: !!int 1e999999:0}\n"
    )
    return Case(["--explanations", str(explanations), str(_report(folder))], says="读作数值")


def case_base60_param(folder: Path) -> Case:
    return Case(
        ["--param", "EC311.权重方案=!!int 1e999999:0", str(SAMPLE)], says="读作数值", located=False
    )


def case_base60_in_a_jobs_batch(folder: Path) -> Case:
    reports = [str(_report(folder, f"r{n}.json")) for n in range(9)]
    bad = _report(folder, "bad.yaml", "单位名称: 测试\n自评分数: !!int 1e999999:0\n")

    def check(run: Measured) -> str | None:
        ok = "检查了 10 份报告" in run.stdout and run.stdout.count("r0.json") >= 1
        return None if ok else "the other reports of the batch were not all checked"

    return Case(["-j", "2", *reports, str(bad)], says="读作数值", check=check)


def _alias_tower(levels: int, leaf: str) -> str:
    """``{a: &a "leaf", b: &b [*a × 10], c: &c [*b × 10], …}``: 10^levels copies of the leaf."""
    items = [f'a: &a "{leaf}"']
    previous = "a"
    for level in "bcdefghij"[:levels]:
        items.append(f"{level}: &{level} [{', '.join([f'*{previous}'] * 10)}]")
        previous = level
    return "{" + ", ".join(items) + "}"


def case_alias_bytes_report(folder: Path) -> Case:
    """A thousand aliases of a 50 KB sentence: few values (the node limit holds), 50 MB of prose."""
    sentence = "支出586.88万元，" * 5000
    lines = ["单位名称: 测试", f'附件: &a "{sentence}"', "正文:"] + ["  - 内容: *a"] * 1000
    path = _report(folder, "r.yaml", "\n".join(lines) + "\n")
    return Case([str(path)], says="YAML 别名展开过大")


def case_alias_bytes_rules(folder: Path) -> Case:
    """The same in a rule file: expanded on serialisation, it made a 1 GB cache entry."""
    rules = _rules(folder, "rules:\n" + rule_yaml("H100", params=_alias_tower(4, "x" * 50_000)))

    def check(run: Measured) -> str | None:
        cache = folder / "cache"
        sizes = [p.stat().st_size for p in cache.iterdir()] if cache.is_dir() else []
        return None if all(s < 40 * MiB for s in sizes) else f"cache entries of {max(sizes)} bytes"

    return Case(["--rules", str(rules), str(SAMPLE)], says="YAML 别名展开过大", check=check)


def case_yaml_values(folder: Path) -> Case:
    path = _report(folder, "r.yaml", "附件: [" + "0," * 1_100_000 + "0]\n")
    return Case([str(path)], says="文件中的值过多")


# ---- the rule cache is untrusted

# The built-in pack and patterns ship compiled (scripts/ship.py), so a plain run reads no cache
# at all; these cases run as a user pack or another interpreter would, through the cache.
_THROUGH_CACHE = {"EVALCHECK_NO_SHIPPED": "1"}


def _poisoned_cache(
    folder: Path, poison: Callable[[dict[str, Any]], Any], sign: bool = True
) -> Path:
    """A cache warmed by a real run, each entry then replaced by ``poison(entry)`` (signed with
    the key beside the entries, as a careful attacker would)."""
    cache = folder / "cache"
    run_cli([str(SAMPLE)], env={"EVALCHECK_CACHE_DIR": str(cache), **_THROUGH_CACHE})
    if not any(cache.glob("*.json")):
        raise RuntimeError("the warm-up run cached nothing: these cases would test nothing")
    key_file = cache / "evalcheck-cache.key"
    key = key_file.read_bytes() if key_file.is_file() else b""
    for entry in sorted(cache.glob("*.json")):
        data = entry.read_bytes()
        signed = data[:64].isalnum() and data[64:65] == b"\n"  # the format of issue #12
        value = json.loads(data[65:] if signed else data)
        poisoned = poison(value)
        text = poisoned if isinstance(poisoned, bytes) else json.dumps(poisoned).encode()
        signature = hmac.new(key, text, hashlib.sha256).hexdigest().encode()
        entry.write_bytes(((signature if sign else b"0" * 64) + b"\n" if signed else b"") + text)
    return cache


def _first_rule(change: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], Any]:
    def poison(value: dict[str, Any]) -> Any:
        if "rules" in value:  # a rule file's entry, not the regular expressions' (#18)
            change(value["rules"][0])
        return value

    return poison


def _cache_case(folder: Path, poison: Callable[[dict[str, Any]], Any], sign: bool = True) -> Case:
    _poisoned_cache(folder, poison, sign)
    return Case([str(SAMPLE)], code=(1,), check=_same_as_clean(), env=_THROUGH_CACHE)


def case_cache_bad_decimal(folder: Path) -> Case:
    return _cache_case(folder, _first_rule(lambda r: r.update(tolerance={"$decimal": "abc"})))


def case_cache_snan_tolerance(folder: Path) -> Case:
    return _cache_case(folder, _first_rule(lambda r: r.update(tolerance={"$decimal": "sNaN"})))


def case_cache_text_tolerance(folder: Path) -> Case:
    return _cache_case(folder, _first_rule(lambda r: r.update(tolerance="0.5")))


def case_cache_nan_band(folder: Path) -> Case:
    def poison(value: dict[str, Any]) -> Any:
        for rule in value.get("rules", []):
            for key in rule.get("params", {}):
                rule["params"][key] = {"$decimal": "NaN"}
        return value

    return _cache_case(folder, poison)


def case_cache_deep_json(folder: Path) -> Case:
    return _cache_case(folder, lambda value: b"[" * 100_000 + b"]" * 100_000)


def case_cache_huge_integer(folder: Path) -> Case:
    return _cache_case(folder, lambda value: b'{"pack": ' + b"9" * 5000 + b', "rules": []}')


def case_cache_truncated(folder: Path) -> Case:
    return _cache_case(folder, lambda value: json.dumps(value).encode()[:100])


def case_cache_for_each_cap(folder: Path) -> Case:
    """A spec that was never validated: four loops of 50 values (6,250,000 runs per row)."""

    def change(rule: dict[str, Any]) -> None:
        rule["for_each"] = {name: [str(n) for n in range(50)] for name in "abcd"}
        rule["scope"] = "绩效指标[*].指标[*]"

    return _cache_case(folder, _first_rule(change))


def case_cache_for_each_unsigned(folder: Path) -> Case:
    def change(rule: dict[str, Any]) -> None:
        rule["for_each"] = {name: [str(n) for n in range(50)] for name in "abcd"}

    return _cache_case(folder, _first_rule(change), sign=False)


def case_cache_entry_fifo(folder: Path) -> Case:
    cache = _poisoned_cache(folder, lambda value: value)
    for entry in cache.glob("*.json"):
        entry.unlink()
        os.mkfifo(entry)
    return Case([str(SAMPLE)], code=(1,), check=_same_as_clean(), env=_THROUGH_CACHE)


def case_cache_entry_huge(folder: Path) -> Case:
    cache = _poisoned_cache(folder, lambda value: value)
    for entry in cache.glob("*.json"):
        _sparse(entry, 65 * MiB)
    return Case([str(SAMPLE)], code=(1,), check=_same_as_clean(), env=_THROUGH_CACHE)


def case_cache_key_fifo(folder: Path) -> Case:
    cache = _poisoned_cache(folder, lambda value: value)
    (cache / "evalcheck-cache.key").unlink()
    os.mkfifo(cache / "evalcheck-cache.key")
    return Case([str(SAMPLE)], code=(1,), check=_same_as_clean(), env=_THROUGH_CACHE)


# ---- totals: cells, figures, statements, evaluations


def _compact(folder: Path, name: str, data: dict[str, Any]) -> Path:
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return path


def case_groups_1000_by_1000(folder: Path) -> Case:
    groups = [{"一级指标": "产出指标", "指标": [{"得分": 1}] * 1000} for _ in range(1000)]
    path = _compact(folder, "r.json", _sample_with(绩效指标=groups))
    return Case([str(path)], says="过多")


def case_groups_300_by_600(folder: Path) -> Case:
    groups = [{"指标": [{"二级指标": "产出数量"}] * 600} for _ in range(300)]
    path = _compact(folder, "r.json", _sample_with(绩效指标=groups))
    return Case([str(path)], says="报告中的项目过多（超过 200000 项）")


def case_map_500000_keys(folder: Path) -> Case:
    keys = {f"科目{n}": 1 for n in range(500_000)}
    path = _compact(folder, "r.json", _sample_with(支出功能分类=keys))
    return Case([str(path)], says="过多")


def case_map_60000_figures(folder: Path) -> Case:
    path = _compact(
        folder, "r.json", _sample_with(支出功能分类={f"科目{n}": 1 for n in range(60_000)})
    )
    return Case([str(path)], says="报告中的数值过多（超过 50000 个）")


def case_json_values(folder: Path) -> Case:
    path = folder / "r.json"
    path.write_text('{"附件": [' + ",".join(["0"] * 5_000_000) + "]}", encoding="utf-8")
    return Case([str(path)], says="文件中的值过多（超过 1000000 个）")


def case_narrative_sections(folder: Path) -> Case:
    sections = [{"标题": f"第{n}节", "内容": "支出586.88万元。"} for n in range(1001)]
    path = _compact(folder, "r.json", _sample_with(正文=sections))
    return Case([str(path)], says="正文：行数过多（1001 行，上限 1000 行）")


def case_narrative_statements(folder: Path) -> Case:
    path = _compact(folder, "r.json", _sample_with(正文=[{"内容": "在职19人，" * 60_000}]))
    return Case([str(path)], says="正文所述数字过多（超过 50000 处）")


def case_evaluations_per_report(folder: Path) -> Case:
    """2,000 rules × 200 loop combinations × 1,000 rows: every limit of a rule file kept."""
    loops = (
        "{a: ["
        + ", ".join(f"v{n}" for n in range(20))
        + "], b: ["
        + ", ".join(f"w{n}" for n in range(10))
        + "]}"
    )
    rules = "".join(
        rule_yaml(f"H{n:04d}", "exists(得分)", scope="绩效指标[*].指标[*]", for_each=loops)
        for n in range(2000)
    )
    rules_file = _rules(folder, "rules:\n" + rules)
    report = _compact(folder, "r.json", indicator_rows(1000))
    return Case(
        ["--no-builtin", "--rules", str(rules_file), str(report)],
        says="规则计算次数过多",
        timeout=60,
    )


# ---- folder walks


def case_rules_folder_1100_deep(folder: Path) -> Case:
    deep = _deep_folder(folder / "packs", 1100)
    (deep / "rules.yaml").write_text("rules:\n" + rule_yaml("H100"), encoding="utf-8")
    args = ["--rules", str(folder / "packs"), str(SAMPLE)]
    return Case(args, code=(1,), cleanup=_remove_deep(folder / "packs"))


def case_rules_root(folder: Path) -> Case:
    (folder / ".evalcheck.yaml").write_text('rules: ["/"]\n', encoding="utf-8")
    return Case([str(_report(folder))], says=": 错误 ", timeout=60)


# ---- data loss: an output that is one of the run's inputs, a write that fails


INPUT_CLASH = "是本次运行要读取的文件"


def _explanations(folder: Path, name: str = ".evalcheck-explanations.yaml") -> Path:
    path = folder / name
    path.write_text(
        "explanations:\n  - {file: r.json, rule: EC308, reason: 已在正文说明}\n", encoding="utf-8"
    )
    return path


def case_out_is_the_report(folder: Path) -> Case:
    report = _report(folder)
    return Case([str(report), "-o", str(report)], says=INPUT_CLASH, located=False)


def case_out_is_another_report(folder: Path) -> Case:
    a, b = _report(folder, "a.json"), _report(folder, "b.json")
    return Case([str(a), str(b), "-o", str(b)], says=INPUT_CLASH, located=False)


def case_out_is_a_report_in_a_folder(folder: Path) -> Case:
    _report(folder / "reports", "a.json")
    return Case(
        [str(folder / "reports"), "-o", str(folder / "reports/a.json")],
        says=INPUT_CLASH,
        located=False,
    )


def case_out_is_the_rules(folder: Path) -> Case:
    rules = _rules(folder, "rules:\n" + rule_yaml("H100"))
    return Case(
        ["--rules", str(rules), str(_report(folder)), "-o", str(rules)],
        says=INPUT_CLASH,
        located=False,
    )


def case_out_is_the_explanations_found(folder: Path) -> Case:
    found = _explanations(folder)
    return Case([str(_report(folder)), "-o", str(found)], says=INPUT_CLASH, located=False)


def case_out_is_the_explanations_named(folder: Path) -> Case:
    named = _explanations(folder, "e.yaml")
    return Case(
        ["--explanations", str(named), str(_report(folder)), "-o", str(named)],
        says=INPUT_CLASH,
        located=False,
    )


def case_out_is_the_config_found(folder: Path) -> Case:
    config = folder / ".evalcheck.yaml"
    config.write_text("ignore: [EC310]\n", encoding="utf-8")
    return Case([str(_report(folder)), "-o", str(config)], says=INPUT_CLASH, located=False)


def case_out_is_the_config_named(folder: Path) -> Case:
    config = folder / "c.yaml"
    config.write_text("ignore: [EC310]\n", encoding="utf-8")
    args = ["--config", str(config), str(_report(folder)), "-o", str(config)]
    return Case(args, says=INPUT_CLASH, located=False)


def case_out_is_the_baseline_read(folder: Path) -> Case:
    baseline = folder / "b.json"
    baseline.write_text('{"version": 1, "tool": "evalcheck", "findings": []}\n', encoding="utf-8")
    args = ["--baseline", str(baseline), str(_report(folder)), "-o", str(baseline)]
    return Case(args, says=INPUT_CLASH, located=False)


def case_out_is_a_hard_link_to_the_report(folder: Path) -> Case:
    report = _report(folder)
    os.link(report, folder / "link.json")
    return Case([str(report), "-o", str(folder / "link.json")], says=INPUT_CLASH, located=False)


def case_out_is_a_symlink_to_the_report(folder: Path) -> Case:
    report = _report(folder)
    (folder / "link.json").symlink_to(report)
    return Case([str(report), "-o", str(folder / "link.json")], says=INPUT_CLASH, located=False)


def case_write_baseline_over_the_report(folder: Path) -> Case:
    report = _report(folder)
    return Case(["--write-baseline", str(report), str(report)], says=INPUT_CLASH, located=False)


def case_write_baseline_over_pyproject(folder: Path) -> Case:
    pyproject = folder / "pyproject.toml"
    pyproject.write_text('[tool.evalcheck]\nignore = ["EC310"]\n', encoding="utf-8")
    args = ["--write-baseline", str(pyproject), str(_report(folder))]
    return Case(args, says=INPUT_CLASH, located=False)


def case_own_output_in_the_folder_is_rewritten(folder: Path) -> Case:
    """evalcheck's own JSON output found by the folder walk is skipped, and may be replaced."""
    _report(folder / "reports", "a.json")
    out = folder / "reports/out.json"
    out.write_text(reference_output("--format", "json").replace(str(SAMPLE), "x"), encoding="utf-8")
    return Case(
        ["--format", "json", str(folder / "reports"), "-o", str(out)],
        code=(1,),
        writes=("cache/", "reports/out.json"),
    )


def _word(folder: Path, parts: dict[str, bytes | None] | None = None, name: str = "r.docx") -> Path:
    """A real .docx (python-docx), with ``parts`` replaced (or removed, for None)."""
    import docx

    document = docx.Document()
    document.add_paragraph("部门整体支出绩效自评报告")
    document.add_paragraph("一、部门概况")
    document.add_paragraph("本部门实际在职人数19人，全年支出586.88万元。")
    buffer = io.BytesIO()
    document.save(buffer)
    return _repack(folder / name, buffer.getvalue(), parts or {})


def _excel(
    folder: Path, parts: dict[str, bytes | None] | None = None, name: str = "r.xlsx"
) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "附件1-2"
    sheet["A1"] = "部门整体支出绩效自评表"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _repack(folder / name, buffer.getvalue(), parts or {})


def _repack(path: Path, data: bytes, parts: dict[str, bytes | None]) -> Path:
    """The package ``data`` with the members named in ``parts`` replaced (None: removed)."""
    replace = dict(parts)
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename in replace:
                content = replace.pop(info.filename)
                if content is not None:
                    target.writestr(info.filename, content)
            else:
                target.writestr(info, source.read(info))
        for member, content in replace.items():
            if content is not None:
                target.writestr(member, content)
    return path


def case_import_over_the_docx(folder: Path) -> Case:
    word = _word(folder)
    return Case(["import", str(word), "-o", str(word)], says=INPUT_CLASH, located=False)


def case_import_over_the_txt(folder: Path) -> Case:
    text = folder / "r.txt"
    text.write_text(
        "部门整体支出绩效自评报告\n一、部门概况\n实际在职人数19人。\n", encoding="utf-8"
    )
    return Case(["import", str(text), "-o", str(text)], says=INPUT_CLASH, located=False)


def case_import_over_the_xlsx(folder: Path) -> Case:
    excel = _excel(folder)
    return Case(["import", str(excel), "-o", str(excel)], says=INPUT_CLASH, located=False)


def case_out_dev_full(folder: Path) -> Case:
    args = [str(_report(folder)), "-o", "/dev/full"]
    return Case(args, says="无法写入输出文件 /dev/full：磁盘空间不足", located=False)


def case_stdout_on_a_full_device(folder: Path) -> Case:
    return Case([str(_report(folder))], stdout="/dev/full", says="无法写入标准输出", located=False)


def case_stdout_closed(folder: Path) -> Case:
    return Case([str(_report(folder))], stdout="closed", says="无法写入标准输出", located=False)


def case_stdout_closed_for_rules(folder: Path) -> Case:
    return Case(["rules"], stdout="closed", says="无法写入标准输出", located=False)


def case_out_on_a_full_disk(folder: Path) -> Case:
    """A file size limit stands in for a full disk: the write fails halfway through."""
    import resource

    out = folder / "out.txt"
    out.write_text("上一次的结果\n", encoding="utf-8")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4000, 4000))

    return Case(
        [str(_report(folder)), "-o", str(out)],
        says="无法写入输出文件",
        located=False,
        preexec=limit,
    )


def _sigterm_case(folder: Path, workers: int, after: float) -> Case:
    """SIGTERM to the parent once ``workers`` workers exist and ``after`` seconds passed."""
    reports = [str(_report(folder / "reports", f"r{n:03d}.json")) for n in range(120)]
    children: set[int] = set()
    sent: list[float] = []

    def during(pid: int, seconds: float) -> None:
        found = _children(pid)
        children.update(found)
        if not sent and len(found) >= workers and seconds > after:
            os.kill(pid, signal.SIGTERM)
            sent.append(seconds)

    def check(run: Measured) -> str | None:
        if not sent:
            return "the run ended before SIGTERM could be sent (make it longer)"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(c) for c in children):
            time.sleep(0.1)
        alive = [c for c in children if _alive(c)]
        return f"workers left running: {alive}" if alive else None

    return Case(
        ["-j", "2", "-o", str(folder / "out.txt"), *reports],
        says="已中断",
        located=False,
        during=during,
        check=check,
        timeout=60,
    )


def case_sigterm_to_a_jobs_parent(folder: Path) -> Case:
    """SIGTERM while two workers check 120 reports: no worker left behind, no output file."""
    return _sigterm_case(folder, 2, 1.0)


def case_sigterm_while_the_workers_start(folder: Path) -> Case:
    """SIGTERM as soon as the first worker is forked (the signal must wait for the forks)."""
    return _sigterm_case(folder, 1, 0.0)


def _children(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


# ---- Office files built to hurt

_BODY = re.compile(rb"<w:body>.*</w:body>", re.DOTALL)
_SHEET_DATA = re.compile(rb"<sheetData>.*</sheetData>|<sheetData/>", re.DOTALL)
_LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
        for n in range(1, 10)
    )
    + b"]>"
)


def _document(body: bytes, prolog: bytes = b"") -> bytes:
    """word/document.xml of the base document with its body replaced."""
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    xml = zipfile.ZipFile(buffer).read("word/document.xml")
    xml = _BODY.sub(lambda m: b"<w:body>" + body + b"</w:body>", xml)
    if prolog:
        head, _, rest = xml.partition(b"?>")
        xml = head + b"?>" + prolog + rest
    return xml


def _sheet_xml(data: bytes, prolog: bytes = b"", after: bytes = b"") -> bytes:
    xml = (
        b'<?xml version="1.0" encoding="UTF-8"?>' + prolog + b'<worksheet xmlns="http://schemas.'
        b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + data + b"</sheetData>"
        + after + b"</worksheet>"
    )  # fmt: skip
    return xml


def _cell(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def case_docx_bad_xml(folder: Path) -> Case:
    word = _word(folder, {"word/document.xml": _document(b"<w:p><w:r><w:t>x</w:t></w:r>")})
    return Case([str(word)], says="word/document.xml 不是有效的 XML")


def case_docx_entity_expansion(folder: Path) -> Case:
    laughs = _document(b"<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", prolog=_LAUGHS)
    return Case([str(_word(folder, {"word/document.xml": laughs}))], says="DTD")


def case_docx_control_character(folder: Path) -> Case:
    word = _word(
        folder, {"word/document.xml": _document(b"<w:p><w:r><w:t>a\x01b</w:t></w:r></w:p>")}
    )
    return Case([str(word)], says="XML 不允许的字符")


def case_docx_character_reference(folder: Path) -> Case:
    word = _word(
        folder, {"word/document.xml": _document(b"<w:p><w:r><w:t>a&#1;b</w:t></w:r></w:p>")}
    )
    return Case([str(word)], says="word/document.xml 不是有效的 XML")


def case_docx_nesting_300(folder: Path) -> Case:
    deep = b"<w:sdt><w:sdtContent>" * 150 + b"</w:sdtContent></w:sdt>" * 150
    return Case([str(_word(folder, {"word/document.xml": _document(deep)}))], says="嵌套层数过深")


def case_docx_broken_rels(folder: Path) -> Case:
    return Case([str(_word(folder, {"_rels/.rels": b"<Relationships"}))], says="_rels/.rels")


def case_docx_missing_rels(folder: Path) -> Case:
    return Case([str(_word(folder, {"_rels/.rels": None}))], says="不是有效的 Word")


def case_docx_broken_content_types(folder: Path) -> Case:
    return Case(
        [str(_word(folder, {"[Content_Types].xml": b"<Types><Default"}))],
        says="[Content_Types].xml",
    )


def case_docx_5_million_paragraphs(folder: Path) -> Case:
    """44 KB zipped; python-docx would build all of them."""
    word = _word(folder, {"word/document.xml": _document(b"<w:p/>" * 5_000_000)})
    return Case([str(word)], says="疑似压缩炸弹")


def case_docx_200000_paragraphs(folder: Path) -> Case:
    """Paragraphs that differ (so the package is no zip bomb): counted as they stream by."""
    paragraphs = b"".join(
        b"<w:p><w:r><w:t>%d</w:t></w:r></w:p>" % (n * 7919) for n in range(200_000)
    )
    word = _word(folder, {"word/document.xml": _document(paragraphs)})
    return Case([str(word)], says="段落过多")


def case_docx_vertical_merge_1100_rows(folder: Path) -> Case:
    """python-docx follows a vertical merge up the table recursively: RecursionError."""
    first = b'<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr>'
    rest = b"<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr>"
    table = (
        b"<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>"
        + first
        + rest * 1100
        + b"</w:tbl>"
    )
    word = _word(folder, {"word/document.xml": _document(b"<w:p/>" + table)})
    return Case([str(word)], code=(0, 1))


def case_docx_grid_span_a_million(folder: Path) -> Case:
    row = b'<w:tr><w:tc><w:tcPr><w:gridSpan w:val="1000000"/></w:tcPr><w:p/></w:tc></w:tr>'
    table = b"<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid>" + row * 100 + b"</w:tbl>"
    word = _word(folder, {"word/document.xml": _document(table)})
    return Case([str(word)], says="过宽")


def case_docx_zip_bomb(folder: Path) -> Case:
    word = _word(folder)
    with (
        zipfile.ZipFile(word, "a", zipfile.ZIP_DEFLATED) as package,
        package.open("word/media/zeros.bin", "w", force_zip64=True) as member,
    ):
        chunk = bytes(1 << 20)
        for _ in range(260):
            member.write(chunk)
    return Case([str(word)], says="解压后过大")


def case_import_docx_entity_expansion(folder: Path) -> Case:
    laughs = _document(b"<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", prolog=_LAUGHS)
    word = _word(folder, {"word/document.xml": laughs})
    return Case(["import", str(word)], says="DTD", located=False)


def case_xlsx_bad_xml(folder: Path) -> Case:
    excel = _excel(folder, {"xl/worksheets/sheet1.xml": _sheet_xml(b"<row r='1'>")})
    return Case([str(excel)], says="xl/worksheets/sheet1.xml 不是有效的 XML")


def case_xlsx_laughs(folder: Path) -> Case:
    sheet = _sheet_xml(b'<row r="1">' + _cell("A1", "&lol9;") + b"</row>", prolog=_LAUGHS)
    return Case([str(_excel(folder, {"xl/worksheets/sheet1.xml": sheet}))], says="DTD")


def case_xlsx_undefined_entity(folder: Path) -> Case:
    sheet = _sheet_xml(b'<row r="1">' + _cell("A1", "&nope;") + b"</row>")
    return Case([str(_excel(folder, {"xl/worksheets/sheet1.xml": sheet}))], says="未定义的实体")


def case_xlsx_one_cell_at_xfd1048576(folder: Path) -> Case:
    sheet = _sheet_xml(b'<row r="1048576">' + _cell("XFD1048576", "x") + b"</row>")
    return Case([str(_excel(folder, {"xl/worksheets/sheet1.xml": sheet}))], says="有内容")


def case_xlsx_empty_cell_at_xfd1048576(folder: Path) -> Case:
    """Formatting far away (common in real files): ignored, the sheet is read normally."""
    rows = b'<row r="1">' + _cell("A1", "部门整体支出绩效自评表") + b"</row>"
    rows += b'<row r="1048576"><c r="XFD1048576" s="0"/></row>'
    sheet = _sheet_xml(rows)
    return Case([str(_excel(folder, {"xl/worksheets/sheet1.xml": sheet}))], code=(0, 1))


def case_xlsx_merged_a3_to_xfd1048576(folder: Path) -> Case:
    rows = b'<row r="1">' + _cell("A1", "部门整体支出绩效自评表") + b"</row>"
    sheet = _sheet_xml(
        rows, after=b'<mergeCells count="1"><mergeCell ref="A3:XFD1048576"/></mergeCells>'
    )
    return Case([str(_excel(folder, {"xl/worksheets/sheet1.xml": sheet}))], code=(0, 1))


def case_xlsx_one_cell_in_row_1048576(folder: Path) -> Case:
    sheet = _sheet_xml(b'<row r="1048576">' + _cell("A1048576", "x") + b"</row>")
    return Case([str(_excel(folder, {"xl/worksheets/sheet1.xml": sheet}))], says="有内容")


def case_xlsx_200000_rows(folder: Path) -> Case:
    rows = b"".join(
        b'<row r="%d">' % n + _cell(f"A{n}", "1") + b"</row>" for n in range(1, 200_001)
    )
    sheet = _sheet_xml(rows)
    return Case([str(_excel(folder, {"xl/worksheets/sheet1.xml": sheet}))], says="有内容")


# ---- file names that are not UTF-8, and strings that would act on the terminal

_BYTES_NAME = os.fsdecode(b"\xff\xfe.json")


def _named(folder: Path, name: str, text: str | None = None) -> Path:
    path = folder / name
    path.write_bytes((REPORT_TEXT if text is None else text).encode("utf-8"))
    return path


def _parses_as_json(run: Measured) -> str | None:
    try:
        json.loads(run.stdout)
    except ValueError as exc:
        return f"the output is not JSON: {exc}"
    return None


def case_name_bytes_json(folder: Path) -> Case:
    path = _named(folder, _BYTES_NAME)
    return Case(["--format", "json", str(path)], code=(1,), check=_parses_as_json)


def case_name_bytes_sarif(folder: Path) -> Case:
    path = _named(folder, _BYTES_NAME)
    return Case(["--format", "sarif", str(path)], code=(1,), check=_parses_as_json)


def case_name_bytes_gitlab(folder: Path) -> Case:
    path = _named(folder, _BYTES_NAME)
    return Case(["--format", "gitlab", str(path)], code=(1,), check=_parses_as_json)


def case_name_bytes_junit(folder: Path) -> Case:
    return Case(["--format", "junit", str(_named(folder, _BYTES_NAME))], code=(1,))


def case_name_bytes_github(folder: Path) -> Case:
    return Case(["--format", "github", str(_named(folder, _BYTES_NAME))], code=(1,))


def case_name_bytes_text_strict_stdout(folder: Path) -> Case:
    def check(run: Measured) -> str | None:
        return None if "\\xff\\xfe.json" in run.stdout else "the name is not shown escaped"

    return Case(
        [str(_named(folder, _BYTES_NAME))],
        code=(1,),
        env={"PYTHONIOENCODING": "utf-8:strict"},
        check=check,
    )


def case_name_bytes_unreadable(folder: Path) -> Case:
    path = _named(folder, _BYTES_NAME, "{")
    return Case([str(path)], env={"PYTHONIOENCODING": "utf-8:strict"}, says="\\xff\\xfe.json")


def case_name_with_a_newline_unreadable(folder: Path) -> Case:
    path = _named(folder, "evil\nx.json:1:1: 错误 forged.json", "{")
    return Case([str(path)], says="evil\\nx.json")


def case_name_with_escapes_in_text_output(folder: Path) -> Case:
    return Case([str(_named(folder, "a\x1b]0;pwned\x07\x1b[2J.json"))], code=(1,))


_HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x1b]8;;http://evil.example/\x1b\\点这里\x1b]8;;\x1b\\\r覆盖"


def _hostile_report(folder: Path) -> Path:
    """The sample with a hostile 三级指标 in a row that fails, and a hostile unit name."""
    data = _sample_data()
    data["单位名称"] = _HOSTILE
    row = data["绩效指标"][0]["指标"][0]
    row["三级指标"] = _HOSTILE
    row["得分"] = 999
    return _write_json(folder / "r.json", data)


def _escaped(run: Measured) -> str | None:
    return None if "\\x1b]0;pwned" in run.stdout + run.stderr else "the escapes are not shown"


def case_escapes_in_report_strings_text(folder: Path) -> Case:
    return Case([str(_hostile_report(folder))], code=(1,), check=_escaped)


def case_escapes_in_report_strings_concise(folder: Path) -> Case:
    return Case(["--format", "concise", str(_hostile_report(folder))], code=(1,), check=_escaped)


def case_escapes_in_report_strings_github(folder: Path) -> Case:
    return Case(["--format", "github", str(_hostile_report(folder))], code=(1,), check=_escaped)


def case_escapes_in_report_strings_json(folder: Path) -> Case:
    return Case(
        ["--format", "json", str(_hostile_report(folder))], code=(1,), check=_parses_as_json
    )


_YAML_HOSTILE = '"\\e]0;pwned\\a\\e[2J\\r覆盖"'


def _hostile_rules(folder: Path) -> Path:
    rule = rule_yaml(
        "H100", "自评分数 > 1000", title=_YAML_HOSTILE, message=_YAML_HOSTILE, explain=_YAML_HOSTILE
    )
    return _rules(folder, "rules:\n" + rule)


def case_escapes_in_rule_texts(folder: Path) -> Case:
    args = ["--rules", str(_hostile_rules(folder)), str(_report(folder))]
    return Case(args, code=(1,), check=_escaped)


def case_escapes_in_explain(folder: Path) -> Case:
    args = ["explain", "H100", "--rules", str(_hostile_rules(folder))]
    return Case(args, code=(0,), check=_escaped)


def case_escapes_in_the_rules_table(folder: Path) -> Case:
    rules = _rules(
        folder, "rules:\n" + rule_yaml("H100", title='"[link=http://evil/]x[/link]\\e[2J"')
    )
    return Case(["rules", "--rules", str(rules)], code=(0,))


def case_escapes_in_an_explanation_reason(folder: Path) -> Case:
    explanations = folder / "e.yaml"
    explanations.write_text(
        f"explanations:\n  - {{file: r.json, rule: EC308, reason: {_YAML_HOSTILE}}}\n",
        encoding="utf-8",
    )
    args = ["--verbose", "--explanations", str(explanations), str(_report(folder))]
    return Case(args, code=(0, 1))


def case_config_select_forges_an_error_line(folder: Path) -> Case:
    (folder / ".evalcheck.yaml").write_text(
        'select: ["EC1\\n/etc/passwd:1:1: 错误 forged line"]\n', encoding="utf-8"
    )
    return Case([str(_report(folder))], says="不对应任何规则", located=False)


# ---- configuration read as TOML, not searched with regular expressions


def _pyproject(folder: Path, text: str | bytes) -> Path:
    path = folder / "pyproject.toml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def case_pyproject_invalid_utf8(folder: Path) -> Case:
    _pyproject(folder, b'[tool.evalcheck]\nignore = ["EC310"]\n# \xff\n')
    return Case([str(_report(folder))], says="不是有效的 UTF-8 编码")


def case_pyproject_tool_table_inline(folder: Path) -> Case:
    _pyproject(folder, '[tool]\nevalcheck = {format = "json"}\n')
    return Case([str(_report(folder))], code=(1,), check=_parses_as_json)


def case_pyproject_dotted_keys(folder: Path) -> Case:
    _pyproject(folder, 'tool.evalcheck.format = "json"\n')
    return Case([str(_report(folder))], code=(1,), check=_parses_as_json)


def case_pyproject_nan_in_a_band(folder: Path) -> Case:
    _pyproject(folder, '[tool.evalcheck.params.EC306."等次"]\n"优秀" = nan\n"良好" = 80\n')
    return Case([str(_report(folder))], says="不允许 nan 或 inf")


def case_pyproject_inf_in_a_band(folder: Path) -> Case:
    _pyproject(folder, '[tool.evalcheck.params.EC306]\n"等次" = {"优秀" = inf}\n')
    return Case([str(_report(folder))], says="不允许 nan 或 inf")


def case_pyproject_5000_digit_integer(folder: Path) -> Case:
    _pyproject(folder, '[tool.evalcheck.params.EC306."等次"]\n"优秀" = ' + "9" * 5000 + "\n")
    return Case([str(_report(folder))], says="数字过长")


def case_pyproject_lists_2000_deep(folder: Path) -> Case:
    _pyproject(folder, "[tool.evalcheck]\nx = " + "[" * 2000 + "]" * 2000 + "\n")
    return Case([str(_report(folder))], says="嵌套层数过深")


def case_pyproject_too_big_walking_up(folder: Path) -> Case:
    _sparse(folder / "pyproject.toml", 2 * MiB)
    return Case([str(_report(folder / "sub"))], says="文件过大（超过 1 MiB）")


def case_pyproject_fifo(folder: Path) -> Case:
    _fifo(folder / "pyproject.toml")
    return Case([str(_report(folder))], code=(1,))


# ---- baselines and explanations


def case_baseline_5000_digit_integer(folder: Path) -> Case:
    baseline = folder / "b.json"
    baseline.write_text('{"version": ' + "9" * 5000 + ', "findings": []}', encoding="utf-8")
    return Case(["--baseline", str(baseline), str(_report(folder))], code=(1,))


def case_baseline_100000_brackets(folder: Path) -> Case:
    baseline = folder / "b.json"
    baseline.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    return Case(["--baseline", str(baseline), str(_report(folder))], says="嵌套层数过深")


def case_baseline_fifo(folder: Path) -> Case:
    args = ["--baseline", str(_fifo(folder / "b.json")), str(_report(folder))]
    return Case(args, says="命名管道")


def case_baseline_too_big(folder: Path) -> Case:
    args = ["--baseline", str(_sparse(folder / "b.json", 65 * MiB)), str(_report(folder))]
    return Case(args, says="文件过大")


def case_explanations_20000_entries(folder: Path) -> Case:
    """Each one stale: finding its index in the list made the file quadratic (34 s)."""
    entries = "".join(
        f'  - {{file: r.json, rule: EC308, path: "绩效指标[{n}]", reason: 说明{n}}}\n'
        for n in range(20_000)
    )
    explanations = folder / "e.yaml"
    explanations.write_text("explanations:\n" + entries, encoding="utf-8")
    args = ["-q", "--format", "concise", "--explanations", str(explanations), str(_report(folder))]
    return Case(args, code=(1,))


def case_explanations_too_big(folder: Path) -> Case:
    explanations = _sparse(folder / "e.yaml", 17 * MiB)
    args = ["--explanations", str(explanations), str(_report(folder))]
    return Case(args, says="文件过大（超过 16 MiB）")


def _deep_folder(root: Path, levels: int) -> Path:
    """``root/d/d/…/d`` made one level at a time (``mkdir(parents=True)`` recurses)."""
    deep = str(root)
    os.mkdir(deep)
    for _ in range(levels):
        deep = os.path.join(deep, "d")
        os.mkdir(deep)
    return Path(deep)


def _remove_deep(root: Path) -> Callable[[], None]:
    """Removal bottom-up, iteratively (``shutil.rmtree`` recurses too)."""

    def remove() -> None:
        folders = [str(root)]
        while True:
            below = os.path.join(folders[-1], "d")
            if not os.path.isdir(below):
                break
            folders.append(below)
        for folder in reversed(folders):
            for entry in os.listdir(folder):
                path = os.path.join(folder, entry)
                if not os.path.isdir(path) or os.path.islink(path):
                    os.unlink(path)
            os.rmdir(folder)

    return remove


def case_reports_folder_1100_deep(folder: Path) -> Case:
    _report(_deep_folder(folder / "reports", 1100))
    args = [str(folder / "reports")]
    return Case(args, code=(1,), cleanup=_remove_deep(folder / "reports"))


ROUND_TWO: dict[str, Callable[[Path], Case]] = {
    name.removeprefix("case_").replace("_", "-"): maker
    for name, maker in sorted(globals().items())
    if name.startswith("case_") and callable(maker)
}
QUICK_ROUND_TWO = {
    "fifo-report",
    "base60-report-tag",
    "cache-for-each-cap",
    "groups-300-by-600",
    "out-is-the-report",
    "docx-entity-expansion",
    "escapes-in-report-strings-text",
    "pyproject-dotted-keys",
}


def corpus_round_two(quick: bool, folder: Path) -> Tally:
    tally = Tally()
    names = [n for n in ROUND_TWO if not quick or n in QUICK_ROUND_TWO]

    def one(name: str) -> None:
        case_folder = folder / name
        case_folder.mkdir()
        run, problems = run_case(name, case_folder)
        tally.add(f"round2:{name}", run, broken=problems)

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(one, names))
    return tally


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

    def add(
        self,
        name: str,
        run: Measured,
        inputs: int = 1,
        outcomes: list[bool] | None = None,
        broken: list[str] | None = None,
    ) -> None:
        """``outcomes``: per input of a batch, whether it was refused (else: checked).
        ``broken``: promises a round-two case broke (counted as a crash, with the reason)."""
        self.tried += inputs
        if run.timed_out:
            self.hangs.append(name)
        elif run.crashed or broken:
            self.crashes.append(f"{name} ({'; '.join(broken or ['crash'])})")
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
        for name in ("bombs", "mutations", "round-two"):
            (folder / name).mkdir()
        return {
            "JSONTestSuite": corpus_json_suite(quick),
            "hostile rules": corpus_rules(quick),
            "resource bombs": corpus_bombs(quick, folder / "bombs"),
            "random mutations": corpus_mutations(quick, folder / "mutations"),
            "round two": corpus_round_two(quick, folder / "round-two"),
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
