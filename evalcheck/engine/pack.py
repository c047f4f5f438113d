"""Rule packs: YAML files of declarative rules, validated and compiled once per process.

A rule file is a mapping with ``rules:``, a list of rules.  Each rule carries everything about
itself in one place (id, title, severity, the check, the message, the explain text and its own
passing and failing examples), in the manner of yamllint and sqlfluff.  Anything wrong with a
rule file is refused at load time with the file, the line and the reason.

Validation (YAML + pydantic, :mod:`.ruleschema`) runs once per rule file content; its result is
cached (:mod:`.cache`), so later runs only compile the expressions.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ..inputs import load_bytes
from ..inputs.files import walk
from ..inputs.source import LoadError, Source
from ..report.tree import normalise_report
from . import cache
from .compile import ExprError, Scope, compile_expression, compile_lookup
from .lookup import Env, Lookup
from .nodes import Expr
from .spec import Example, RuleSpec, Severity
from .types import ModelT

__all__ = [
    "Example",
    "Rule",
    "RuleSpec",
    "builtin_rules_dir",
    "load_packs",
    "load_rules",
    "report_for_example",
    "rule_files",
]

KeyPath = tuple[str | int, ...]
T = TypeVar("T")


class _Stale(Exception):
    """A cached spec no longer compiles: validate the file again to report it properly."""


@dataclass(slots=True)
class Rule:
    """A compiled rule, ready to run over any number of reports."""

    spec: RuleSpec
    pack: str
    file: str
    line: int
    check: Expr
    when: Expr | None
    scope: Lookup | None
    at: Lookup | None
    message: list[str | Lookup]
    params: dict[str, Any] = field(default_factory=dict)
    combinations: list[dict[str, str]] | None = None  # computed once: see bindings()

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def severity(self) -> Severity:
        return self.spec.severity

    @property
    def title(self) -> str:
        return self.spec.title

    def pointed(self, env: Env) -> KeyPath | None:
        """Where the rule's ``at:`` points at this place (None without ``at:``)."""
        if self.at is None:
            return None
        pairs = self.at.resolve(env)
        return pairs[0][1] if pairs else None

    def bindings(self) -> list[dict[str, str]]:
        """Every combination of the rule's loop variables (one empty one without ``for_each``)."""
        if self.combinations is None:
            loops = self.spec.for_each or {}
            names = list(loops)
            values = (loops[n] for n in names)
            self.combinations = [
                dict(zip(names, combo, strict=True)) for combo in itertools.product(*values)
            ]
        return self.combinations


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
    """Compile one rule file; validated specs come from the cache when the file is unchanged."""
    try:
        content = path.read_bytes()
    except OSError:
        content = None
    if content is not None:
        key = cache.cache_key(content, str(path.resolve()), _validator_stamp())
        cached = cache.read(key)
        if isinstance(cached, dict):
            try:
                return _compile_all(cached["pack"] or path.stem, cached["rules"], str(path), None)
            except (_Stale, KeyError, TypeError, ValueError):
                pass
    rules, pack, specs = _validate_and_compile(path, content)
    if content is not None:
        cache.write(key, {"pack": pack, "rules": specs})
    return rules


@functools.cache
def _validator_stamp() -> str:
    """Cached specs are valid only for the validator that passed them: a changed spec.py or
    ruleschema.py (new limits, new keys) must validate every rule file again.  Compilation
    against the report shape runs on every load, so the shape needs no stamp: a cached spec
    that no longer compiles is validated again and reported with its position."""
    digest = hashlib.sha256()
    for name in ("spec.py", "ruleschema.py"):
        digest.update(Path(__file__).with_name(name).read_bytes())
    return digest.hexdigest()


def _validate_and_compile(
    path: Path, content: bytes | None
) -> tuple[list[Rule], str | None, list[dict[str, Any]]]:
    from .ruleschema import validate_pack  # pydantic: only when a rule file is new or changed

    if content is None:
        from ..inputs import load_path

        document = load_path(path)  # raises the positioned "cannot read" error
    else:
        document = load_bytes(content, str(path), "yaml")
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
    item = _scope_item(spec, source, where)
    bindings = spec.for_each or {}

    def scope(zero: bool = False) -> Scope:
        return Scope(item, spec.params, bindings, tolerance=spec.tolerance, zero_missing=zero)

    check = _expression(spec.check, scope(spec.missing == "zero"), source, (*where, "check"))
    if not check.kind.truth:
        raise _error(source, (*where, "check"), "check 应为判断（比较或真假），如 a == b + c")
    when = None
    if spec.when:
        when = _expression(spec.when, scope(), source, (*where, "when"))
    at = _lookup(spec.at, scope(), source, (*where, "at")) if spec.at else None
    scope_lookup = (
        _lookup(spec.scope, Scope(None, {}, {}), source, (*where, "scope")) if spec.scope else None
    )
    message = _template(spec.message, scope(), source, (*where, "message"))
    return Rule(spec, pack, file, line, check, when, scope_lookup, at, message, dict(spec.params))


def _scope_item(spec: RuleSpec, source: Source | None, where: KeyPath) -> Any:
    if not spec.scope:
        return None
    lookup = _lookup(spec.scope, Scope(None, {}, {}), source, (*where, "scope"))
    if not isinstance(lookup.leaf, ModelT):
        raise _error(source, (*where, "scope"), "scope 应指向一组表格行，如 绩效指标[*].指标[*]")
    return lookup.leaf


def _expression(text: str, scope: Scope, source: Source | None, where: KeyPath) -> Expr:
    return _positioned(compile_expression, text, scope, source, where)


def _lookup(text: str, scope: Scope, source: Source | None, where: KeyPath) -> Lookup:
    return _positioned(compile_lookup, text, scope, source, where)


def _positioned(
    compile_text: Callable[[str, Scope], T],
    text: str,
    scope: Scope,
    source: Source | None,
    where: KeyPath,
) -> T:
    """Compiled, or refused at the rule file's key ``where`` (the offset within the text)."""
    try:
        return compile_text(text, scope)
    except ExprError as exc:
        raise _error(source, where, exc.message, exc.offset) from None


_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _template(text: str, scope: Scope, source: Source | None, where: KeyPath) -> list[str | Lookup]:
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


def _error(source: Source | None, where: KeyPath, message: str, offset: int = 0) -> Exception:
    if source is None:
        return _Stale(message)
    line, column = source.position(where) or source.key_position(where[:-1]) or (1, 1)
    return LoadError(source.name, line, column, message)


def report_for_example(example: Example) -> dict[str, Any]:
    """Example fragments are read like real reports (numbers read the same way)."""
    return normalise_report(example.report)
