"""Lookups: compiled key paths such as ``绩效指标[*].指标[*].得分``, and where they look.

A :class:`Lookup` starts at a :class:`Base` (the report, the scope item, the rule's parameters or
a loop variable) and follows :class:`Step` s.  Values come back converted for the rules: a
parameter written ``"90%"`` is a number, a blank figure under ``missing: zero`` is an exact 0.
"""

from __future__ import annotations

from dataclasses import field
from decimal import Decimal
from enum import Enum
from typing import Any, Protocol

from ..inputs.records import dataclass
from ..report.normalise import (
    MAX_DIGITS,
    MAX_EXPONENT,
    Figure,
    Kind,
    NumberError,
    Target,
    is_blank,
    read_figure,
)
from .types import FIGURE
from .values import EvalError, Missing, Quantity, constant

__all__ = [
    "ZERO",
    "Base",
    "ComputedKey",
    "Env",
    "Every",
    "Index",
    "Key",
    "Lookup",
    "LoopKey",
    "Path",
    "Step",
    "in_range",
]

Path = tuple[str | int, ...]
Pairs = list[tuple[Any, Path]]


@dataclass(slots=True)
class Env:
    """Where names are looked up while a rule runs over one scope item."""

    root: dict[str, Any]  # the normalised report tree (see report.tree.normalise_report)
    item: Any
    prefix: Path
    params: dict[str, Any]
    bindings: dict[str, str]
    rounding: list[tuple[Quantity, Quantity]] = field(default_factory=list)

    def again(self) -> Env:
        """The same place with nothing recorded yet: for evaluating a second time."""
        return Env(self.root, self.item, self.prefix, self.params, self.bindings)


class Base(Enum):
    """Where a lookup starts."""

    ITEM = "item"  # the scope item (a table row), for names it has
    ROOT = "root"  # the report
    PARAMS = "params"  # 参数: the rule's parameters
    BINDING = "binding"  # a for_each variable used on its own: its current value


class Step:
    """One link of a key path: from each (value, path) to the values it reaches."""

    __slots__ = ()

    def follow(self, obj: Any, path: Path, env: Env) -> Pairs:
        raise NotImplementedError


class Key(Step):
    """``.名称`` or ``["名称"]``."""

    __slots__ = ("key",)

    def __init__(self, key: str) -> None:
        self.key = key

    def follow(self, obj: Any, path: Path, env: Env) -> Pairs:
        key = self.key
        return [(obj.get(key) if isinstance(obj, dict) else None, (*path, key))]


class LoopKey(Step):
    """``[项]``: the key is the current value of a for_each variable."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def follow(self, obj: Any, path: Path, env: Env) -> Pairs:
        key = env.bindings[self.name]
        return [(obj.get(key) if isinstance(obj, dict) else None, (*path, key))]


class _Computes(Protocol):
    def evaluate(self, env: Env, trace: Any = None) -> Any: ...


class ComputedKey(Step):
    """``参数.等次表[评价等次]``: the key is computed (only into parameters and maps)."""

    __slots__ = ("expr",)

    def __init__(self, expr: _Computes) -> None:
        self.expr = expr

    def follow(self, obj: Any, path: Path, env: Env) -> Pairs:
        key = _key_text(self.expr.evaluate(env, None))
        return [(obj.get(key) if isinstance(obj, dict) else None, (*path, key))]


class Index(Step):
    """``[0]``, ``[-1]``: one row of a list."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index

    def follow(self, obj: Any, path: Path, env: Env) -> Pairs:
        if isinstance(obj, list) and -len(obj) <= self.index < len(obj):
            return [(obj[self.index], (*path, self.index))]
        return [(None, (*path, self.index))]


class Every(Step):
    """``[*]``: every row of a list, every entry of a map (only the figures of a section)."""

    __slots__ = ("figures",)

    def __init__(self, figures: bool = False) -> None:
        self.figures = figures

    def follow(self, obj: Any, path: Path, env: Env) -> Pairs:
        if isinstance(obj, list):
            return [(v, (*path, i)) for i, v in enumerate(obj)]
        if isinstance(obj, dict):
            return [
                (v, (*path, k)) for k, v in obj.items() if not self.figures or isinstance(v, Figure)
            ]
        return [(None, path)]


_WALKED = (Key, LoopKey, Index, Every)  # the steps Lookup._values follows


class Lookup:
    """A compiled key path such as ``绩效指标[*].指标[*].得分``."""

    __slots__ = ("base", "direct", "fan_out", "leaf", "source", "steps", "walked", "zero")

    def __init__(self, base: Base, steps: list[Step], leaf: Any, source: str, zero: bool) -> None:
        self.base = base
        self.steps = steps
        self.leaf = leaf
        self.source = source
        # one loop, not three generators: a pack makes ~1,200 lookups at every start
        fan_out = False
        # values found without their paths (see _values): every step a key, loop key, row or [*]
        walked = base is not Base.BINDING
        keys: list[str] | None = [] if base is Base.ITEM or base is Base.ROOT else None
        for step in steps:
            if step.__class__ not in _WALKED:
                walked = False
            if isinstance(step, Key):
                if keys is not None:
                    keys.append(step.key)
            else:
                keys = None
                if isinstance(step, Every):
                    fan_out = True
        self.fan_out = fan_out
        self.walked = walked
        self.direct: tuple[str, ...] | None = None if keys is None else tuple(keys)
        # ``missing: zero``: an absent figure counts as an exact 0 (blank 其中 cells on the forms).
        self.zero = zero and leaf == FIGURE

    @property
    def figure(self) -> bool:
        """Reads figures of the report (not a parameter, not a loop variable)."""
        return self.base in (Base.ITEM, Base.ROOT)

    def resolve(self, env: Env) -> Pairs:
        """Every (value, key path) the lookup reaches; absent values come back as None."""
        direct = self.direct
        if direct is not None:  # plain keys: one value, its path cut after the first absence
            if self.base is Base.ITEM:
                obj: Any = env.item
                base: Path = env.prefix
            else:
                obj, base = env.root, ()
            taken = 0
            for key in direct:
                if obj is None:
                    break
                obj = obj.get(key) if isinstance(obj, dict) else None
                taken += 1
            return [(obj, (*base, *direct[:taken]))]
        if self.base is Base.BINDING:
            return [(env.bindings[self.source], ())]
        if self.base is Base.PARAMS:
            current: Pairs = [(env.params, ())]
        elif self.base is Base.ITEM:
            current = [(env.item, env.prefix)]
        else:
            current = [(env.root, ())]
        for step in self.steps:
            current = [
                pair
                for obj, path in current
                for pair in ([(None, path)] if obj is None else step.follow(obj, path, env))
            ]
        return current

    def convert(self, value: Any) -> Any:
        if value is None and self.zero:
            return ZERO
        if self.base is Base.PARAMS and isinstance(value, str):
            return _param_text(value)
        return _convert(value)

    def value(self, pairs: Pairs) -> Any:
        """What the expression sees: one value, or the list of values of a ``[*]`` lookup."""
        values = [self.convert(v) for v, _ in pairs]
        if self.fan_out:
            return values
        return values[0] if values else None

    def __call__(self, env: Env) -> Any:
        if self.direct is not None:
            found = self._walk(env)
            if found.__class__ is Figure:
                return found
            return self.convert(found)
        if self.walked:
            values = [self.convert(v) for v in self._values(env)]
            if self.fan_out:
                return values
            return values[0] if values else None
        return self.value(self.resolve(env))

    def _values(self, env: Env) -> list[Any]:
        """The values :meth:`resolve` reaches, in its order, without their key paths (for
        keys, loop keys, rows and ``[*]``; a step follows only the values that are not None,
        as in :meth:`resolve`, so a loop variable is looked up only when one is reached)."""
        if self.base is Base.PARAMS:
            current: list[Any] = [env.params]
        elif self.base is Base.ITEM:
            current = [env.item]
        else:
            current = [env.root]
        for step in self.steps:
            kind = step.__class__
            if kind is Key:
                key = step.key  # type: ignore[attr-defined]
                current = [o.get(key) if isinstance(o, dict) else None for o in current]
            elif kind is LoopKey:
                if all(o is None for o in current):
                    continue  # nothing reached: the key is not looked up (None stays None)
                key = env.bindings[step.name]  # type: ignore[attr-defined]
                current = [o.get(key) if isinstance(o, dict) else None for o in current]
            elif kind is Index:
                index = step.index  # type: ignore[attr-defined]
                current = [
                    o[index] if isinstance(o, list) and -len(o) <= index < len(o) else None
                    for o in current
                ]
            else:  # Every
                figures = step.figures  # type: ignore[attr-defined]
                reached: list[Any] = []
                for o in current:
                    if isinstance(o, list):
                        reached.extend(o)
                    elif isinstance(o, dict):
                        if figures:
                            reached.extend(v for v in o.values() if isinstance(v, Figure))
                        else:
                            reached.extend(o.values())
                    else:
                        reached.append(None)
                current = reached
        return current

    def _walk(self, env: Env) -> Any:
        """The common case, plain keys from the root or the scope item: no paths, no lists."""
        obj: Any = env.item if self.base is Base.ITEM else env.root
        for key in self.direct or ():
            if not isinstance(obj, dict):
                return None
            obj = obj.get(key)
        return obj


def _key_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Quantity):
        return format(value.value, "f")
    if isinstance(value, Target):
        return value.text
    raise Missing("键")


ZERO = constant(Decimal(0))


def _param_text(text: str) -> Any:
    """A parameter written as "90%" or "0.5" is a number; anything else stays text."""
    if is_blank(text):
        return text
    kind = Kind.RATE if text.strip().endswith(("%", "％")) else Kind.SCORE
    try:
        figure = read_figure(text, kind)
    except NumberError:
        return text
    return text if figure is None else figure


def _convert(value: Any) -> Any:
    if value is None or isinstance(value, Figure):  # a Figure already is a Quantity
        return value
    if isinstance(value, Decimal) and value.is_finite():
        if not in_range(value):
            raise EvalError(f"参数中的数值 {value} 超出可处理范围")
        return constant(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return constant(Decimal(value))
    return value


def in_range(value: Decimal) -> bool:
    """Within the range of report figures.  ``1e999999 * 1e999999`` overflows Decimal; numbers
    in this range, a few hundred operations deep, stay far inside its limits."""
    exponent = value.as_tuple().exponent
    return value.is_zero() or (
        value.adjusted() <= MAX_EXPONENT and isinstance(exponent, int) and exponent >= -MAX_DIGITS
    )
