"""Rule packs: YAML files of declarative rules, validated and compiled once per process.

A rule file is a mapping with ``rules:``, a list of rules.  Each rule carries everything about
itself in one place (id, title, severity, the check, the message, the explain text and its own
passing and failing examples), in the manner of yamllint and sqlfluff.  Anything wrong with a
rule file is refused at load time with the file, the line and the reason.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..load import Document, LoadError, Source, load_path
from ..model import IndicatorGroup, Report
from .expr import (  # noqa: F401  (re-exported for rule authors' tooling)
    ExprError,
    ListT,
    Lookup,
    ModelT,
    Node,
    Scope,
    compile_expression,
    compile_lookup,
    static_type,
)

__all__ = ["Example", "Rule", "RuleSpec", "builtin_rules_dir", "load_packs", "load_rules"]

Severity = Literal["error", "warning", "info"]
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


class Example(BaseModel):
    """A report fragment the rule must pass or fail: the rule's own test case."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    expect: Literal["pass", "fail", "info", "not-applicable"]
    report: dict[str, Any]
    params: dict[str, Any] | None = None


class RuleSpec(BaseModel):
    """One rule as written in YAML."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[A-Z]{1,4}[0-9]{2,4}$")
    name: str = Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=60)
    title: str = Field(min_length=1, max_length=80)
    severity: Severity
    scope: str | None = None
    for_each: dict[str, list[str]] | None = None
    when: str | None = None
    check: str
    missing: Literal["skip", "zero", "report"] = "skip"
    tolerance: Decimal | None = Field(None, ge=0)
    at: str | None = None
    message: str = Field(min_length=1, max_length=300)
    explain: str = Field(min_length=1)
    params: dict[str, Any] = Field(default_factory=dict)
    examples: list[Example] = Field(min_length=2)


class PackSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pack: str | None = None
    description: str | None = None
    rules: list[dict[str, Any]]


@dataclass(slots=True)
class Rule:
    """A compiled rule, ready to run over any number of reports."""

    spec: RuleSpec
    pack: str
    file: str
    line: int
    check: Node
    when: Node | None
    scope: Lookup | None
    at: Lookup | None
    message: list[str | Lookup]
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def severity(self) -> str:
        return self.spec.severity

    @property
    def title(self) -> str:
        return self.spec.title

    def bindings(self) -> list[dict[str, str]]:
        """Every combination of the rule's loop variables (one empty one without ``for_each``)."""
        if not self.spec.for_each:
            return [{}]
        names = list(self.spec.for_each)
        return [
            dict(zip(names, combo, strict=True))
            for combo in itertools.product(*(self.spec.for_each[n] for n in names))
        ]


def builtin_rules_dir() -> Path:
    """The built-in pack: inside the wheel, or the repository's ``rules/`` in a checkout."""
    here = Path(__file__).resolve().parent.parent
    shipped = here / "builtin_rules"
    return shipped if shipped.is_dir() else here.parent / "rules"


def load_packs(paths: list[Path]) -> list[Rule]:
    """Load rule files and folders (``*.yaml``/``*.yml``, sorted), refusing duplicate ids."""
    rules: list[Rule] = []
    seen: dict[str, Rule] = {}
    for path in paths:
        files = (
            sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml"))
            if path.is_dir()
            else [path]
        )
        for file in files:
            for rule in load_rules(file):
                if rule.id in seen:
                    first = seen[rule.id]
                    raise LoadError(
                        rule.file,
                        rule.line,
                        1,
                        f"规则编号 {rule.id} 重复（已在 {first.file}:{first.line} 定义）",
                    )
                seen[rule.id] = rule
                rules.append(rule)
    return rules


def load_rules(path: Path) -> list[Rule]:
    document = load_path(path)
    return compile_pack(document, pack=path.stem)


def compile_pack(document: Document, pack: str) -> list[Rule]:
    source = document.source
    try:
        spec = PackSpec.model_validate(document.data)
    except ValidationError as exc:
        raise _validation_error(exc, source, ()) from None
    rules = []
    for index, raw in enumerate(spec.rules):
        rules.append(_compile_rule(raw, source, ("rules", index), spec.pack or pack))
    return rules


def _compile_rule(
    raw: dict[str, Any], source: Source, where: tuple[str | int, ...], pack: str
) -> Rule:
    try:
        spec = RuleSpec.model_validate(raw)
    except ValidationError as exc:
        raise _validation_error(exc, source, where) from None
    line = (source.position(where) or (1, 1))[0]
    item = _scope_item(spec, source, where)
    bindings = spec.for_each or {}
    for name in bindings:
        if name.startswith("_") or not name.isidentifier():
            raise _error(source, (*where, "for_each", name), f"循环变量名「{name}」不合法")

    def scope(zero: bool = False) -> Scope:
        return Scope(item, spec.params, bindings, tolerance=spec.tolerance, zero_missing=zero)

    check = _expression(spec.check, scope(spec.missing == "zero"), source, (*where, "check"))
    if check.kind not in ("bool", "any"):
        raise _error(source, (*where, "check"), "check 应为判断（比较或真假），如 a == b + c")
    when = None
    if spec.when:
        when = _expression(spec.when, scope(), source, (*where, "when"))
    at = _lookup(spec.at, scope(), source, (*where, "at")) if spec.at else None
    scope_lookup = (
        _lookup(spec.scope, Scope(None, {}, {}), source, (*where, "scope")) if spec.scope else None
    )
    message = _template(spec.message, scope(), source, (*where, "message"))
    return Rule(
        spec, pack, source.name, line, check, when, scope_lookup, at, message, dict(spec.params)
    )


def _scope_item(spec: RuleSpec, source: Source, where: tuple[str | int, ...]) -> Any:
    if not spec.scope:
        return None
    lookup = _lookup(spec.scope, Scope(None, {}, {}), source, (*where, "scope"))
    if not isinstance(lookup.leaf, ModelT):
        raise _error(source, (*where, "scope"), "scope 应指向一组表格行，如 绩效指标[*].指标[*]")
    return lookup.leaf


def _expression(text: str, scope: Scope, source: Source, where: tuple[str | int, ...]) -> Node:
    try:
        return compile_expression(text, scope)
    except ExprError as exc:
        raise _error(source, where, exc.message, exc.offset) from None


def _lookup(text: str, scope: Scope, source: Source, where: tuple[str | int, ...]) -> Lookup:
    try:
        return compile_lookup(text, scope)
    except ExprError as exc:
        raise _error(source, where, exc.message, exc.offset) from None


_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _template(
    text: str, scope: Scope, source: Source, where: tuple[str | int, ...]
) -> list[str | Lookup]:
    """``{三级指标}`` placeholders name report keys; nothing else (no format specs, no attributes)."""
    parts: list[str | Lookup] = []
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        parts.append(text[position : match.start()])
        inner = match.group(1).strip()
        if not inner or any(c in inner for c in "!:{}") or inner.startswith("_") or "._" in inner:
            raise _error(
                source, where, f"消息模板中的占位符「{{{inner}}}」不合法：只能写报告中的键名"
            )
        try:
            parts.append(compile_lookup(inner, scope))
        except ExprError as exc:
            raise _error(
                source, where, f"消息模板中的占位符「{{{inner}}}」：{exc.message}"
            ) from None
        position = match.end()
    rest = text[position:]
    if "{" in rest or "}" in rest:
        raise _error(source, where, "消息模板中的花括号不成对")
    parts.append(rest)
    return [p for p in parts if p != ""]


def _error(
    source: Source, where: tuple[str | int, ...], message: str, offset: int = 0
) -> LoadError:
    line, column = source.position(where) or source.key_position(where[:-1]) or (1, 1)
    return LoadError(source.name, line, column, message)


_FIELD_NAMES = {
    "missing": "缺少必填项",
    "extra_forbidden": "未知的项",
    "literal_error": "取值不在允许范围内",
    "string_pattern_mismatch": "格式不符",
    "too_short": "数量不足",
}


def _validation_error(
    exc: ValidationError, source: Source, where: tuple[str | int, ...]
) -> LoadError:
    error = exc.errors()[0]
    loc = tuple(error["loc"])
    path = (*where, *loc)
    kind = error["type"]
    label = ".".join(str(p) for p in loc) or "规则"
    if kind == "missing":
        message = f"缺少必填项「{label}」"
        position = source.key_position(path[:-1]) if path[:-1] else None
    elif kind == "extra_forbidden":
        message = f"未知的项「{label}」"
        position = source.key_position(path)
    elif kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        message = f"「{label}」的取值 {error.get('input')!r} 不在允许范围内（应为 {expected}）"
        position = source.position(path)
    elif kind == "string_pattern_mismatch":
        message = f"「{label}」格式不符：{error.get('input')!r}（应匹配 {error.get('ctx', {}).get('pattern')}）"
        position = source.position(path)
    elif kind == "too_short" and loc and loc[-1] == "examples":
        message = "每条规则至少要有一个通过示例和一个不通过示例（examples）"
        position = source.key_position(path)
    else:
        message = f"「{label}」{_FIELD_NAMES.get(kind, '不合法')}：{error['msg']}"
        position = source.position(path)
    line, column = position or source.position(where) or (1, 1)
    return LoadError(source.name, line, column, message)


def report_for_example(example: Example) -> Report:
    """Example fragments are validated like real reports (numbers read the same way)."""
    return Report.model_validate(example.report)


_ = IndicatorGroup  # the model module's public classes are the rule authors' vocabulary
