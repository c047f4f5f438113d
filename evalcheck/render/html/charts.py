"""Small inline SVG charts for the batch overview, drawn here (no library, no script).

Where a reviewer would rather look than read: how the batch's 自评分数 and 执行率 are spread
(a suspicious cluster of 100 分 with low execution shows at a glance), and which rules find the
most.  Each chart is a few dozen elements whatever the batch size, with its numbers printed on
it and a ``<title>`` per bar, so it reads without colour and prints.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...inputs.escape import markup

__all__ = ["RATE_BINS", "SCORE_BINS", "bins", "histogram", "rule_bars"]

# (label, lower bound inclusive); a value falls in the last bin whose bound it reaches.
SCORE_BINS = (
    ("<60", float("-inf")),
    ("60–69", 60.0),
    ("70–79", 70.0),
    ("80–89", 80.0),
    ("90–100", 90.0),
    (">100", 100.000001),
)
RATE_BINS = (
    ("<50%", float("-inf")),
    ("50–79%", 50.0),
    ("80–89%", 80.0),
    ("90–94%", 90.0),
    ("95–99%", 95.0),
    ("100%", 100.0),
    (">100%", 100.000001),
)
MAX_RULES = 15  # bars in the findings-per-rule chart; the rest are summed in one line


def bins(
    values: Sequence[float | None], edges: Sequence[tuple[str, float]]
) -> list[tuple[str, int]]:
    """Counts per bin, and a last bin 未填 for reports that print no such figure."""
    counts = [0] * len(edges)
    missing = 0
    for value in values:
        if value is None:
            missing += 1
            continue
        index = 0
        for i, (_, lower) in enumerate(edges):
            if value >= lower:
                index = i
        counts[index] += 1
    out = [(label, counts[i]) for i, (label, _) in enumerate(edges)]
    if missing:
        out.append(("未填", missing))
    return out


def histogram(title: str, counts: Sequence[tuple[str, int]], unit: str = "份") -> str:
    width, height, top, bottom, left = 380, 190, 26, 36, 8
    slot = (width - left * 2) / max(len(counts), 1)
    tallest = max((c for _, c in counts), default=0) or 1
    room = height - top - bottom
    items = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{markup(title)}" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="{left}" y="16" class="t">{markup(title)}</text>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - left}" y2="{height - bottom}" class="axis"/>',
    ]
    for i, (label, count) in enumerate(counts):
        bar = room * count / tallest
        x = left + i * slot + slot * 0.15
        y = height - bottom - bar
        w = slot * 0.7
        cx = x + w / 2
        css = "bar missing" if label == "未填" else "bar"
        items.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{bar:.1f}" class="{css}">'
            f"<title>{markup(label)}：{count} {unit}</title></rect>"
        )
        items.append(f'<text x="{cx:.1f}" y="{y - 4:.1f}" class="v">{count}</text>')
        items.append(
            f'<text x="{cx:.1f}" y="{height - bottom + 16}" class="l">{markup(label)}</text>'
        )
    items.append("</svg>")
    return "".join(items)


def rule_bars(title: str, rules: Sequence[tuple[str, str, str, int]]) -> str:
    """Findings per rule: ``(rule id, title, severity, count)``, most frequent first."""
    shown = list(rules[:MAX_RULES])
    rest = sum(r[3] for r in rules[MAX_RULES:])
    row, top, label_width, width = 20, 26, 250, 560
    height = top + row * (len(shown) + (1 if rest else 0)) + 8
    longest = max((r[3] for r in shown), default=0) or 1
    room = width - label_width - 50
    items = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{markup(title)}" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="8" y="16" class="t">{markup(title)}</text>',
    ]
    for i, (rule_id, rule_title, severity, count) in enumerate(shown):
        y = top + i * row
        bar = max(room * count / longest, 1)
        name = rule_title if len(rule_title) <= 14 else rule_title[:13] + "…"
        items.append(
            f'<g class="rule" data-rule="{markup(rule_id)}"><title>{markup(rule_id)} '
            f"{markup(rule_title)}：{count} 条</title>"
            f'<text x="8" y="{y + 14}" class="l left">{markup(rule_id)} {markup(name)}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{bar:.1f}" height="{row - 6}" class="bar s-{markup(severity)}"/>'
            f'<text x="{label_width + bar + 4:.1f}" y="{y + 14}" class="v left">{count}</text></g>'
        )
    if rest:
        y = top + len(shown) * row
        items.append(f'<text x="8" y="{y + 14}" class="l left">其余规则共 {rest} 条</text>')
    items.append("</svg>")
    return "".join(items)
