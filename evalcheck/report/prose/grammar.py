"""The grammar of figure statements: who each figure belongs to and what it says of it.

A sentence is read left to right.  Each figure's *lead* is the text from the nearest clause
delimiter (，、；：or a bracket that holds figures) to the number.  The lead says what the figure
is:

* a **change** — it ends in a direction word (增加, 减少, 增长, 下降 …) after a base (比上年, 较年初预算数,
  与2022年预算相比, 同比 …, or one said earlier in the sentence): ``比上年减少1.2万元，下降8.9%``;
* a **share** — ``占一般公共预算支出的19.62%``, ``占比32.24%``, ``占89.88%`` (of the total its 其中 names);
* a **completion** — ``完成年初预算的84%``; a **difference from the budget** — ``决算数大于预算数55.93万元``;
* a **base value** — ``较2024年的2190万元`` before the change;
* otherwise a **value** of an *item*: the noun phrase before the column word that governs the
  figure (``公务接待费`` in ``公务接待费预算数0.5万元``).  A lead with no noun (``决算数为0万元``) speaks
  of the item before it in the same clause chain.

``其中``/``包括``/``含``/``分别为`` and brackets that hold figures open a *scope*: the items in it are
parts of the item before it.  A scope ends with its bracket or its sentence.  Nothing is
guessed across sentences except a sentence that starts with 其中 (its parent ends the sentence
before).
"""

from __future__ import annotations

import bisect
import re

from .clauses import Fig, Piece
from .lexicon import (
    BUDGET_BASE,
    CHANGE_WORDS,
    LAST_YEAR_BASE,
    NO_CHANGE,
    YEAR_BASE,
    column_of,
    column_span,
    direction_of,
)
from .names import YEAR, bare, item_name
from .nodes import Claim, Item, Scope, Sentence, Use

__all__ = ["Claim", "Item", "Scope", "Sentence", "Use", "item_name", "parse"]

_DELIMITERS = ",;；:、"
_MARKS = re.compile(r"[();；]")
_BRACKETS = re.compile(r"[()]")
_LIST_WORDS = re.compile(r"其中|包括|分别为|分别是|具体为|(?<![包])含(?![有义])")
_NO_FIGURE_AFTER = re.compile(r"\s*:?\s*[^\d]*$")
_ETC = re.compile(r"等(?:\d|[,;])")
_TOTAL_NAME = re.compile(r"(?:合计|总计|总额)$")
_SCOPE_MARK = re.compile(
    r"(其中|包括|分别为|分别是|具体为|含)\s*:?\s*$|^\s*(其中|包括|含)(?![有义])"
)
_FILLER_END = re.compile(r"(?:为|是|达到|达|共计|共|约|了|\s)+$")
_FILLER_START = re.compile(
    r"^(?:[\s:]|其中|包括|即|含|分别为|分别是|另外|此外|另|以及|及|和|并|而|均|全部|总共|一共|"
    r"经比较|经汇总|经统计|经测算|经核算|经核实|"
    r"\d+\s*[、.．](?!\d)|\(\s*\d+\s*\)|[一二三四五六七八九十]+[、.．])+"
)
_COUNTING_VERB = re.compile(r"(?:共|现|下|内|另)?(?:设|有|含|辖|管辖|设立|设有|包括)(?:了)?")
# Adverbials a clause may start with that name no item: 按同口径同比减少63.96万元.
_NOT_SUBJECT = re.compile(
    r"^(?:按)?(?:同|可比)?口径(?:计算)?$|^分别$|^均$|^累计$|^合计$|^总计$|^共$"
)
_SHARE = re.compile(r"占(?P<whole>[^,;:、%]*?)(?:的)?(?:比重|比例|比)?(?:为|达|约)?\s*$")
_COMPLETION = re.compile(
    r"(?:完成|达到|为)(?:了)?(?P<what>年初|全年|调整后)?预算(?:数|计划)?(?:的)?(?:比例)?(?:为)?\s*$|"
    r"预算完成率(?:为|达)?\s*$"
)
_VS_BUDGET = re.compile(
    r"决算(?:数)?(?P<word>大于|多于|超过|高于|超出|小于|少于|低于)(?:年初)?预算(?:数)?\s*$"
)


def parse(piece: Piece, year: int | None) -> list[Sentence]:
    sentences = [Sentence(s, e) for s, e in piece.sentences]
    previous: Sentence | None = None
    seen = False
    by_sentence: list[list[Fig]] = [[] for _ in sentences]
    starts = [s.start for s in sentences]
    for fig in piece.figures:
        index = bisect.bisect_right(starts, fig.start) - 1
        if index >= 0 and fig.start < sentences[index].end and not fig.skipped:
            by_sentence[index].append(fig)
    for number, sentence in enumerate(sentences):
        parser = _Parser(piece, sentence, number, previous, year, by_sentence[number])
        if not seen and parser.figures:
            lead = _strip(piece.text[sentence.start : parser.figures[0].start])
            sentence.fragment = not lead  # the text starts inside a sentence: a page cut
            seen = True
        parser.run()
        previous = sentence
    return sentences


_BUDGETS = ("预算", "年初预算", "全年预算")  # a 支出 clause after these: the same item's 决算


class _Parser:
    def __init__(
        self,
        piece: Piece,
        sentence: Sentence,
        number: int,
        before: Sentence | None,
        year: int | None,
        figures: list[Fig],
    ) -> None:
        self.piece = piece
        self.text = piece.text
        self.s = sentence
        self.number = number
        self.before = before
        self.year = year
        self.figures = figures  # the sentence's figures that are read
        self.opaque = self._opaque_brackets()
        # the scope stack: (scope or None for the top, kind: "括号"/"其中", current item)
        self.stack: list[list[object]] = [[None, "top", None]]
        self.base: str | None = None  # the last base said in the sentence
        self.fresh = False  # after a ；: values do not inherit the item before it

    # --- brackets -------------------------------------------------------------------------

    def _opaque_brackets(self) -> list[tuple[int, int]]:
        """Brackets that hold no figure: part of the words around them (因公出国(境)费)."""
        pairs: list[tuple[int, int]] = []
        opened: list[int] = []
        for bracket in _BRACKETS.finditer(self.text, self.s.start, self.s.end):
            index = bracket.start()
            if bracket.group(0) == "(":
                opened.append(index)
            elif opened:
                pairs.append((opened.pop(), index))
        starts = [f.start for f in self.figures]
        return [(a, b) for a, b in pairs if not any(a < x < b for x in starts)]

    def _in_opaque(self, at: int) -> bool:
        return any(a <= at <= b for a, b in self.opaque)

    # --- the walk -------------------------------------------------------------------------

    def run(self) -> None:
        position = self.s.start
        pending: Use | None = None
        self._continue_list()
        for fig in self.figures:
            self._gap(position, fig.start)
            lead_start = self._lead_start(position, fig.start)
            raw = self.text[lead_start : fig.start]
            label = _strip(raw)
            use = self._classify(fig, label, raw, pending)
            use.quote_start = lead_start + (len(raw) - len(raw.lstrip()))
            use.lead = raw
            pending = use if use.role == "上年数" or use.role == "预算数" else None
            self.s.uses.append(use)
            position = fig.end
        self._gap(position, self.s.end)
        if (
            len(self.stack) > 1
            and self.stack[1][1] == "其中"
            and isinstance(self.stack[1][0], Scope)
        ):
            self.s.open_list = self.stack[1][0]

    def _continue_list(self) -> None:
        """``其中：因公出国（境）费支出0万元。公务用车购置费支出204.78万元……。``: a 其中 list whose
        parts are sentences of their own goes on while each sentence starts with a part."""
        scope = self.before.open_list if self.before is not None else None
        if scope is None or not self.figures:
            return
        before = self.text[self.before.start : self.before.end] if self.before else ""
        continued = scope.sentence < self.number - 1  # the sentence before went on with it
        opened = re.match(r"\s*(?:其中|包括)", before) or re.search(r"(?:其中|包括)\s*:", before)
        if not continued and not opened:
            return  # 支出合计…，其中A、B。“三公”经费…: a new sentence, not a part of the list
        first = self.figures[0]
        lead = self.text[self.s.start : first.start]
        anchor = next((u for u in reversed(scope.parent.uses) if u.role in ("数值", "计数")), None)
        label = _strip(lead)
        if (
            anchor is None
            or anchor.fig.kind != first.kind
            or any(c in lead for c in _DELIMITERS + "()")
            or re.search(r"其中|包括|分别", lead)
            or not item_name(label, self.year)
            or CHANGE_WORDS.search(label)
            or self._names_whole(label, scope.parent)
        ):
            return
        self.stack.append([scope, "其中", None])

    def _names_whole(self, label: str, whole: Item) -> bool:
        """``2022年“三公”经费支出共计……`` after ``“三公”经费预算为…，其中：…``: the whole again."""
        name = item_name(label[: column_span(label)[2]], self.year)
        own = bare(whole.name)
        return bool(own) and bare(name) == own

    def _lead_start(self, position: int, at: int) -> int:
        for index in range(at - 1, position - 1, -1):
            char = self.text[index]
            if (char in _DELIMITERS or char in "()") and not self._in_opaque(index):
                return index + 1
        return position

    def _gap(self, start: int, end: int) -> None:
        """Brackets, 其中 and claims between two figures, in order."""
        for mark in _MARKS.finditer(self.text, start, end):
            index, char = mark.start(), mark.group(0)
            if self._in_opaque(index):
                continue
            if char == "(":
                self._open("括号", index)
            elif char == ")":
                self._close_bracket()
            else:
                self.fresh = True  # a new clause group: a bare column word starts a new item
        text = self.text[start:end]
        for match in _LIST_WORDS.finditer(text):
            if self._in_opaque(start + match.start()):
                continue
            after = text[match.end() :]
            if not _NO_FIGURE_AFTER.match(after) and after.strip():
                continue
            self._open("其中", start + match.start(), match.group(0))
        for match in NO_CHANGE.finditer(text):
            self._claim(start + match.start(), start + match.end(), match.group(0))
        if text.rstrip().endswith("等") or _ETC.search(text):
            for frame in reversed(self.stack):
                if isinstance(frame[0], Scope):
                    frame[0].closed_by_etc = True
                    break

    def _open(self, kind: str, at: int, word: str = "") -> None:
        parent = self._current()
        if parent is None and kind == "其中" and not self.s.items and self.before is not None:
            tops = [i for i in self.before.items if i.parent is None and i.values()]
            parent = tops[-1] if tops else None
        if parent is None or not parent.uses:
            self.stack.append([None, kind, None])
            return
        scope = Scope(parent, word or "括号", self.number, len(parent.uses) - 1)
        self.s.scopes.append(scope)
        self.stack.append([scope, kind, None])

    def _close_bracket(self) -> None:
        while len(self.stack) > 1:
            frame = self.stack.pop()
            if frame[1] == "括号":
                return

    def _current(self) -> Item | None:
        for frame in reversed(self.stack):
            if frame[2] is not None:
                return frame[2]  # type: ignore[return-value]
            if isinstance(frame[0], Scope):
                return None
        return None

    def _set_current(self, item: Item) -> None:
        self.stack[-1][2] = item

    def _scope(self) -> Scope | None:
        frame = self.stack[-1]
        return frame[0] if isinstance(frame[0], Scope) else None

    # --- items ----------------------------------------------------------------------------

    def _item(self, name: str, label: str) -> Item:
        """The item named ``name`` in this sentence and scope, or a new one."""
        scope = self._scope()
        for item in reversed(self.s.items):
            if item.name == name and item.scope is scope:
                self._set_current(item)
                return item
        item = Item(name, label, self.number, scope.parent if scope else None, scope)
        if scope is not None:
            scope.items.append(item)
        self.s.items.append(item)
        self._set_current(item)
        return item

    def _subject(self, text: str) -> Item | None:
        """The item a change, share or claim clause names before its base word, if any."""
        name = item_name(_strip(text), self.year)
        if not name or _NOT_SUBJECT.search(name):
            return None
        return self._item(name, text.strip())

    # --- what a figure says ----------------------------------------------------------------

    def _classify(self, fig: Fig, label: str, raw: str, pending: Use | None) -> Use:
        time, basis, _ = column_of(label)
        time = time or self._year_time(label)
        if fig.kind == "rate":
            share = _SHARE.search(label)
            if share:
                subject = self._subject(label[: share.start()]) or self._current()
                return self._use(fig, "占比", label, subject, whole=share.group("whole").strip())
            if _COMPLETION.search(label):
                return self._use(fig, "完成预算", label, self._current(), base="预算")
        vs_budget = _VS_BUDGET.search(label)
        if vs_budget and fig.kind == "amount":
            sign = direction_of(vs_budget.group("word"))
            subject = self._subject(label[: vs_budget.start()]) or self._current()
            return self._use(fig, "较预算增减额", label, subject, base="预算", sign=sign)
        change = CHANGE_WORDS.search(label)
        if change and fig.kind in ("amount", "rate"):
            base, base_at = self._base(label[: change.start()])
            if base is None and pending is not None:
                base = pending.base
            if base is None and fig.kind == "rate" and self._last_change() is not None:
                base = self._last_change()
            if base is not None:
                self.base = base
                sign = direction_of(change.group(0))
                subject = None
                if base_at > 0:
                    subject = self._subject(label[:base_at])
                item = subject or (pending.item if pending else None) or self._listed(label)
                role = "较预算增减" if base == "预算" else "增减"
                role += "额" if fig.kind == "amount" else "率"
                return self._use(fig, role, label, item, base=base, sign=sign)
        base, base_at = self._base(label)
        if base is not None and fig.kind == "amount" and _only_base(label, base_at):
            subject = self._subject(label[:base_at]) if base_at > 0 else None
            role = "预算数" if base == "预算" else "上年数"
            return self._use(fig, role, label, subject or self._current(), base=base, time=time)
        return self._value(fig, label, time, basis)

    def _value(self, fig: Fig, label: str, time: str | None, basis: str | None) -> Use:
        _, _, column_at, column_end = column_span(label)
        name = item_name(label[:column_at], self.year)
        tail = item_name(label[column_end:], self.year)
        if tail and len(tail) >= 2:
            name = tail  # 实际发放城乡义务教育补助经费资金: the column word's object is the item
        at = self.text.rfind(label, self.s.start, fig.start) if label else -1
        before = self.text[self.s.start : at].rstrip() if at > 0 else ""
        if name == "支出" and before.endswith((":", "：")):  # “…缴费支出(项): 支出决算为…”
            name = item_name(before.rstrip(":："), self.year) or name  # the line it heads
        if fig.kind == "count":
            after = re.match(
                r"[\u4e00-\u9fff]{2,12}?(?=[(（,，;；:、。和及与]|$)",
                self.text[fig.end : self.s.end],
            )
            if after and (
                not name or _COUNTING_VERB.fullmatch(name) or re.search("[和及与、]$", label)
            ):
                name = after.group(0)  # 其中3个行政部门……和7个事业单位
        if self.fresh and self._scope() is not None and _TOTAL_NAME.search(name):
            # 其中A、B；支出合计…: a total after a ； is no part of the list before it
            while len(self.stack) > 1:
                self.stack.pop()
        current = self._current()
        scope = self._scope()
        if scope is not None:  # a part is of the year and column of its total unless it says
            anchor = next(
                (
                    u
                    for u in reversed(scope.parent.uses[: scope.at + 1])
                    if u.role in ("数值", "计数")
                ),
                None,
            )
            if anchor is not None and basis is not None and time is None:
                # 决算数为Y，上年决算数为Z，其中A决算数为…: of the first 决算 (本年), not of 上年
                anchor = next(
                    (
                        u
                        for u in scope.parent.uses[: scope.at + 1]
                        if u.role in ("数值", "计数") and u.basis == basis
                    ),
                    anchor,
                )
            if anchor is not None:
                time = time or anchor.time
                basis = basis or anchor.basis
        fresh = self.fresh or YEAR.search(label) is not None
        self.fresh = False
        # “…“三公”经费支出预算为3万元，支出决算为1.71万元”: the bare 支出 goes on with the item
        # whose spending the clause before stated, it names no item of its own
        again = name == "支出" and current is not None and current.name != "支出"
        again = again and current is not None and "支出" in current.label
        again = again and current is not None and any(u.basis in _BUDGETS for u in current.uses)
        if (not name or again) and current is not None and not fresh:
            item = current
        else:
            item = self._item(name, label)
        role = "计数" if fig.kind == "count" else "数值"
        return self._use(fig, role, label, item, time=time, basis=basis)

    def _use(
        self,
        fig: Fig,
        role: str,
        label: str,
        item: Item | None,
        *,
        time: str | None = None,
        basis: str | None = None,
        base: str | None = None,
        sign: int = 0,
        whole: str | None = None,
    ) -> Use:
        if item is None:
            item = self._item("", label)
        use = Use(fig, role, label, item, self.number, time, basis, base, sign, whole)
        item.uses.append(use)
        return use

    def _listed(self, label: str) -> Item | None:
        """The item a change with no noun of its own speaks of: the current one — unless it
        follows a 其中 list of several parts (``其中A 1.5万元、B 4万元，比上年减少1.2万元``), where
        it may be of the whole or of the last part; then an item of its own, checked against
        nothing."""
        scope = self._scope()
        if scope is not None and len(scope.items) >= 2:
            item = Item("", label, self.number)
            self.s.items.append(item)
            return item
        return self._current()

    def _year_time(self, label: str) -> str | None:
        match = next(reversed(list(YEAR.finditer(label))), None)
        if match is None:
            return None
        year = int(match.group("year"))
        if self.year is None:
            return f"{year}年"
        if year == self.year:
            return "本年"
        if year == self.year - 1:
            return "上年"
        return f"{year}年"

    def _base(self, text: str) -> tuple[str | None, int]:
        """The base a change is measured from, and where it starts in ``text``."""
        found: tuple[str | None, int] = (None, -1)
        for pattern in (LAST_YEAR_BASE, YEAR_BASE, BUDGET_BASE):
            for match in pattern.finditer(text):
                if pattern is YEAR_BASE:
                    year = int(match.group("year"))
                    word = (
                        "上年" if self.year is not None and year == self.year - 1 else f"{year}年"
                    )
                    if self.year is not None and year == self.year:
                        if "预算" not in match.group(0):
                            continue  # 经比较2020年度……: the year itself, not a base
                        word = "预算"
                elif pattern is BUDGET_BASE:
                    word = "预算"
                else:
                    word = "上年"
                if match.start() >= found[1]:
                    found = (word, match.start())
        return found

    def _last_change(self) -> str | None:
        return self.base

    def _claim(self, start: int, end: int, word: str) -> None:
        if self._in_opaque(start):
            return
        clause_start = start
        while clause_start > self.s.start and self.text[clause_start - 1] not in _DELIMITERS + "()":
            clause_start -= 1
        clause = self.text[clause_start:start]
        base, base_at = self._base(clause)
        if word == "一致" and base is None:
            return  # 与批复一致, 账实一致: not a claim about the figures
        before = self.text[max(self.s.start, start - 8) : start]
        if base is None and re.search(r"原因|主要是|由于|因为", before):
            return
        subject = self._subject(clause[:base_at]) if base_at > 0 else None
        item = subject or self._current()
        if item is None:
            return
        if any(c.item is item and c.base == base for c in self.s.claims):
            return
        self.s.claims.append(Claim(item, word, base, clause_start, end, self.number))


def _strip(text: str) -> str:
    text = re.sub(r"\s+", "", text)  # PDF text breaks words: 同比增 / 加21500元
    text = _FILLER_START.sub("", text)
    text = _FILLER_END.sub("", text)
    return text.strip()


def _only_base(label: str, at: int) -> bool:
    """``较2024年的`` / ``比上年累计支出``: the lead is the base, the figure is its value."""
    tail = label[at:]
    return CHANGE_WORDS.search(tail) is None and len(tail) <= 16
