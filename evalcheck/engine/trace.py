"""What a traced evaluation saw (a failing check evaluated again): read by the explanations
(:mod:`.explain`) and the diagnosis."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import field
from typing import Any

from ..inputs.records import dataclass
from .lookup import Path

__all__ = ["Trace"]


@dataclass(slots=True)
class Trace:
    """Each node's value, each lookup's key paths (keyed by the nodes of :mod:`.nodes`)."""

    values: dict[Hashable, Any] = field(default_factory=dict)
    paths: dict[Hashable, list[Path]] = field(default_factory=dict)

    def read(self) -> frozenset[Path]:
        """Every key path the evaluation read."""
        return frozenset(p for found in self.paths.values() for p in found)
