"""The batch overview: a row per report, worst first, sortable and filterable by rule and
severity, each row linking to its report and each rule chip to the report's first finding of
that rule; the charts above it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field

from ...findings import Counts
from ...inputs.escape import markup
from ...inputs.records import dataclass
from .charts import RATE_BINS, SCORE_BINS, bins, histogram, rule_bars

__all__ = ["Row", "overview"]


@dataclass(slots=True)
class Row:
    """What the overview shows of one report (kept while the sections are written)."""

    number: int
    title: str
    file: str
    kind: str
    year: str
    score: str
    grade: str
    counts: Counts
    figures: int | None
    checked: int | None
    score_value: float | None = None
    rate_value: float | None = None
    error: str = ""
    rules: dict[str, int] = field(default_factory=dict)  # rule id → its first finding's number
    severities: set[str] = field(default_factory=set)

    @property
    def badness(self) -> tuple[int, int, int, int]:
        c = self.counts
        return (c.errors, c.warnings, c.infos, c.explained)


def _cell(value: str | int, sort: str | int | float | None = None, css: str = "") -> str:
    key = "" if sort is None else f' data-v="{markup(str(sort))}"'
    klass = f' class="{css}"' if css else ""
    return f"<td{klass}{key}>{markup(str(value))}</td>"


def _row(row: Row) -> str:
    rid = f"r{row.number}"
    chips = "".join(
        f'<a class="chip" href="#{rid}-f{n}">{markup(rule)}</a>' for rule, n in row.rules.items()
    )
    score = row.score + (f" / {row.grade}" if row.grade else "")
    c = row.counts
    coverage = "" if row.figures is None else f"{row.figures} / {row.checked}"
    name = f'<a href="#{rid}">{markup(row.title)}</a>'
    if row.error:
        name += '<span class="bad">无法读取</span>'
    rules = " ".join(row.rules)
    severities = " ".join(sorted(row.severities)) or "none"
    return (
        f'<tr data-rules="{markup(rules)}" data-sev="{severities}" data-r="{rid}">'
        f'<td data-v="{row.number}">{row.number}</td>'
        f'<td data-v="{markup(row.title)}">{name}</td>'
        + _cell(row.kind)
        + _cell(row.year)
        + _cell(score, row.score_value if row.score_value is not None else -1)
        + _cell(c.errors, c.errors, "n e" if c.errors else "n")
        + _cell(c.warnings, c.warnings, "n w" if c.warnings else "n")
        + _cell(c.infos, c.infos, "n")
        + _cell(c.explained, c.explained, "n")
        + _cell(coverage, row.figures if row.figures is not None else -1, "n")
        + f'<td data-v="{len(row.rules)}">{chips}</td></tr>'
    )


HEADINGS = (
    ("序号", "num"),
    ("单位名称", "text"),
    ("报告类型", "text"),
    ("评价年度", "text"),
    ("自评分数/等次", "num"),
    ("错误", "num"),
    ("警告", "num"),
    ("提示", "num"),
    ("已说明", "num"),
    ("读取/检查", "num"),
    ("规则", "num"),
)


def _filters(rules: Sequence[tuple[str, str, str, int]]) -> str:
    options = "".join(
        f'<option value="{markup(r)}">{markup(r)} {markup(t)}（{n}）</option>'
        for r, t, _, n in rules
    )
    severities = "".join(
        f'<option value="{key}">{word}</option>'
        for key, word in (
            ("error", "有错误"),
            ("warning", "有警告"),
            ("info", "有提示"),
            ("explained", "有已说明"),
            ("none", "未发现问题"),
        )
    )
    return (
        '<form class="filters" id="filters" role="search">'
        '<label>规则 <select id="f-rule"><option value="">全部规则</option>'
        f"{options}</select></label>"
        '<label>级别 <select id="f-sev"><option value="">全部</option>'
        f"{severities}</select></label>"
        '<label>单位 <input id="f-text" type="search" placeholder="按名称或文件筛选"></label>'
        '<output id="f-count"></output></form>'
    )


def overview(rows: Sequence[Row], rules: Sequence[tuple[str, str, str, int]]) -> str:
    """The overview section: charts (for a batch), filters and the table, worst first."""
    # Worst first: files that could not be read, then by errors, warnings, notes, explained.
    ordered = sorted(rows, key=lambda r: (not r.error, tuple(-n for n in r.badness), r.number))
    charts = ""
    if len(rows) > 1:
        scores = histogram("自评分数分布", bins([r.score_value for r in rows], SCORE_BINS))
        rates = histogram("预算执行率分布", bins([r.rate_value for r in rows], RATE_BINS))
        charts = f'<div class="charts">{scores}{rates}'
        if rules:
            charts += rule_bars("各规则的发现数", rules)
        charts += "</div>"
    elif rules:
        charts = f'<div class="charts">{rule_bars("各规则的发现数", rules)}</div>'
    head = "".join(
        f'<th data-sort="{kind}" tabindex="0" aria-sort="none">{word}</th>'
        for word, kind in HEADINGS
    )
    body = "".join(_row(r) for r in ordered)
    legend = (
        '<p class="legend"><span class="m culprit s-error">最可能填错的数字</span>'
        '<span class="m operand s-error">参与计算的其他数字</span>'
        '<mark class="stated">正文所述数字</mark></p>'
    )
    return (
        f'<section id="overview"><h2>总览：{len(rows)} 份报告</h2>{charts}{_filters(rules)}'
        f'<table class="overview" id="overview-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>{legend}</section>"
    )
