"""Mutation benchmark for diagnosis (issue #17): inject clerks' errors, measure what evalcheck says.

Usage: ``python bench/mutate.py [--cases N] [--seed S] [--jobs J] [--json FILE] [--classes A,B]
[--generator narrative|plain]``

Clean sources are the generator's clean reports (``bench/generate.py``'s ``make_report`` with a
fixed seed) and the two samples (Beita with its known 年初预算数 error corrected in table and
prose, Zhanjiang as it is); a sample's figures that its own remaining warnings read are never
mutated, and findings it already has are not counted.  Each mutation class is a small function
returning the figures it changes (the ground truth: path, original, mutated, and for formula
slips the kind).  Every mutated report is written to a file and checked with the public
``evalcheck.check(path)``; each finding is read in its ``--format json`` form, so the classifier
(:func:`classify`) works the same on the CLI's output.  Case ``i`` of a class depends only on
``(seed, class, i)``: the results are the same for any ``--jobs``.

See bench/README.md ("Mutation benchmark") for what each column means.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import importlib.util
import itertools
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent / "samples"

Tree = dict[str, Any]
Key = tuple[str | int, ...]  # a key path in a report: ("绩效指标", 0, "指标", 3, "得分")
Finding = Mapping[str, Any]  # one finding as ``--format json`` prints it


def _load_generator() -> ModuleType:
    """bench/generate.py, whether this file runs as a script or is loaded by a test."""
    name = "bench_generate"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, HERE / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


generate = _load_generator()

# --- figures as printed -----------------------------------------------------------------------

_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(%|％|万元|万|元|人|名|分)?\s*$")
ALARMS = ("error", "warning")
RATE_KEYS = ("执行率", "编制控制率")
COUNT_KEYS = ("编制数", "实际在职人数", "离退休人数", "遗属补助人数", "自评小组人数")
COLUMNS = ("上年决算数", "本年预算数", "本年决算数")
RATE_BOUND = Decimal(200)  # a printed rate above 200 % is not a rate a report can have
FULL_MARKS = Decimal(100)


def fmt(path: Key) -> str:
    """``("绩效指标", 0, "指标", 3, "得分")`` → ``绩效指标[0].指标[3].得分`` (evalcheck's spelling)."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


_PART = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def parse_path(text: str) -> Key:
    """The inverse of :func:`fmt`."""
    return tuple(int(m[1]) if m[1] is not None else m[2] for m in _PART.finditer(text))


def get(tree: Any, path: Key) -> Any:
    for part in path:
        if isinstance(tree, dict) and isinstance(part, str):
            tree = tree.get(part)
        elif isinstance(tree, list) and isinstance(part, int) and 0 <= part < len(tree):
            tree = tree[part]
        else:
            return None
    return tree


def put(tree: Any, path: Key, value: Any) -> None:
    get(tree, path[:-1])[path[-1]] = value


def text_of(value: Any) -> str:
    """A leaf as the report prints it (Decimal keeps its trailing zeros)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if value is None:
        return ""
    return str(value)


def number(value: Any) -> Decimal | None:
    """The number a printed figure shows, percent and unit signs dropped (95.70% → 95.70)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    match = _NUMBER.match(str(value))
    return Decimal(match[1]) if match else None


def is_figure(value: Any) -> bool:
    return number(value) is not None


def like(original: Any, text: str) -> Any:
    """The mutated text as a value of the original's JSON type (a number stays a number)."""
    if isinstance(original, str):
        return text
    value = Decimal(text)
    return int(value) if "." not in text else value


def places(text: str) -> int:
    match = re.search(r"\.(\d+)", text)
    return len(match[1]) if match else 0


def percent_text(numerator: Decimal, denominator: Decimal, decimals: int) -> str:
    value = numerator * 100 / denominator
    return f"{value.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)}%"


def score_text(value: Decimal, like_text: str) -> str:
    """A score printed like the one it replaces: ``10.00`` stays two-decimal when whole, a
    score printed as it came out (``9.069``) gets the decimals its new value needs."""
    if value == value.to_integral_value():
        old = number(like_text)
        whole = old is not None and old == old.to_integral_value()
        return format(value.quantize(Decimal(1).scaleb(-(places(like_text) if whole else 0))), "f")
    return format(value.normalize(), "f")


def render(tree: Any) -> str:
    """JSON with two-space indent; Decimal written as printed (``10.00`` stays ``10.00``)."""
    out: list[str] = []
    _write(tree, "\n", out)
    out.append("\n")
    return "".join(out)


def _write(value: Any, newline: str, out: list[str]) -> None:
    if isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        for i, (key, item) in enumerate(value.items()):
            out.append(
                ("{" if i == 0 else ",") + inner + json.dumps(key, ensure_ascii=False) + ": "
            )
            _write(item, inner, out)
        out.append(newline + "}")
    elif isinstance(value, list):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        for i, item in enumerate(value):
            out.append(("[" if i == 0 else ",") + inner)
            _write(item, inner, out)
        out.append(newline + "]")
    elif isinstance(value, Decimal):
        out.append(format(value, "f"))
    else:
        out.append(json.dumps(value, ensure_ascii=False))


def parse(text: str) -> Tree:
    tree: Tree = json.loads(text, parse_float=Decimal)
    return tree


def leaves(tree: Any, path: Key = ()) -> Iterator[tuple[Key, Any]]:
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from leaves(value, (*path, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            yield from leaves(value, (*path, index))
    else:
        yield path, tree


def differences(a: Tree, b: Tree) -> set[str]:
    """Paths of the leaves whose printed text differs (or exist in one tree only)."""
    left = {fmt(p): text_of(v) for p, v in leaves(a)}
    right = {fmt(p): text_of(v) for p, v in leaves(b)}
    return {p for p in left.keys() | right.keys() if left.get(p) != right.get(p)}


# --- sources ----------------------------------------------------------------------------------

POOL = 400  # generated clean reports the cases draw from
BEITA = "sample:shaoyang-beita-2023"
ZHANJIANG = "sample:zhanjiang-2024"


@dataclass(frozen=True)
class Source:
    """A clean report, with what evalcheck already says about it."""

    name: str
    tree: Tree
    baseline: frozenset[tuple[str, str]]  # (rule, path) of its error and warning findings
    diagnoses: frozenset[str]  # diagnoses it already carries (canonical JSON)
    busy: frozenset[str]  # figures those findings read: never mutated
    prose: str  # the 正文, to tell figures the prose repeats


def _sample_tree(name: str) -> Tree:
    path = SAMPLES / f"{name.split(':', 1)[1]}.json"
    tree = parse(path.read_text(encoding="utf-8"))
    if name == BEITA:  # the sample's own error (EC103), in the table and in the prose
        tree["预算执行"]["年初预算数"] = Decimal("303.58")
        for section in tree.get("正文", []):
            if isinstance(section.get("内容"), str):
                section["内容"] = section["内容"].replace(
                    "年初预算数为262.78万元", "年初预算数为303.58万元"
                )
    return tree


AMOUNT_SECTIONS = ("收支情况", "预算执行", "基本支出", "项目支出", "支出功能分类", "经费控制情况")


def two_decimals(tree: Tree) -> Tree:
    """Amounts printed to the fen, as the forms print them.  The generator writes floats, so
    547.20 comes out as ``547.2``, which evalcheck reads as ±0.05: that hides slips of a few
    fen in every sum the figure is in.  Zero stays ``0``; scores and rates are left alone."""
    for path, value in list(leaves(tree)):
        if (
            isinstance(value, Decimal)
            and path[0] in AMOUNT_SECTIONS
            and kind_of(path) == "amount"
            and places(text_of(value)) < 2
        ):
            put(tree, path, value.quantize(Decimal("0.01")))
    return tree


GENERATORS = ("plain", "narrative")  # the generator's setting a generated source is made with


def source_tree(name: str, seed: int) -> Tree:
    """A clean source: a sample (Beita corrected), or ``make_report(index, seed)`` with its
    amounts printed to two decimals — ``plain:…`` as the generator makes it, ``narrative:…``
    with its 正文 restating figures of the tables (``generate.narrate``)."""
    if name.startswith("sample:"):
        return _sample_tree(name)
    setting, _, index_text = name.split(":")
    index = int(index_text)
    report = generate.make_report(index, seed)
    if setting == "narrative":
        generate.narrate(report, index, seed)
    return two_decimals(parse(generate.render(report)))


@cache
def source(name: str, seed: int) -> Source:
    tree = source_tree(name, seed)
    findings, _ = run_check(tree)
    alarms = [f for f in findings if f["severity"] in ALARMS]
    prose = "".join(str(s.get("内容", "")) for s in tree.get("正文", []) if isinstance(s, dict))
    return Source(
        name=name,
        tree=tree,
        baseline=frozenset((f["rule"], f["path"]) for f in alarms),
        diagnoses=frozenset(_canonical(d) for d in diagnoses_of(findings)),
        busy=frozenset(p for f in alarms for p in _finding_paths(f)),
        prose=prose,
    )


def source_names(
    index: int, attempt: int, rng: random.Random, seed: int, generator: str = "plain"
) -> str:
    """Case ``index``'s source: one case in ten from each sample (first attempt only)."""
    if attempt == 0 and index % 10 == 0:
        return BEITA
    if attempt == 0 and index % 10 == 5:
        return ZHANJIANG
    return f"{generator}:{seed}:{rng.randrange(POOL)}"


# --- where the figures are --------------------------------------------------------------------

REGIONS = ("budget", "execution", "cost", "staffing", "scores")
THREE_PUBLIC_ROWS: tuple[Key, ...] = (
    (),
    ("公务用车购置及运行维护费",),
    ("公务用车购置及运行维护费", "公车购置"),
    ("公务用车购置及运行维护费", "公车运行维护"),
    ("出国经费",),
    ("公务接待",),
)
THREE_PUBLIC: Key = ("经费控制情况", "三公经费")
SIBLING_GROUPS: tuple[Key, ...] = (
    ("预算执行", "按收入性质分"),
    ("预算执行", "按支出性质分"),
    ("支出功能分类",),
    ("收支情况", "收入构成"),
    ("人员编制", "编制构成"),
)


def targets(tree: Tree) -> dict[str, list[Key]]:
    """Printed figures some equality rule reads, by region (the parts of a report that no
    identity joins: a slip in one region cannot break a check of another)."""
    found: dict[str, list[Key]] = {r: [] for r in REGIONS}

    def add(region: str, path: Key) -> None:
        if is_figure(get(tree, path)):
            found[region].append(path)

    for key in ("年初预算", "决算", "人员经费", "公用经费"):
        add("budget", ("基本支出", key))
    for key in ("年初预算", "决算"):
        add("budget", ("项目支出", key))
    for key in ("年初预算数", "全年预算数", "全年执行数"):
        add("budget", ("预算执行", key))
    for key in ("收入合计", "年初结转和结余", "支出合计", "年末结转和结余"):
        add("budget", ("收支情况", key))
    for parent in SIBLING_GROUPS:
        group = get(tree, parent)
        if isinstance(group, dict):
            for key in group:
                add("staffing" if parent[0] == "人员编制" else "budget", (*parent, key))
    for key in ("执行率", "得分"):
        add("execution", ("预算执行", key))
    for row in THREE_PUBLIC_ROWS:
        for column in COLUMNS:
            add("cost", (*THREE_PUBLIC, *row, column))
    for key in ("编制数", "实际在职人数", "编制控制率"):
        add("staffing", ("人员编制", key))
    groups = get(tree, ("绩效指标",))
    if isinstance(groups, list):
        for g, group in enumerate(groups):
            add("scores", ("绩效指标", g, "分值"))
            rows = group.get("指标") if isinstance(group, dict) else None
            for i in range(len(rows) if isinstance(rows, list) else 0):
                add("scores", ("绩效指标", g, "指标", i, "分值"))
                add("scores", ("绩效指标", g, "指标", i, "得分"))
    for path in (("总分", "得分"), ("总分", "分值"), ("自评分数",)):
        add("scores", path)
    return found


def free(src: Source, paths: Iterable[Key]) -> list[Key]:
    """The paths no finding of the clean source reads."""
    return [p for p in paths if fmt(p) not in src.busy]


# --- mutations --------------------------------------------------------------------------------


@dataclass
class Mutation:
    """What a mutation class returns: new values by path, the formula slip, a short note."""

    values: dict[Key, Any]
    note: str
    formula: str | None = None
    groups: list[list[Key]] | None = None  # independent errors (two-error cases)
    # The figures a slip in the 正文 changes, as evalcheck reads the prose (正文数据 paths →
    # original and mutated text), when ``values`` only replaces a section's text.
    stated: dict[Key, tuple[str, str]] | None = None


Mutator = Callable[[Source, random.Random, "list[Key] | None"], Mutation | None]


def _all_targets(src: Source, allowed: list[Key] | None) -> list[Key]:
    paths = free(src, itertools.chain.from_iterable(targets(src.tree).values()))
    return paths if allowed is None else [p for p in paths if p in allowed]


def _split(text: str) -> tuple[str, str, str] | None:
    match = re.match(r"^(\s*)(\d+(?:\.\d+)?)(.*)$", text, re.S)
    return None if match is None else (match[1], match[2], match[3])


def kind_of(path: Key) -> str:
    """rate, count, score or amount: what the figure at ``path`` measures."""
    last = path[-1] if path else ""
    if last in RATE_KEYS:
        return "rate"
    if last in COUNT_KEYS or path[:2] == ("人员编制", "编制构成"):
        return "count"
    if last in ("得分", "分值", "自评分数"):
        return "score"
    return "amount"


def unit(path: Key, *texts: str) -> Decimal:
    """One unit of the last printed decimal.  Amounts are to the fen whatever JSON prints
    (``45.50`` is written ``45.5``), so never coarser than 0.01 for them."""
    decimals = max(places(t) for t in texts)
    if kind_of(path) == "amount":
        decimals = max(decimals, 2)
    return Decimal(1).scaleb(-decimals)


def coarsest(*texts: str) -> Decimal:
    """One unit of the last decimal of the least precise of these printed figures."""
    return max(Decimal(1).scaleb(-places(t)) for t in texts)


def _changed_enough(path: Key, old: str, new: str) -> bool:
    """A slip, not a rounding: the value moves by more than one unit of the coarser printed
    last place (6976.86 → 6976.8 is within what "6976.8" can mean, so it is not generated)."""
    a, b = number(old), number(new)
    if a is None or b is None or new == old:
        return False
    return abs(a - b) > max(coarsest(old, new), unit(path, old, new))


def digit_slip(text: str, how: str, rng: random.Random, path: Key = ("金额",)) -> str | None:
    """One typing slip in a printed figure, or None when it does not apply there."""
    parts = _split(text)
    if parts is None:
        return None
    lead, body, tail = parts
    digits = [i for i, c in enumerate(body) if c.isdigit()]
    if how == "transposition":
        pairs = [
            i
            for i in range(len(body) - 1)
            if body[i].isdigit() and body[i + 1].isdigit() and body[i] != body[i + 1]
        ]
        if not pairs:
            return None
        i = rng.choice(pairs)
        body = body[:i] + body[i + 1] + body[i] + body[i + 2 :]
    elif how == "dropped-digit":
        if len(digits) < 2:
            return None
        i = rng.choice(digits)
        body = body[:i] + body[i + 1 :]
    elif how == "extra-digit":
        i = rng.choice(digits)
        extra = body[i] if rng.random() < 0.5 else rng.choice("0123456789")
        body = body[:i] + extra + body[i:]
    elif how == "wrong-digit":
        i = rng.choice(digits)
        body = body[:i] + rng.choice([d for d in "0123456789" if d != body[i]]) + body[i + 1 :]
    elif how == "decimal-point":
        whole, _, frac = body.partition(".")
        if rng.random() < 0.5:  # one place right: ×10
            body = whole + frac[:1] + ("." + frac[1:] if frac[1:] else "") if frac else body + "0"
        elif kind_of(path) == "count":
            return None
        else:  # one place left: ÷10
            body = (whole[:-1] or "0") + "." + whole[-1] + frac
    else:
        raise ValueError(how)
    if body.startswith(".") or body.endswith("."):
        return None
    if len(body) > 1 and body[0] == "0" and body[1] != ".":
        body = body.lstrip("0") or "0"  # a leading zero is not printed
    if body.startswith("."):
        body = "0" + body
    new = lead + body + tail
    return new if _changed_enough(path, text, new) else None


def _digit(how: str) -> Mutator:
    def mutate(src: Source, rng: random.Random, allowed: list[Key] | None) -> Mutation | None:
        paths = _all_targets(src, allowed)
        rng.shuffle(paths)
        for path in paths:
            old = get(src.tree, path)
            new = digit_slip(text_of(old), how, rng, path)
            if new is not None:
                return Mutation({path: like(old, new)}, f"{fmt(path)} {text_of(old)} → {new}")
        return None

    mutate.__name__ = how
    return mutate


def _neighbours(tree: Tree, path: Key, relation: str) -> list[Key]:
    """Figures a clerk copies from: the adjacent row or item, another column, last year."""
    key = path[-1]
    found: list[Key] = []
    if relation == "row":
        if len(path) >= 2 and isinstance(path[-2], int):  # table rows: the same cell above/below
            found = [(*path[:-2], path[-2] + d, key) for d in (-1, 1) if path[-2] + d >= 0]
        elif key in COLUMNS:  # 三公经费 parts: the same column of the adjacent row
            rows = get(tree, path[:-2])
            names = [k for k, v in rows.items() if isinstance(v, dict)] if rows else []
            if path[-2] in names:
                i = names.index(str(path[-2]))
                found = [(*path[:-2], names[j], key) for j in (i - 1, i + 1) if 0 <= j < len(names)]
        elif path[:-1] in SIBLING_GROUPS or path[:-1] == ("基本支出",):
            parent = get(tree, path[:-1])
            names = [k for k, v in parent.items() if is_figure(v)]
            if path[:-1] == ("基本支出",):
                names = [k for k in names if k in ("人员经费", "公用经费")]
            if key in names:
                i = names.index(str(key))
                found = [(*path[:-1], names[j]) for j in (i - 1, i + 1) if 0 <= j < len(names)]
    elif relation == "column":
        row = {
            "本年决算数": ("本年预算数",),
            "全年执行数": ("全年预算数",),
            "全年预算数": ("年初预算数", "全年执行数"),
            "年初预算数": ("全年预算数",),
            "决算": ("全年预算", "年初预算"),
            "得分": ("分值",),
        }
        found = [(*path[:-1], other) for other in row.get(str(key), ())]
    elif relation == "last-year" and key in ("本年决算数", "本年预算数"):
        found = [(*path[:-1], "上年决算数")]
    return [p for p in found if is_figure(get(tree, p))]


def _copy(relation: str) -> Mutator:
    def mutate(src: Source, rng: random.Random, allowed: list[Key] | None) -> Mutation | None:
        paths = _all_targets(src, allowed)
        rng.shuffle(paths)
        for path in paths:
            old = get(src.tree, path)
            options = [
                n
                for n in _neighbours(src.tree, path, relation)
                if number(get(src.tree, n)) != number(old)
            ]
            if options:
                origin = rng.choice(options)
                new = text_of(get(src.tree, origin))
                if isinstance(old, str) and not isinstance(get(src.tree, origin), str):
                    new = new + ("%" if old.endswith(("%", "％")) else "")
                if not _changed_enough(path, text_of(old), new):
                    continue
                value = like(old, new) if isinstance(old, str) else get(src.tree, origin)
                return Mutation(
                    {path: copy.deepcopy(value)},
                    f"{fmt(path)} {text_of(old)} → {new} (copied from {fmt(origin)})",
                )
        return None

    mutate.__name__ = f"copied-{relation}"
    return mutate


def _scored_rows(tree: Tree) -> list[Key]:
    found: list[Key] = []
    for g, group in enumerate(get(tree, ("绩效指标",)) or []):
        for i, row in enumerate(group.get("指标", []) if isinstance(group, dict) else []):
            if isinstance(row, dict) and is_figure(row.get("得分")) and is_figure(row.get("分值")):
                found.append(("绩效指标", g, "指标", i))
    return found


SCORE_STEPS = [Decimal(s) for s in ("-2", "-1", "-1", "-0.5", "0.5", "1", "2")]


def indicator_score(src: Source, rng: random.Random, allowed: list[Key] | None) -> Mutation | None:
    """An indicator's 得分 changed (within 0 … 分值); the 总分 left as printed."""
    rows = [
        r for r in _scored_rows(src.tree) if not {fmt((*r, "得分")), fmt((*r, "分值"))} & src.busy
    ]
    rng.shuffle(rows)
    for row in rows:
        old, top = get(src.tree, (*row, "得分")), number(get(src.tree, (*row, "分值")))
        value = number(old)
        assert value is not None and top is not None
        steps = [s for s in SCORE_STEPS if 0 <= value + s <= top]
        if steps:
            new = score_text(value + rng.choice(steps), text_of(old))
            path = (*row, "得分")
            return Mutation({path: like(old, new)}, f"{fmt(path)} {text_of(old)} → {new}")
    return None


def total_score_not_updated(
    src: Source, rng: random.Random, allowed: list[Key] | None
) -> Mutation | None:
    """总分 (and the 自评分数 typed from it) computed before one 得分 changed by 0.5–2 points."""
    total = get(src.tree, ("总分", "得分"))
    if not is_figure(total) or "总分.得分" in src.busy or not _scored_rows(src.tree):
        return None
    value = number(total)
    assert value is not None
    steps = [s for s in SCORE_STEPS if 0 <= value - s <= FULL_MARKS]
    new = score_text(value - rng.choice(steps), text_of(total))
    values: dict[Key, Any] = {("总分", "得分"): like(total, new)}
    stated = get(src.tree, ("自评分数",))
    if number(stated) == value and "自评分数" not in src.busy:
        values[("自评分数",)] = like(stated, score_text(number(new) or value, text_of(stated)))
    return Mutation(values, f"总分.得分 {text_of(total)} → {new}", formula="total-not-updated")


def _sums(tree: Tree) -> list[tuple[Key, list[Key]]]:
    """Totals and the parts they add up (parts left blank count as 0, as the rules say)."""
    found: list[tuple[Key, list[Key]]] = [
        (("基本支出", "决算"), [("基本支出", "人员经费"), ("基本支出", "公用经费")]),
        (("预算执行", "全年执行数"), [("基本支出", "决算"), ("项目支出", "决算")]),
        (("预算执行", "年初预算数"), [("基本支出", "年初预算"), ("项目支出", "年初预算")]),
    ]
    blocks: tuple[tuple[Key, Key], ...] = (
        (("预算执行", "全年预算数"), ("预算执行", "按收入性质分")),
        (("预算执行", "全年预算数"), ("预算执行", "按支出性质分")),
        (("收支情况", "收入合计"), ("收支情况", "收入构成")),
        (("收支情况", "支出合计"), ("支出功能分类",)),
        (("人员编制", "编制数"), ("人员编制", "编制构成")),
    )
    for total, parent in blocks:
        group = get(tree, parent)
        if isinstance(group, dict):
            found.append((total, [(*parent, k) for k in group]))
    car = (*THREE_PUBLIC, "公务用车购置及运行维护费")
    for column in COLUMNS:
        found.append(
            (
                (*THREE_PUBLIC, column),
                [
                    (*car, column),
                    (*THREE_PUBLIC, "出国经费", column),
                    (*THREE_PUBLIC, "公务接待", column),
                ],
            )
        )
        found.append(((*car, column), [(*car, "公车购置", column), (*car, "公车运行维护", column)]))
    for g, group in enumerate(get(tree, ("绩效指标",)) or []):
        rows = group.get("指标", []) if isinstance(group, dict) else []
        found.append(
            (
                ("绩效指标", g, "分值"),
                [("绩效指标", g, "指标", i, "分值") for i in range(len(rows))],
            )
        )
    holding: list[tuple[Key, list[Key]]] = []
    for total, parts in found:
        value = number(get(tree, total))
        present = [p for p in parts if is_figure(get(tree, p))]
        if (
            value is None
            or not present
            or any(get(tree, p) not in (None, {}) for p in parts if p not in present)
        ):
            continue
        if sum((number(get(tree, p)) or Decimal(0) for p in present), Decimal(0)) == value:
            holding.append((total, present))
    return holding


def total_not_updated(
    src: Source, rng: random.Random, allowed: list[Key] | None
) -> Mutation | None:
    """A total printed before one of its parts was revised by 3–25 % (amounts: by at least ten
    units of the coarsest printed last place, so rounding cannot absorb it): the total is stale."""
    sums = [(t, p) for t, p in _sums(src.tree) if fmt(t) not in src.busy and t[0] != "绩效指标"]
    sums += [(t, p) for t, p in _sums(src.tree) if fmt(t) not in src.busy and t[0] == "绩效指标"][
        :1
    ]
    rng.shuffle(sums)
    for total, parts in sums:
        old = get(src.tree, total)
        candidates = [p for p in parts if (number(get(src.tree, p)) or 0) > 0]
        if not candidates:
            continue
        part = rng.choice(candidates)
        value = number(get(src.tree, part))
        assert value is not None
        quantum = Decimal(1) if kind_of(total) in ("count", "score") else Decimal("0.01")
        share = Decimal(rng.randint(3, 25)) / 100 * rng.choice((-1, 1))
        draft = (value * (1 + share)).quantize(quantum, ROUND_HALF_UP)
        stale = (number(old) or Decimal(0)) - (value - draft)
        if draft == value or stale < 0:
            continue
        slack = coarsest(text_of(old), *(text_of(get(src.tree, p)) for p in parts))
        if kind_of(total) == "amount" and abs(value - draft) < 10 * slack:
            continue  # within what the parts' rounding can absorb: not a detectable slip
        new = format(stale.quantize(quantum), "f")
        if not _changed_enough(total, text_of(old), new):
            continue
        return Mutation(
            {total: like(old, new)},
            f"{fmt(total)} {text_of(old)} → {new} (as before {fmt(part)} was {draft} → {value})",
            formula="total-not-updated",
        )
    return None


def _execution(src: Source) -> dict[str, Any] | None:
    block = get(src.tree, ("预算执行",))
    need = ("年初预算数", "全年预算数", "全年执行数", "执行率", "得分", "分值")
    if not isinstance(block, dict) or not all(is_figure(block.get(k)) for k in need):
        return None
    if {fmt(("预算执行", k)) for k in need} & src.busy:
        return None
    return block


def initial_budget_denominator(
    src: Source, rng: random.Random, allowed: list[Key] | None
) -> Mutation | None:
    """执行率 = 全年执行数 ÷ 年初预算数 (not 全年预算数), its 得分 recomputed from that rate."""
    block = _execution(src)
    if block is None:
        return None
    initial, executed = number(block["年初预算数"]), number(block["全年执行数"])
    top, old_rate = number(block["分值"]), text_of(block["执行率"])
    assert initial is not None and executed is not None and top is not None
    if initial <= 0:
        return None
    rate = percent_text(executed, initial, max(places(old_rate), 2))
    if number(rate) == number(old_rate):
        return None
    rate_value = number(rate)
    assert rate_value is not None
    score = min(top, top * rate_value / 100)
    values: dict[Key, Any] = {("预算执行", "执行率"): like(block["执行率"], rate)}
    old_score = block["得分"]
    if score != number(old_score):
        values[("预算执行", "得分")] = like(old_score, score_text(score, text_of(old_score)))
    return Mutation(
        values,
        f"执行率 {old_rate} → {rate} = {text_of(block['全年执行数'])} ÷ {text_of(block['年初预算数'])}",
        formula="initial-budget-denominator",
    )


def _staffing(src: Source, *need: str) -> dict[str, Any] | None:
    block = get(src.tree, ("人员编制",))
    if not isinstance(block, dict) or not all(is_figure(block.get(k)) for k in need):
        return None
    if {fmt(("人员编制", k)) for k in need} & src.busy:
        return None
    return block


def inverted_ratio(src: Source, rng: random.Random, allowed: list[Key] | None) -> Mutation | None:
    """编制控制率 = 编制数 ÷ 实际在职人数 instead of 实际在职人数 ÷ 编制数."""
    block = _staffing(src, "编制数", "实际在职人数", "编制控制率")
    if block is None:
        return None
    staff, posts = number(block["实际在职人数"]), number(block["编制数"])
    assert staff is not None and posts is not None
    if staff == posts or staff == 0:
        return None
    old = text_of(block["编制控制率"])
    new = percent_text(posts, staff, places(old))
    return Mutation(
        {("人员编制", "编制控制率"): like(block["编制控制率"], new)},
        f"编制控制率 {old} → {new} = 编制数 ÷ 实际在职人数",
        formula="inverted-ratio",
    )


def retirees_in_staff(
    src: Source, rng: random.Random, allowed: list[Key] | None
) -> Mutation | None:
    """离退休人数 counted in 实际在职人数, 编制控制率 (when printed) recomputed to match."""
    block = _staffing(src, "编制数", "实际在职人数", "离退休人数")
    if block is None:
        return None
    staff, retired = number(block["实际在职人数"]), number(block["离退休人数"])
    posts = number(block["编制数"])
    assert staff is not None and retired is not None and posts is not None
    if retired <= 0 or posts <= 0:
        return None
    values: dict[Key, Any] = {
        ("人员编制", "实际在职人数"): like(block["实际在职人数"], str(staff + retired))
    }
    rate = block.get("编制控制率")
    if is_figure(rate) and "人员编制.编制控制率" not in src.busy:
        new = percent_text(staff + retired, posts, places(text_of(rate)))
        if new != text_of(rate):
            values[("人员编制", "编制控制率")] = like(rate, new)
    return Mutation(
        values,
        f"实际在职人数 {staff} → {staff + retired} (+ 离退休 {retired})",
        formula="retirees-in-staff",
    )


def percent_as_fraction(
    src: Source, rng: random.Random, allowed: list[Key] | None
) -> Mutation | None:
    """A rate printed as the fraction (0.9752 for 97.52%); nothing else changed."""
    paths: list[Key] = [("预算执行", "执行率"), ("人员编制", "编制控制率")]
    paths = [p for p in free(src, paths) if str(get(src.tree, p) or "").endswith(("%", "％"))]
    if not paths:
        return None
    path = rng.choice(paths)
    old = text_of(get(src.tree, path))
    value = number(old)
    assert value is not None
    new = format((value / 100).quantize(Decimal(1).scaleb(-(places(old) + 2))), "f")
    return Mutation({path: new}, f"{fmt(path)} {old} → {new}", formula="percent-as-fraction")


SINGLE_SLIPS = (
    "transposition",
    "dropped-digit",
    "extra-digit",
    "wrong-digit",
    "decimal-point",
    "copied-neighbour",
    "copied-column",
    "copied-last-year",
)


def two_errors(src: Source, rng: random.Random, allowed: list[Key] | None) -> Mutation | None:
    """Two single-figure slips in two regions that no identity joins."""
    found = targets(src.tree)
    regions = [r for r in ("budget", "cost", "staffing", "scores") if free(src, found[r])]
    if len(regions) < 2:
        return None
    chosen = rng.sample(regions, 2)
    values: dict[Key, Any] = {}
    notes, groups = [], []
    for region in chosen:
        for _ in range(10):
            mutation = MUTATORS[rng.choice(SINGLE_SLIPS)](src, rng, free(src, found[region]))
            if mutation is not None:
                break
        else:
            return None
        values.update(mutation.values)
        notes.append(mutation.note)
        groups.append(list(mutation.values))
    return Mutation(values, "; ".join(notes), groups=groups)


def _in_prose(src: Source, value: Any) -> bool:
    return bool(re.search(rf"(?<![\d.]){re.escape(text_of(value))}(?![\d])", src.prose))


def rounding_total(src: Source, rng: random.Random, allowed: list[Key] | None) -> Mutation | None:
    """A total moved by one unit of its last printed decimal where its parts' rounding allows
    it: only totals every rule reads beside at least two other printed figures (三公经费 and
    公务用车 columns, 收入合计), never one the prose repeats or a ≤ rule compares."""
    sums = [
        (t, p)
        for t, p in _sums(src.tree)
        if len(p) >= 2
        and (t[:2] == THREE_PUBLIC or t == ("收支情况", "收入合计"))
        and fmt(t) not in src.busy
        and not _in_prose(src, get(src.tree, t))
    ]
    rng.shuffle(sums)
    for total, _parts in sums:
        old = get(src.tree, total)
        value = number(old)
        assert value is not None
        last = unit(total, text_of(old))
        for step in rng.sample((last, -last), 2):
            new = value + step
            if new < 0:
                continue
            if total == (*THREE_PUBLIC, "本年决算数"):  # EC115: 决算 ≤ 预算
                budget = number(get(src.tree, (*THREE_PUBLIC, "本年预算数")))
                if budget is not None and new > budget:
                    continue
            if total == (*THREE_PUBLIC, "本年预算数"):
                spent = number(get(src.tree, (*THREE_PUBLIC, "本年决算数")))
                if spent is not None and new < spent:
                    continue
            text = format(new, "f")
            return Mutation({total: like(old, text)}, f"{fmt(total)} {text_of(old)} → {text}")
    return None


def rate_rerounded(src: Source, rng: random.Random, allowed: list[Key] | None) -> Mutation | None:
    """A rate printed with fewer decimals (97.52% → 97.5% or 98%), correctly rounded from the
    exact ratio; only where the 得分 computed from the printed rate stays within the new
    rate's rounding (so no rule can rightly fail)."""
    options = []
    execution = _execution(src)
    if execution is not None:
        options.append((("预算执行", "执行率"), execution["全年执行数"], execution["全年预算数"]))
    staffing = _staffing(src, "编制数", "实际在职人数", "编制控制率")
    if staffing is not None:
        options.append((("人员编制", "编制控制率"), staffing["实际在职人数"], staffing["编制数"]))
    rng.shuffle(options)
    for path, numerator, denominator in options:
        old = text_of(get(src.tree, path))
        a, b, printed = number(numerator), number(denominator), number(old)
        if a is None or b is None or printed is None or b == 0:
            continue
        for decimals in rng.sample(range(places(old)), places(old)):
            new = percent_text(a, b, decimals)
            shown = number(new)
            assert shown is not None
            half = Decimal(5).scaleb(-decimals - 1)
            if shown == printed or abs(printed - shown) >= half * Decimal("0.9"):
                continue
            if _in_prose(src, old):
                continue
            return Mutation({path: like(get(src.tree, path), new)}, f"{fmt(path)} {old} → {new}")
    return None


def compensating_pair(
    src: Source, rng: random.Random, allowed: list[Key] | None
) -> Mutation | None:
    """An amount moved from one part to another of a sum no other rule reads: every identity
    still holds, so nothing can be detected (the prose may still tell)."""
    groups: list[list[Key]] = []
    for parent in SIBLING_GROUPS:
        group = get(src.tree, parent)
        if isinstance(group, dict):
            groups.append([(*parent, k) for k in group])
    car = (*THREE_PUBLIC, "公务用车购置及运行维护费")
    for column in COLUMNS:
        groups.append([(*car, "公车购置", column), (*car, "公车运行维护", column)])
    groups = [free(src, [p for p in g if is_figure(get(src.tree, p))]) for g in groups]
    groups = [g for g in groups if len(g) >= 2]
    rng.shuffle(groups)
    for group in groups:
        a, b = rng.sample(group, 2)
        left, right = number(get(src.tree, a)), number(get(src.tree, b))
        assert left is not None and right is not None
        counts = kind_of(a) == "count"
        step = Decimal(1) if counts else Decimal("0.01")
        most = int(left * Decimal("0.3") / step)
        least = 1 if counts else 5
        if most < least:
            continue
        delta = step * rng.randint(least, most)
        quantum = Decimal(1).scaleb(-max(places(text_of(get(src.tree, a))), 0 if counts else 2))
        new_a, new_b = (left - delta).quantize(quantum), (right + delta).quantize(quantum)
        if _in_prose(src, get(src.tree, a)) and _in_prose(src, get(src.tree, b)):
            pass  # the prose may then tell: that is a detection, not a penalty
        return Mutation(
            {
                a: like(get(src.tree, a), format(new_a, "f")),
                b: like(get(src.tree, b), format(new_b, "f")),
            },
            f"{fmt(a)} −{delta}, {fmt(b)} +{delta}",
        )
    return None


# A figure of the 正文 with the unit that says what it counts (years and ordinals have none).
_PROSE_FIGURE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(万元|人|名|%|％|分)")
_PROSE_KIND: dict[str, Key] = {
    "万元": ("金额",),
    "人": ("编制数",),
    "名": ("编制数",),
    "%": ("执行率",),
    "％": ("执行率",),
}
PROSE_SLIPS = ("transposition", "dropped-digit", "extra-digit", "wrong-digit", "copied-neighbour")


def stated_figures(tree: Tree) -> dict[Key, str]:
    """The figures evalcheck reads from the 正文 (``正文数据``), by key path, as printed."""
    from evalcheck.inputs import load_bytes
    from evalcheck.report.narrative import with_statements

    data = with_statements(load_bytes(render(tree).encode("utf-8"), "r.json", "json")).data
    found = data.get("正文数据") if isinstance(data, dict) else None
    return {
        ("正文数据", *path): text_of(value)
        for path, value in leaves(found if isinstance(found, dict) else {})
        if number(value) is not None
    }


def prose_slip(src: Source, rng: random.Random, allowed: list[Key] | None) -> Mutation | None:
    """A figure of the 正文 mistyped the ways clerks mistype (a digit slip, or the figure beside
    it in the sentence copied), the tables as they were.  The truth is every field evalcheck
    reads the slipped figure into (the prose read before and after, compared): a figure it
    reads into no field is not drawn, and neither is one the source's own findings read."""
    sections = [
        (i, s["内容"])
        for i, s in enumerate(src.tree.get("正文") or [])
        if isinstance(s, dict) and isinstance(s.get("内容"), str)
    ]
    spots = [(i, m) for i, text in sections for m in _PROSE_FIGURE.finditer(text)]
    if not spots:
        return None
    before = stated_figures(src.tree)
    rng.shuffle(spots)
    for i, match in spots[:12]:
        text = src.tree["正文"][i]["内容"]
        old, sign = match[1], match[2]
        how = rng.choice(PROSE_SLIPS)
        if how == "copied-neighbour":
            start = max(text.rfind(c, 0, match.start()) for c in "。；") + 1
            ends = [e for e in (text.find(c, match.end()) for c in "。；") if e >= 0]
            sentence = text[start : min(ends, default=len(text))]
            others = [
                m[1] for m in _PROSE_FIGURE.finditer(sentence) if m[2] == sign and m[1] != old
            ]
            new = rng.choice(others) if others else None
        else:
            new = digit_slip(old, how, rng, _PROSE_KIND.get(sign, ("得分",)))
        if new is None or number(new) == number(old):
            continue
        report = copy.deepcopy(src.tree)
        changed = text[: match.start()] + new + text[match.start() + len(old) :]
        report["正文"][i]["内容"] = changed
        after = stated_figures(report)
        stated = {
            path: (before.get(path, ""), shown)
            for path, shown in after.items()
            if shown != before.get(path) and number(shown) == number(new)
        }
        if not stated or {fmt(p) for p in stated} & src.busy:
            continue
        return Mutation(
            {("正文", i, "内容"): changed},
            f"正文[{i}] {old}{sign} → {new}{sign} ({how}; read as {', '.join(map(fmt, stated))})",
            stated=stated,
        )
    return None


# Class → (family, mutator).  The order is the table's.
CLASSES: dict[str, tuple[str, Mutator]] = {
    "transposition": ("digit", _digit("transposition")),
    "dropped-digit": ("digit", _digit("dropped-digit")),
    "extra-digit": ("digit", _digit("extra-digit")),
    "wrong-digit": ("digit", _digit("wrong-digit")),
    "decimal-point": ("digit", _digit("decimal-point")),
    "copied-neighbour": ("copy", _copy("row")),
    "copied-column": ("copy", _copy("column")),
    "copied-last-year": ("copy", _copy("last-year")),
    "indicator-score": ("score", indicator_score),
    "total-score-not-updated": ("score", total_score_not_updated),
    "total-not-updated": ("total", total_not_updated),
    "initial-budget-denominator": ("formula", initial_budget_denominator),
    "inverted-ratio": ("formula", inverted_ratio),
    "retirees-in-staff": ("formula", retirees_in_staff),
    "percent-as-fraction": ("formula", percent_as_fraction),
    "two-errors": ("two", two_errors),
    "rounding-total": ("rounding", rounding_total),
    "rate-rerounded": ("rounding", rate_rerounded),
    "compensating-pair": ("compensating", compensating_pair),
    "prose-slip": ("prose", prose_slip),
}
MUTATORS: dict[str, Mutator] = {name: m for name, (_, m) in CLASSES.items()}
# Classes whose cases carry no error: their "detected" is a false alarm / not a penalty.
NOT_ERRORS = ("rounding", "compensating")


# --- cases ------------------------------------------------------------------------------------


@dataclass
class Change:
    path: str
    original: str
    mutated: str


@dataclass
class Case:
    """One mutated report and its ground truth."""

    kind: str
    family: str
    index: int
    source: str
    changes: list[Change]
    groups: list[list[str]]  # the independent errors (one group unless two-error)
    formula: str | None
    note: str
    report: Tree = field(repr=False)

    def truth(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "family": self.family,
            "index": self.index,
            "source": self.source,
            "changes": [vars(c) for c in self.changes],
            "groups": self.groups,
            "formula": self.formula,
            "note": self.note,
        }


def build_case(kind: str, index: int, seed: int, generator: str = "plain") -> Case:
    """Case ``index`` of a class: the first source (by a seeded draw) the class applies to.
    The draws do not depend on ``generator``: a narrative case is its plain twin with the
    正文 restating figures (as first written: the slip is in the table).  prose-slip cases
    are always drawn from narrative sources."""
    family, mutator = CLASSES[kind]
    if family == "prose":
        generator = "narrative"  # a slip in the prose needs a prose that states figures
    for attempt in range(200):
        rng = random.Random(f"{seed}:{kind}:{index}:{attempt}")
        name = source_names(index, attempt, rng, seed, generator)
        src = source(name, seed)
        mutation = mutator(src, rng, None)
        if mutation is None:
            continue
        report = copy.deepcopy(src.tree)
        changes = []
        for path, value in mutation.values.items():
            changes.append(Change(fmt(path), text_of(get(src.tree, path)), text_of(value)))
            put(report, path, value)
        groups = mutation.groups or [list(mutation.values)]
        if mutation.stated is not None:  # the figures the prose states, not the section's text
            changes = [Change(fmt(p), a, b) for p, (a, b) in mutation.stated.items()]
            groups = [list(mutation.stated)]
        return Case(
            kind=kind,
            family=family,
            index=index,
            source=name,
            changes=changes,
            groups=[[fmt(p) for p in g] for g in groups],
            formula=mutation.formula,
            note=mutation.note,
            report=report,
        )
    raise RuntimeError(f"no source takes a {kind} mutation")


# --- evalcheck, through its public surface ----------------------------------------------------


def as_record(finding: Any) -> dict[str, Any]:
    """A finding from ``evalcheck.check()`` in its ``--format json`` form (dicts pass as is)."""
    if isinstance(finding, Mapping):
        return dict(finding)
    diagnosis = finding.diagnosis
    if diagnosis is not None and not isinstance(diagnosis, Mapping):
        diagnosis = diagnosis.to_dict()
    return {
        "rule": finding.rule_id,
        "severity": finding.severity,
        "message": finding.message,
        "path": finding.path,
        "values": [{"path": f.path, "value": f.value} for f in finding.figures],
        "diagnosis": diagnosis,
    }


def run_check(tree: Tree) -> tuple[list[dict[str, Any]], float]:
    """Findings (JSON form) of ``evalcheck.check(file)`` and the seconds the call took (wall
    clock; :data:`LAST_CPU` keeps the CPU seconds of the same call).

    The report goes through a file, as a user's does: ``check(path)`` also reads the figures
    the prose states (正文数据), which ``check(dict)`` does not."""
    import evalcheck

    handle, name = tempfile.mkstemp(prefix="evalcheck-mutate-", suffix=".json")
    path = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(render(tree))
        started, cpu = time.perf_counter(), time.process_time()
        findings = evalcheck.check(path)
        elapsed = time.perf_counter() - started
        LAST_CPU[0] = time.process_time() - cpu
    finally:
        path.unlink(missing_ok=True)
    return [as_record(f) for f in findings], elapsed


LAST_CPU = [0.0]  # CPU seconds of the last run_check (this process only: --jobs 1 measures it)

# --- the classifier ---------------------------------------------------------------------------

# A diagnosis names a formula slip as such when a change's kind is one of these, or when its
# reasons (or its text, with every figure's path removed) match the pattern.  Today's kinds
# are digit slips, copies, omitted-part and unexplained; only percent-as-fraction exists yet.
FORMULA_TESTS: dict[str, tuple[frozenset[str], re.Pattern[str]]] = {
    "initial-budget-denominator": (
        frozenset({"initial-budget-denominator", "wrong-denominator"}),
        re.compile(r"年初预算数?[^，。；]{0,12}(计算|分母|÷|除)|(分母|按)[^，。；]{0,6}年初预算"),
    ),
    "inverted-ratio": (
        frozenset({"inverted-ratio"}),
        re.compile(
            r"倒数|分子(与|和)?分母(颠倒|倒置|互换|写反)|比率?(颠倒|倒置)|编制数\s*(÷|/|除以)\s*实际在职"
        ),
    ),
    "retirees-in-staff": (
        frozenset({"retirees-in-staff", "retirees-counted"}),
        re.compile("离退休"),
    ),
    "percent-as-fraction": (
        frozenset({"percent-as-fraction"}),
        re.compile(r"百分数[^，。；]{0,4}小数|小数[^，。；]{0,6}百分"),
    ),
    "total-not-updated": (
        frozenset({"total-not-updated", "stale-total", "not-updated"}),
        re.compile(
            r"未(随[^，。；]{0,12})?(及时)?(更新|同步|调整|重新计算)|没有(随[^，。；]{0,12})?更新"
        ),
    ),
}


def diagnoses_of(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Every distinct diagnosis in a finding list (one diagnosis may explain several)."""
    seen: dict[str, dict[str, Any]] = {}
    for finding in findings:
        diagnosis = finding.get("diagnosis")
        if isinstance(diagnosis, Mapping):
            seen.setdefault(_canonical(diagnosis), dict(diagnosis))
    return list(seen.values())


def _canonical(diagnosis: Mapping[str, Any]) -> str:
    return json.dumps(diagnosis, ensure_ascii=False, sort_keys=True, default=str)


def _finding_paths(finding: Finding) -> set[str]:
    return {str(finding.get("path", ""))} | {
        str(v.get("path")) for v in finding.get("values", []) if isinstance(v, Mapping)
    }


def involves(finding: Finding, paths: Iterable[str]) -> bool:
    """The finding reads a changed figure, or points at a block that holds one."""
    own = _finding_paths(finding)
    at = str(finding.get("path", ""))
    return any(
        p in own or (at and (p.startswith(at + ".") or p.startswith(at + "["))) for p in paths
    )


def changes_of(diagnosis: Mapping[str, Any], alternatives: bool = False) -> list[Mapping[str, Any]]:
    key = "alternatives" if alternatives else "changes"
    found = diagnosis.get(key)
    if isinstance(found, list):
        return [c for c in found if isinstance(c, Mapping)]
    return [] if alternatives or "path" not in diagnosis else [diagnosis]


def formula_named(diagnosis: Mapping[str, Any], formula: str) -> bool:
    kinds, pattern = FORMULA_TESTS[formula]
    changes = changes_of(diagnosis)
    if any(str(c.get("kind", "")) in kinds for c in changes) or diagnosis.get("kind") in kinds:
        return True
    text = str(diagnosis.get("text", ""))
    for c in [*changes, *changes_of(diagnosis, alternatives=True)]:
        text = text.replace(str(c.get("path", "")), " ")
    words = [str(c.get("reason", "")) for c in changes] + [text]
    return any(pattern.search(w) for w in words)


def impossible(report: Tree, path: str, suggested: str) -> str | None:
    """Why a suggested value cannot stand in this report, or None.

    Ranges and ≤ relations the report itself has: 0 ≤ 得分 ≤ 分值 (indicator rows and 预算执行),
    a row's 分值 ≤ its 一级指标's, 总分 and 自评分数 ≤ 总分.分值 (or 100), rates 0 … 200 %,
    amounts ≥ 0, whole counts, each 编制 part ≤ 编制数, 公用经费 其中 and 项目支出 明细 ≤
    their total.  A figure the prose states (``正文数据.自评分数``) stands for the table figure
    of the same name and is held to the same ranges.
    """
    if str(suggested).strip().startswith(("-", "−")):
        return "negative"
    value = number(suggested)
    if value is None:
        return f"unreadable value {suggested!r}"
    key = parse_path(path)
    if key[:1] == ("正文数据",):
        key = key[1:]
    trial = copy.deepcopy(report)
    if key and isinstance(get(trial, key[:-1]), (dict, list)):
        with contextlib.suppress(IndexError, KeyError, TypeError):
            put(trial, key, Decimal(value))
    last = key[-1] if key else ""
    if (
        last in COUNT_KEYS or key[:2] == ("人员编制", "编制构成")
    ) and value != value.to_integral_value():
        return "a count that is not whole"
    if last in RATE_KEYS and value > RATE_BOUND:
        return f"rate above {RATE_BOUND}%"

    def at(*p: str | int) -> Decimal | None:
        return number(get(trial, tuple(p)))

    full = at("总分", "分值") or FULL_MARKS
    if key[:2] == ("人员编制", "编制构成"):
        posts = at("人员编制", "编制数")
        if posts is not None and value > posts:
            return f"编制 part {value} above 编制数 {posts}"
    if len(key) == 5 and key[0] == "绩效指标" and last in ("得分", "分值"):
        g, i = key[1], key[3]
        score, top = at("绩效指标", g, "指标", i, "得分"), at("绩效指标", g, "指标", i, "分值")
        group = at("绩效指标", g, "分值")
        if score is not None and top is not None and score > top:
            return f"得分 {score} above 分值 {top}"
        if last == "分值" and group is not None and value > group:
            return f"row 分值 {value} above its group's {group}"
    if len(key) == 3 and key[0] == "绩效指标" and last == "分值" and value > full:
        return f"group 分值 {value} above {full}"
    if key == ("预算执行", "得分") or key == ("预算执行", "分值"):
        score, top = at("预算执行", "得分"), at("预算执行", "分值")
        if score is not None and top is not None and score > top:
            return f"预算执行 得分 {score} above 分值 {top}"
    if key in (("总分", "得分"), ("自评分数",)) and value > full:
        return f"total score {value} above {full}"
    if key == ("总分", "分值") and value > FULL_MARKS:
        return f"满分 {value} above {FULL_MARKS}"
    for block, items in (("公用经费", "其中"), ("项目支出", "明细")):
        base = ("经费控制情况", block)
        if key[:2] != base or last not in COLUMNS:
            continue
        rows = get(trial, (*base, items))
        parts = [number(r.get(last)) for r in rows or [] if isinstance(r, dict)]
        total = at(*base, last)
        if total is not None and sum((p for p in parts if p is not None), Decimal(0)) > total:
            return f"{block} {items} ({last}) above its total {total}"
    return None


@dataclass
class Truth:
    """What the classifier needs to know about a case."""

    changes: dict[str, str]  # path → original printed text
    groups: list[list[str]]
    formula: str | None = None

    @classmethod
    def of(cls, case: Case) -> Truth:
        return cls({c.path: c.original for c in case.changes}, case.groups, case.formula)


def classify(
    truth: Truth,
    findings: Sequence[Finding],
    report: Tree,
    baseline: Iterable[tuple[str, str]] = (),
    known: Iterable[str] = (),
) -> dict[str, Any]:
    """Count one case: ``findings`` in their JSON form, ``report`` as checked; ``baseline``
    (rule, path) and ``known`` diagnoses are what the clean source already had."""
    old, seen = set(baseline), set(known)
    changed = set(truth.changes)
    alarms = [
        f
        for f in findings
        if f.get("severity") in ALARMS and (f.get("rule"), f.get("path")) not in old
    ]
    diagnoses = [d for d in diagnoses_of(findings) if _canonical(d) not in seen]
    named = [c for d in diagnoses for c in changes_of(d)]
    alternatives = [c for d in diagnoses for c in changes_of(d, alternatives=True)]

    def localised(paths: Iterable[str]) -> bool:
        wanted = set(paths)
        return any(str(c.get("path")) in wanted for c in named)

    def listed(paths: Iterable[str]) -> bool:
        """Named, or among the candidates an ambiguous diagnosis lists (not "localised")."""
        wanted = set(paths)
        return any(str(c.get("path")) in wanted for c in [*named, *alternatives])

    corrected = any(
        str(c.get("path")) in changed
        and number(c.get("suggested")) is not None
        and number(c.get("suggested")) == number(truth.changes[str(c.get("path"))])
        for c in named
    )
    wrong = sorted({str(c.get("path")) for c in named} - changed)
    bad = [
        f"{c.get('path')} → {c.get('suggested')}: {why}"
        for c in named
        if (why := impossible(report, str(c.get("path")), str(c.get("suggested")))) is not None
    ]
    bad_alternatives = [
        f"{c.get('path')} → {c.get('suggested')}: {why}"
        for c in alternatives
        if (why := impossible(report, str(c.get("path")), str(c.get("suggested")))) is not None
    ]
    return {
        "detected": any(involves(f, changed) for f in alarms),
        "alarm": bool(alarms),
        "diagnosed": bool(diagnoses),
        "localised": localised(changed),
        "corrected": corrected,
        "wrong_named": bool(wrong),
        "impossible": bool(bad),
        "formula_named": None
        if truth.formula is None
        else any(formula_named(d, truth.formula) for d in diagnoses),
        "both_localised": None
        if len(truth.groups) < 2
        else all(localised(group) for group in truth.groups),
        "both_detected": None
        if len(truth.groups) < 2
        else all(any(involves(f, group) for f in alarms) for group in truth.groups),
        "both_listed": None
        if len(truth.groups) < 2
        else all(listed(group) for group in truth.groups),
        "wrong_paths": wrong,
        "impossible_suggestions": bad,
        "impossible_alternatives": bad_alternatives,
        "alarms": sorted({f"{f.get('rule')}@{f.get('path')}" for f in alarms}),
        "diagnoses": [str(d.get("text", "")) for d in diagnoses],
    }


# --- running ----------------------------------------------------------------------------------


def run_case(kind: str, index: int, seed: int, generator: str = "plain") -> dict[str, Any]:
    case = build_case(kind, index, seed, generator)
    src = source(case.source, seed)
    findings, elapsed = run_check(case.report)
    cpu = LAST_CPU[0]
    result = classify(Truth.of(case), findings, case.report, src.baseline, src.diagnoses)
    return {**case.truth(), **result, "seconds": elapsed, "cpu_seconds": cpu}


def _run_one(job: tuple[str, int, int, str]) -> dict[str, Any]:
    return run_case(*job)


def run(
    cases: int,
    seed: int,
    jobs: int = 1,
    classes: Sequence[str] | None = None,
    generator: str = "plain",
) -> list[dict[str, Any]]:
    """Every case of every class (in class order, then index), run on ``jobs`` processes."""
    work = [(k, i, seed, generator) for k in (classes or list(CLASSES)) for i in range(cases)]
    if jobs <= 1:
        return [_run_one(w) for w in work]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(_run_one, work, chunksize=4))


COLUMNS_SHOWN = (
    ("cases", None),
    ("detected", "detected"),
    ("any alarm", "alarm"),
    ("diagnosed", "diagnosed"),
    ("localised", "localised"),
    ("corrected", "corrected"),
    ("wrong figure named", "wrong_named"),
    ("impossible suggestion", "impossible"),
    ("formula named", "formula_named"),
    ("both localised", "both_localised"),
)
# Shares of the cases, except these two: shares of the diagnosed reports.
OF_DIAGNOSED = ("wrong_named", "impossible")


def _cell(rows: Sequence[Mapping[str, Any]], key: str | None) -> str:
    if key is None:
        return str(len(rows))
    values = [r[key] for r in rows if r.get(key) is not None]
    if not values:
        return "—"
    count = sum(1 for v in values if v)
    base = sum(1 for r in rows if r["diagnosed"]) if key in OF_DIAGNOSED else len(values)
    return f"{count} ({100 * count / base:.0f}%)" if base else str(count)


def table(results: Sequence[Mapping[str, Any]]) -> str:
    header = ["class", "family", *(name for name, _ in COLUMNS_SHOWN)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    kinds = list(dict.fromkeys(r["kind"] for r in results))
    for kind in kinds:
        rows = [r for r in results if r["kind"] == kind]
        cells = [kind, rows[0]["family"], *(_cell(rows, key) for _, key in COLUMNS_SHOWN)]
        lines.append("| " + " | ".join(cells) + " |")
    errors = [r for r in results if r["family"] not in NOT_ERRORS]
    if errors:
        cells = ["**total (error classes)**", "", *(_cell(errors, k) for _, k in COLUMNS_SHOWN)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _percentile(ordered: Sequence[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(share * (len(ordered) - 1) + 0.5))]


def timing(results: Sequence[Mapping[str, Any]]) -> str:
    def line(label: str, values: list[float]) -> str:
        if not values:
            return f"{label}: none"
        ordered = sorted(values)
        ms = [
            f"{1000 * v:.0f} ms"
            for v in (statistics.median(ordered), _percentile(ordered, 0.9), ordered[-1])
        ]
        return f"{label} (n={len(ordered)}): median {ms[0]}, p90 {ms[1]}, max {ms[2]}"

    diagnosed = [r["seconds"] for r in results if r["diagnosed"]]
    everything = [r["seconds"] for r in results]
    cpu = [r["cpu_seconds"] for r in results if r["diagnosed"] and "cpu_seconds" in r]
    return (
        line("check() per diagnosed report", diagnosed)
        + "; "
        + line("per report, all cases", everything)
        + "; "
        + line("CPU time (process_time) per diagnosed report", cpu)
    )


def machine() -> str:
    """Cores and load: wall times on a busy machine are inflated (results are not)."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return f"{os.cpu_count()} cores, load average {load}"


def targets_line(results: Sequence[Mapping[str, Any]]) -> str:
    """Issue 17's targets against the measured figures."""
    errors = [r for r in results if r["family"] not in NOT_ERRORS]
    diagnosed = [r for r in errors if r["diagnosed"]]
    rounding = [r for r in results if r["family"] == "rounding"]
    formula = [r for r in results if r.get("formula_named") is not None]
    two = [r for r in results if r.get("both_localised") is not None]

    def share(n: int, d: int) -> str:
        return f"{n}/{d}" + (f" ({100 * n / d:.1f}%)" if d else "")

    lines = [
        "| target (issue 17) | measured |",
        "|---|---|",
        f"| 0 impossible suggestions | {share(sum(r['impossible'] for r in results), sum(r['diagnosed'] for r in results))} diagnosed reports |",
        f"| wrong figure named ≤ 1% | {share(sum(r['wrong_named'] for r in diagnosed), len(diagnosed))} diagnosed error reports |",
    ]
    for formula_kind in dict.fromkeys(r["formula"] for r in formula):
        rows = [r for r in formula if r["formula"] == formula_kind]
        kinds = ", ".join(dict.fromkeys(r["kind"] for r in rows))
        lines.append(
            f"| formula slip named ≥ 80%: {formula_kind} ({kinds}) | {share(sum(r['formula_named'] for r in rows), len(rows))} |"
        )
    both = sum(r["both_detected"] for r in two)
    listed = sum(bool(r.get("both_listed")) for r in two)
    lines.append(
        f"| two independent errors both localised ≥ 90% | {share(sum(r['both_localised'] for r in two), len(two))} (both detected in {both}; each named or listed among an ambiguous diagnosis's candidates in {listed}) |"
    )
    lines.append(
        f"| rounding-only: 0 errors or warnings | {share(sum(r['alarm'] for r in rounding), len(rounding))} with one |"
    )
    prose = [r for r in results if r["family"] == "prose"]
    if prose:
        told = [r for r in prose if r["diagnosed"]]
        lines.append(
            f"| prose-only slip (not an issue-17 target): the prose figure named, a table figure never | "
            f"detected {share(sum(r['detected'] for r in prose), len(prose))}, prose figure named "
            f"{share(sum(r['localised'] for r in prose), len(prose))}, a wrong figure named "
            f"{share(sum(r['wrong_named'] for r in told), len(told))} diagnosed |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200, help="cases per class (default 200)")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--json", type=Path, help="save every case's truth and result here")
    parser.add_argument("--classes", help="comma-separated classes (default: all)")
    parser.add_argument("--dump", type=Path, help="also write each mutated report here")
    parser.add_argument(
        "--generator",
        choices=GENERATORS,
        default="narrative",
        help="generated sources: with a 正文 restating figures (narrative, the default) or the "
        "plain reports of earlier runs (the same tables and slips)",
    )
    args = parser.parse_args(argv)
    classes = args.classes.split(",") if args.classes else list(CLASSES)
    unknown = [c for c in classes if c not in CLASSES]
    if unknown:
        parser.error(f"unknown classes: {', '.join(unknown)} (known: {', '.join(CLASSES)})")
    before = machine()
    started = time.perf_counter()
    results = run(args.cases, args.seed, args.jobs, classes, args.generator)
    elapsed = time.perf_counter() - started
    if args.dump is not None:
        args.dump.mkdir(parents=True, exist_ok=True)
        for r in results:
            case = build_case(r["kind"], r["index"], args.seed, args.generator)
            (args.dump / f"{r['kind']}-{r['index']:04d}.json").write_text(
                render(case.report), encoding="utf-8"
            )
    print(
        f"# Mutation benchmark (seed {args.seed}, {args.cases} cases per class, "
        f"{args.generator} generated sources)\n"
    )
    print(table(results))
    print()
    print(timing(results))
    print(
        f"\nmachine: {before} at the start, {machine().split(', ', 1)[1]} at the end; {args.jobs} process(es)"
    )
    print()
    print(targets_line(results))
    print(
        f"\n{len(results)} cases in {elapsed:.0f} s on {args.jobs} process(es)",
        file=sys.stderr,
    )
    if args.json is not None:
        args.json.write_text(
            json.dumps(
                {
                    "seed": args.seed,
                    "cases_per_class": args.cases,
                    "generator": args.generator,
                    "results": results,
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
