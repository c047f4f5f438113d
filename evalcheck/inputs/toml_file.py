"""``pyproject.toml``: parsed with tomllib (tomli before Python 3.11), never searched with regexes.

``[tool.evalcheck]``, ``[tool] evalcheck = {…}`` and dotted ``tool.evalcheck.fail-level = …``
are the same table to TOML, so they are to evalcheck.  The file is read like every other input
(regular files only, :data:`~evalcheck.inputs.files.LIMITS` ``config`` bytes at most), must be
UTF-8 (one bad byte is an error at that byte, not a silently skipped file), and what tomllib
cannot refuse cleanly is refused here: nesting past :data:`~.source.MAX_DEPTH` (tomllib
recurses), integers of thousands of digits (Python refuses to convert them), ``nan`` and
``inf`` (no figure or parameter can be one).  tomllib keeps no positions, so :func:`toml_position`
finds a key's line in the text.
"""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from typing import Any

from .decode import decode
from .files import LIMITS, read_file
from .source import MAX_DEPTH, LoadError, Source

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["evalcheck_table", "load_toml", "toml_position"]

_DIGITS = re.compile(r"[0-9][0-9_]{60,}")
_BRACKETS = re.compile(r"[\[{]")
_HUGE = 10**30  # no count, score or amount in a configuration comes near


def load_toml(name: str) -> tuple[dict[str, Any], Source]:
    """The parsed file and its text; anything wrong is a LoadError at its line."""
    data = read_file(name, LIMITS["config"])
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        decode(b"\xef\xbb\xbf" + data, name)  # raises the positioned "not valid UTF-8" error
        raise LoadError(name, 1, 1, "文件不是有效的 UTF-8 编码") from None
    source = Source(name, text.replace("\r\n", "\n"), "toml")
    try:
        parsed = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        line, column = _position(exc)
        if "end of document" in str(exc):
            lines = text.rstrip("\n").split("\n")
            line, column = len(lines), len(lines[-1]) + 1
        reason = re.sub(r"\s*\(at .*\)$", "", str(exc))
        raise LoadError(name, line, column, f"TOML 语法错误：{reason}") from None
    except RecursionError:
        raise _at(source, _BRACKETS, f"嵌套层数过深（超过 {MAX_DEPTH} 层）") from None
    except ValueError:  # an integer too long for Python to convert
        raise _at(source, _DIGITS, "数字过长，无法作为数值读取") from None
    _check(parsed, source)
    return parsed, source


def evalcheck_table(data: dict[str, Any]) -> Any:
    """``tool.evalcheck`` of a parsed pyproject.toml, or None when there is none."""
    tool = data.get("tool")
    return tool.get("evalcheck") if isinstance(tool, dict) else None


def _at(source: Source, pattern: re.Pattern[str], message: str) -> LoadError:
    found = pattern.search(source.text)
    line, column = source.offset_position(found.start()) if found else (1, 1)
    return LoadError(source.name, line, column, message)


def _check(data: Any, source: Source) -> None:
    """Depth and numbers: what no configuration may hold (iterative, so depth is no risk)."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if len(path) > MAX_DEPTH:
            raise _located(source, path, f"嵌套层数过深（超过 {MAX_DEPTH} 层）")
        if isinstance(value, dict):
            stack.extend((v, (*path, k)) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, (*path, i)) for i, v in enumerate(value))
        elif isinstance(value, Decimal) and not value.is_finite():
            raise _located(source, path, "不允许 nan 或 inf：请填写具体数字")
        elif type(value) is int and abs(value) >= _HUGE:
            raise _located(source, path, "数字过长，无法作为数值读取")


def _located(source: Source, path: tuple[str | int, ...], message: str) -> LoadError:
    line, column = toml_position(source, path)
    return LoadError(source.name, line, column, message)


def toml_position(source: Source, keys: tuple[str | int, ...]) -> tuple[int, int]:
    """Where the value at ``keys`` is written, as near as the text tells: each key name is
    searched for (bare or quoted, as a table header, a dotted key or inside an inline table)
    after the previous one."""
    text = source.text
    offset = 0
    for name in (k for k in keys if isinstance(k, str)):
        quoted = re.escape(name)
        pattern = rf'(?<![\w"-])(?:"{quoted}"|\'{quoted}\'|{quoted})(?![\w"-])\s*(?:[.=\]])'
        found = re.compile(pattern).search(text, offset)
        if found is None:
            break
        offset = found.start()
    return source.offset_position(offset)


def _position(exc: Exception) -> tuple[int, int]:
    lineno = getattr(exc, "lineno", None)
    colno = getattr(exc, "colno", None)
    if isinstance(lineno, int) and isinstance(colno, int):
        return lineno, colno
    match = re.search(r"line (\d+), column (\d+)", str(exc))
    return (int(match.group(1)), int(match.group(2))) if match else (1, 1)
