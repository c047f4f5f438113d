"""One report's part of the page: its header and counts, an index of its findings, and its
tables drawn as the forms print them, each finding's card beside the table holding its culprit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ...findings import Counts
from ...inputs.escape import markup
from .cards import card, severity_word
from .draw import Draw, Part
from .forms import FORMS
from .marks import Marks, severity_class
from .prose import prose

if TYPE_CHECKING:
    from ...findings import FileResult, Finding

__all__ = ["counts_text", "report_section", "title_of"]


def title_of(result: FileResult) -> str:
    header = result.header
    return header.unit if header is not None and header.unit else result.file


def counts_text(counts: Counts) -> str:
    parts = [
        f"{n} 个{word}"
        for n, word in (
            (counts.errors, "错误"),
            (counts.warnings, "警告"),
            (counts.infos, "提示"),
            (counts.explained, "已说明"),
        )
        if n
    ]
    return "，".join(parts) or "未发现问题"


def _meta(result: FileResult) -> str:
    header = result.header
    items = [("文件", result.file)]
    if header is not None:
        items += [
            ("项目", header.project),
            ("报告类型", header.kind),
            ("评价年度", header.year),
            ("自评分数", header.score),
            ("评价等次", header.grade),
            ("执行率", header.rate),
        ]
    if result.coverage is not None:
        items.append(("读取/检查", f"{result.coverage.figures} / {result.coverage.checked}"))
    return "".join(f"<dt>{k}</dt><dd>{markup(v)}</dd>" for k, v in items if v)


def _reports(data: Any) -> list[tuple[tuple[int, ...], Mapping[str, Any]]]:
    if isinstance(data, dict):
        return [((), data)]
    if isinstance(data, list):
        return [((i,), item) for i, item in enumerate(data) if isinstance(item, dict)]
    return []


def _leftover(marks: Marks, findings: Sequence[Finding], draw: Draw) -> list[Part]:
    """Figures findings name that no form drew (a key no form knows): a table of their own."""
    paths = marks.undrawn()
    if not paths:
        return []
    values = {f.path: ("空白" if f.blank else f.value) for x in findings for f in x.figures}
    part = draw.part_id()
    rows = []
    for path in paths:
        attributes = marks.attributes([path])
        cell = f"<td{attributes}>{markup(values.get(path, ''))}{marks.refs([path])}</td>"
        rows.append(f"<tr><th>{markup(path)}</th>{cell}</tr>")
    return [(part, "其他涉及的项目", f'<table class="kv">{"".join(rows)}</table>')]


def report_section(
    result: FileResult, number: int, fixes: Mapping[str, str]
) -> tuple[str, list[tuple[int, Finding]]]:
    """The section's markup, and its findings with their numbers (for the overview's links)."""
    report_id = f"r{number}"
    findings = result.findings
    counts = Counts.of(findings)
    title = markup(title_of(result))
    head = (
        f'<header><h2><span class="rn">{number}</span>{title}</h2>'
        f'<dl class="meta">{_meta(result)}</dl>'
        f'<p class="counts">{counts_text(counts)}</p>'
        f'<p class="tools"><a href="#overview">返回总览</a>'
        f'<button type="button" class="print" data-report="{report_id}">打印本报告</button></p>'
        "</header>"
    )
    numbered = list(enumerate(findings, 1))
    if result.error is not None:
        error = result.error
        body = f'<p class="load-error">无法读取：{markup(error.message)}（第 {error.line} 行第 {error.column} 列）</p>'
        return _wrap(report_id, result, head + body), numbered
    marks = Marks(report_id, findings)
    parts: list[Part] = []
    for base, data in _reports(result.report):
        draw = Draw(marks, base)
        if base:
            parts.append((draw.part_id(), f"第 {base[0] + 1} 份报告", ""))
        for form in (*FORMS, prose):
            parts += form(data, draw)
    parts += _leftover(marks, findings, Draw(marks))
    by_part: dict[str | None, list[str]] = {}
    for n, finding in numbered:
        by_part.setdefault(marks.place(n), []).append(card(report_id, n, finding, fixes))
    index = "".join(
        f'<li class="s-{severity_class(f)}"><a href="#{report_id}-f{n}">{n}. {severity_word(f)}'
        f"[{markup(f.rule_id)}] {markup(f.title)}</a></li>"
        for n, f in numbered
    )
    blocks = [head]
    if index:
        blocks.append(f'<ul class="index">{index}</ul>')
    unplaced = by_part.get(None)
    if unplaced:
        blocks.append(f'<div class="cards whole">{"".join(unplaced)}</div>')
    for part, caption, table in parts:
        cards = by_part.get(part)
        if not table:
            blocks.append(f'<h3 id="{part}">{markup(caption)}</h3>')
            continue
        aside = f'<aside class="cards">{"".join(cards)}</aside>' if cards else ""
        css = "part with" if cards else "part"
        blocks.append(
            f'<div class="{css}" id="{part}"><h4>{markup(caption)}</h4>'
            f'<div class="sheet">{table}</div>{aside}</div>'
        )
    return _wrap(report_id, result, "".join(blocks)), numbered


def _wrap(report_id: str, result: FileResult, body: str) -> str:
    return f'<section class="report" id="{report_id}" data-file="{markup(result.file)}">{body}</section>'
