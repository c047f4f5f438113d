"""The optional libraries behind the Office and PDF readers.

They are imported only when a file needs them, so the JSON/YAML path stays light, and a
missing extra is the user's one-line error naming the command that installs it.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from ..source import LoadError

__all__ = ["library"]


def library(name: str, module: str, *, package: str, what: str, extra: str) -> ModuleType:
    """Import *module* for the file *name*, or refuse the file with the install command."""
    try:
        return import_module(module)
    except ImportError:
        raise LoadError(
            name, 1, 1, f"读取{what}需要 {package}：pip install 'evalcheck[{extra}]'"
        ) from None
