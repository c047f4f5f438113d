"""evalcheck.inputs.records.dataclass behaves as dataclasses.dataclass (#18 cold start).

Each case below declares the same class body twice, once with each decorator, and compares
what callers can see: repr text, equality with itself, a copy, a changed copy and another
class, hash values (set iteration order depends on them), whether instances are hashable at
all, frozenness, __dataclass_params__, __match_args__, replace/asdict/fields, slots.  The last
tests check every dataclass the package defines: its methods are the records' closures, and
its equality and hash agree with a standard dataclass made from the same fields.
"""

from __future__ import annotations

import builtins
import dataclasses
import importlib
import inspect
import pkgutil
import re
from dataclasses import field
from typing import Any

import pytest

import evalcheck
from evalcheck.engine.shipinits import INITS_MODULE, generate_inits
from evalcheck.inputs import records

OPTIONS: list[dict[str, Any]] = [
    {},
    {"eq": False},
    {"frozen": True},
    {"frozen": True, "slots": True},
    {"frozen": True, "slots": True, "eq": False},
    {"frozen": True, "slots": True, "kw_only": True},
    {"kw_only": True},
    {"slots": True},
    {"slots": True, "kw_only": True},
    {"repr": False},
]


def body(kind: str) -> dict[str, Any]:
    """Class bodies of every shape the package uses."""
    if kind == "none":
        return {"__annotations__": {}}
    if kind == "one":
        return {"__annotations__": {"a": "Any"}}
    if kind == "defaults":
        return {
            "__annotations__": {"a": "Any", "b": "Any", "c": "Any", "d": "Any"},
            "b": 2,
            "c": field(default_factory=list),
            "d": field(default=None, compare=False, repr=False),
        }
    if kind == "hash-field":
        return {
            "__annotations__": {"a": "Any", "b": "Any", "c": "Any"},
            "b": field(default=0, hash=False),
            "c": field(default=1, compare=False, hash=True),
        }
    if kind == "own-methods":
        return {
            "__annotations__": {"a": "Any"},
            "__eq__": lambda self, other: True,
            "__repr__": lambda self: "mine",
        }
    if kind == "own-hash":
        return {"__annotations__": {"a": "Any"}, "__hash__": lambda self: 7}
    raise AssertionError(kind)


KINDS = ["none", "one", "defaults", "hash-field", "own-methods", "own-hash"]


def both(kind: str, options: dict[str, Any]) -> tuple[Any, Any]:
    made = []
    for decorator in (dataclasses.dataclass, records.dataclass):
        cls = type("Shape", (), {"__module__": __name__, **body(kind)})
        made.append(decorator(**options)(cls))
    return made[0], made[1]


def arguments(kind: str) -> dict[str, Any]:
    return {"none": {}, "own-methods": {"a": 1}, "own-hash": {"a": 1}}.get(
        kind, {"a": [1, "x"]} if kind == "one" else {"a": 1}
    )


def observed(cls: Any, kind: str) -> dict[str, Any]:
    args = arguments(kind)
    first, second = cls(**args), cls(**args)
    seen: dict[str, Any] = {
        "repr": re.sub(" at 0x[0-9a-f]+", "", repr(first)),
        "eq": (first == second, first == first, first != second, first == object()),
        "eq-other": first.__eq__(object()),
        "hashable": cls.__hash__ is not None,
        "params": repr(cls.__dataclass_params__),
        "match": getattr(cls, "__match_args__", None),
        "fields": [(f.name, f.repr, f.compare, f.hash) for f in dataclasses.fields(cls)],
        "asdict": dataclasses.asdict(first),
        "slots": getattr(cls, "__slots__", None),
        "doc": cls.__doc__,
    }
    if cls.__hash__ is not None:
        try:
            identity = not cls.__dataclass_params__.eq and kind != "own-hash"
            seen["hash"] = (hash(first) == hash(second), None if identity else hash(first))
        except TypeError as exc:  # a list among the hashed fields
            seen["hash"] = str(exc)
    if args:
        changed = dataclasses.replace(first, a=5)
        seen["replaced"] = (re.sub(" at 0x[0-9a-f]+", "", repr(changed)), changed == first)
    if cls.__dataclass_params__.frozen and args:
        with pytest.raises(dataclasses.FrozenInstanceError) as assigned:
            first.a = 3
        with pytest.raises(dataclasses.FrozenInstanceError) as deleted:
            del first.a
        seen["frozen"] = (str(assigned.value), str(deleted.value), first.a)
        seen["subclass"] = _subclass_attribute(cls, args)
    return seen


def _subclass_attribute(cls: Any, args: dict[str, Any]) -> tuple[str, ...]:
    """What a subclass instance does with an attribute that is not a field, and with a field."""
    sub = type("Sub", (cls,), {})(**args)
    seen = []
    for name in ("other", "a"):
        for action in ("set", "delete"):
            try:
                if action == "set":
                    setattr(sub, name, 4)
                else:
                    delattr(sub, name)
                seen.append(f"{action} {name}: ok {getattr(sub, name, None)}")
            except Exception as exc:  # super(cls, self) of the class before slots: TypeError
                seen.append(f"{action} {name}: {type(exc).__name__} {exc}")
    return tuple(seen)


@pytest.mark.parametrize("options", OPTIONS, ids=[repr(o) for o in OPTIONS])
@pytest.mark.parametrize("kind", KINDS)
def test_both_decorators_give_the_same_class(kind: str, options: dict[str, Any]) -> None:
    standard, ours = both(kind, options)
    assert observed(ours, kind) == observed(standard, kind)


def both_shipped(
    kind: str, options: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> tuple[Any, Any]:
    """The standard class, and records' with its ``__init__`` taken from a shipped table made
    of the very text dataclasses wrote for the standard one."""
    texts: list[str] = []
    original = builtins.exec

    def recorder(source: Any, globals: Any = None, locals: Any = None) -> None:
        if type(source) is str and " def __init__(" in source:
            texts.append(source)
        original(compile(source, "<string>", "exec", dont_inherit=True), globals, locals)

    monkeypatch.setattr(builtins, "exec", recorder)
    standard = dataclasses.dataclass(**options)(
        type("Shape", (), {"__module__": __name__, **body(kind)})
    )
    monkeypatch.setattr(builtins, "exec", original)
    assert len(texts) == (0 if options.get("init") is False else 1)
    namespace: dict[str, Any] = {}
    exec(compile(generate_inits(texts), "shipped.py", "exec", dont_inherit=True), namespace)
    monkeypatch.setattr(records, "_INITS", namespace["INITS"])
    ours = records.dataclass(**options)(type("Shape", (), {"__module__": __name__, **body(kind)}))
    assert ours.__init__.__code__.co_filename == "shipped.py"  # taken, not compiled
    return standard, ours


@pytest.mark.parametrize("options", OPTIONS, ids=[repr(o) for o in OPTIONS])
@pytest.mark.parametrize("kind", KINDS)
def test_a_shipped_init_is_the_generated_one(
    kind: str, options: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    standard, ours = both_shipped(kind, options, monkeypatch)
    assert observed(ours, kind) == observed(standard, kind)
    mine, theirs = ours.__init__, standard.__init__
    assert inspect.signature(mine) == inspect.signature(theirs)
    assert str(inspect.signature(ours)) == str(inspect.signature(standard))
    for attribute in (
        "__name__", "__qualname__", "__module__", "__defaults__", "__kwdefaults__",
        "__annotations__", "__doc__",
    ):  # fmt: skip
        assert getattr(mine, attribute) == getattr(theirs, attribute), attribute
    assert mine.__globals__ is theirs.__globals__
    assert mine.__code__.co_code == theirs.__code__.co_code
    assert [c.cell_contents for c in mine.__closure__ or ()] == [
        c.cell_contents for c in theirs.__closure__ or ()
    ]
    with pytest.raises(TypeError) as caught_mine:
        ours(1, 2, 3, 4, 5, 6)
    with pytest.raises(TypeError) as caught_theirs:
        standard(1, 2, 3, 4, 5, 6)
    assert str(caught_mine.value) == str(caught_theirs.value)


def test_the_package_s_classes_use_the_shipped_inits() -> None:
    own = [c for c in PACKAGE_CLASSES if "__init__" in c.__dict__]
    shipped = [c for c in own if c.__init__.__code__.co_filename == str(INITS_MODULE)]
    assert len(own) > 80
    # a class whose __init__ is not shipped is compiled as before: regenerate to ship it
    assert len(shipped) >= 0.9 * len(own), "run python scripts/ship.py"
    for cls in shipped:  # bound to the class's own module, named as dataclasses names it
        assert cls.__init__.__module__ == cls.__module__
        assert cls.__init__.__qualname__ == f"{cls.__qualname__}.__init__"
        assert cls.__init__.__globals__ is vars(importlib.import_module(cls.__module__))


def test_hash_values_are_those_of_the_generated_method() -> None:
    standard, ours = both("defaults", {"frozen": True})
    assert hash(ours(1, 2, (3,), [])) == hash(standard(1, 2, (3,), [])) == hash((1, 2, (3,)))
    standard, ours = both("one", {"frozen": True, "slots": True})
    assert hash(ours("x")) == hash(standard("x")) == hash(("x",))
    standard, ours = both("none", {"frozen": True})
    assert hash(ours()) == hash(standard()) == hash(())


def test_a_recursive_repr_stops_as_the_standard_one_does() -> None:
    standard, ours = both("one", {})
    a, b = standard([]), ours([])
    a.a.append(a)
    b.a.append(b)
    assert repr(b) == repr(a) == "Shape(a=[...])"


def test_unknown_options_go_to_the_standard_decorator() -> None:
    cls = records.dataclass(order=True)(type("Ordered", (), {"__annotations__": {"a": "int"}}))
    assert cls(1) < cls(2)
    assert "__lt__" in cls.__dict__


def _package_dataclasses() -> list[Any]:
    found = []
    for info in pkgutil.walk_packages(evalcheck.__path__, "evalcheck."):
        try:
            module = importlib.import_module(info.name)
        except ImportError:  # an optional dependency (python-docx, pdfplumber) is missing
            continue
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and value.__module__ == info.name
                and dataclasses.is_dataclass(value)
            ):
                found.append(value)
    return found


PACKAGE_CLASSES = _package_dataclasses()


def _unwrapped(function: Any) -> Any:
    return getattr(function, "__wrapped__", function)


def test_the_package_uses_the_records_decorator() -> None:
    assert len(PACKAGE_CLASSES) > 80
    compiled = [
        f"{cls.__module__}.{cls.__qualname__}.{name}"
        for cls in PACKAGE_CLASSES
        for name in ("__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__")
        if getattr(_unwrapped(cls.__dict__.get(name)), "__code__", None) is not None
        and _unwrapped(cls.__dict__[name]).__code__.co_filename == "<string>"
    ]
    # none compiled from source text by dataclasses: write ``from ..inputs.records import
    # dataclass`` (relative to the module) instead of ``from dataclasses import dataclass``
    assert compiled == [], "use evalcheck.inputs.records.dataclass for these classes"


def _made(cls: Any, fields: tuple[Any, ...]) -> Any:
    instance = object.__new__(cls)
    for index, f in enumerate(fields):
        object.__setattr__(instance, f.name, (index, f"v{index}"))
    return instance


@pytest.mark.parametrize("cls", PACKAGE_CLASSES, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_each_package_class_compares_and_hashes_as_a_standard_dataclass(cls: Any) -> None:
    params = cls.__dataclass_params__
    fields = dataclasses.fields(cls)
    standard = dataclasses.make_dataclass(
        cls.__name__,
        [(f.name, Any, field(compare=f.compare, hash=f.hash, repr=f.repr)) for f in fields],
        eq=params.eq,
        frozen=params.frozen,
    )
    own = {name for name in ("__eq__", "__hash__", "__repr__") if name in cls.__dict__}
    if not params.eq or "__eq__" not in own:
        return  # no generated equality (eq=False) or one the class inherits
    assert (cls.__hash__ is None) == (standard.__hash__ is None)
    ours, twin, theirs = _made(cls, fields), _made(cls, fields), _made(standard, fields)
    assert ours == twin
    assert (ours != twin) is False
    if cls.__hash__ is not None and params.frozen and "__hash__" in own:
        assert hash(ours) == hash(theirs)
    if params.repr and cls.__dict__["__repr__"].__qualname__.endswith(".__repr__"):
        assert repr(ours).partition("(")[2] == repr(theirs).partition("(")[2]
