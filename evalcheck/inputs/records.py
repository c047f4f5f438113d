"""``dataclass`` for evalcheck's own classes: the standard decorator, fewer methods compiled.

Python 3.11's :func:`dataclasses.dataclass` writes every method it adds as source text and
compiles it (``exec``): the ~90 classes one report's check imports cost ~400 compilations,
about a quarter of a cold start's CPU (#18).  This decorator lets :mod:`dataclasses` do
everything it does — fields, ``__init__`` (the hot one, kept as generated code),
``__match_args__``, ``slots`` — except ``__repr__``, ``__eq__``, ``__hash__`` and a frozen
class's ``__setattr__``/``__delattr__`` (~300 of the ~400), which it builds from closures over
the fields instead (:func:`operator.attrgetter`, no compilation).  They behave exactly as the
generated ones: the same text, the same comparison (a tuple of the compared fields,
``NotImplemented`` for another class), the same hash value (of that tuple), the same rules for
when ``__hash__`` is set, kept or set to None, the same :class:`~dataclasses.FrozenInstanceError`
for a field assigned or deleted (a subclass's own attributes pass through to ``super``), and a
method the class defines itself is never replaced.
``__dataclass_params__`` says what the class has, so :func:`dataclasses.replace`,
:func:`~dataclasses.asdict` and :func:`~dataclasses.fields` work as on any dataclass
(``tests/test_records.py`` compares both decorators on every class of the package).

Any option this module does not handle (``order``, ``unsafe_hash``) goes to the standard
decorator unchanged.  Type checkers see :func:`dataclasses.dataclass` itself.
"""

from __future__ import annotations

import builtins
import dataclasses
import os
import reprlib
import sys
from operator import attrgetter
from types import FunctionType
from typing import TYPE_CHECKING, Any

__all__ = ["dataclass"]

_HANDLED = frozenset(("init", "repr", "eq", "frozen", "match_args", "kw_only", "slots"))


def _dataclass(cls: Any = None, /, **options: Any) -> Any:
    """:func:`dataclasses.dataclass` with ``__repr__``, ``__eq__`` and ``__hash__`` built
    without compiling (same signature, same result)."""
    if not set(options) <= _HANDLED:
        return dataclasses.dataclass(cls, **options)

    def wrap(cls: Any) -> Any:
        return _process(cls, **options)

    return wrap if cls is None else wrap(cls)


def _process(cls: Any, *, repr: bool = True, eq: bool = True, **options: Any) -> Any:
    body = cls.__dict__
    class_hash = body.get("__hash__", dataclasses.MISSING)
    explicit_hash = not (
        class_hash is dataclasses.MISSING or (class_hash is None and "__eq__" in body)
    )
    own_repr, own_eq = "__repr__" in body, "__eq__" in body
    # While dataclasses makes the class, it asks this module for the frozen methods, and its
    # ``exec`` of an ``__init__`` already shipped compiled (records_inits) takes that code.
    namespace = vars(dataclasses)
    saved = {name: namespace.get(name, _ABSENT) for name in ("exec", "_frozen_get_del_attr")}
    if _FROZEN_HOOK:
        namespace["_frozen_get_del_attr"] = _frozen_fns
    if _SHIPPED_INITS:
        namespace["exec"] = _exec
    try:
        made = dataclasses.dataclass(cls, repr=False, eq=False, **options)
    finally:
        for name, value in saved.items():
            if value is _ABSENT:
                namespace.pop(name, None)
            else:
                namespace[name] = value
    params = made.__dataclass_params__
    params.repr, params.eq = repr, eq
    fields = dataclasses.fields(made)
    if repr and not own_repr:
        _set(made, "__repr__", _repr_fn(tuple(f.name for f in fields if f.repr)))
    if eq and not own_eq:
        _set(made, "__eq__", _eq_fn(tuple(f.name for f in fields if f.compare)))
    if eq and not explicit_hash:  # dataclasses' _hash_action for unsafe_hash=False
        if params.frozen:
            hashed = tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash))
            _set(made, "__hash__", _hash_fn(hashed))
        else:
            made.__hash__ = None
    return made


# ``_frozen_get_del_attr(cls, fields, globals)`` returns the two methods in Python 3.10-3.12
# (3.13 builds them otherwise: there the standard ones are kept).
_FROZEN_HOOK = sys.version_info < (3, 13) and "_frozen_get_del_attr" in vars(dataclasses)


# ``EVALCHECK_NO_SHIPPED=1``: every ``__init__`` compiled from its text, as dataclasses does.
_SHIPPED_INITS = not os.environ.get("EVALCHECK_NO_SHIPPED")


def _shipped() -> dict[str, Any]:
    """Source text → the function compiled from it ahead of time (:mod:`.records_inits`)."""
    global _INITS
    if _INITS is None:
        from .records_inits import INITS

        _INITS = INITS
    return _INITS


_INITS: dict[str, Any] | None = None
_ABSENT = object()


def _exec(source: Any, globals: Any = None, locals: Any = None) -> None:
    """``exec`` as dataclasses calls it (``exec(text, globals, ns)`` defining
    ``__create_fn__``), but a text shipped compiled is not compiled again: its function is
    bound to the same globals, so it makes the very ``__init__`` the text would."""
    factory = _shipped().get(source) if type(source) is str else None
    if factory is None or globals is None or type(locals) is not dict:
        # compiled as dataclasses' own exec compiles it: without this module's __future__
        # import (a string annotation would show in the class's signature and doc)
        builtins.exec(compile(source, "<string>", "exec", dont_inherit=True), globals, locals)
        return
    locals["__create_fn__"] = FunctionType(factory.__code__, globals, "__create_fn__")


def _frozen_fns(cls: Any, fields: list[Any], globals: Any) -> tuple[Any, Any]:
    """A frozen class's ``__setattr__`` and ``__delattr__``, as dataclasses writes them."""
    names = tuple(f.name for f in fields)
    frozen = dataclasses.FrozenInstanceError

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise frozen(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise frozen(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return __setattr__, __delattr__


def _set(cls: Any, name: str, function: Any) -> None:
    function.__qualname__ = f"{cls.__qualname__}.{name}"
    setattr(cls, name, function)


def _repr_fn(names: tuple[str, ...]) -> Any:
    @reprlib.recursive_repr("...")
    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__qualname__}({shown})"

    return __repr__


def _eq_fn(names: tuple[str, ...]) -> Any:
    """``(self.a, self.b) == (other.a, other.b)`` for instances of the same class."""
    if len(names) > 1:
        values = attrgetter(*names)  # a tuple already

        def __eq__(self: Any, other: Any) -> Any:
            if other.__class__ is self.__class__:
                return values(self) == values(other)
            return NotImplemented

    elif names:
        value = attrgetter(names[0])

        def __eq__(self: Any, other: Any) -> Any:
            if other.__class__ is self.__class__:
                return (value(self),) == (value(other),)
            return NotImplemented

    else:

        def __eq__(self: Any, other: Any) -> Any:
            if other.__class__ is self.__class__:
                return True  # () == ()
            return NotImplemented

    return __eq__


def _hash_fn(names: tuple[str, ...]) -> Any:
    """``hash((self.a, self.b))``: the value the generated method gives."""
    if len(names) > 1:
        values = attrgetter(*names)

        def __hash__(self: Any) -> int:
            return hash(values(self))

    elif names:
        value = attrgetter(names[0])

        def __hash__(self: Any) -> int:
            return hash((value(self),))

    else:

        def __hash__(self: Any) -> int:
            return hash(())

    return __hash__


if TYPE_CHECKING:
    from dataclasses import dataclass as dataclass
else:
    dataclass = _dataclass
