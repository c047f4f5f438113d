"""Regular expressions kept compiled in the signed cache, for the command line's cold start.

Python compiles a regular expression in Python (``re._parser``, ``re._compiler``): the ~140
patterns one report's check uses (the prose reader's vocabularies, the JSON position scanner)
cost about 30 ms of CPU on every start, against 0.2 ms to rebuild the same objects from their
compiled code.  So the command line (:func:`evalcheck.cli.main`) calls :func:`load` first,
which puts the patterns of earlier runs into ``re``'s own cache, and :func:`save` at exit,
which stores the ones this run compiled that the entry did not have yet.

What an entry holds is checked like any cache entry (:mod:`.cache`: signed, bounded, parsed
with every error caught) and then again here: every record has the exact types and bounds
below, its code is strict base64 of whole 32-bit words (so every word is in range by
construction), its group tables agree, and ``_sre.compile`` itself refuses code that is not
valid regular-expression code.  A record is only ever written after the rebuilt pattern compared
equal (same text, flags and code) to the one ``re`` compiled, and the entry's key carries the
interpreter's version and the regular-expression engine's magic number, so another Python
never reads it.  On any doubt the entry, or the record, is skipped and ``re`` compiles as
usual: the cache changes how fast a pattern is made, never what it is.
"""

from __future__ import annotations

import atexit
import binascii
import contextlib
import hashlib
import importlib
import re
import sys
from array import array
from typing import Any

from . import cache

__all__ = ["install", "load", "save"]

MAX_PATTERNS = 400  # re keeps 512 (``re._MAXCACHE``); leave it room for its own
MAX_PATTERN_CHARS = 20_000
MAX_CODE = 100_000  # ints of one pattern's code (the largest built-in one has ~1,100)
MAX_GROUPS = 100
_CODE_LIMIT = 2**32  # SRE code words are unsigned 32-bit (``_sre.CODESIZE`` 4)
_WORD = "I"  # array type of one code word
_FORMAT = "2"  # records keep their code as base64 text (1: a list of numbers)

_records: dict[tuple[str, int], list[Any]] = {}  # what the entry held (valid records only)
_left: set[tuple[str, int]] = set()  # digests of what it listed as left to re (see _digest)


def _engine() -> tuple[Any, Any, Any] | None:
    """``_sre``, ``re._parser`` and ``re._compiler`` where this module knows them (3.11+, code
    words of 4 bytes, as an ``array("I")`` holds them)."""
    if sys.version_info < (3, 11) or not isinstance(getattr(re, "_cache", None), dict):
        return None
    try:
        engine = tuple(importlib.import_module(n) for n in ("_sre", "re._parser", "re._compiler"))
    except ImportError:
        return None
    if getattr(engine[0], "CODESIZE", None) != array(_WORD).itemsize:
        return None
    return engine  # type: ignore[return-value]


def _key(sre: Any) -> str:
    return cache.cache_key(
        b"regular expressions",
        _FORMAT,
        sys.version,
        sys.byteorder,
        str(getattr(sre, "MAGIC", "")),
        str(getattr(sre, "CODESIZE", "")),
    )


def _encoded(code: list[int]) -> str:
    """A pattern's code words as the entry keeps them: base64 of their bytes (native order,
    which the entry's key names).  Parsing 47,000 numbers as JSON cost ~6 ms of a start."""
    return binascii.b2a_base64(array(_WORD, code).tobytes(), newline=False).decode("ascii")


def _decoded(text: Any) -> list[int] | None:
    """The code words of :func:`_encoded` text; None for anything else (strict base64, whole
    words, at most :data:`MAX_CODE` of them: every word is then an unsigned 32-bit int)."""
    if not (isinstance(text, str) and len(text) <= 4 * MAX_CODE * 4 // 3 + 4):
        return None
    try:
        data = binascii.a2b_base64(text.encode("ascii"), strict_mode=True)
        words = array(_WORD)
        words.frombytes(data)
    except (ValueError, UnicodeEncodeError):  # binascii.Error is a ValueError
        return None
    return words.tolist() if len(words) <= MAX_CODE else None


def install() -> None:
    """:func:`load` now and :func:`save` at exit, for a process that checks and ends (the
    command line).  Only speed is at stake: nothing here ever says a word or fails a run."""
    with contextlib.suppress(Exception):
        load()
    atexit.register(_save_quietly)


def _save_quietly() -> None:
    with contextlib.suppress(Exception):
        save()


def load() -> int:
    """Put the cached patterns into ``re``'s cache; how many were put there."""
    engine = _engine()
    if engine is None:
        return 0
    sre = engine[0]
    entry = cache.read(_key(sre))
    if not isinstance(entry, dict) or set(entry) != {"patterns", "left"}:
        return 0
    records, left = entry["patterns"], entry["left"]
    if not isinstance(records, list) or len(records) > MAX_PATTERNS:
        return 0
    if isinstance(left, list) and len(left) <= MAX_PATTERNS:
        _left.update(
            (item[0], item[1])
            for item in left
            if isinstance(item, list)
            and len(item) == 2
            and isinstance(item[0], str)
            and type(item[1]) is int
        )
    store: dict[Any, Any] = re._cache  # type: ignore[attr-defined]
    count = 0
    for record in records:
        built = _rebuild(sre, record)
        if built is None:
            continue
        requested, compiled = built
        _records[compiled.pattern, requested] = record
        key = (str, compiled.pattern, requested)
        if key not in store and len(store) < MAX_PATTERNS:
            store[key] = compiled
            count += 1
    return count


def _rebuild(sre: Any, record: Any) -> tuple[int, re.Pattern[str]] | None:
    """The pattern a record describes, or None if anything about it is not as written."""
    if not isinstance(record, list) or len(record) != 7:
        return None
    pattern, requested, flags, code, groups, groupindex, indexgroup = record
    if not (isinstance(pattern, str) and len(pattern) <= MAX_PATTERN_CHARS):
        return None
    if not all(type(n) is int and 0 <= n < _CODE_LIMIT for n in (requested, flags)):
        return None
    code = _decoded(code)
    if code is None:
        return None
    if not (type(groups) is int and 0 <= groups <= MAX_GROUPS):
        return None
    if not (isinstance(indexgroup, list) and len(indexgroup) == groups + 1):
        return None
    if not all(n is None or isinstance(n, str) for n in indexgroup):
        return None
    if not (isinstance(groupindex, dict) and len(groupindex) <= groups):
        return None
    for name, index in groupindex.items():
        if not (type(index) is int and 1 <= index <= groups and indexgroup[index] == name):
            return None
    if sum(n is not None for n in indexgroup) != len(groupindex):
        return None
    if requested & (re.DEBUG | re.LOCALE) or (requested | flags) != flags:
        return None
    if not flags & (re.UNICODE | re.ASCII):  # re gives every text pattern one of the two
        return None
    try:
        compiled = sre.compile(pattern, flags, code, groups, groupindex, tuple(indexgroup))
    except Exception:  # invalid code: _sre's own validator refuses it
        return None
    if not isinstance(compiled, re.Pattern) or compiled.pattern != pattern:
        return None
    if compiled.flags != flags or compiled.groups != groups:
        return None
    return requested, compiled


def save() -> None:
    """Store this run's patterns if it compiled some the entry did not know (best effort).

    The entry keeps what it held (another command's patterns) up to :data:`MAX_PATTERNS`,
    this run's first; a pattern that cannot be recorded is listed once, so a run never
    rewrites the entry for it again."""
    engine = _engine()
    if engine is None:
        return
    store: dict[Any, Any] = re._cache  # type: ignore[attr-defined]
    used = [
        ((key[1], key[2]), compiled)
        for key, compiled in list(store.items())
        if isinstance(key, tuple)
        and len(key) == 3
        and key[0] is str
        and type(key[2]) is int
        and not key[2] & (re.DEBUG | re.LOCALE)
        and isinstance(compiled, re.Pattern)
    ]
    new = [(name, c) for name, c in used if name not in _records and _digest(*name) not in _left]
    if not new:
        return
    for name, compiled in new:
        record = _record(engine, name[0], name[1], compiled)
        if record is None:
            _left.add(_digest(*name))
        else:
            _records[name] = record
    this_run = {name for name, _ in used}
    ordered = sorted(_records, key=lambda name: name not in this_run)[:MAX_PATTERNS]
    left = [list(name) for name in _left]
    entry = {"patterns": [_records[name] for name in ordered], "left": left[:MAX_PATTERNS]}
    cache.write(_key(engine[0]), entry)


def _record(
    engine: tuple[Any, Any, Any], pattern: str, requested: int, compiled: re.Pattern[str]
) -> list[Any] | None:
    """What rebuilds ``compiled``, as ``re._compiler.compile`` makes it, or None if the rebuilt
    pattern would not be equal to it (same text, flags and code)."""
    sre, parser, compiler = engine
    if len(pattern) > MAX_PATTERN_CHARS:
        return None
    try:
        tree = parser.parse(pattern, requested)
        code = _encoded([int(n) for n in compiler._code(tree, requested)])  # plain ints
        groupindex = dict(tree.state.groupdict)
        indexgroup: list[str | None] = [None] * tree.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        record = [
            pattern,
            requested,
            requested | tree.state.flags,
            code,
            tree.state.groups - 1,
            groupindex,
            indexgroup,
        ]
        rebuilt = _rebuild(sre, record)
    except Exception:  # an engine this module does not know: leave the pattern to re
        return None
    if not (_utf8(pattern) and all(_utf8(name) for name in groupindex)):
        return None  # a lone surrogate cannot be written (the entry is JSON in UTF-8)
    if rebuilt is None or rebuilt[1] != compiled or rebuilt[1].groupindex != compiled.groupindex:
        return None
    return record


def _digest(pattern: str, requested: int) -> tuple[str, int]:
    """How the entry names a pattern it does not hold (its text may not be UTF-8)."""
    text = pattern.encode("utf-8", errors="surrogatepass")
    return hashlib.sha256(text).hexdigest(), requested


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
