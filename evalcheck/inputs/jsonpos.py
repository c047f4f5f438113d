"""Where each value of a JSON text starts: the positions ``json.loads`` does not keep.

The stdlib parser is fast but forgets offsets.  This scanner walks the same text once more, only
when a position is actually needed (a finding to show, or an error to place), and records the
character offset of every value and every object key under its key path.  One compiled regex
finds the tokens (``re.finditer``; whitespace, colons and commas are skipped by the regex, not
by Python), and one flat loop keeps the key path with an explicit stack: linear time, no
recursion, so absurd nesting cannot overflow it.

It trusts its input to be JSON that ``json.loads`` accepted, except in error paths, where it stops
quietly at the first token it cannot read and reports what it saw up to there.
"""

from __future__ import annotations

import json
import re
from dataclasses import field

from .records import dataclass

__all__ = ["KeyPath", "Scan", "replace_surrogates", "scan"]

KeyPath = tuple[str | int, ...]

# One alternative per kind of token, told apart by ``lastindex``.  Whitespace, ":" and "," carry
# no position and are skipped by the leading class (possessive, so the regex never backtracks
# into it): one match per token, with no failed match attempts at every blank between tokens.
# Any other character no token starts with is ``_OTHER``, where the scan stops; so is the end of
# the text, which keeps trailing blanks linear (finditer would retry the blank run at every offset).
_TOKEN = re.compile(
    r"""[ \t\n\r:,]*(?:
        ("[^"\\]*(?:\\.[^"\\]*)*")
      | (\{)
      | (\[)
      | ([}\]])
      | (-?Infinity|NaN|true|false|null|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)
      | (.|\Z)
    )""",
    re.VERBOSE | re.DOTALL,
)
_STRING, _OBJECT, _ARRAY, _CLOSE, _LITERAL, _OTHER = 1, 2, 3, 4, 5, 6
_CONSTANTS = frozenset({"NaN", "Infinity", "-Infinity"})
_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_surrogates(text: str) -> str:
    """Lone UTF-16 surrogates (from escapes like ``"\\ud800"``) become U+FFFD.

    A lone surrogate cannot be encoded as UTF-8, so keeping one would crash whatever prints it.
    """
    return _SURROGATE.sub("\ufffd", text)


@dataclass
class Scan:
    """What :func:`scan` found; ``values`` and ``keys`` map a key path to a character offset,
    ``ends`` and ``key_ends`` to the offset just after a scalar value or a key."""

    values: dict[KeyPath, int] = field(default_factory=dict)
    keys: dict[KeyPath, int] = field(default_factory=dict)
    ends: dict[KeyPath, int] = field(default_factory=dict)  # end of a scalar value as written
    key_ends: dict[KeyPath, int] = field(default_factory=dict)
    first_duplicate: tuple[str, int] | None = None
    first_literal: tuple[str, int] | None = None
    too_deep_at: int | None = None


def scan(text: str, max_depth: int, literals: frozenset[str] = _CONSTANTS) -> Scan:
    """Record where every value and key starts; stop at nesting deeper than ``max_depth``.

    ``first_literal`` is the first bare literal (number or name) that is one of ``literals``.
    """
    # Called for every report with a finding, so the loop is flat: the innermost container's
    # state lives in locals, and the enclosing ones are saved on ``stack`` as tuples.
    result = Scan()
    values = result.values
    keys = result.keys
    ends = result.ends
    key_ends = result.key_ends
    stack: list[tuple[KeyPath, bool, KeyPath | None, int, set[str]]] = []
    path: KeyPath = ()  # key path of the innermost container
    in_object = False
    pending: KeyPath | None = None  # path of the key just read, waiting for its value
    count = 0  # items seen so far in this array
    seen: set[str] = set()  # keys seen so far in this object
    for match in _TOKEN.finditer(text):
        kind = match.lastindex
        start = match.start(kind)  # type: ignore[arg-type]
        if kind == _STRING:
            if in_object and pending is None:
                token = match.group(kind)
                key = token[1:-1] if "\\" not in token else _decode_key(token)
                pending = path + (key,)  # noqa: RUF005 - concatenation is twice as fast here
                if key in seen:
                    if result.first_duplicate is None:
                        result.first_duplicate = (key, start)
                else:
                    seen.add(key)
                    keys[pending] = start
                    key_ends[pending] = match.end(kind)
                continue
        elif kind == _CLOSE:
            if stack:
                path, in_object, pending, count, seen = stack.pop()
            continue
        elif kind == _LITERAL:
            if result.first_literal is None and (token := match.group(kind)) in literals:
                result.first_literal = (token, start)
        elif kind == _OTHER:
            break
        elif len(stack) >= max_depth:  # an object or array opens
            result.too_deep_at = start
            break
        # A value starts here: a string, a literal, or an object or array being opened.
        value_path: KeyPath | None
        if not stack:
            value_path = ()
        elif not in_object:
            value_path = path + (count,)  # noqa: RUF005
            count += 1
        else:
            value_path = pending  # None: a value without a key (malformed; error paths only)
            pending = None
        if value_path is not None and value_path not in values:
            values[value_path] = start
            if kind not in (_OBJECT, _ARRAY):
                ends[value_path] = match.end(kind)  # type: ignore[arg-type]
        if kind in (_OBJECT, _ARRAY):
            stack.append((path, in_object, pending, count, seen))
            path = () if value_path is None else value_path
            in_object = kind == _OBJECT
            count = 0
            seen = set()
    return result


def _decode_key(token: str) -> str:
    if "\\" not in token:
        return token[1:-1]
    try:
        key = json.loads(token)
    except ValueError:
        return token[1:-1]
    return replace_surrogates(key) if isinstance(key, str) else token[1:-1]
