"""The compiled rules' runtime: what generated code may name, and compiling it once per rule.

See :mod:`.codegen` for what the generated functions compute and why they can be trusted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..report.normalise import _EXACT, Figure, Quantity, Target
from .compare import compare
from .lookup import Env
from .values import EvalError, Missing, number, truth

if TYPE_CHECKING:  # the generator loads with the first rule compiled (one report rarely warms one)
    from .codegen import FastRule

__all__ = ["UNSUPPORTED", "WARM", "fast", "warm"]


def _every(obj: Any, figures: bool) -> list[Any]:
    """``[*]`` on one value, as :class:`~.lookup.Every` follows it (values only, no paths)."""
    if isinstance(obj, list):
        return obj
    if isinstance(obj, dict):
        if figures:
            return [v for v in obj.values() if isinstance(v, Figure)]
        return list(obj.values())
    return [None]


def _numv(value: Any, what: str) -> Any:
    """The Decimal of a value used as a number (raises as :func:`.values.number` does)."""
    return number(value, what).value


class _Bail(Exception):
    """Raised inside generated code: the fast path cannot decide, the nodes will."""


# Names every generated module sees (besides its own constants).
_RUNTIME: dict[str, Any] = {
    "_Figure": Figure,
    "_Quantity": Quantity,
    "_Target": Target,
    "_str": str,
    "_dict": dict,
    "_list": list,
    "_isinstance": isinstance,
    "_every": _every,
    "_numv": _numv,
    "_truth": truth,
    "_compare": compare,
    "_Env": Env,
    "_Missing": Missing,
    "_EvalError": EvalError,
    "_add": _EXACT.add,
    "_sub": _EXACT.subtract,
    "_mul": _EXACT.multiply,
    "_div": _EXACT.divide,
    "_min": min,
    "_max": max,
    "_Bail": _Bail,
}


UNSUPPORTED = object()  # rule.fast for a rule the nodes evaluate

# Places a rule is evaluated at by the nodes before it is compiled.  Compiling costs about as
# much as 30-50 evaluations by the nodes, so a single report (a pre-commit hook, a cold start)
# compiles only the rules it evaluates at many places, and a batch compiles each rule within
# its first reports.
WARM = 64


def warm(rule: Any, count: int = 1) -> FastRule | None:
    """The rule's compiled function once it has been asked for at ``WARM`` places in this
    process (``count`` more now); None before that, or when it cannot be compiled."""
    found = rule.fast
    if found is not None:
        return None if found is UNSUPPORTED else found
    rule.uses += count
    if rule.uses < WARM:
        return None
    return fast(rule)


def fast(rule: Any) -> FastRule | None:
    """The rule's compiled function, made now if not yet and kept on the rule (None when the
    rule has a node the generator does not know: the nodes evaluate it)."""
    found = rule.fast
    if found is None:
        from .codegen import Unsupported, source_of

        try:
            text, consts = source_of(rule)
            code = compile(text, f"<rule {rule.id}>", "exec")
        except (Unsupported, SyntaxError, RecursionError, MemoryError, ValueError):
            rule.fast = UNSUPPORTED  # too deep for the compiler, say: the nodes evaluate it
            return None
        namespace: dict[str, Any] = {**_RUNTIME, **consts}
        exec(code, namespace)  # source made only from the whitelisted nodes (module doc)
        found = rule.fast = namespace["_rule"]
    return None if found is UNSUPPORTED else found
