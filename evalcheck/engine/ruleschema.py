"""Validation of rule files with pydantic: the slow path, taken once per rule file content.

pydantic validates the spec dataclasses of :mod:`.spec` directly (their ``Annotated``
constraints), so what is checked here and what the engine reads cannot drift apart.  The
validated specs are cached (see :mod:`.cache`), so a command-line run with unchanged rule
files never imports pydantic or parses YAML.  Every problem becomes one positioned
:class:`~evalcheck.inputs.source.LoadError` with a Chinese message.
"""

from __future__ import annotations

import dataclasses
import math
from functools import cache
from typing import Annotated, Any, ClassVar

from pydantic import TypeAdapter, ValidationError

from ..inputs.records import dataclass
from ..inputs.source import LoadError, Source, kind_name
from .limits import MAX_COMBINATIONS, MAX_LOOP_VALUES, MAX_RULES
from .spec import STRICT, Limits, RuleSpec

__all__ = ["MAX_COMBINATIONS", "validate_pack"]

KeyPath = tuple[str | int, ...]

MAX_VALUES = MAX_LOOP_VALUES  # the limits themselves live in .limits


@dataclass(kw_only=True)
class PackFile:
    """A rule file: an optional pack name and description, and its rules (validated one by
    one, so each problem is reported at its own rule)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT

    pack: str | None = None
    description: str | None = None
    rules: Annotated[list[dict[str, Any]], Limits(max_length=MAX_RULES)]


@cache
def _adapter(kind: type) -> TypeAdapter[Any]:
    return TypeAdapter(kind)


def validate_pack(data: Any, source: Source) -> tuple[str | None, list[dict[str, Any]]]:
    """The pack name and each rule as a validated plain dict (with its ``line`` added)."""
    try:
        pack: PackFile = _adapter(PackFile).validate_python(data)
    except ValidationError as exc:
        raise _validation_error(exc, source, ()) from None
    rules = []
    for index, raw in enumerate(pack.rules):
        where: KeyPath = ("rules", index)
        try:
            spec: RuleSpec = _adapter(RuleSpec).validate_python(raw)
        except ValidationError as exc:
            raise _validation_error(exc, source, where) from None
        _check_loops(spec, source, where)
        entry = dataclasses.asdict(spec)
        entry["severity"] = spec.severity.value
        entry["line"] = (source.position(where) or (1, 1))[0]
        rules.append(entry)
    return pack.pack, rules


def _check_loops(spec: RuleSpec, source: Source, where: KeyPath) -> None:
    for_each = spec.for_each or {}
    for name, values in for_each.items():
        if name.startswith("_") or not name.isidentifier():
            raise _error(source, (*where, "for_each", name), f"循环变量名「{name}」不合法")
        if len(values) > MAX_VALUES:
            raise _error(
                source, (*where, "for_each", name), f"循环变量的取值过多（上限 {MAX_VALUES}）"
            )
    combinations = math.prod(len(values) for values in for_each.values())
    if combinations > MAX_COMBINATIONS:
        raise _error(
            source,
            (*where, "for_each"),
            f"循环变量的取值组合过多（{combinations} 种，上限 {MAX_COMBINATIONS}）",
        )


def _error(source: Source, where: KeyPath, message: str) -> LoadError:
    line, column = source.position(where) or source.key_position(where[:-1]) or (1, 1)
    return LoadError(source.name, line, column, message)


_UNKNOWN = ("extra_forbidden", "unexpected_keyword_argument")
_CHOICE = ("literal_error", "enum")
_NOT_A_MAPPING = ("model_type", "dataclass_type", "dataclass_exact_type")


def _validation_error(exc: ValidationError, source: Source, where: KeyPath) -> LoadError:
    error = exc.errors()[0]
    loc = tuple(error["loc"])
    path = (*where, *loc)
    kind = error["type"]
    label = ".".join(str(p) for p in loc) or "规则"
    ctx = error.get("ctx", {})
    position = source.position(path)
    if kind == "missing":
        message = f"缺少必填项「{label}」"
        position = source.key_position(path[:-1]) if path[:-1] else None
    elif kind in _UNKNOWN:
        message = f"未知的项「{label}」"
        position = source.key_position(path)
    elif kind in _CHOICE:
        message = f"「{label}」的取值 {error.get('input')!r} 不在允许范围内（应为 {ctx.get('expected', '')}）"
    elif kind == "string_pattern_mismatch":
        message = f"「{label}」格式不符：{error.get('input')!r}（应匹配 {ctx.get('pattern')}）"
    elif kind == "too_short" and loc and loc[-1] == "examples":
        message = "每条规则至少要有一个通过示例和一个不通过示例（examples）"
        position = source.key_position(path)
    elif kind in ("too_long", "too_short"):
        message = f"「{label}」的长度或数量超出范围：{error['msg']}"
    elif kind in _NOT_A_MAPPING:
        message = f"「{label}」应为映射（键: 值），实际为{kind_name(error.get('input'))}"
    else:
        message = f"「{label}」不合法：{error['msg']}"
    line, column = position or source.position(where) or (1, 1)
    return LoadError(source.name, line, column, message)
