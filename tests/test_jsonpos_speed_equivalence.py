"""The regex-driven ``jsonpos.scan`` finds exactly what the first, token-at-a-time scan found.

The reference below is that first implementation, kept here only as the specification the fast
one is held to: the same key and value offsets under the same key paths (in the same order), the
same first duplicate key, first refused literal and depth-limit offset, on real reports,
generated reports, hostile and broken texts, and random documents.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import HANG_SECONDS
from hypothesis import given, settings
from hypothesis import strategies as st

from evalcheck.inputs.jsonpos import KeyPath, Scan, replace_surrogates, scan
from evalcheck.inputs.source import MAX_DEPTH

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.json"))
CONSTANTS = frozenset({"NaN", "Infinity", "-Infinity"})

# --------------------------------------------------------------------------- the reference

_REFERENCE_TOKEN = re.compile(
    r"""[ \t\n\r]*(?:
        (?P<string>"[^"\\]*(?:\\.[^"\\]*)*")
      | (?P<punct>[{}\[\]:,])
      | (?P<literal>-?Infinity|NaN|true|false|null
                   |-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)
    )""",
    re.VERBOSE | re.DOTALL,
)


class _Frame:
    def __init__(self, path: KeyPath, is_object: bool) -> None:
        self.path = path
        self.is_object = is_object
        self.count = 0
        self.key: str | None = None
        self.seen: set[str] = set()


def reference_scan(text: str, max_depth: int, literals: frozenset[str] = CONSTANTS) -> Scan:
    """The scan as first written: one ``match`` per token, one frame object per container."""
    result = Scan()
    stack: list[_Frame] = []
    pos = 0
    while (match := _REFERENCE_TOKEN.match(text, pos)) is not None:
        pos = match.end()
        kind = match.lastgroup
        assert kind is not None
        start = match.start(kind)
        token = match.group(kind)
        if kind == "punct":
            if token in "{[":
                if len(stack) >= max_depth:
                    result.too_deep_at = start
                    break
                path = _reference_value_path(stack, start, result)
                stack.append(_Frame(() if path is None else path, token == "{"))
            elif token in "}]" and stack:
                stack.pop()
            continue
        top = stack[-1] if stack else None
        if kind == "string" and top is not None and top.is_object and top.key is None:
            key = _reference_key(token)
            top.key = key
            if key in top.seen:
                if result.first_duplicate is None:
                    result.first_duplicate = (key, start)
                continue
            top.seen.add(key)
            result.keys[(*top.path, key)] = start
            result.key_ends[(*top.path, key)] = match.end(kind)
            continue
        if kind == "literal" and token in literals and result.first_literal is None:
            result.first_literal = (token, start)
        _reference_value_path(stack, start, result, match.end(kind))
    return result


def _reference_value_path(
    stack: list[_Frame], start: int, result: Scan, end: int | None = None
) -> KeyPath | None:
    if not stack:
        path: KeyPath = ()
    else:
        top = stack[-1]
        if top.is_object:
            if top.key is None:
                return None
            path = (*top.path, top.key)
            top.key = None
        else:
            path = (*top.path, top.count)
            top.count += 1
    if path not in result.values:
        result.values[path] = start
        if end is not None:  # a scalar: where it ends, for underlining
            result.ends[path] = end
    return path


def _reference_key(token: str) -> str:
    if "\\" not in token:
        return token[1:-1]
    try:
        key = json.loads(token)
    except ValueError:
        return token[1:-1]
    return replace_surrogates(key) if isinstance(key, str) else token[1:-1]


def assert_same_scan(
    text: str, max_depth: int = MAX_DEPTH, literals: frozenset[str] = CONSTANTS
) -> Scan:
    fast = scan(text, max_depth, literals)
    expected = reference_scan(text, max_depth, literals)
    assert asdict(fast) == asdict(expected)
    assert list(fast.values.items()) == list(expected.values.items())
    assert list(fast.keys.items()) == list(expected.keys.items())
    return fast


def count_values(data: Any) -> int:
    """Values in a parsed document, itself included: what a complete scan must have located."""
    if isinstance(data, dict):
        return 1 + sum(count_values(v) for v in data.values())
    if isinstance(data, list):
        return 1 + sum(count_values(v) for v in data)
    return 1


# --------------------------------------------------------------------------- real and generated


def _load_generator() -> ModuleType:
    path = ROOT / "bench" / "generate.py"
    spec = importlib.util.spec_from_file_location("bench_generate_for_jsonpos", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_samples(path: Path) -> None:
    text = path.read_text("utf-8")
    assert len(assert_same_scan(text).values) == count_values(json.loads(text))


@pytest.fixture(scope="module")
def generated() -> list[str]:
    generate = _load_generator()
    return [generate.render(generate.build(index, seed=11)) for index in range(40)]


def test_generated_reports(generated: list[str]) -> None:
    for text in generated:
        assert len(assert_same_scan(text).values) == count_values(json.loads(text))
        assert_same_scan(json.dumps(json.loads(text), ensure_ascii=True))  # \uXXXX keys
        assert_same_scan(json.dumps(json.loads(text), separators=(",", ":")))


def test_generated_reports_cut_short(generated: list[str]) -> None:
    """Error paths: the scan stops where the text stops being JSON, in the same place."""
    text = generated[0]
    for cut in range(0, len(text), max(1, len(text) // 150)):
        assert_same_scan(text[:cut])
        assert_same_scan(text[:cut] + "@" + text[cut:])


def test_depth_limit_on_generated(generated: list[str]) -> None:
    for depth in range(0, 8):
        assert_same_scan(generated[1], max_depth=depth)


# --------------------------------------------------------------------------- hostile and odd

ODD_TEXTS = [
    "",
    "   \n\t ",
    "{}",
    "[]",
    '"just a string"',
    "-0.5e+10",
    '{"a": 1, "a": 2}',
    '{"a": {"x": 1}, "a": {"x": 2, "y": [3, 4]}}',
    '{"a": NaN, "b": Infinity, "c": -Infinity}',
    '{"n": 1e999999999999999999999}',
    '{"\\u5f97\\u5206": 586.88, "得分": 1}',
    '{"\\ud800": "lone", "\\udc00\\ud800x": [1]}',
    '{"a\\"b": 1, "c\\\\": 2, "\\/": 3, "\\n\\t": 4}',
    '{"bad escape \\x": 1, "\\u12": 2}',
    '{"a" "b" 1 2, "c": [1 2 3] }',
    '{1: 2, "k": 3}',
    "[1, 2, }, 3]",
    "}}]]{",
    '{"a": [tru]}',
    '{"a": truex}',
    '{"a": 01}',
    '{"a": 1.}',
    '{"a": -}',
    '{"a": "unterminated',
    '{"a": "ends in backslash\\',
    '{"a":1}{"a":2}',
    "[" * 300 + "]" * 300,
    '{"a":' * 250 + "1" + "}" * 250,
    '[{"k": [' * 120 + "]}]" * 120,
    "{\n" + "\n" * 1000 + '"a"\n:\n\n1\n}' + " \n" * 1000,
    '{"a":,,,1,,}',
    '{"a"::1}',
    "[\u3000]",
    "\ufeff{}",
]


@pytest.mark.parametrize("text", ODD_TEXTS, ids=range(len(ODD_TEXTS)))
def test_odd_and_hostile_texts(text: str) -> None:
    for depth in (0, 1, 2, 3, MAX_DEPTH):
        assert_same_scan(text, max_depth=depth)


def test_literal_search_for_a_given_number() -> None:
    """The loader looks for the first occurrence of one numeric literal (Decimal overflow)."""
    text = '{"a": 1e5, "b": [2, 1e999999999999999999999], "c": 1e999999999999999999999}'
    found = assert_same_scan(text, literals=frozenset({"1e999999999999999999999"}))
    assert found.first_literal == ("1e999999999999999999999", text.index("1e9999"))


def test_blank_runs_stay_linear() -> None:
    text = "{" + " " * 2_000_000 + '"a": 1' + "\n" * 2_000_000
    started = time.perf_counter()
    found = scan(text, MAX_DEPTH)
    assert time.perf_counter() - started < HANG_SECONDS  # a hang guard, not a speed test
    assert found.values[("a",)] == text.index("1")


# --------------------------------------------------------------------------- random documents

KEYS = st.text(
    alphabet=st.one_of(
        st.sampled_from('得分指标名称预算执行 abc"\\/\n\t\x00\x1f\u2028\U0001f600\ud800\udfff'),
        st.characters(codec="utf-8"),
    ),
    max_size=8,
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
)
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, KEYS)
# Objects as lists of pairs, so duplicate keys occur.
DOCUMENTS = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.lists(st.tuples(KEYS, children), max_size=5).map(lambda pairs: {"pairs": pairs}),
    ),
    max_leaves=40,
)
BLANKS = st.sampled_from(["", " ", "\n", "\n  ", "\t", "\r\n"])


def render(value: Any, draw_blank: Callable[[], str], ascii_only: bool) -> str:
    """JSON text with chosen blanks; ``{"pairs": [...]}`` marks an object that may repeat keys."""
    blank = draw_blank()
    if isinstance(value, dict):
        items = [
            f"{blank}{json.dumps(k, ensure_ascii=ascii_only)}{draw_blank()}:"
            f"{draw_blank()}{render(v, draw_blank, ascii_only)}"
            for k, v in value["pairs"]
        ]
        return "{" + ",".join(items) + blank + "}"
    if isinstance(value, list):
        return "[" + ",".join(blank + render(v, draw_blank, ascii_only) for v in value) + "]"
    return json.dumps(value, ensure_ascii=ascii_only)


@settings(max_examples=300, deadline=None)
@given(
    document=DOCUMENTS,
    ascii_only=st.booleans(),
    depth=st.integers(min_value=0, max_value=6),
    data=st.data(),
)
def test_random_documents(document: Any, ascii_only: bool, depth: int, data: Any) -> None:
    def blank() -> str:
        return str(data.draw(BLANKS))

    text = render(document, blank, ascii_only)
    assert_same_scan(text)
    assert_same_scan(text, max_depth=depth)


@settings(max_examples=300, deadline=None)
@given(document=DOCUMENTS, cut=st.integers(min_value=0), insert=st.sampled_from(["", "x", "}"]))
def test_random_documents_broken(document: Any, cut: int, insert: str) -> None:
    text = render(document, lambda: " ", False)
    cut %= len(text) + 1
    assert_same_scan(text[:cut] + insert + text[cut:])


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from('{}[]:,"\\ \nabtrue01-.eNI得\u5206'), max_size=60))
def test_random_token_soup(text: str) -> None:
    assert_same_scan(text)
    assert_same_scan(text, max_depth=2)
