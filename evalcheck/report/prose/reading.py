"""Reading every text of a report: 正文 sections and the table cells that hold prose.

:func:`read_texts` gives every figure statement (:class:`Statement`, with its field when the
grammar names one, else the reason it does not) and the entries of the relation lists
(:class:`~.relations.Entry`), in reading order.  :func:`context_of` says what the document is
about — its year, whether it is a 部门整体 self-evaluation or a statement of the family, and
whether a statement is of 预算 or 决算 — from the report's own keys and its title.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from ...inputs.records import dataclass
from ...inputs.source import KeyPath
from ..template import is_instruction
from ..tree import ShapeError
from .clauses import read_piece
from .fields import STATEMENT, WHOLE, Context, assign
from .grammar import Sentence, Use, parse
from .leftovers import residue, wrong_years
from .lists import count_lists, numbered_lists
from .relations import Entry, relations

__all__ = ["Reading", "Statement", "Text", "context_of", "read_texts", "where_of"]

ROLES = {
    "数值": "数值",
    "计数": "数值",
    "上年数": "上年数",
    "预算数": "预算数",
    "增减额": "增减额",
    "增减率": "增减率",
    "较预算增减额": "较预算增减额",
    "较预算增减率": "较预算增减率",
    "完成预算": "完成预算",
    "占比": "占比",
}


@dataclass(frozen=True, slots=True)
class Statement:
    """A figure stated in prose.

    ``field`` is the report key path it states (None when the grammar names none, with
    ``reason``); ``place`` is the key path of the text it is printed in (``("正文", 3, "内容")``,
    ``("年度总体目标", "实际完成情况")``), ``offset`` where ``quote`` starts in that text.
    ``column`` is the column word that governs it (本年预算, 上年决算 …), ``role`` what it says
    (数值, 增减额, 占比 …), ``used`` the relation entry that checks it (``变动[2]``).
    """

    label: str
    number: str
    unit: str
    field: KeyPath | None
    quote: str
    sentence: str
    place: KeyPath
    offset: int
    reason: str = ""
    column: str = ""
    role: str = "数值"
    used: str = ""

    @property
    def value(self) -> str:
        """The figure as the prose prints it, unit included (read with the field's kind)."""
        return self.number + self.unit

    @property
    def where(self) -> str:
        return where_of(self.place)

    @property
    def section(self) -> int:
        return self.place[1] if self.place[0] == "正文" and isinstance(self.place[1], int) else -1

    @property
    def part(self) -> str:
        return str(self.place[-1])


def where_of(place: KeyPath) -> str:
    text = ""
    for key in place:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else str(key))
    return text


@dataclass(frozen=True, slots=True)
class Text:
    """A text to read and where it is in the report."""

    place: KeyPath
    text: str


@dataclass
class Reading:
    statements: list[Statement]
    entries: list[tuple[int, Entry]]  # (text number, entry)
    texts: list[Text]
    context: Context


def read_texts(
    texts: Iterable[Text],
    context: Context,
    limit: int | None = None,
    max_chars: int | None = None,
) -> Reading:
    """More than ``limit`` statements is a :class:`ShapeError` at the text where the limit was
    passed (reading stops there); so is a text longer than ``max_chars``."""
    texts = list(texts)
    for text in texts:
        if max_chars is not None and len(text.text) > max_chars:
            raise ShapeError(text.place, f"文字过长（{len(text.text)} 字，上限 {max_chars} 字）")
    statements: list[Statement] = []
    optional: set[int] = set()
    entries: list[tuple[int, Entry]] = []
    parsed = []
    for index, text in enumerate(texts):
        piece = read_piece(text.text)
        sentences = parse(piece, context.year)
        parsed.append((piece, sentences))
        number: dict[int, int] = {}
        fields: dict[int, KeyPath | None] = {}
        uses = {id(u.fig): (u, s) for s in sentences for u in s.uses}
        for fig in piece.figures:
            if fig.skipped and not fig.glued:
                continue
            found = uses.get(id(fig))
            if found is None:
                statements.append(_unread(text, piece, fig))
                continue
            use, sentence = found
            if fig.kind == "count" and fig.unit not in ("人", "名"):
                optional.add(len(statements))  # 8个, 34项: kept only when a list counts them
            number[id(use)] = len(statements)
            statements.append(_statement(text, piece, use, sentence, context, fields))
        if limit is not None and len(statements) > limit:
            raise ShapeError(text.place, f"正文所述数字过多（超过 {limit} 处）")
        for entry in relations(sentences, number, piece.original):
            entries.append((index, entry))
        for entry in count_lists(piece, sentences, number):
            entries.append((index, entry))
        for entry in numbered_lists(piece):
            entries.append((index, entry))
        if text.place[-1] != "标题" and not _family_owned(text):
            for entry in residue(piece, where_of(text.place)):
                entries.append((index, entry))
    entries.extend(wrong_years(parsed, context.year))
    entries = _once(entries)
    return _kept(Reading(statements, entries, texts, context), optional)


# Cells whose form text the project rules report already (EC229 the 原因 of an adjustment,
# EC230 the 实际完成情况): a cell that still holds the form's instructions is theirs.
_FAMILY_CELLS = (("预算执行", "说明"), ("年度总体目标", "实际完成情况"))


def _family_owned(text: Text) -> bool:
    return tuple(text.place) in _FAMILY_CELLS and is_instruction(text.text)


def _once(entries: list[tuple[int, Entry]]) -> list[tuple[int, Entry]]:
    """A placeholder or a field code repeated through the report is one finding (its first
    place): 20xx in every section is one template left unfilled, not twenty."""
    seen: set[tuple[str, str]] = set()
    figures: set[tuple[str, frozenset[int]]] = set()
    kept = []
    for index, entry in entries:
        if entry.figures:
            # 共6个，其中年初3个、年中追加2个 read as a 其中 list and as a start-plus-added
            # count: one relation of the same figures, checked once
            key_figures = (entry.kind, frozenset(entry.figures.values()))
            if key_figures in figures:
                continue
            figures.add(key_figures)
        if entry.kind == "残留" and entry.values["类别"] in ("占位符", "域代码错误"):
            key = (entry.values["类别"], re.sub(r"[\d\s]+", "", entry.values["内容"]))
            if key in seen:
                continue
            seen.add(key)
        kept.append((index, entry))
    return kept


def _kept(reading: Reading, optional: set[int]) -> Reading:
    """Without the counts of 个/项/次 that no relation uses: no table holds them."""
    used = {n for _, entry in reading.entries for n in entry.figures.values()}
    dropped = optional - used
    if not dropped:
        return reading
    renumber: dict[int, int] = {}
    kept: list[Statement] = []
    for number, statement in enumerate(reading.statements):
        if number not in dropped:
            renumber[number] = len(kept)
            kept.append(statement)
    for _, entry in reading.entries:
        entry.figures = {key: renumber[n] for key, n in entry.figures.items()}
    return Reading(kept, reading.entries, reading.texts, reading.context)


def printed(piece: Any, fig: Any) -> tuple[str, str]:
    """The number and unit as printed (full-width ％ kept); traditional 萬元 read as 万元."""
    number = piece.original[fig.start : fig.start + len(fig.number)]
    if "\n" in number:
        number = fig.number  # 400 / .6万元 broken over two lines: the number as read
    unit = piece.original[fig.end - len(fig.unit) : fig.end]
    if unit.replace("％", "%") != fig.unit:
        unit = fig.unit
    return number, unit


def _unread(text: Text, piece: Any, fig: Any) -> Statement:
    start = max(piece.text.rfind("\n", 0, fig.start) + 1, fig.start - 12)
    number, unit = printed(piece, fig)
    return Statement(
        label="",
        number=number,
        unit=unit,
        field=None,
        quote=piece.original[fig.start : fig.end],
        sentence=piece.original[start : fig.end + 12].strip(),
        place=text.place,
        offset=fig.start,
        reason=fig.skipped,
    )


def _statement(
    text: Text,
    piece: Any,
    use: Use,
    sentence: Sentence,
    context: Context,
    fields: dict[int, KeyPath | None],
) -> Statement:
    field: KeyPath | None = None
    reason = ""
    role = ROLES[use.role]
    if role == "数值":
        parent = None
        scope = use.item.scope
        if scope is not None:
            anchor = next(
                (
                    u
                    for u in reversed(scope.parent.uses[: scope.at + 1])
                    if u.role in ("数值", "计数")
                ),
                None,
            )
            parent = fields.get(id(anchor)) if anchor is not None else None
        if sentence.fragment:
            reason = "句子不完整（文字从句中开始），无法确定所说的项目"
        elif scope is not None and parent is None:
            # a function class (一般公共服务支出) names its field by itself; other parts of a
            # total that states no field are not guessed
            field, reason = assign(use, parent, context)
            if field is None or field[0] != "支出功能分类":
                field = None
                reason = (
                    f"“{use.label}”是“{scope.parent.label}”的组成部分，而该合计未对应到报告项目"
                )
        else:
            field, reason = assign(use, parent, context)
        fields[id(use)] = field
    else:
        reason = f"“{use.label}”是{role}"
    column = (use.time or "") + (use.basis or "")
    number, unit = printed(piece, use.fig)
    return Statement(
        label=use.label,
        number=number,
        unit=unit,
        field=field,
        quote=piece.original[use.quote_start : use.fig.end].strip(),
        sentence=piece.original[sentence.start : sentence.end].strip(),
        place=text.place,
        offset=use.quote_start,
        reason=reason,
        column=column,
        role=role,
    )


# --- what the document is ---------------------------------------------------------------------

_WHOLE_KEYS = (
    "人员编制",
    "经费控制情况",
    "绩效指标",
    "预算执行",
    "收支情况",
    "基本支出",
    "项目支出",
)
_FAMILY_KEYS = ("三公经费", "预决算说明")
_TITLE = re.compile(r"报告|说明|情况|公开|决算|预算|自评|统计表|汇总")
_YEAR_WORD = re.compile(r"((?:19|20)\d\d)\s*年")
_LAWS = re.compile(r"《[^》]{0,40}》")  # 《预算法》《预算法实施条例》 cited by a statement


def context_of(
    data: dict[str, Any], texts: list[Text], from_prose: Callable[[KeyPath], bool] | None = None
) -> Context:
    """The document's year, kind and default column: from its own keys (not those the prose
    filled in), else from its title — the first lines of its first texts."""
    lines = [line.strip() for t in texts[:6] for line in t.text.split("\n")[:2] if line.strip()]
    titles = [line for line in lines if len(line) <= 80]
    title = next((t for t in titles if _TITLE.search(t) and _YEAR_WORD.search(t)), "")
    if not title and texts:
        # an excerpt without a title: its first sentence says what it is about
        # (“2020年“三公”经费支出431万元，比上年…” is the 2020 三公 statement)
        first = re.split(r"[。；;\n]", texts[0].text.strip(), maxsplit=1)[0][:200]
        first = _LAWS.sub("", first)  # 按照《预算法》…：a law's name says nothing of the document
        if re.search(r"三公|预算|决算", first):
            titles = titles or [first]
            title = first  # its first year is the document's (与2022年预算持平 comes after)
    year = _year(data, title, texts)

    def printed(key: str) -> bool:
        value = data.get(key)
        if value is None:
            return False
        return from_prose is None or any(not from_prose(p) for p in _leaves(value, (key,)))

    heads = " ".join(dict.fromkeys([title, *titles[:4]]))  # the title chosen above, always
    # 预算执行情况 is a heading of the self-evaluation, 一般公共预算 a source of funds: neither
    # says the document is a budget or final-accounts statement
    plain = re.sub(r"一般公共预算|预算执行|预决算", "", _LAWS.sub("", heads))
    if any(printed(k) for k in _WHOLE_KEYS):
        space = WHOLE
    elif any(printed(k) for k in _FAMILY_KEYS):
        space = STATEMENT
    elif re.search(r"自评|绩效", heads) and not re.search(r"三公|预算说明|决算说明", heads):
        space = WHOLE
    elif re.search(r"三公|预算|决算", plain) or re.search(r"预决算", heads):
        space = STATEMENT
    else:
        space = WHOLE
    # the title decides (“2021年度“三公”经费决算汇总情况” above a first line citing 《预算法》)
    basis = _basis(re.sub(r"一般公共预算|预算执行|预决算", "", title)) or _basis(plain)
    return Context(year, space, basis)


def _basis(words: str) -> str | None:
    """决算 or 预算 when the words name only one of them."""
    if "决算" in words and "预算" not in words:
        return "决算"
    if "预算" in words and "决算" not in words:
        return "预算"
    return None


def _leaves(value: Any, path: KeyPath) -> Iterable[KeyPath]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    else:
        yield path


def _year(data: dict[str, Any], title: str, texts: list[Text]) -> int | None:
    given = data.get("评价年度")
    if given is not None:
        match = re.search(r"(?:19|20)\d\d", str(given))
        if match:
            return int(match.group(0))
    if title:
        match = _YEAR_WORD.search(title)
        if match:
            return int(match.group(1))
    counted = Counter(
        m.group(1) for t in texts for m in re.finditer(r"((?:19|20)\d\d)\s*年度", t.text)
    )
    if counted:
        year, times = counted.most_common(1)[0]
        if times >= 2:
            return int(year)
    opening = next((m for t in texts[:3] if (m := _OPENING_YEAR.search(t.text[:2000]))), None)
    return int(opening.group(1)) if opening else None


# A statement that opens with its year and states an amount soon after (“2022年本部门财政拨款安排
# “三公”经费502.4万元，比上年……”): the year of a page whose heading says none.
_OPENING_YEAR = re.compile(
    r"(?:^|[。\n])\s*((?:19|20)\d\d)\s*年(?:度)?(?=[^。\n\d]{0,40}\d+(?:\.\d+)?\s*(?:万元|亿元|元))"
)
