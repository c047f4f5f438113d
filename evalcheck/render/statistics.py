"""``--statistics``: how many findings each rule produced, over every file checked.

Rows are counted per rule id and severity (a rounding note of an error rule is an info row of
its own), sorted by count, most frequent first, then by rule id.  The CLI adds each result as
it is checked (:meth:`Statistics.add`) and prints :meth:`Statistics.text` or
:meth:`Statistics.json` at the end.  Widths are measured in terminal cells, so Chinese titles
line up.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..findings import SEVERITY_LABEL, SEVERITY_RANK
from ..inputs.escape import json_safe
from ..inputs.records import dataclass
from .cells import cell_len

if TYPE_CHECKING:
    from ..findings import FileResult

__all__ = ["RuleCount", "Statistics"]


@dataclass(slots=True)
class RuleCount:
    rule_id: str
    severity: str
    title: str
    count: int = 0
    explained: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule_id,
            "severity": self.severity,
            "title": self.title,
            "count": self.count,
            "explained": self.explained,
        }


def _pad(text: str, width: int, right: bool = False) -> str:
    space = " " * max(width - cell_len(text), 0)
    return space + text if right else text + space


class Statistics:
    """Finding counts per rule, accumulated one checked file at a time."""

    def __init__(self, results: Iterable[FileResult] = ()) -> None:
        self._counts: dict[tuple[str, str], RuleCount] = {}
        for result in results:
            self.add(result)

    def add(self, result: FileResult) -> None:
        for finding in result.findings:
            key = (finding.rule_id, finding.severity)
            row = self._counts.get(key)
            if row is None:
                row = self._counts[key] = RuleCount(
                    finding.rule_id, finding.severity, finding.title
                )
            row.count += 1
            if finding.explanation is not None:
                row.explained += 1

    def rows(self) -> list[RuleCount]:
        """Most frequent first; ties by rule id, then the more severe first."""
        return sorted(
            self._counts.values(),
            key=lambda r: (-r.count, r.rule_id, -SEVERITY_RANK.get(r.severity, 0)),
        )

    def text(self) -> str:
        """An aligned table: count, rule id, severity, title (and how many were explained)."""
        rows = self.rows()
        if not rows:
            return "没有发现问题。\n"
        header = ("数量", "规则", "级别", "标题")
        table = [
            (
                str(r.count),
                r.rule_id,
                SEVERITY_LABEL.get(r.severity, r.severity),
                r.title + (f"（其中已说明 {r.explained}）" if r.explained else ""),
            )
            for r in rows
        ]
        widths = [max(cell_len(line[i]) for line in (header, *table)) for i in range(3)]
        lines = []
        for line in (header, *table):
            cells = [
                _pad(line[0], widths[0], right=True),
                _pad(line[1], widths[1]),
                _pad(line[2], widths[2]),
                line[3],
            ]
            lines.append("  ".join(cells))
        total = sum(r.count for r in rows)
        lines.append(f"共 {total} 条")
        return "\n".join(lines) + "\n"

    def json(self) -> str:
        """``{"version": 1, "total": n, "rules": [{rule, severity, title, count, explained}]}``."""
        rows = self.rows()
        document = {
            "version": 1,
            "total": sum(r.count for r in rows),
            "rules": [r.to_dict() for r in rows],
        }
        return json_safe(json.dumps(document, ensure_ascii=False, indent=2)) + "\n"
