"""Counting findings: by severity per file, over a run, and how much of a report was read
and checked (coverage)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import field
from typing import Protocol

from ..engine.spec import Severity
from ..inputs.records import dataclass

__all__ = ["SEVERITIES", "SEVERITY_LABEL", "SEVERITY_RANK", "Counts", "Coverage", "Summary"]

SEVERITIES = tuple(s.value for s in Severity)  # "error", "warning", "info"
SEVERITY_RANK = {s.value: s.rank for s in Severity}
SEVERITY_LABEL = {s.value: s.label for s in Severity}


class Counted(Protocol):
    """What counting needs of a finding."""

    rule_id: str
    severity: str
    explanation: str | None


@dataclass(slots=True)
class Counts:
    """Findings by severity; explained findings count only as explained."""

    errors: int = 0
    warnings: int = 0
    infos: int = 0
    explained: int = 0

    def add(self, finding: Counted) -> None:
        if finding.explanation is not None:
            self.explained += 1
        elif finding.severity == Severity.ERROR:
            self.errors += 1
        elif finding.severity == Severity.WARNING:
            self.warnings += 1
        else:
            self.infos += 1

    @classmethod
    def of(cls, findings: Iterable[Counted]) -> Counts:
        counts = cls()
        for finding in findings:
            counts.add(finding)
        return counts


@dataclass(slots=True)
class Summary:
    """Counts over every file checked, for the closing line and ``--statistics``."""

    files: int = 0
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    unreadable: int = 0
    explained: int = 0
    baseline: int = 0  # findings hidden by ``--baseline``
    skipped: int = 0  # evalcheck's own outputs met among the files: not reports
    per_rule: dict[str, int] = field(default_factory=dict)
    figures: int = 0  # read, over every readable file
    checked: int = 0  # of those, checked by at least one rule

    def add_coverage(self, coverage: Coverage | None) -> None:
        if coverage is not None:
            self.figures += coverage.figures
            self.checked += coverage.checked

    def add(self, findings: Iterable[Counted], fail_rank: int) -> bool:
        """Count one file's findings; True if any unexplained one reaches ``fail_rank``."""
        failing = False
        counts = Counts()
        for finding in findings:
            self.per_rule[finding.rule_id] = self.per_rule.get(finding.rule_id, 0) + 1
            counts.add(finding)
            if finding.explanation is None:
                failing |= SEVERITY_RANK.get(finding.severity, 0) >= fail_rank
        self.errors += counts.errors
        self.warnings += counts.warnings
        self.infos += counts.infos
        self.explained += counts.explained
        return failing


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much of one report was read and checked: a green result must mean both.

    ``figures``: numbers read (figures and numeric targets); ``checked``: of those, the ones at
    least one rule evaluated; ``not_applicable``: rules that ran nowhere for want of data;
    ``not_understood``: cells a document reader could not place (kept under 未识别).
    """

    figures: int
    checked: int
    not_applicable: int
    not_understood: int = 0
    rules_run: int = 0  # rules evaluated at least once (not merely not applicable)

    def to_dict(self) -> dict[str, int]:
        return {
            "figures": self.figures,
            "checked": self.checked,
            "rules_run": self.rules_run,
            "not_applicable_rules": self.not_applicable,
            "not_understood": self.not_understood,
        }

    def line(self) -> str:
        """``读取 113 个数字，规则检查了 98 个；12 条规则因缺少数据未适用``."""
        text = f"读取 {self.figures} 个数字，规则检查了 {self.checked} 个"
        if self.not_applicable:
            text += f"；{self.not_applicable} 条规则因缺少数据未适用"
        if self.not_understood:
            text += f"；{self.not_understood} 处内容未能识别"
        return text
