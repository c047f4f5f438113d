"""The built-in pack, compiled ahead of time: the generator of :mod:`.builtin_pack`.

Compiling the built-in rules from their (validated, cached) specs costs a third of a cold
check: parsing ~370 expression texts, resolving every name against the report shape and
building the typed nodes.  The result never changes between releases, so it ships with the
package as Python source (``evalcheck/engine/builtin_pack.py``) that rebuilds the very objects
the compiler makes: one constructor call per node, names resolved to the same report-shape
types (:func:`.types.static_type`), helpers, operators and relations taken from their tables.
It is as trusted as any other module of the package and holds nothing read from outside it;
the user's cache folder never holds code (:mod:`.cache` keeps plain data).

:func:`generate` compiles ``rules/`` with the ordinary compiler, writes the module's text,
runs that text and checks the objects it builds are :func:`same` as the compiler's (types,
values, attributes, sharing) before returning it, so a wrong module is never written.
``scripts/ship.py`` writes it; ``tests/test_ship.py`` fails when the shipped module
differs from what the generator makes of ``rules/`` now, so it cannot go stale.  At run time
(:func:`.pack.load_rules`) a built-in rule file is taken from the module only when its bytes
are the text recorded there; a changed file is compiled as before.

Not imported on the check path: only the generator and the tests use it.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..report.tree import report_shape
from . import cache, helpers, lookup, nodes, operators, pack, spec, types
from .compare import Comparison
from .rule import AnyOf, Rule
from .spec import RuleSpec

__all__ = ["MODULE", "generate", "same"]

MODULE = Path(__file__).with_name("builtin_pack.py")
_PRIMITIVE = (str, int, float, bool, type(None))
_TYPES = (types.ModelT, types.ListT, types.DictT, types.LeafT)


def _constructors() -> dict[type, Callable[[Any], list[Any]]]:
    """The positional arguments that rebuild each node kind (its ``__init__`` derives the rest)."""
    n, lk = nodes, lookup
    return {
        n.Constant: lambda o: [o.value, o.kind, o.source],
        n.Read: lambda o: [o.lookup, o.kind, o.source],
        n.LoopVariable: lambda o: [o.lookup, o.kind, o.source],
        n.Arithmetic: lambda o: [o.operator, o.left, o.right, o.source],
        n.Quotient: lambda o: [o.operator, o.left, o.right, o.source],
        n.Sign: lambda o: [o.minus, o.operand, o.source],
        n.Not: lambda o: [o.operand, o.source],
        n.Logic: lambda o: [o.conjunction, list(o.parts), o.source],
        n.Call: lambda o: [o.name, o.helper, list(o.args), o.source],
        n.Conditional: lambda o: [o.test, o.body, o.orelse, o.source],
        Comparison: lambda o: [list(o.terms), list(o.relations), o.tolerance, o.source],
        lk.Lookup: lambda o: [o.base, list(o.steps), o.leaf, o.source, o.zero],
        lk.Key: lambda o: [o.key],
        lk.LoopKey: lambda o: [o.name],
        lk.ComputedKey: lambda o: [o.expr],
        lk.Index: lambda o: [o.index],
        lk.Every: lambda o: [o.figures],
        AnyOf: lambda o: [list(o.lookups), o.leaf],
        types.ParamT: lambda o: [],
    }


def _named() -> dict[int, str]:
    """Objects the module refers to by name instead of building: enum members, helpers,
    operators, relations, shared constants."""
    named: dict[int, str] = {}
    for kind in (types.ValueKind, lookup.Base, spec.Severity):
        for member in kind:
            named[id(member)] = f"{kind.__name__}.{member.name}"
    for name, helper in helpers.HELPERS.items():
        named[id(helper)] = f"HELPERS[{name!r}]"
    for written, relation in operators.RELATIONS.items():
        named[id(relation)] = f"RELATIONS[{written!r}]"
    for name in ("ADD", "SUB", "MUL", "DIV"):
        named[id(getattr(operators, name))] = name
    named[id(types.FIGURE)] = "FIGURE"
    return named


def _shape_index() -> dict[int, tuple[str | int, ...]]:
    """Every dict and list of the report shape, by identity: the path that reaches it."""
    index: dict[int, tuple[str | int, ...]] = {}
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(report_shape(), ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            index.setdefault(id(node), path)
            stack.extend((v, (*path, k)) for k, v in node.items())
        elif isinstance(node, list):
            index.setdefault(id(node), path)
            stack.extend((v, (*path, i)) for i, v in enumerate(node))
    return index


class _Writer:
    """Python source that rebuilds an object graph: one expression per object, with the
    objects it reaches more than once (a list in a spec's and its rule's parameters) bound to a
    local name first, so they are shared as in the original."""

    def __init__(self) -> None:
        from ..report.normalise import Quantity

        self.named = _named()
        self.shape = _shape_index()
        self.made = {id(v[1]): (v[0], n) for (_, n), v in types._MADE.items()}
        self.constructors = _constructors()
        built = (Rule, RuleSpec, spec.Example, Quantity, *self.constructors)
        self.by_class = {cls: cls.__name__ for cls in (*built, *_TYPES)}
        self.prelude: list[str] = []  # module level: the static types
        self.types: dict[int, str] = {}
        self.counts: dict[int, int] = {}
        self.keep: list[Any] = []  # every object counted stays alive: no id is reused
        self.counting = False
        self.local: list[str] = []  # in the function being written: the shared objects
        self.shared: dict[int, str] = {}

    def function(self, name: str, objects: list[Any]) -> list[str]:
        """``def name(file): return [objects…]``, one object per line."""
        self.counting, self.counts, self.local, self.shared = True, {}, [], {}
        for obj in objects:
            self.text(obj)
        self.counting = False
        lines = [self.text(obj) for obj in objects]
        return [
            f"def {name}(file: str) -> list[Rule]:",
            *(f"    {line}" for line in self.local),
            "    return [",
            *(f"        {line}," for line in lines),
            "    ]",
        ]

    def node(self, path: tuple[str | int, ...]) -> str:
        return f"_node({', '.join(repr(p) for p in path)})"

    def text(self, obj: Any) -> str:
        if type(obj) in _PRIMITIVE:
            if isinstance(obj, float):
                raise TypeError(f"a float in the pack: {obj!r}")
            return repr(obj)
        if type(obj) is Decimal:
            return f"Decimal({str(obj)!r})"
        key = id(obj)
        if key in self.named:
            return self.named[key]
        if key in self.shape:
            return self.node(self.shape[key])
        if key in self.made:
            return self._static(obj)
        if self.counting:
            self.keep.append(obj)
            self.counts[key] = self.counts.get(key, 0) + 1
            if self.counts[key] > 1:
                return ""
        elif self.counts.get(key, 0) > 1:
            if key not in self.shared:
                inner = self._build(obj)
                self.shared[key] = f"_h{len(self.shared)}"
                self.local.append(f"{self.shared[key]} = {inner}")
            return self.shared[key]
        return self._build(obj)

    def _static(self, obj: Any) -> str:
        """A type of the report shape: the one :func:`.types.static_type` made for its node."""
        key = id(obj)
        if key not in self.types:
            shape_node, label = self.made[key]
            if id(shape_node) not in self.shape:
                raise TypeError(f"a static type of no shape node: {obj!r}")
            self.types[key] = name = f"_t{len(self.types)}"
            where = self.node(self.shape[id(shape_node)])
            self.prelude.append(f"{name} = static_type({where}, {label!r})")
        return self.types[key]

    def _build(self, obj: Any) -> str:
        if isinstance(obj, list):
            return f"[{', '.join(self.text(v) for v in obj)}]"
        if isinstance(obj, tuple):
            inner = ", ".join(self.text(v) for v in obj)
            return f"({inner},)" if len(obj) == 1 else f"({inner})"
        if isinstance(obj, dict):
            if not all(type(k) is str for k in obj):
                raise TypeError(f"a dict with keys that are not text: {list(obj)[:3]}")
            items = ", ".join(f"{k!r}: {self.text(v)}" for k, v in obj.items())
            return f"{{{items}}}"
        cls = type(obj)
        name = self.by_class.get(cls)
        if name is None:
            raise TypeError(f"the generator does not know how to rebuild {cls.__qualname__}")
        if cls in self.constructors:
            args = [self.text(a) for a in self.constructors[cls](obj)]
        else:
            args = [self._field(obj, f) for f in dataclasses.fields(obj) if f.init]
        return f"{name}({', '.join(args)})"

    def _field(self, obj: Any, field: dataclasses.Field[Any]) -> str:
        if isinstance(obj, Rule) and field.name == "file":
            text = "file"  # where the rule file is: known only at run time
        else:
            text = self.text(getattr(obj, field.name))
        return f"{field.name}={text}" if field.kw_only else text


def _compiled(rules_dir: Path) -> Iterator[tuple[Path, bytes, list[Rule], list[Rule]]]:
    """Each rule file compiled from its validated specs, and again from those specs as the
    rule cache keeps them (JSON): the two must already be alike."""
    for path in pack.rule_files([rules_dir]):
        content = path.read_bytes()
        rules, name, specs = pack._validate_and_compile(path, content)
        kept = json.loads(json.dumps(specs, default=cache._encode), object_hook=cache._decode)
        yield path, content, rules, pack._compile_all(name or path.stem, kept, str(path), None)


def generate(rules_dir: Path) -> str:
    """The text of ``builtin_pack.py`` for the rule files of ``rules_dir``, checked."""
    files: list[tuple[str, str, str, list[list[Rule]]]] = []
    for path, content, rules, cached in _compiled(rules_dir):
        problem = difference(rules, cached)
        if problem is not None:
            raise AssertionError(f"{path.name}: compiled twice, two packs: {problem}")
        files.append((path.name, content.decode("utf-8"), str(path), [rules, cached]))
    writer = _Writer()  # after compiling: it names the static types the compiler made
    functions = [writer.function(f"_f{i}", rules[0]) for i, (*_, rules) in enumerate(files)]
    prelude = ["; ".join(writer.prelude[i : i + 8]) for i in range(0, len(writer.prelude), 8)]
    out = [_HEADER, *prelude, "", ""]
    for lines in functions:
        out += [*lines, "", ""]
    table = ", ".join(
        f"{name!r}: ({text!r}, _f{index})" for index, (name, text, _, _) in enumerate(files)
    )
    out.append(f"FILES: dict[str, tuple[str, Callable[[str], list[Rule]]]] = {{{table}}}")
    text = "\n".join(out) + "\n"
    _check(text, files)
    return text


def _check(text: str, files: list[tuple[str, str, str, list[list[Rule]]]]) -> None:
    """Run the module's text; each file's function must rebuild what the compiler made."""
    namespace: dict[str, Any] = {"__name__": "evalcheck.engine.builtin_pack"}
    namespace["__package__"] = "evalcheck.engine"
    exec(
        compile(text, str(MODULE), "exec", dont_inherit=True), namespace
    )  # the generator's own output
    table = namespace["FILES"]
    rebuilt: list[Rule] = []
    for name, text, file, _ in files:
        shipped_text, build = table[name]
        if shipped_text != text:
            raise AssertionError(f"{name}: not the text it was made from")
        rebuilt += build(file)
    for which in (0, 1):  # all files at once: nothing may be shared across them either
        compiled = [rule for *_, rules in files for rule in rules[which]]
        problem = difference(rebuilt, compiled)
        if problem is not None:
            raise AssertionError(f"the module rebuilds a different pack: {problem}")


def same(a: Any, b: Any) -> bool:
    """Two object graphs alike in every type, value and attribute, and shared alike."""
    return difference(a, b) is None


def difference(a: Any, b: Any) -> str | None:
    """Where two object graphs first differ (None when they do not).

    Objects that are not data (enum members, helpers, operators, functions) and the report
    shape's own nodes and static types must be the very same objects; everything else must be
    of the same type with the same values and attributes, and shared (one object reached
    twice) at the same places."""
    identical = set(_named()) | set(_shape_index()) | {id(v[1]) for v in types._MADE.values()}
    pairs: dict[int, int] = {}
    stack: list[tuple[Any, Any, str]] = [(a, b, "")]
    while stack:
        x, y, where = stack.pop()
        if x is y and (id(x) in identical or type(x) in _PRIMITIVE or not _mutable(x)):
            continue
        if type(x) is not type(y):
            return f"{where}: {type(x).__name__} ≠ {type(y).__name__}"
        if type(x) in _PRIMITIVE or type(x) is Decimal:
            if x != y or repr(x) != repr(y):
                return f"{where}: {x!r} ≠ {y!r}"
            continue
        if id(x) in identical or id(y) in identical or not _data(x):
            return f"{where}: {x!r} is not the same object as {y!r}"
        if id(x) in pairs or id(y) in pairs.values():
            if pairs.get(id(x)) != id(y):
                return f"{where}: shared differently"
            continue
        pairs[id(x)] = id(y)
        if isinstance(x, (list, tuple)):
            if len(x) != len(y):
                return f"{where}: {len(x)} ≠ {len(y)} items"
            stack.extend((u, v, f"{where}[{i}]") for i, (u, v) in enumerate(zip(x, y, strict=True)))
        elif isinstance(x, dict):
            if list(x) != list(y):
                return f"{where}: keys {list(x)[:5]} ≠ {list(y)[:5]}"
            stack.extend((x[k], y[k], f"{where}[{k!r}]") for k in x)
        else:
            ax, ay = _attributes(x), _attributes(y)
            if list(ax) != list(ay):
                return f"{where}: attributes {list(ax)} ≠ {list(ay)}"
            stack.extend((ax[k], ay[k], f"{where}.{k}") for k in ax)
    return None


def _data(obj: Any) -> bool:
    """Made by the compiler (compared by content), as opposed to shared program objects."""
    return isinstance(obj, (list, tuple, dict, *_BUILT)) or dataclasses.is_dataclass(obj)


def _mutable(obj: Any) -> bool:
    return _data(obj) and not isinstance(obj, tuple)


_BUILT = (nodes.Expr, lookup.Lookup, lookup.Step, AnyOf, types.ParamT)


def _attributes(obj: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for cls in type(obj).__mro__:
        for slot in cls.__dict__.get("__slots__", ()):
            if slot not in found and hasattr(obj, slot):
                found[slot] = getattr(obj, slot)
    found.update(getattr(obj, "__dict__", {}))
    return found


_HEADER = '''\
"""The built-in rule pack, compiled: GENERATED from rules/ by scripts/ship.py — do not edit.

Each function rebuilds the rules of one file of ``rules/`` exactly as the compiler makes them
(see :mod:`evalcheck.engine.ship`); :data:`FILES` maps the file name to the text it was made
from and that function.  ``tests/test_ship.py`` fails when this module
differs from what the generator makes of ``rules/`` now: run ``python scripts/ship.py``.
"""

# ruff: noqa
# fmt: off
# mypy: ignore-errors

from __future__ import annotations

from typing import Any
from collections.abc import Callable
from decimal import Decimal

from ..report.normalise import Quantity
from ..report.tree import report_shape
from .compare import Comparison
from .helpers import HELPERS
from .lookup import Base, ComputedKey, Every, Index, Key, Lookup, LoopKey
from .nodes import Arithmetic, Call, Conditional, Constant, Logic, LoopVariable, Not, Quotient, Read, Sign
from .operators import ADD, DIV, MUL, RELATIONS, SUB
from .rule import AnyOf, Rule
from .spec import Example, RuleSpec, Severity
from .types import FIGURE, DictT, LeafT, ListT, ModelT, ParamT, ValueKind, static_type

_SHAPE = report_shape()


def _node(*path: str) -> Any:
    node: Any = _SHAPE
    for key in path:
        node = node[key]
    return node

'''
