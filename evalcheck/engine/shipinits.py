"""The package's dataclass ``__init__`` methods, compiled ahead of time: the generator of
:mod:`evalcheck.inputs.records_inits`.

Python's dataclasses writes each class's ``__init__`` as source text and compiles it; for the
~90 classes a check imports that is ~9 ms of a cold start.  The texts only change when a class
does, so they ship compiled, as a module of the package: :func:`init_texts` collects every text
dataclasses writes for the package's classes (in a fresh interpreter, nothing shipped),
:func:`generate_inits` writes one function per text (the ``__init__`` body on one line) and
checks each compiles to the same code as the text itself but for names and line numbers.  At
run time :mod:`evalcheck.inputs.records` gives dataclasses that function for a text it has,
bound to the class module's globals, and compiles any other text as usual — so a stale table
costs speed, never behaviour.  ``scripts/ship.py`` writes it; ``tests/test_ship.py`` checks it.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

__all__ = ["INITS_MODULE", "generate_inits", "init_texts"]

INITS_MODULE = Path(__file__).parent.parent / "inputs" / "records_inits.py"

# Run in a fresh interpreter with nothing shipped: every ``__init__`` text dataclasses writes
# for a class of the package, in the order the package's modules make them.
_RECORDER = """
import builtins, dataclasses, importlib, json, pkgutil, sys
seen = []
original = builtins.exec
def recorder(source, globals=None, locals=None):
    name = (globals or {}).get("__name__", "")
    if type(source) is str and " def __init__(" in source and name.startswith("evalcheck."):
        if source not in seen:
            seen.append(source)
    return original(source, globals, locals)
builtins.exec = recorder  # records and dataclasses both call it
import evalcheck
for info in sorted(pkgutil.walk_packages(evalcheck.__path__, "evalcheck."), key=lambda i: i.name):
    if info.name != "evalcheck.inputs.records_inits":
        try:
            importlib.import_module(info.name)
        except ImportError:
            pass
json.dump(seen, sys.stdout)
"""


def init_texts() -> list[str]:
    """The source of every ``__init__`` dataclasses writes for the package's classes."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, EVALCHECK_NO_SHIPPED="1", EVALCHECK_NO_CACHE="1")
    done = subprocess.run(
        [sys.executable, "-c", _RECORDER], capture_output=True, text=True, env=env, check=True
    )
    texts: list[str] = json.loads(done.stdout)
    return texts


def generate_inits(texts: list[str]) -> str:
    """``records_inits.py``: each text as a function (its ``__init__`` on one line: the same
    code but for line numbers), checked against compiling the text itself."""
    out = [_INITS_HEADER]
    for index, text in enumerate(texts):
        out += _one_line(text, f"_c{index}")
    table = ", ".join(f"{text!r}: _c{index}" for index, text in enumerate(texts))
    out += ["", "", f"INITS: dict[str, Callable[..., Any]] = {{{table}}}"]
    module = "\n".join(out) + "\n"
    namespace: dict[str, Any] = {}
    exec(
        compile(module, str(INITS_MODULE), "exec", dont_inherit=True), namespace
    )  # the generator's own output
    for index, text in enumerate(texts):
        expected: dict[str, Any] = {}
        exec(compile(text, "<string>", "exec", dont_inherit=True), {}, expected)
        problem = _code_difference(
            namespace[f"_c{index}"].__code__, expected["__create_fn__"].__code__
        )
        if problem is not None:
            raise AssertionError(f"text {index}: {problem}")
    return module


def _one_line(text: str, name: str) -> list[str]:
    lines = text.split("\n")
    head, inner, body, tail = lines[0], lines[1], lines[2:-1], lines[-1]
    if not (
        head.startswith("def __create_fn__(")
        and inner.startswith(" def __init__(")
        and tail == " return __init__"
        and all(line.startswith("  ") and not line.startswith("   ") for line in body)
    ):
        raise ValueError(f"not an __init__ as dataclasses writes it: {text[:80]!r}")
    for line in body:  # simple statements only: they may share a line
        tree = ast.parse(line.strip())
        if len(tree.body) != 1 or not isinstance(tree.body[0], (ast.Assign, ast.Expr, ast.Pass)):
            raise ValueError(f"not a simple statement: {line!r}")
    joined = "; ".join(line.strip() for line in body)
    return [f"def {name}{head[len('def __create_fn__') :]}", f"{inner} {joined}", tail]


def _code_difference(a: Any, b: Any, where: str = "") -> str | None:
    """Two code objects alike but for names, positions and line numbers."""
    for attribute in (
        "co_code", "co_names", "co_varnames", "co_freevars", "co_cellvars", "co_argcount",
        "co_posonlyargcount", "co_kwonlyargcount", "co_flags", "co_nlocals", "co_stacksize",
        "co_exceptiontable",
    ):  # fmt: skip
        if getattr(a, attribute, None) != getattr(b, attribute, None):
            return f"{where}{attribute} differs"
    if len(a.co_consts) != len(b.co_consts):
        return f"{where}co_consts differ"
    for x, y in zip(a.co_consts, b.co_consts, strict=True):
        if hasattr(x, "co_code") and hasattr(y, "co_code"):
            if x.co_name != y.co_name:
                return f"{where}{x.co_name} ≠ {y.co_name}"
            problem = _code_difference(x, y, f"{where}{x.co_name}.")
            if problem is not None:
                return problem
        elif type(x) is not type(y) or (x != y and not _qualnames(x, y)):
            return f"{where}constant {x!r} ≠ {y!r}"
    return None


def _qualnames(x: Any, y: Any) -> bool:
    """The qualified name Python 3.10 keeps among the constants (``_c0.<locals>.__init__``
    for ``__create_fn__.<locals>.__init__``); dataclasses names the method anew anyway."""
    return (
        isinstance(x, str)
        and x.endswith(".<locals>.__init__")
        and y == "__create_fn__.<locals>.__init__"
    )


_INITS_HEADER = '''\
"""The package's dataclass ``__init__`` methods, compiled ahead of time: GENERATED by
scripts/ship.py — do not edit.

:data:`INITS` maps each source text Python's dataclasses writes for a class of the package to a
function compiled from that text (its body on one line): :mod:`.records` takes the function
instead of compiling the text again.  A class whose text is not here (a new or changed class,
another Python) is made as usual.  ``tests/test_ship.py`` checks every function against its
text and that the table covers the package; ``python scripts/ship.py`` regenerates it.
"""

# ruff: noqa
# fmt: off
# mypy: ignore-errors

from collections.abc import Callable
from typing import Any

'''
