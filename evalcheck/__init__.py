"""evalcheck: a consistency checker for 部门整体支出绩效自评报告.

The pipeline runs one way: load → normalise → model → engine → findings → render.
``evalcheck.check(path)`` is the Python API; heavy modules load only when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "check"]

if TYPE_CHECKING:
    from .runner.checker import check


def __getattr__(name: str) -> Any:
    if name == "check":
        from .runner.checker import check

        return check
    raise AttributeError(name)
