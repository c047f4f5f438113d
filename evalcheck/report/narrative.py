"""The narrative: headings and paragraphs, and the figures the prose states.

Reports repeat their tables in prose (“本年实际支出586.88万元（基本支出586.88万元、项目支出0万元）”,
“编制数19人，实际在职人数19人”, “自评分数为96分”).  :func:`find_statements` reads every number
with a unit out of the 正文 sections as a :class:`Statement` (label, value, unit, place) and names
the report field it speaks of; :func:`with_statements` adds them to a loaded report as
``正文数据`` — the report as the prose states it, plus the list of statements — so the rules in
``rules/narrative.yaml`` can compare prose with tables.  A number whose field cannot be told is
kept in the list without a field, for verbose output; nothing is dropped silently.

Only figures with a unit are read (万元/元/万/人/名/分/%): counts of 项/次/期 and dates are not
figures any table holds.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from ..inputs.documents.layout import ImportedSource, Origin
from ..inputs.source import Document, KeyPath, Position, Source
from .normalise import MAX_TABLE_ROWS
from .template import is_instruction
from .tree import ShapeError

__all__ = [
    "MAX_STATEMENTS",
    "Statement",
    "find_statements",
    "heading_split",
    "is_heading",
    "place_all",
    "stated_section",
    "with_statements",
]

NARRATIVE = "正文"
STATED = "正文数据"
STATEMENTS = "语句"
# Figures read from the prose of one report: each becomes a row of 正文数据.语句 that rules
# iterate over.  20,000 is already far beyond any report; past the limit the report is refused.
MAX_STATEMENTS = 50_000

# --- headings ---------------------------------------------------------------------------------

_CHAPTER = re.compile(r"^[一二三四五六七八九十]+[、.．]")
_CLAUSE = re.compile(r"^[（(][一二三四五六七八九十\d]+[）)]")
_ITEM = re.compile(r"^\d+[、.．]")
_HEADING_MAX = 30


def is_heading(text: str, is_last: bool) -> bool:
    """A heading is short, numbered like 一、（一）1. or a short unnumbered title.

    Numbered list items in the prose (“13、承办……事项。”) are told apart by length and by the
    full stop: an item-numbered heading ending in 。 is at most a dozen characters.
    """
    text = text.strip()
    if not text or len(text) > _HEADING_MAX or re.search(r"[，,；;]", text):
        return False
    if _CHAPTER.match(text) or _CLAUSE.match(text):
        return True
    if _ITEM.match(text):
        return not text.endswith("。") or len(text) <= 12
    if is_last or text.startswith("无") or re.search(r"[：:]", text):
        return False
    return len(text) <= 15


def heading_split(text: str) -> tuple[str, str] | None:
    """A run-in heading: “（一）评价小组情况。在此次绩效自评中，……” → heading and body."""
    text = text.strip()
    if not (_CHAPTER.match(text) or _CLAUSE.match(text)):
        return None
    stop = text.find("。")
    if stop < 0 or stop + 1 >= len(text):
        return None
    head = text[: stop + 1]
    if len(head) > _HEADING_MAX or re.search(r"[，,；;]", head):
        return None
    return head, text[stop + 1 :].strip()


# --- statements -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Statement:
    """A figure stated in the prose.

    ``field`` is the report key path it states (None when no field can be told, with
    ``reason``); ``section`` indexes 正文, ``offset`` is where ``quote`` starts in that
    section's text (``part`` names it: 标题 or 内容).
    """

    label: str
    number: str
    unit: str
    field: KeyPath | None
    quote: str
    sentence: str
    section: int
    part: str
    offset: int
    reason: str = ""

    @property
    def value(self) -> str:
        """The figure as the prose prints it, unit included (read with the field's kind)."""
        return self.number + self.unit

    @property
    def where(self) -> str:
        return f"{NARRATIVE}[{self.section}].{self.part}"


_NUMBER = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(万元|亿元|元|万|人|名|分|%|％)"
)
_DELIMITERS = "，,。；;：:（(）)、\n"
_FILLER = re.compile(r"(?:为|是|达到|达|共计|共|约|了|\s)+$")
_SENTENCE_END = "。；;\n"

_AMOUNT = ("万元", "亿元", "元", "万")
_COUNT = ("人", "名")
_SCORE = ("分",)
_RATE = ("%", "％")

FUNCTIONS = (
    "一般公共服务",
    "外交",
    "国防",
    "公共安全",
    "教育",
    "科学技术",
    "文化旅游体育与传媒",
    "社会保障和就业",
    "社会保险基金",
    "卫生健康",
    "节能环保",
    "城乡社区",
    "农林水",
    "交通运输",
    "资源勘探工业信息等",
    "商业服务业等",
    "金融",
    "援助其他地区",
    "自然资源海洋气象等",
    "住房保障",
    "粮油物资储备",
    "灾害防治及应急管理",
    "其他",
)
_FUNCTION = re.compile(r"(" + "|".join(FUNCTIONS) + r")支出$")

# Label patterns in the order they are tried: (pattern, units, field).  The specific before
# the general: 行政编制 before 编制, 人员经费 before any 支出.
_FIXED: tuple[tuple[str, tuple[str, ...], KeyPath], ...] = (
    (r"自评(?:总)?(?:分数|得分)|自评分|综合评分", _SCORE, ("自评分数",)),
    (r"自评(?:工作)?小组|评价(?:工作)?小组", _COUNT, ("自评小组人数",)),
    (r"固定资产利用率", _RATE, ("固定资产利用率",)),
    (r"在职|实有人数|实际人数", _COUNT, ("人员编制", "实际在职人数")),
    (r"退休", _COUNT, ("人员编制", "离退休人数")),
    (r"遗属", _COUNT, ("人员编制", "遗属补助人数")),
    (r"收入合计|总收入", _AMOUNT, ("收支情况", "收入合计")),
    (r"财政(?:预算)?拨款收入", _AMOUNT, ("收支情况", "财政拨款收入")),
    (r"年初结转(?:和|及)?结余", _AMOUNT, ("收支情况", "年初结转和结余")),
    (r"年末结转(?:和|及)?结余", _AMOUNT, ("收支情况", "年末结转和结余")),
    (r"支出合计|总支出", _AMOUNT, ("收支情况", "支出合计")),
    (r"人员经费", _AMOUNT, ("基本支出", "人员经费")),
    (r"公用经费", _AMOUNT, ("基本支出", "公用经费")),
    (r"执行率", _RATE, ("预算执行", "执行率")),
)
_ESTABLISHMENT_PART = re.compile(r"(行政工勤|事业工勤|工勤|行政|事业|参公)编制")

# Subjects a clause can set for the clauses after it in the same sentence.
_SUBJECTS = (
    ("公务接待", ("经费控制情况", "三公经费", "公务接待")),
    ("公务用车", ("经费控制情况", "三公经费", "公务用车购置及运行维护费")),
    ("公车", ("经费控制情况", "三公经费", "公务用车购置及运行维护费")),
    ("出国", ("经费控制情况", "三公经费", "出国经费")),
    ("三公", ("经费控制情况", "三公经费")),
    ("基本支出", ("基本支出",)),
    ("项目支出", ("项目支出",)),
)


def find_statements(sections: list[tuple[str | None, str | None]]) -> list[Statement]:
    """Every figure with a unit in the 正文 sections, in reading order.

    More than :data:`MAX_STATEMENTS` is a :class:`ShapeError` at the section where the limit
    was passed (reading stops there).
    """
    found: list[Statement] = []
    for index, (heading, body) in enumerate(sections):
        for part, text in (("标题", heading), ("内容", body)):
            if not text:
                continue
            for statement in _statements_in(text, index, part):
                found.append(statement)
                if len(found) > MAX_STATEMENTS:
                    raise ShapeError(
                        (NARRATIVE, index, part), f"正文所述数字过多（超过 {MAX_STATEMENTS} 处）"
                    )
    return found


def _statements_in(text: str, section: int, part: str) -> Iterator[Statement]:
    """Boundaries come from positions collected once and searched with bisect: scanning back
    from every number made a long 正文 quadratic (a 1 MB section took minutes)."""
    ends = _positions(text, _SENTENCE_END)
    delimiters = _positions(text, _DELIMITERS)
    opening, closing = _positions(text, "（"), _positions(text, "）")
    subject: KeyPath | None = None
    sentence_start = 0
    instructions: dict[tuple[int, int], bool] = {}  # per sentence: a sentence of 60,000
    for match in _NUMBER.finditer(text):  # figures (no 。) was normalised once per figure
        start = match.start()
        boundary = _last_before(ends, start)
        if boundary + 1 > sentence_start:
            sentence_start, subject = boundary + 1, None
        clause_start = _last_before(delimiters, start) + 1
        raw_label = text[clause_start:start]
        label = _FILLER.sub("", raw_label).strip()
        label = re.sub(r"^其中", "", label)
        for word, path in _SUBJECTS:
            if word in label:
                subject = path
                break
        in_brackets = _last_before(opening, start, sentence_start) > _last_before(
            closing, start, sentence_start
        )
        number, unit = match.group(1), match.group(2)
        field, reason = _field(label, unit, subject, in_brackets)
        following = bisect.bisect_left(ends, match.end())
        end = ends[following] + 1 if following < len(ends) else len(text)
        sentence = (sentence_start, end)
        if sentence not in instructions:
            instructions[sentence] = is_instruction(text[sentence_start:end])
        if instructions[sentence]:
            continue  # “预算执行率未达到90%的需说明原因”: the form's threshold, not a figure
        yield Statement(
            label=label,
            number=number,
            unit=unit,
            field=field,
            quote=text[clause_start : match.end()].strip(),
            sentence=text[sentence_start:end].strip(),
            section=section,
            part=part,
            offset=clause_start + len(raw_label) - len(raw_label.lstrip()),
            reason=reason,
        )


def _positions(text: str, characters: str) -> list[int]:
    return [m.start() for m in re.finditer(f"[{re.escape(characters)}]", text)]


def _last_before(positions: list[int], end: int, start: int = 0) -> int:
    """The last position in ``[start, end)``, or -1: ``max(text.rfind(c, start, end) …)``."""
    index = bisect.bisect_left(positions, end) - 1
    return positions[index] if index >= 0 and positions[index] >= start else -1


def _field(
    label: str, unit: str, subject: KeyPath | None, in_brackets: bool
) -> tuple[KeyPath | None, str]:
    if not label:
        return None, "数字前没有说明它是什么"
    part = _ESTABLISHMENT_PART.search(label)
    if part and unit in _COUNT:
        return ("人员编制", "编制构成", part.group(0)), ""
    for pattern, units, path in _FIXED:
        if re.search(pattern, label):
            return _checked(path, unit, units, label)
    if "编制" in label:
        return _checked(("人员编制", "编制数"), unit, _COUNT, label)
    function = _FUNCTION.search(label)
    if function and unit in _AMOUNT:
        return ("支出功能分类", function.group(0)), ""
    if in_brackets and label in ("基本支出", "项目支出"):
        return _checked(("预算执行", "按支出性质分", label), unit, _AMOUNT, label)
    if unit not in _AMOUNT:
        return None, f"“{label}”在表格中没有对应的项目"
    if subject is not None and subject[0] == "经费控制情况":
        column = _column(label, ("上年", "上年决算数"), ("预算", "本年预算数"))
        column = column or _column(label, ("决算", "本年决算数"), ("支出", "本年决算数"))
        if column:
            return (*subject, column), ""
    if subject is not None:
        column = _column(
            label, ("年初", "年初预算"), ("全年预算", "全年预算"), ("调整", "全年预算")
        )
        column = column or _column(label, ("决算", "决算"), ("支出", "决算"))
        if column:
            return (*subject, column), ""
    column = _column(
        label,
        ("年初预算", "年初预算数"),
        ("全年预算", "全年预算数"),
        ("执行数", "全年执行数"),
        ("实际支出", "全年执行数"),
        ("全年支出", "全年执行数"),
    )
    if column:
        return ("预算执行", column), ""
    return None, f"无法确定“{label}”对应哪一个表格项目"


def _column(label: str, *choices: tuple[str, str]) -> str | None:
    for word, column in choices:
        if word in label:
            return column
    return None


def _checked(
    path: KeyPath, unit: str, units: tuple[str, ...], label: str
) -> tuple[KeyPath | None, str]:
    if unit in units:
        return path, ""
    return None, f"“{label}”的单位“{unit}”与表格项目 {format_key(path)} 不符"


def format_key(path: KeyPath) -> str:
    return ".".join(str(p) for p in path)


def stated_section(statements: list[Statement]) -> dict[str, Any]:
    """``正文数据``: the first value the prose gives for each field, and every statement."""
    figures: dict[str, Any] = {}
    listed: list[dict[str, Any]] = []
    for statement in statements:
        entry: dict[str, Any] = {
            "标签": statement.label,
            "数值": statement.value,
            "单位": statement.unit,
            "原文": statement.sentence,
            "出处": statement.where,
        }
        if statement.field is None:
            entry["说明"] = statement.reason
        else:
            entry["对应项目"] = format_key(statement.field)
            _set_first(figures, statement.field, statement.value)
        listed.append(entry)
    figures[STATEMENTS] = listed
    return figures


def _set_first(tree: dict[str, Any], path: KeyPath, value: str) -> None:
    node = tree
    for key in path[:-1]:
        node = node.setdefault(str(key), {})
    node.setdefault(str(path[-1]), value)


# --- adding 正文数据 to a loaded report --------------------------------------------------------


def sections_of(data: dict[str, Any]) -> list[tuple[str | None, str | None]]:
    """(heading, body) of each 正文 section; anything malformed reads as empty."""
    narrative = data.get(NARRATIVE)
    if not isinstance(narrative, list) or len(narrative) > MAX_TABLE_ROWS:
        return []  # not a narrative at all; or one the report model refuses (too many sections)
    sections: list[tuple[str | None, str | None]] = []
    for item in narrative:
        if not isinstance(item, dict):
            sections.append((None, None))
            continue
        heading, body = item.get("标题"), item.get("内容")
        sections.append(
            (heading if isinstance(heading, str) else None, body if isinstance(body, str) else None)
        )
    return sections


def with_statements(document: Document) -> Document:
    """The document with ``正文数据`` read from its 正文 (unless the report gives one itself).

    Each statement's figure is placed at the statement in the file: its text is searched for
    from where its 正文 section starts, so line and column point at the label and number.
    For a JSON or YAML report the search runs only when a finding asks for a position.
    """
    data = document.data
    if not isinstance(data, dict) or STATED in data:
        return document
    try:
        statements = find_statements(sections_of(data))
    except ShapeError as exc:
        raise exc.located(document.source) from None
    if not statements:
        return document
    stated = {**data, STATED: stated_section(statements)}
    source = document.source
    if isinstance(source, ImportedSource):
        return Document(
            replace(source, located={**source.located, **placements(source, statements)}), stated
        )
    return Document(StatedSource.around(source, statements), stated)


def placements(source: Source, statements: list[Statement]) -> dict[KeyPath, Origin]:
    """Key path in ``正文数据`` → where that statement is printed."""
    placed: dict[KeyPath, Origin] = {}
    seen: set[KeyPath] = set()
    for number, origin in enumerate(place_all(source, statements)):
        statement = statements[number]
        base: KeyPath = (STATED, STATEMENTS, number)
        placed[base] = placed[(*base, "数值")] = placed[(*base, "原文")] = origin
        if statement.field is not None:
            placed[(*base, "对应项目")] = origin
            path = (STATED, *statement.field)
            if path not in seen:
                seen.add(path)
                placed[path] = origin
    return placed


def place_all(source: Source, statements: list[Statement]) -> list[Origin]:
    """Where each statement is printed: searched in order from the start of its section, so
    two statements with the same words (“决算数0万元”) land on their own places."""
    origins: list[Origin] = []
    after: dict[tuple[int, str], int] = {}
    line_starts = [0, *(m.end() for m in re.finditer("\n", source.text))]
    for statement in statements:
        part = (statement.section, statement.part)
        start = source.position((NARRATIVE, *part))
        offset = after.get(part, -1)
        if offset < 0 and start is not None:
            offset = line_starts[start[0] - 1] + start[1] - 1
        at = source.text.find(statement.quote, max(offset, 0)) if statement.quote else -1
        if at >= 0:
            after[part] = at + len(statement.quote)
        line, column = source.offset_position(at) if at >= 0 else (start or (1, 1))
        where = f"{statement.where}：{statement.quote}"
        length = len(statement.quote) if at >= 0 else 0
        origins.append(Origin(where, line, column, statement.sentence, length=length))
    return origins


@dataclass(frozen=True)
class StatedSource(Source):
    """A loaded report's source, plus the places of the statements read from its prose.

    The places are searched for on the first position asked for, so a clean report never pays.
    """

    inner: Source | None = None
    statements: tuple[Statement, ...] = ()
    cache: dict[KeyPath, Origin] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def around(cls, source: Source, statements: list[Statement]) -> StatedSource:
        return cls(
            name=source.name,
            text=source.text,
            format=source.format,
            encoding=source.encoding,
            inner=source,
            statements=tuple(statements),
        )

    def _placed(self) -> dict[KeyPath, Origin]:
        if not self.cache and self.statements and self.inner is not None:
            self.cache.update(placements(self.inner, list(self.statements)))
        return self.cache

    def position(self, path: KeyPath) -> Position | None:
        origin = self._placed().get(tuple(path))
        if origin is not None:
            return origin.line, origin.column
        return None if self.inner is None else self.inner.position(path)

    def key_position(self, path: KeyPath) -> Position | None:
        origin = self._placed().get(tuple(path))
        if origin is not None:
            return origin.line, origin.column
        return None if self.inner is None else self.inner.key_position(path)

    def span(self, path: KeyPath, *, key: bool = False) -> int | None:
        origin = self._placed().get(tuple(path))
        if origin is not None:
            return origin.length or None
        return None if self.inner is None else self.inner.span(path, key=key)
