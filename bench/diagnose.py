"""Measure diagnosis (#8): time per failing report, and how often the injected slip is named.

Usage: ``python bench/diagnose.py [--variants 200] [--seed 8]``

Each variant is the Beita sample, corrected to check clean (预算执行.年初预算数 = 303.58), with
正文数据 read from its prose (the prose stays right, as when only a table cell is mistyped), and
one slip injected into a figure some equality check reads: a transposition, a wrong, dropped
or doubled digit, a moved decimal point, a sign, 元 typed as 万元, a percentage typed as a
fraction, or a copy of the neighbouring row or of 上年决算数.  Variant ``i`` depends only on
``(seed, i)``.  Only the diagnosis is timed (rules are run once beforehand, as the checker
does), so the figures are its cost on top of a check.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from evalcheck.diagnose import diagnose
from evalcheck.diagnose.entries import Baseline
from evalcheck.diagnose.tree import get, neighbours, replace
from evalcheck.engine.run import run_rules
from evalcheck.inputs import load_bytes
from evalcheck.report.narrative import with_statements
from evalcheck.report.normalise import Figure, Kind, read_figure
from evalcheck.report.tree import normalise_report
from evalcheck.runner.checker import Checker

SAMPLE = Path(__file__).parents[1] / "samples" / "shaoyang-beita-2023.json"
Path_ = tuple[str | int, ...]


def clean_tree() -> dict[str, Any]:
    """The corrected sample with 正文数据 read from its prose, as the checker reads a file."""
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data["预算执行"]["年初预算数"] = 303.58
    text = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    tree: dict[str, Any] = normalise_report(
        with_statements(load_bytes(text, SAMPLE.name, "json")).data
    )
    stated = ("正文数据", "预算执行", "年初预算数")  # the prose repeats the sample's error
    if isinstance(get(tree, stated), Figure):
        tree = replace(tree, stated, read_figure("303.58万元", Kind.AMOUNT))
    assert not any(
        o.status == "fail" for o in run_rules(tree, Checker().rules) if o.rule.severity == "error"
    )
    return tree


def _digits_slip(text: str, rng: random.Random, how: str) -> str | None:
    sign = "-" if text.startswith("-") else ""
    body = text.lstrip("-").rstrip("%")
    percent = "%" if text.endswith("%") else ""
    places = [i for i, c in enumerate(body) if c.isdigit()]
    if how == "transposition":
        pairs = [(i, j) for i, j in itertools.pairwise(places) if j == i + 1 and body[i] != body[j]]
        if not pairs:
            return None
        i, j = rng.choice(pairs)
        body = body[:i] + body[j] + body[i] + body[j + 1 :]
    elif how == "wrong-digit":
        i = rng.choice(places)
        body = body[:i] + rng.choice([d for d in "0123456789" if d != body[i]]) + body[i + 1 :]
    elif how == "dropped-digit":
        if len(places) < 2:
            return None
        i = rng.choice(places)
        body = body[:i] + body[i + 1 :]
    elif how == "doubled-digit":
        i = rng.choice(places)
        body = body[:i] + body[i] + body[i:]
    else:
        return None
    return sign + body + percent


def inject(
    tree: dict[str, Any], path: Path_, how: str, rng: random.Random
) -> dict[str, Any] | None:
    """The tree with one slip at ``path``; None when the slip does not apply there."""
    printed = get(tree, path)
    assert isinstance(printed, Figure)
    text = printed.text.strip()
    raw: str | None
    if how in ("transposition", "wrong-digit", "dropped-digit", "doubled-digit"):
        raw = _digits_slip(text, rng, how)
    elif how == "decimal-point":
        factor = Decimal(10) if rng.random() < 0.5 else Decimal("0.1")
        shown = printed.value * (100 if printed.kind is Kind.RATE else 1) * factor
        raw = format(shown.normalize(), "f") + ("%" if printed.kind is Kind.RATE else "")
    elif how == "sign":
        raw = None if printed.value == 0 else "-" + text.lstrip("-")
    elif how == "yuan-as-wan":
        raw = None if printed.kind is not Kind.AMOUNT else format(printed.value * 10000, "f")
    elif how == "percent-as-fraction":
        raw = None if printed.kind is not Kind.RATE else format(printed.value, "f")
    elif how == "copied-neighbour":
        near = [n for n in neighbours(tree, path) if n.figure.value != printed.value]
        raw = rng.choice(near).figure.text if near else None
    else:  # copied-last-year
        last = get(tree, (*path[:-1], "上年决算数"))
        ok = path[-1] == "本年决算数" and isinstance(last, Figure) and last.value != printed.value
        raw = last.text if ok and isinstance(last, Figure) else None
    if raw is None or raw == text:
        return None
    try:
        figure = read_figure(raw, printed.kind)
    except ValueError:
        return None
    if figure is None or figure.value == printed.value:
        return None
    result: dict[str, Any] = replace(tree, path, figure)
    return result


SLIPS = (
    "transposition",
    "wrong-digit",
    "dropped-digit",
    "doubled-digit",
    "decimal-point",
    "sign",
    "yuan-as-wan",
    "percent-as-fraction",
    "copied-neighbour",
    "copied-last-year",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=int, default=200)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()

    checker = Checker()
    rules = checker.rules
    tree = clean_tree()
    baseline = Baseline(tree, rules, {})
    targets = sorted(
        {
            p
            for e in baseline.entries
            if e.equality
            for p in e.paths
            if isinstance(get(tree, p), Figure)
        },
        key=str,
    )
    times: list[float] = []
    tally = dict.fromkeys(("named", "restored", "kind", "other", "abstained", "undetected"), 0)
    produced = 0
    index = 0
    while produced < args.variants:
        rng = random.Random(f"{args.seed}:{index}")
        index += 1
        path = rng.choice(targets)
        how = rng.choice(SLIPS)
        variant = inject(tree, path, how, rng)
        if variant is None:
            continue
        produced += 1
        outcomes = list(run_rules(variant, rules))
        if not any(o.status == "fail" and o.rule.check.sides is not None for o in outcomes):
            tally["undetected"] += 1
            continue
        start = time.perf_counter()
        found = diagnose(variant, rules, outcomes=outcomes)
        times.append(time.perf_counter() - start)
        named = {d.suspect.key_path: d for d in found.values() if d.changes}
        hit = named.get(path)
        original = get(tree, path)
        if hit is not None:
            suggested = read_figure(hit.suspect.suggested, original.kind)
            tally["named"] += 1
            tally["restored"] += suggested is not None and suggested.value == original.value
            tally["kind"] += hit.suspect.kind == how
        elif found:
            tally["other"] += 1
        else:
            tally["abstained"] += 1
    _print(args, times, tally, produced)


def _print(args: Any, times: list[float], tally: dict[str, int], produced: int) -> None:
    ms: Callable[[float], str] = lambda s: f"{s * 1000:.1f} ms"  # noqa: E731
    diagnosed = len(times)
    print(f"variants: {produced} (seed {args.seed}); detected by an equality check: {diagnosed}")
    if not times:
        return
    ordered = sorted(times)
    print(
        f"diagnosis time per failing report: median {ms(statistics.median(ordered))}, "
        f"p90 {ms(ordered[int(0.9 * (len(ordered) - 1))])}, worst {ms(ordered[-1])}"
    )
    share = lambda n: f"{n} ({100 * n / diagnosed:.0f}%)"  # noqa: E731
    print(
        f"injected figure named: {share(tally['named'])} (original value restored: "
        f"{share(tally['restored'])}, slip kind right: {share(tally['kind'])}); "
        f"another figure named: {share(tally['other'])}; "
        f"no diagnosis (ambiguous): {share(tally['abstained'])}"
    )
    print(f"not caught by any equality check: {tally['undetected']}")


if __name__ == "__main__":
    main()
