"""Rule packs: YAML files of declarative rules, validated and compiled once per process.

A rule file is a mapping with ``rules:``, a list of rules.  Each rule carries everything about
itself in one place (id, title, severity, the check, the message, the explain text and its own
passing and failing examples), in the manner of yamllint and sqlfluff.  Anything wrong with a
rule file is refused at load time with the file, the line and the reason.

Validation (YAML + pydantic, :mod:`.ruleschema`) runs once per rule file content; its result is
cached (:mod:`.cache`), so later runs only compile the expressions.  The built-in pack is not
even compiled: its compiled form ships with the package (:mod:`.builtin_pack`, generated and
checked by :mod:`.ship`) and is used for each built-in file whose bytes it was made from.
"""

from __future__ import annotations

import functools
import math
import os
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..inputs import load_bytes
from ..inputs.files import LIMITS, read_file, walk
from ..inputs.source import MAX_DEPTH, LoadError, Source
from ..report.tree import normalise_report
from .limits import (
    MAX_COMBINATIONS,
    MAX_EXAMPLES,
    MAX_EXPLAIN,
    MAX_FIX,
    MAX_LOOP_VALUES,
    MAX_LOOP_VARIABLES,
    MAX_MESSAGE,
    MAX_NAME,
    MAX_RULES,
    MAX_TITLE,
    MIN_EXAMPLES,
)
from .lookup import Lookup
from .nodes import Expr
from .rule import AnyOf, KeyPath, Rule
from .spec import Example, RuleSpec
from .types import ModelT

__all__ = [
    "AnyOf",
    "Example",
    "Rule",
    "RuleSpec",
    "builtin_rules_dir",
    "compile_source",
    "load_packs",
    "load_rules",
    "report_for_example",
    "rule_files",
]

T = TypeVar("T")

if TYPE_CHECKING:  # the compiler itself (and ast) is imported only when a file is compiled
    from .compile import Scope


class _Stale(Exception):
    """A cached spec no longer compiles: validate the file again to report it properly."""


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
        for file in rule_files([path]):
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


def rule_files(paths: Iterable[Path]) -> list[Path]:
    """The rule files ``paths`` name: files as given, folders searched for ``*.yaml``/``*.yml``
    (sorted; iteratively, never following a link to a folder; bounded, see
    :func:`evalcheck.inputs.files.walk`)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(Path(p) for p in walk(str(path), _is_rule_file, skip_hidden=False))
        else:
            found.append(path)
    return found


def _is_rule_file(name: str) -> bool:
    return name.endswith((".yaml", ".yml"))


def load_rules(path: Path) -> list[Rule]:
    """Compile one rule file; validated specs come from the cache when the file is unchanged
    (an unchanged built-in file: its rules from the shipped compiled form)."""
    content = read_file(str(path), LIMITS["rules"])
    shipped = _shipped(path, content)
    if shipped is not None:
        return shipped
    from . import cache  # hashlib, hmac: not imported when every file is shipped

    key = cache.cache_key(content, str(path.resolve()), _validator_stamp())
    cached = cache.read(key)
    if cached is not None:
        try:
            pack, specs = _trusted(cached)
            return _compile_all(pack or path.stem, specs, str(path), None)
        except (_Stale, KeyError, TypeError, ValueError, ArithmeticError, RecursionError):
            pass  # the cache is untrusted: on any doubt, validate the file itself again
    rules, pack, specs = _validate_and_compile(path, content)
    cache.write(key, {"pack": pack, "rules": specs})
    return rules


def compile_source(path: Path, content: bytes) -> list[Rule]:
    """A rule file's rules, validated and compiled from its bytes (no cache, no shipped form)."""
    return _validate_and_compile(path, content)[0]


def _shipped(path: Path, content: bytes) -> list[Rule] | None:
    """A built-in rule file's rules from the pack compiled ahead of time (:mod:`.builtin_pack`,
    made by :mod:`.ship`): only for a file of the built-in folder whose bytes are those it was
    made from; any other file (a user's pack, an edited built-in file) is compiled."""
    if path.parent != builtin_rules_dir() or os.environ.get("EVALCHECK_NO_SHIPPED"):
        return None
    from .builtin_pack import FILES  # generated: ``python scripts/ship.py``

    entry = FILES.get(path.name)
    if entry is None or content != entry[0].encode("utf-8"):  # the very bytes it was made from
        return None
    return entry[1](str(path))


_SPEC_KEYS = frozenset(
    (
        "id", "name", "title", "severity", "scope", "for_each", "when", "check", "missing",
        "tolerance", "at", "message", "explain", "fix", "params", "examples", "line",
    )
)  # fmt: skip
_EXAMPLE_KEYS = frozenset(("name", "expect", "report", "params", "at", "message"))
_ID = re.compile(r"[A-Z]{1,4}[0-9]{2,4}")
_NAME = re.compile(r"[a-z][a-z0-9-]*")
_EXAMPLE_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


def _trusted(cached: Any) -> tuple[str | None, list[dict[str, Any]]]:
    """The pack name and specs of a cache entry, checked against every limit the schema sets.

    Cheap (no pydantic): types, lengths, loop sizes, finite numbers, plain data of bounded depth.
    Anything else raises :class:`_Stale`, and the rule file is validated from its source.
    """
    _expect(isinstance(cached, dict) and set(cached) == {"pack", "rules"})
    pack, specs = cached["pack"], cached["rules"]
    _expect(pack is None or (isinstance(pack, str) and len(pack) <= 200))
    _expect(isinstance(specs, list) and len(specs) <= MAX_RULES)
    for raw in specs:
        _expect(isinstance(raw, dict) and set(raw) == _SPEC_KEYS)
        _expect(isinstance(raw["id"], str) and _ID.fullmatch(raw["id"]) is not None)
        name = raw["name"]
        _expect(isinstance(name, str) and len(name) <= MAX_NAME and _NAME.fullmatch(name))
        _text(raw["title"], MAX_TITLE)
        _text(raw["message"], MAX_MESSAGE)
        _text(raw["explain"], MAX_EXPLAIN)
        _expect(raw["fix"] is None or (isinstance(raw["fix"], str) and len(raw["fix"]) <= MAX_FIX))
        _expect(isinstance(raw["check"], str))
        _expect(raw["severity"] in ("error", "warning", "info"))
        _expect(raw["missing"] in ("skip", "zero", "report"))
        _expect(all(raw[k] is None or isinstance(raw[k], str) for k in ("scope", "when", "at")))
        _expect(type(raw["line"]) is int and raw["line"] >= 1)
        _loops(raw["for_each"])
        tolerance = raw["tolerance"]
        _expect(tolerance is None or (_finite(tolerance) and tolerance >= 0))
        _expect(isinstance(raw["params"], dict))
        _plain(raw["params"])
        examples = raw["examples"]
        _expect(isinstance(examples, list) and MIN_EXAMPLES <= len(examples) <= MAX_EXAMPLES)
        for example in examples:
            _expect(isinstance(example, dict) and set(example) == _EXAMPLE_KEYS)
            _expect(isinstance(example["name"], str))
            _expect(_EXAMPLE_NAME.fullmatch(example["name"]) is not None)
            _expect(example["expect"] in ("pass", "fail", "info", "not-applicable"))
            _expect(isinstance(example["report"], dict))
            _expect(example["params"] is None or isinstance(example["params"], dict))
            _plain(example["report"])
            _plain(example["params"])
            for key in ("at", "message"):
                said = example[key]
                _expect(said is None or isinstance(said, str) or _texts(said))
    return pack, specs


def _expect(condition: object) -> None:
    if not condition:
        raise _Stale("缓存内容不可信")


def _text(value: Any, limit: int) -> None:
    _expect(isinstance(value, str) and 1 <= len(value) <= limit)


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _finite(value: Any) -> bool:
    return isinstance(value, Decimal) and value.is_finite()


def _loops(for_each: Any) -> None:
    if for_each is None:
        return
    _expect(isinstance(for_each, dict) and len(for_each) <= MAX_LOOP_VARIABLES)
    for name, values in for_each.items():
        _expect(isinstance(name, str) and name.isidentifier() and not name.startswith("_"))
        _expect(isinstance(values, list) and len(values) <= MAX_LOOP_VALUES)
        _expect(all(isinstance(v, str) for v in values))
    _expect(math.prod(len(v) for v in for_each.values()) <= MAX_COMBINATIONS)


def _plain(value: Any) -> None:
    """Plain data as the YAML loader makes it: bounded depth, finite numbers, text keys."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        _expect(depth <= MAX_DEPTH)
        if isinstance(item, dict):
            _expect(all(isinstance(k, str) for k in item))
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
        else:
            _expect(item is None or isinstance(item, str | bool) or _finite(item))


@functools.cache
def _validator_stamp() -> str:
    """Cached specs are valid only for the validator that passed them: a changed spec.py or
    ruleschema.py (new limits, new keys) must validate every rule file again.  Compilation
    against the report shape runs on every load, so the shape needs no stamp: a cached spec
    that no longer compiles is validated again and reported with its position."""
    import hashlib

    digest = hashlib.sha256()
    for name in ("spec.py", "ruleschema.py"):
        digest.update(Path(__file__).with_name(name).read_bytes())
    return digest.hexdigest()


def _validate_and_compile(
    path: Path, content: bytes
) -> tuple[list[Rule], str | None, list[dict[str, Any]]]:
    from .ruleschema import validate_pack  # pydantic: only when a rule file is new or changed

    document = load_bytes(content, str(path), "yaml", LIMITS["rules"])
    pack, specs = validate_pack(document.data, document.source)
    return _compile_all(pack or path.stem, specs, str(path), document.source), pack, specs


def _compile_all(
    pack: str, specs: list[dict[str, Any]], file: str, source: Source | None
) -> list[Rule]:
    return [
        _compile_rule(RuleSpec.from_dict(raw), raw["line"], source, ("rules", index), pack, file)
        for index, raw in enumerate(specs)
    ]


def _compile_rule(
    spec: RuleSpec, line: int, source: Source | None, where: KeyPath, pack: str, file: str
) -> Rule:
    scope_lookup = _scope_lookup(spec, source, where) if spec.scope else None
    item = None if scope_lookup is None else scope_lookup.leaf
    bindings = spec.for_each or {}
    combinations = math.prod(len(values) for values in bindings.values())
    if len(bindings) > MAX_LOOP_VARIABLES or combinations > MAX_COMBINATIONS:
        raise _error(  # validated already; checked again because cached specs are untrusted
            source,
            (*where, "for_each"),
            f"循环变量的取值组合过多（{combinations} 种，上限 {MAX_COMBINATIONS}）",
        )

    from .compile import Scope

    def scope(zero: bool = False) -> Scope:
        return Scope(item, spec.params, bindings, tolerance=spec.tolerance, zero_missing=zero)

    check = _expression(spec.check, scope(spec.missing == "zero"), source, (*where, "check"))
    if not check.kind.truth:
        raise _error(source, (*where, "check"), "check 应为判断（比较或真假），如 a == b + c")
    when = None
    if spec.when:
        when = _expression(spec.when, scope(), source, (*where, "when"))
    at = _lookup(spec.at, scope(), source, (*where, "at")) if spec.at else None
    message = _template(spec.message, scope(), source, (*where, "message"))
    return Rule(spec, pack, file, line, check, when, scope_lookup, at, message, dict(spec.params))


def _scope_lookup(spec: RuleSpec, source: Source | None, where: KeyPath) -> Lookup | AnyOf:
    assert spec.scope is not None
    from .compile import Scope

    lookups = [
        _lookup(part.strip(), Scope(None, {}, {}), source, (*where, "scope"))
        for part in spec.scope.split("|")
    ]
    for lookup in lookups:
        if not isinstance(lookup.leaf, ModelT):
            raise _error(
                source, (*where, "scope"), "scope 应指向一组表格行，如 绩效指标[*].指标[*]"
            )
    if len(lookups) == 1:
        return lookups[0]
    models = [lookup.leaf for lookup in lookups]
    shared = {k: v for k, v in models[0].fields.items() if all(k in m.fields for m in models)}
    return AnyOf(lookups, ModelT(models[0].name, shared))


def _expression(text: str, scope: Scope, source: Source | None, where: KeyPath) -> Expr:
    from .compile import compile_expression

    return _positioned(compile_expression, text, scope, source, where)


def _lookup(text: str, scope: Scope, source: Source | None, where: KeyPath) -> Lookup:
    from .compile import compile_lookup

    return _positioned(compile_lookup, text, scope, source, where)


def _positioned(
    compile_text: Callable[[str, Scope], T],
    text: str,
    scope: Scope,
    source: Source | None,
    where: KeyPath,
) -> T:
    """Compiled, or refused at the rule file's key ``where`` (the offset within the text)."""
    from .compile import ExprError

    try:
        return compile_text(text, scope)
    except ExprError as exc:
        raise _error(source, where, exc.message, exc.offset) from None


_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _template(text: str, scope: Scope, source: Source | None, where: KeyPath) -> list[str | Lookup]:
    """``{三级指标}`` placeholders name report keys; nothing else (no format specs, no attributes)."""
    from .compile import ExprError, compile_lookup

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


def _error(source: Source | None, where: KeyPath, message: str, offset: int = 0) -> Exception:
    if source is None:
        return _Stale(message)
    line, column = source.position(where) or source.key_position(where[:-1]) or (1, 1)
    return LoadError(source.name, line, column, message)


def report_for_example(example: Example) -> dict[str, Any]:
    """Example fragments are read like real reports (numbers read the same way)."""
    return normalise_report(example.report)
