"""Where each value of a JSON text starts: the positions ``json.loads`` does not keep.

The stdlib parser is fast but forgets offsets.  This scanner walks the same text once more, only
when a position is actually needed (a finding to show, or an error to place), and records the
character offset of every value and every object key under its key path.  It is a regex-driven
tokenizer with an explicit stack: linear time, no recursion, so absurd nesting cannot overflow it.

It trusts its input to be JSON that ``json.loads`` accepted, except in error paths, where it stops
quietly at the first token it cannot read and reports what it saw up to there.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

__all__ = ["KeyPath", "Scan", "replace_surrogates", "scan"]

KeyPath = tuple[str | int, ...]

_TOKEN = re.compile(
    r"""[ \t\n\r]*(?:
        (?P<string>"[^"\\]*(?:\\.[^"\\]*)*")
      | (?P<punct>[{}\[\]:,])
      | (?P<literal>-?Infinity|NaN|true|false|null
                   |-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)
    )""",
    re.VERBOSE | re.DOTALL,
)
_CONSTANTS = frozenset({"NaN", "Infinity", "-Infinity"})
_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_surrogates(text: str) -> str:
    """Lone UTF-16 surrogates (from escapes like ``"\\ud800"``) become U+FFFD.

    A lone surrogate cannot be encoded as UTF-8, so keeping one would crash whatever prints it.
    """
    return _SURROGATE.sub("\ufffd", text)


@dataclass
class Scan:
    """What :func:`scan` found; ``values`` and ``keys`` map a key path to a character offset."""

    values: dict[KeyPath, int] = field(default_factory=dict)
    keys: dict[KeyPath, int] = field(default_factory=dict)
    first_duplicate: tuple[str, int] | None = None
    first_literal: tuple[str, int] | None = None
    too_deep_at: int | None = None


class _Frame:
    __slots__ = ("count", "is_object", "key", "path", "seen")

    def __init__(self, path: KeyPath, is_object: bool) -> None:
        self.path = path
        self.is_object = is_object
        self.count = 0
        self.key: str | None = None
        self.seen: set[str] = set()


def scan(text: str, max_depth: int, literals: frozenset[str] = _CONSTANTS) -> Scan:
    """Record where every value and key starts; stop at nesting deeper than ``max_depth``.

    ``first_literal`` is the first bare literal (number or name) that is one of ``literals``.
    """
    result = Scan()
    stack: list[_Frame] = []
    pos = 0
    while (match := _TOKEN.match(text, pos)) is not None:
        pos = match.end()
        kind = match.lastgroup
        start = match.start(kind)  # type: ignore[arg-type]
        token = match.group(kind)  # type: ignore[arg-type]
        if kind == "punct":
            if token in "{[":
                if len(stack) >= max_depth:
                    result.too_deep_at = start
                    break
                path = _value_path(stack, start, result)
                stack.append(_Frame(() if path is None else path, token == "{"))
            elif token in "}]" and stack:
                stack.pop()
            continue
        top = stack[-1] if stack else None
        if kind == "string" and top is not None and top.is_object and top.key is None:
            _object_key(top, _decode_key(token), start, result)
            continue
        if kind == "literal" and token in literals and result.first_literal is None:
            result.first_literal = (token, start)
        _value_path(stack, start, result)
    return result


def _value_path(stack: list[_Frame], start: int, result: Scan) -> KeyPath | None:
    """The key path of a value starting at ``start``; records its offset."""
    if not stack:
        path: KeyPath = ()
    else:
        top = stack[-1]
        if top.is_object:
            if top.key is None:
                return None  # malformed: a value without a key (error paths only)
            path = (*top.path, top.key)
            top.key = None
        else:
            path = (*top.path, top.count)
            top.count += 1
    result.values.setdefault(path, start)
    return path


def _object_key(top: _Frame, key: str, start: int, result: Scan) -> None:
    top.key = key
    if key in top.seen:
        if result.first_duplicate is None:
            result.first_duplicate = (key, start)
        return
    top.seen.add(key)
    result.keys[(*top.path, key)] = start


def _decode_key(token: str) -> str:
    if "\\" not in token:
        return token[1:-1]
    try:
        key = json.loads(token)
    except ValueError:
        return token[1:-1]
    return replace_surrogates(key) if isinstance(key, str) else token[1:-1]
