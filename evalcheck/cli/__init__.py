"""Step 10: the click layer, one module per subcommand, nothing but click code.

``evalcheck PATH …`` checks reports (``check`` is the default command, so it need not be
typed); ``evalcheck rules``, ``evalcheck explain ID``, ``evalcheck schema`` and ``evalcheck
import`` describe the rules and the report format.  The default fail level is ``warning``: a
warning must be fixed or explained in the explanations file (see :mod:`evalcheck.suppress`),
so an unexplained warning fails the run; rounding notes (info) never do unless asked for.
"""

from __future__ import annotations

from . import check, documents, rules, serve  # noqa: F401  (each registers its command on the group)
from .group import cli, main

__all__ = ["cli", "main"]
