"""The 正文 with the figures its statements state marked where they are printed.

The prose reader records each statement under ``正文数据``: its sentence (原文), the section it
came from (出处, ``正文[6].内容``), its label and its figure (标签, 数值).  Each statement's figure
is marked in its sentence, found in order from the start of its section (two statements with
the same words land on their own places); a finding about ``正文数据.预算执行.年初预算数`` marks
the first statement of that field, as the rules read it.  Statements of other lists under
正文数据 (构成, 变动 …) mark their whole sentence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ...inputs.escape import markup
from .draw import Draw, Part

__all__ = ["prose"]

STATED = "正文数据"
STATEMENTS = "语句"
_NUMBER = re.compile(r"[-+]?[0-9０-９][0-9０-９,，.．]*")

Span = tuple[int, int, list[str]]  # start, end, the paths the marked text stands for


def _sentence_at(text: str, sentence: str, cursor: int) -> int:
    at = text.find(sentence, cursor) if sentence else -1
    return text.find(sentence) if at < 0 and sentence else at


def _figure_span(
    text: str, start: int, sentence: str, statement: Mapping[str, Any]
) -> tuple[int, int]:
    """Where the statement's figure is printed inside its sentence (the label when the figure
    itself is not found there; the whole sentence when neither is)."""
    label = str(statement.get("标签") or "")
    value = str(statement.get("数值") or "")
    within = text[start : start + len(sentence)]
    from_label = within.find(label) if label else -1
    search_from = max(from_label, 0)
    number = _NUMBER.match(value)
    for needle in (value, number.group() if number else ""):
        if needle:
            at = within.find(needle, search_from)
            if at >= 0:
                return start + at, start + at + len(needle)
    if from_label >= 0:
        return start + from_label, start + from_label + len(label)
    return start, start + len(sentence)


def _spans(report: Mapping[str, Any], draw: Draw) -> dict[str, list[Span]]:
    """Marked spans by 出处 (``正文[6].内容``), in the order found."""
    stated = report.get(STATED)
    if not isinstance(stated, dict):
        return {}
    texts = {f"正文[{i}].{k}": v for i, s in enumerate(_sections(report)) for k, v in s.items()}
    cursors: dict[str, int] = {}
    spans: dict[str, list[Span]] = {}
    first: set[str] = set()
    for key, items in stated.items():
        if not isinstance(items, list):
            continue
        for j, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            where, sentence = str(item.get("出处") or ""), str(item.get("原文") or "")
            text = texts.get(where)
            if text is None:
                continue
            begin = _sentence_at(text, sentence, cursors.get(where, 0))
            if begin < 0:
                continue
            paths = [draw.path((STATED, key, j))]
            if key == STATEMENTS:
                start, end = _figure_span(text, begin, sentence, item)
                paths.append(draw.path((STATED, key, j, "数值")))
                field = item.get("对应项目")
                if isinstance(field, str) and field and field not in first:
                    first.add(field)
                    paths.append(draw.path((STATED, *field.split("."))))
                cursors[where] = start
            else:
                start, end = begin, begin + len(sentence)
            spans.setdefault(where, []).append((start, end, paths))
    return spans


def _sections(report: Mapping[str, Any]) -> list[dict[str, str]]:
    sections = report.get("正文")
    if not isinstance(sections, list):
        return []
    return [
        {k: v for k, v in s.items() if k in ("标题", "内容") and isinstance(v, str)}
        if isinstance(s, dict)
        else {}
        for s in sections
    ]


def _marked(text: str, spans: list[Span], draw: Draw) -> str:
    out = []
    at = 0
    for start, end, paths in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < at:
            continue  # overlaps a mark already made
        out.append(markup(text[at:start]))
        attributes = draw.marks.attributes(paths, "stated")
        out.append(f"<mark{attributes}>{markup(text[start:end])}</mark>{draw.marks.refs(paths)}")
        at = end
    out.append(markup(text[at:]))
    return "".join(out)


def prose(report: Mapping[str, Any], draw: Draw) -> list[Part]:
    sections = _sections(report)
    if not any(sections):
        return []
    part = draw.part_id()
    spans = _spans(report, draw)
    blocks = []
    for i, section in enumerate(sections):
        heading = section.get("标题")
        if heading:
            where = f"正文[{i}].标题"
            attributes = draw.marks.attributes([draw.path(("正文", i, "标题"))])
            blocks.append(f"<h5{attributes}>{_marked(heading, spans.get(where, []), draw)}</h5>")
        body = section.get("内容")
        if body:
            where = f"正文[{i}].内容"
            attributes = draw.marks.attributes([draw.path(("正文", i, "内容"))], "para")
            blocks.append(f"<p{attributes}>{_marked(body, spans.get(where, []), draw)}</p>")
    return [(part, "正文（所述数字已标出）", f'<div class="prose">{"".join(blocks)}</div>')]
