"""A finding as a card beside its table: what is wrong, the arithmetic, the likeliest wrong
figure and what to do — the same words as the text format, with the cells it involves listed
as culprit (实线) and operands (虚线)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ...findings import SEVERITY_LABEL
from ...inputs.escape import markup
from .marks import culprits, severity_class

if TYPE_CHECKING:
    from ...diagnose import Change
    from ...findings import Finding

__all__ = ["card", "severity_word"]


def severity_word(finding: Finding) -> str:
    word = SEVERITY_LABEL.get(finding.severity, str(finding.severity))
    return f"{word}（已说明）" if finding.explanation is not None else word


def _where(finding: Finding) -> str:
    if finding.origin:
        return finding.origin
    return f"第 {finding.line} 行第 {finding.column} 列" if finding.line else ""


def _change(change: Change) -> str:
    return (
        f"{markup(change.path)}：印为 <b>{markup(change.printed)}</b>，"
        f"更可能为 <b>{markup(change.suggested)}</b>（{markup(change.reason)}）"
    )


def card(report_id: str, number: int, finding: Finding, fixes: Mapping[str, str]) -> str:
    """The card of finding ``number`` of the report with id ``report_id``."""
    severity = severity_class(finding)
    blamed = set(culprits(finding))
    lines = [
        f'<article class="card s-{severity}" id="{report_id}-f{number}" data-f="{number}" '
        f'data-rule="{markup(finding.rule_id)}" tabindex="0">',
        f'<h5><span class="num">{number}</span><span class="sev">{severity_word(finding)}</span>'
        f"[{markup(finding.rule_id)}] {markup(finding.title)}</h5>",
    ]
    where = _where(finding)
    place = markup(finding.path) + (f"（{markup(where)}）" if where else "")
    lines.append(f'<p class="where">位置：{place}</p>')
    if finding.message:
        lines.append(f"<p>{markup(finding.message)}</p>")
    if finding.label and finding.label not in finding.message:
        lines.append(f'<p class="calc">{markup(finding.label)}</p>')
    figures = []
    for figure in finding.figures:
        role = "culprit" if figure.path in blamed else "operand"
        value = "空白" if figure.blank else figure.value
        figures.append(f'<li class="{role}">{markup(figure.path)} = {markup(value)}</li>')
    if figures:
        lines.append(f'<ul class="figures">{"".join(figures)}</ul>')
    diagnosis = finding.diagnosis
    if diagnosis is not None:
        lines.append(f'<p class="diagnosis"><b>诊断：</b>{markup(diagnosis.text)}</p>')
        if diagnosis.alternatives:
            others = "；".join(_change(c) for c in diagnosis.alternatives)
            lines.append(f'<p class="alternatives">其他可能：{others}</p>')
    if finding.explanation is not None:
        lines.append(f'<p class="explained"><b>已说明：</b>{markup(finding.explanation)}</p>')
    fix = fixes.get(finding.rule_id, "")
    if fix:
        lines.append(f'<p class="fix"><b>修正：</b>{markup(fix)}</p>')
    lines.append("</article>")
    return "".join(lines)
