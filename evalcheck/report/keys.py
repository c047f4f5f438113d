"""What a report says that the format does not know: unknown keys, and the likely typos among them.

Unknown keys are allowed (provincial templates add fields), but an unknown key beside a known
one that is missing is almost always a typo (``预算执行情况`` for ``预算执行``, ``全年执行`` for
``全年执行数``): the figures under it are never checked, and the report would pass for want of
data.  :func:`near_misses` finds those pairs; :func:`known_sections` says whether the file
holds anything the format knows at all.
"""

from __future__ import annotations

from typing import Any

from ..inputs.records import dataclass
from ..inputs.source import KeyPath
from .tree import report_shape

__all__ = ["NearMiss", "known_sections", "near_misses"]

# Two keys this alike (difflib's ratio over characters) are taken for one another.
SIMILARITY = 0.6
# Keys evalcheck itself adds, or that only hold metadata: never a typo of a section.
_IGNORED = frozenset({"$schema"})


@dataclass(frozen=True, slots=True)
class NearMiss:
    """An unknown key at ``path`` that most likely means the missing known key ``meant``."""

    path: KeyPath
    key: str
    meant: str


def known_sections(data: Any) -> list[str]:
    """The top-level keys of ``data`` that the report format knows (``$schema`` aside)."""
    if not isinstance(data, dict):
        return []
    fields = report_shape()["fields"]
    return [k for k in data if k in fields and k not in _IGNORED]


def near_misses(data: Any) -> list[NearMiss]:
    """Unknown keys that are near misses of a known key missing beside them, at any depth."""
    found: list[NearMiss] = []
    stack: list[tuple[Any, dict[str, Any], KeyPath]] = [(data, report_shape(), ())]
    while stack:
        value, shape, path = stack.pop()
        kind = shape["type"]
        if kind == "list" and isinstance(value, list):
            stack.extend((item, shape["of"], (*path, i)) for i, item in enumerate(value))
        elif kind == "map" and isinstance(value, dict):
            stack.extend((item, shape["of"], (*path, k)) for k, item in value.items())
        elif kind == "section" and isinstance(value, dict):
            fields: dict[str, Any] = shape["fields"]
            found.extend(_in_section(value, fields, path))
            stack.extend((item, fields[k], (*path, k)) for k, item in value.items() if k in fields)
    found.sort(key=lambda miss: [str(p) for p in miss.path])
    return found


def _in_section(value: dict[str, Any], fields: dict[str, Any], path: KeyPath) -> list[NearMiss]:
    unknown = [k for k in value if k not in fields and k not in _IGNORED]
    if not unknown:  # the commonest: every key known (a report has ~60 sections and rows)
        return []
    missing = [k for k in fields if k not in value and k not in _IGNORED]
    misses = []
    for key in unknown:
        meant = _closest(key, missing)
        if meant is not None:
            misses.append(NearMiss((*path, key), key, meant))
    return misses


def _closest(key: str, candidates: list[str]) -> str | None:
    """The candidate the key most likely misspells: one contains the other, or they are alike."""
    best: tuple[float, str] | None = None
    for candidate in candidates:
        if len(candidate) >= 2 and (candidate in key or key in candidate):
            score = 1.0 + len(candidate) / max(len(key), 1)
        elif _one_substitution(key, candidate):
            score = 1.0
        else:
            import difflib  # only for a key that is not known (2.6 ms of a start with heapq)

            score = difflib.SequenceMatcher(None, key, candidate).ratio()
            if score < SIMILARITY:
                continue
        if best is None or score > best[0]:
            best = (score, candidate)
    return None if best is None else best[1]


def _one_substitution(a: str, b: str) -> bool:
    """Same length, one character different (``得份`` for ``得分``)."""
    return len(a) == len(b) >= 2 and sum(x != y for x, y in zip(a, b, strict=True)) == 1
