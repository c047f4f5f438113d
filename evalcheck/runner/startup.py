"""The command line's start-up: no cyclic garbage collection until the rules are loaded.

Starting a check allocates some 150,000 objects that live as long as the process (modules,
classes, the compiled rule packs) and next to no cyclic garbage, and the collector would scan
them some 80 times for nothing (4% of a cold check's instructions).  :func:`begin`, called
by the clean command-line path before it imports the pipeline, switches the collector off;
:func:`ready`, called once the first rule set is compiled, moves everything made so far to
the permanent generation (``gc.freeze``: later collections never scan it again, which a batch
of reports also gains from) and switches the collector back on.  A process whose collector
:func:`begin` did not switch off (an application using :class:`~evalcheck.runner.checker.
Checker`, a test) is never touched.
"""

from __future__ import annotations

import gc

__all__ = ["begin", "ready"]

_paused = False


def begin() -> None:
    """Pause the collector for the start-up, if it runs."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def ready() -> None:
    """The start-up is over: freeze what it made and collect again (only after :func:`begin`)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
