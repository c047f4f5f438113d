"""Reading reports where they live: extracted text, Word documents and Excel workbooks.

:func:`import_path` reads a ``.txt``, ``.docx`` or ``.xlsx`` file into the canonical report
data (plain dicts with the Chinese keys of :class:`evalcheck.report.model.Report`, figures as the text
printed) together with an :class:`~evalcheck.inputs.documents.layout.ImportedSource` that places every
value: the checker, the findings and the renderers use it exactly like the source of a JSON
file.  Each reader (:mod:`.text`, :mod:`.docx`, :mod:`.xlsx`) turns its file into a
:class:`~evalcheck.inputs.documents.layout.Layout`; :func:`assemble` does the rest, the same for all:
the title block, the narrative sections (:mod:`.narrative`), the tables (:mod:`.tables`).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from typing import Any

from ..inputs import READERS, read_path, reader_for
from ..inputs.documents.characters import Reading, fold_layout
from ..inputs.documents.layout import (
    CUT_ROW,
    ImportedSource,
    Layout,
    Origin,
    Paragraph,
    Row,
    Span,
    Unread,
)
from ..inputs.records import dataclass
from ..inputs.source import Document, KeyPath, LoadError
from .narrative import find_statements, heading_split, is_heading, place_all, with_statements
from .normalise import MAX_TABLE_ROWS
from .tables import Assembly, TableReader, Unrecognised, header_key
from .template import is_instruction
from .tree import ShapeError

__all__ = [
    "ImportedReport",
    "ImportedSource",
    "Origin",
    "assemble",
    "import_path",
    "with_statements",
]


@dataclass(frozen=True)
class ImportedReport:
    """The canonical report data and where each value was printed."""

    data: dict[str, Any]
    source: ImportedSource

    @property
    def origins(self) -> dict[KeyPath, Origin]:
        return self.source.located

    @property
    def document(self) -> Document:
        return Document(self.source, self.data)


def import_path(path: str | os.PathLike[str]) -> ImportedReport:
    """Read a Word, Excel or text report by its suffix; anything unreadable is a LoadError."""
    name = os.fspath(path)
    reader = reader_for(name)
    if reader is None or reader.kind != "document":
        suffix = os.path.splitext(name)[1].lower()
        known = "、".join(s for s, r in READERS.items() if r.kind == "document")
        raise LoadError(name, 1, 1, f"不支持的文件类型「{suffix or '无扩展名'}」：应为 {known}")
    layout = read_path(name)
    assert isinstance(layout, Layout)
    return assemble(layout)


# --- assembling ---------------------------------------------------------------------------------

_ORDER = (
    "单位名称",
    "主管部门",
    "评价年度",
    "填报日期",
    "填表人",
    "联系电话",
    "自评分数",
    "评价等次",
    "自评小组人数",
    "固定资产利用率",
    "人员编制",
    "收支情况",
    "预算执行",
    "基本支出",
    "项目支出",
    "支出功能分类",
    "经费控制情况",
    "楼堂馆所控制情况",
    "厉行节约保障措施",
    "年度总体目标",
    "绩效指标",
    "总分",
    "正文",
    "未识别",
    "读法",
)
_META = (
    (r"^(?:填报单位|评价单位|预算单位名称|单位名称|部门名称)$", "单位名称"),
    (r"预算部门|主管部门", "主管部门"),
    (r"^评价年度$", "评价年度"),
    (r"^填报日期$", "填报日期"),
    (r"^填表人$", "填表人"),
    (r"^联系电话$", "联系电话"),
)
# “填报单位：单位名称”; a value is never itself a label (“填报单位: 单位:万元” names no unit).
_PAIR = re.compile(r"([^\s:：，。]{2,20})[:：]\s*(?=([^\s，。:：]+))\2(?![:：])")
_ANNEX = re.compile(r"^附\s*件\s*\d")
_GRADE = re.compile(r"等(?:次|级)(?:为|是|[:：])?\s*[“\"'「]?(优秀|良好|合格|中等|中|差|优|良)")
_TABLE_ONLY = ("经费控制情况",)


def assemble(layout: Layout) -> ImportedReport:
    """Layout → report data and positions.

    Characters are read as meant first (:func:`fold_layout`).  What could not be placed is
    listed under ``未识别``, what was read as something else under ``读法``; a document in which
    no table and no stated figure was recognised is refused, saying what was seen.
    """
    out = Assembly()
    readings = fold_layout(layout)
    narrative, others = _split(layout.items)
    title, body = _title_block(narrative)
    reader = TableReader(out, layout.name)
    reader.after = _after_tables(layout.items)
    for item in layout.items:
        if isinstance(item, Row):
            reader.read(item)
        else:
            reader.captions.paragraph(item.text)
    reader.finish()
    cut = next((u for u in layout.unread if u.reason == CUT_ROW), None)
    if cut is not None:  # the text ends inside a row: the table's sums are checked as ≤ only
        where = f"文本在{cut.origin.description}处中断，其后未读取"
        out.put_new(("表格不完整",), where, cut.origin)
    sections = _sections(body, out)
    for paragraph in [*title, *others]:
        _metadata(paragraph, out)
    source = ImportedSource(
        name=layout.name,
        text=layout.text,
        format=layout.format,
        encoding=layout.encoding,
        located=out.located,
        keys=out.keys,
    )
    if len(sections) <= MAX_TABLE_ROWS:  # more is refused with its count; no prose read first
        _stated_figures(sections, out, source)
    _year(sections, out, body)
    _list_unread([*layout.unread, *reader.unread, *_no_table_recognised(reader)], out)
    _list_readings(readings, out)
    return ImportedReport(_ordered(out.data), source)


def _after_tables(items: list[Paragraph | Row]) -> dict[int, str]:
    """The paragraph right after each table (a heading that may name what the table is when the
    excerpt lost its caption: “一、……“三公”经费预算情况”)."""
    after: dict[int, str] = {}
    table: int | None = None
    for item in items:
        if isinstance(item, Row):
            table = item.table
        elif table is not None:
            after.setdefault(table, item.text)
            table = None
    return after


NO_TABLE = "没有识别出任何表格"  # the 原因 that makes the report not understood (EC001)


def _no_table_recognised(reader: TableReader) -> list[Unrecognised]:
    """When the document has tables and none was recognised, one more entry says so: the
    figures a prose sentence states do not make such a document understood."""
    if reader.recognised_tables:
        return []
    tables = [u for u in reader.unread if u.reason.startswith("无法识别表")]
    if not tables:
        return []
    return [Unread(tables[0].origin, "", f"{NO_TABLE}（共 {len(tables)} 个表格）")]


def _list_unread(unread: list[Unrecognised], out: Assembly) -> None:
    for index, item in enumerate(unread):
        entry = {"位置": item.origin.description, "内容": item.content, "原因": item.reason}
        out.data.setdefault("未识别", []).append(entry)
        out.located[("未识别", index, "内容")] = item.origin
        out.keys[("未识别", index)] = item.origin


def _list_readings(readings: list[Reading], out: Assembly) -> None:
    for index, reading in enumerate(readings):
        out.data.setdefault("读法", []).append(
            {
                "原文": reading.original,
                "读作": reading.read_as,
                "原因": reading.reason,
                "次数": str(reading.count),
                "首次位置": reading.description,
            }
        )
        out.keys[("读法", index)] = Origin(
            reading.description, reading.line, reading.column, reading.original
        )


def _split(items: list[Paragraph | Row]) -> tuple[list[Paragraph], list[Paragraph]]:
    """Paragraphs of the narrative, and the others (cover lines, titles and notes of tables).

    The narrative runs up to the first table or 附件 heading.  An ``附件N`` heading starts a new
    part and never ends reading: its tables are read like any other.  Prose after a table that
    states figures (a 三公 table's 说明, a budget note) joins the narrative, under the 附件
    heading or the short heading printed right before it.
    """
    narrative: list[Paragraph] = []
    others: list[Paragraph] = []
    ended = False
    annex: Paragraph | None = None
    for item in items:
        if isinstance(item, Row):
            ended = ended or not item.form
            continue
        if not item.text:
            continue
        if _ANNEX.match(item.text):
            ended = True
            annex = item
            others.append(item)
            continue
        if not ended:
            narrative.append(item)
        elif _states_figures(item.text):
            # prose after a table (a 三公 statement's 说明, a note under 附件N) joins the
            # narrative: under its 附件 heading, or the heading printed just before it
            heading = annex
            if heading is None and others and _is_title(others[-1].text):
                heading = others.pop()
            if heading is not None:
                heading = Paragraph(heading.span, heading.description, "标题")
                if heading not in narrative:
                    narrative.append(heading)
            narrative.append(item)
        else:
            others.append(item)
    return narrative, others


def _is_title(text: str) -> bool:
    """A heading line before a table's 说明: short, no sentence punctuation."""
    return (
        len(text.strip()) <= 40 and not re.search(r"[，,。；;]", text) and not _is_cover_line(text)
    )


def _states_figures(text: str) -> bool:
    """Prose with a figure in it (not a cover line, a table note or a form instruction)."""
    return (
        len(text) > 20
        and bool(re.search(r"\d\s*(?:万元|元|%|％|人)", text))
        and not is_instruction(text)
        and not _is_cover_line(text)
    )


def _title_block(paragraphs: list[Paragraph]) -> tuple[list[Paragraph], list[Paragraph]]:
    """The cover lines (unit, title, 评价年度：…) and the narrative after them."""
    title_at = next(
        (
            i
            for i, p in enumerate(paragraphs[:12])
            if re.search(r"报告$|自评报告|评价报告", p.text) and len(p.text) <= 30
        ),
        None,
    )
    if title_at is None:
        return [], paragraphs
    end = title_at + 1
    while end < len(paragraphs) and _is_cover_line(paragraphs[end].text):
        end += 1
    return paragraphs[:end], paragraphs[end:]


def _is_cover_line(text: str) -> bool:
    match = re.match(r"^([^:：]{1,20})[:：]\s*(.+)$", text)
    return match is not None and len(match.group(2)) <= 40 and not re.search(r"[，。；]", text)


@dataclass
class _Section:
    heading: Span | None = None
    heading_text: str = ""
    lines: list[tuple[str, Span]] | None = None


def _sections(paragraphs: list[Paragraph], out: Assembly) -> list[tuple[str | None, str | None]]:
    sections: list[_Section] = []
    for index, paragraph in enumerate(paragraphs):
        text = paragraph.text
        span = _stripped(paragraph.span)
        run_in = heading_split(text)
        if run_in is not None:
            head, rest = run_in
            body_span = Span(rest, span.line, span.column + span.text.find(rest))
            sections.append(_Section(span, head, [(rest, body_span)]))
            continue
        styled = paragraph.style.lower().startswith(("heading", "标题"))
        previous = paragraphs[index - 1].text.strip() if index else ""
        continues = _continues(previous, text)
        if styled or (not continues and is_heading(text, index == len(paragraphs) - 1)):
            sections.append(_Section(span, text, []))
            continue
        if not sections:
            sections.append(_Section(None, "", []))
        lines = sections[-1].lines
        assert lines is not None
        lines.append((text, span))
    result: list[tuple[str | None, str | None]] = []
    items: list[dict[str, str]] = []
    described: dict[int, str] = {}  # line → the first paragraph's description there
    for paragraph in paragraphs:
        described.setdefault(paragraph.span.line, paragraph.description)
    for number, section in enumerate(sections):
        item: dict[str, str] = {}
        if section.heading is not None:
            item["标题"] = section.heading_text
            out.located[("正文", number, "标题")] = _origin(section.heading, described)
            out.keys[("正文", number)] = out.located[("正文", number, "标题")]
        if section.lines:
            item["内容"] = "\n".join(text for text, _ in section.lines)
            out.located[("正文", number, "内容")] = _origin(section.lines[0][1], described)
            out.keys.setdefault(("正文", number), out.located[("正文", number, "内容")])
        items.append(item)
        result.append((item.get("标题"), item.get("内容")))
    if items:
        out.data["正文"] = items
    return result


def _continues(previous: str, text: str) -> bool:
    """A line of a PDF or a copied page that goes on with the sentence of the line before
    (``……津贴补`` / ``贴、伙食补助费……。``): never a heading of its own, unless it is numbered."""
    if not previous or len(previous) < 20 or re.search(r"[。；;：:！!？?]$", previous):
        return False
    return not re.match(
        r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．])",
        text,
    )


def _stripped(span: Span) -> Span:
    lead = len(span.text) - len(span.text.lstrip())
    return Span(span.text.strip(), span.line, span.column + lead)


def _origin(span: Span, described: dict[int, str]) -> Origin:
    """Where a section is printed (looked up by line: a scan of every paragraph per section
    took 45 s for 30,000 one-bar lines)."""
    description = described.get(span.line, f"{span.line}:{span.column}")
    return Origin(description, span.line, span.column, span.text)


def _metadata(paragraph: Paragraph, out: Assembly) -> None:
    span = paragraph.span
    for match in _PAIR.finditer(span.text):
        key = header_key(match.group(1))
        field = next((f for pattern, f in _META if re.search(pattern, key)), None)
        if field is None:
            continue
        value = match.group(2).strip()
        if value[:1] in "（(【[" or is_instruction(value):
            continue  # a placeholder of the blank form: （盖章）
        if field == "评价年度":
            year = re.search(r"\d{4}", value)
            if year is None:
                continue
            value = year.group(0)
        at = match.start(2) + match.group(2).find(value)
        origin = Origin(paragraph.description, span.line, span.column + at, span.text.strip())
        out.put_new((field,), value, origin)


def _stated_figures(
    sections: list[tuple[str | None, str | None]], out: Assembly, source: ImportedSource
) -> int:
    """Figures only the prose prints (自评分数, 人员经费 …) fill their fields; tables win.
    Returns how many figures the prose states."""
    try:
        statements = find_statements(sections, out.data)
    except ShapeError as exc:
        raise exc.located(source) from None
    for statement, origin in zip(statements, place_all(source, statements), strict=True):
        if statement.field is not None:
            if statement.field[0] in _TABLE_ONLY:
                continue
            out.put_new(statement.field, _as_field(statement.number, statement.unit), origin)
    for number, (heading, body) in enumerate(sections):
        for part, text in (("标题", heading), ("内容", body)):
            match = _GRADE.search(text or "")
            if match is None:
                continue
            start = source.position(("正文", number, part)) or (1, 1)
            quote = (text or "").split("\n")[0]
            out.put_new(("评价等次",), match.group(1), Origin(f"正文[{number}]", *start, quote))
    return len(statements)


def _as_field(number: str, unit: str) -> str:
    """As the sample files write figures: 万元, 人, 分 left out; other units kept."""
    if unit in ("万元", "人", "名", "分"):
        return number
    return number + unit


def _year(
    sections: list[tuple[str | None, str | None]], out: Assembly, body: list[Paragraph]
) -> None:
    if "评价年度" in out.data:
        return
    years = Counter(
        m.group(1) for _, text in sections for m in re.finditer(r"(\d{4})年度", text or "")
    )
    if not years:
        return
    year = years.most_common(1)[0][0]
    where = next((p for p in body if f"{year}年度" in p.text), None)
    if where is not None:
        column = where.span.column + where.span.text.find(year)
        out.put(("评价年度",), year, Origin(where.description, where.span.line, column, where.text))


def _ordered(data: dict[str, Any]) -> dict[str, Any]:
    ordered = {key: data[key] for key in _ORDER if key in data}
    ordered.update((k, v) for k, v in data.items() if k not in ordered)
    return ordered
