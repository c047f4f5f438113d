"""Validation of rule files with pydantic: the slow path, taken once per rule file content.

The validated specs are cached (see :mod:`.cache`), so a command-line run with unchanged rule
files never imports pydantic or parses YAML.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..inputs.source import LoadError, Source

__all__ = ["validate_pack"]

KeyPath = tuple[str | int, ...]

# A rule runs once per combination of its loop variables at every scope item: four variables of
# 50 values each (a few lines of YAML with aliases) would be 6,250,000 runs per indicator row.
MAX_COMBINATIONS = 200


class ExampleSchema(BaseModel):
    """A report fragment the rule must pass or fail: the rule's own test case."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    expect: Literal["pass", "fail", "info", "not-applicable"]
    report: dict[str, Any]
    params: dict[str, Any] | None = None


class RuleSchema(BaseModel):
    """One rule as written in YAML."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[A-Z]{1,4}[0-9]{2,4}$")
    name: str = Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=60)
    title: str = Field(min_length=1, max_length=80)
    severity: Literal["error", "warning", "info"]
    scope: str | None = None
    for_each: dict[str, list[str]] | None = Field(None, max_length=4)
    when: str | None = None
    check: str
    missing: Literal["skip", "zero", "report"] = "skip"
    tolerance: Decimal | None = Field(None, ge=0)
    at: str | None = None
    message: str = Field(min_length=1, max_length=300)
    explain: str = Field(min_length=1, max_length=4000)
    params: dict[str, Any] = Field(default_factory=dict)
    examples: list[ExampleSchema] = Field(min_length=2, max_length=50)


class PackSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pack: str | None = None
    description: str | None = None
    rules: list[dict[str, Any]] = Field(max_length=2000)


def validate_pack(data: Any, source: Source) -> tuple[str | None, list[dict[str, Any]]]:
    """The pack name and each rule as a validated plain dict (with its ``line`` added)."""
    try:
        pack = PackSchema.model_validate(data)
    except ValidationError as exc:
        raise _validation_error(exc, source, ()) from None
    rules = []
    for index, raw in enumerate(pack.rules):
        where: KeyPath = ("rules", index)
        try:
            spec = RuleSchema.model_validate(raw)
        except ValidationError as exc:
            raise _validation_error(exc, source, where) from None
        for_each = spec.for_each or {}
        for name, values in for_each.items():
            if name.startswith("_") or not name.isidentifier():
                raise _error(source, (*where, "for_each", name), f"循环变量名「{name}」不合法")
            if len(values) > 50:
                raise _error(source, (*where, "for_each", name), "循环变量的取值过多（上限 50）")
        combinations = math.prod(len(values) for values in for_each.values())
        if combinations > MAX_COMBINATIONS:
            raise _error(
                source,
                (*where, "for_each"),
                f"循环变量的取值组合过多（{combinations} 种，上限 {MAX_COMBINATIONS}）",
            )
        entry = spec.model_dump()
        entry["line"] = (source.position(where) or (1, 1))[0]
        rules.append(entry)
    return pack.pack, rules


def _error(source: Source, where: KeyPath, message: str) -> LoadError:
    line, column = source.position(where) or source.key_position(where[:-1]) or (1, 1)
    return LoadError(source.name, line, column, message)


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
    elif kind == "extra_forbidden":
        message = f"未知的项「{label}」"
        position = source.key_position(path)
    elif kind == "literal_error":
        message = f"「{label}」的取值 {error.get('input')!r} 不在允许范围内（应为 {ctx.get('expected', '')}）"
    elif kind == "string_pattern_mismatch":
        message = f"「{label}」格式不符：{error.get('input')!r}（应匹配 {ctx.get('pattern')}）"
    elif kind == "too_short" and loc and loc[-1] == "examples":
        message = "每条规则至少要有一个通过示例和一个不通过示例（examples）"
        position = source.key_position(path)
    elif kind in ("too_long", "too_short"):
        message = f"「{label}」的长度或数量超出范围：{error['msg']}"
    else:
        message = f"「{label}」不合法：{error['msg']}"
    line, column = position or source.position(where) or (1, 1)
    return LoadError(source.name, line, column, message)
