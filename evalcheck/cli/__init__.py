"""Step 10: the click layer, one module per subcommand, nothing but click code.

``evalcheck PATH …`` checks reports (``check`` is the default command, so it need not be
typed); ``evalcheck rules``, ``evalcheck explain ID``, ``evalcheck schema`` and ``evalcheck
import`` describe the rules and the report format.  The default fail level is ``warning``: a
warning must be fixed or explained in the explanations file (see :mod:`evalcheck.suppress`),
so an unexplained warning fails the run; rounding notes (info) never do unless asked for.

Importing this package imports no click: ``evalcheck PATH …`` with no option runs without it
(:mod:`.clean`), and :data:`cli`, the click group, is loaded on first use.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .group import cli

__all__ = ["cli", "main"]


def main() -> None:
    """The console-script entry point."""
    from .clean import plain_paths

    paths = plain_paths(sys.argv[1:])
    if paths is not None:
        from ..runner import startup

        startup.begin()  # no garbage collection until the rules are loaded (runner/startup)
    _cached_patterns()
    if paths is not None:
        from .clean import main as check_paths

        check_paths(paths)
    _group().main()


def _cached_patterns() -> None:
    """Regular expressions earlier runs compiled come from the signed cache, and this run's
    new ones are stored at exit (:mod:`evalcheck.engine.patterns`: ~30 ms of a cold start)."""
    from ..engine import patterns

    patterns.install()


def _group() -> Any:
    from . import check, documents, rules, serve  # noqa: F401  (each registers its command)
    from .group import cli

    return cli


def __getattr__(name: str) -> Any:
    if name == "cli":
        return _group()
    raise AttributeError(name)
