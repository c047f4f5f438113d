"""What the statements of one sentence say together: parts of a whole, shares, changes, claims.

Each relation is an :class:`Entry` of a list of ``正文数据`` (构成, 占比, 占比合计, 变动, 无变化, 计数)
whose figures point at the statements they were read from (``figures``: key path in the entry →
statement number), so a finding on the entry points at the sentence.
"""

from __future__ import annotations

import re
from dataclasses import field
from decimal import Decimal, InvalidOperation
from typing import Any

from ...inputs.records import dataclass
from .fields import public_item
from .grammar import Claim, Item, Scope, Sentence, Use, item_name
from .lexicon import column_of, in_wan

__all__ = ["Entry", "relations"]


@dataclass
class Entry:
    """One entry of a list under 正文数据, with where each of its figures is printed."""

    kind: str  # 构成 占比 占比合计 变动 无变化 计数 编号 年份 残留
    values: dict[str, Any]
    figures: dict[tuple[str, ...], int] = field(default_factory=dict)
    start: int = 0  # the quote in its piece, when no figure places the entry
    end: int = 0


_RETIRED = re.compile(r"退休|离休|离退休|遗属")
_COMPLETE_WORDS = ("其中", "包括", "括号", "分别为", "分别是", "具体为")


def _amount(use: Use) -> Decimal | None:
    try:
        return in_wan(use.fig.number, use.fig.unit)
    except InvalidOperation:
        return None


def _signed(use: Use) -> str:
    text = use.fig.number + use.fig.unit
    if use.sign < 0 and not re.fullmatch(r"0+(?:\.0+)?", use.fig.number):
        return "-" + text
    return text


def relations(sentences: list[Sentence], number: dict[int, int], piece_text: str) -> list[Entry]:
    """The relations of one piece; ``number`` maps id(use) to its statement number."""
    entries: list[Entry] = []
    for sentence in sentences:
        quote = piece_text[sentence.start : sentence.end].strip()
        for scope in sentence.scopes:
            entries.extend(_parts(scope, number, quote))
        entries.extend(_shares(sentence, number, quote))
        entries.extend(_changes(sentence, number, quote))
        entries.extend(_executions(sentence, number, quote))
        entries.extend(_claims(sentence, number, quote))
    entries.extend(_share_totals(sentences, entries))
    return entries


# --- parts ------------------------------------------------------------------------------------


def _anchor(scope: Scope) -> Use | None:
    """The parent's figure the scope follows: its last value before the scope opened."""
    uses = scope.parent.uses[: scope.at + 1]
    for use in reversed(uses):
        if use.role in ("数值", "计数"):
            return use
    return None


def _parts(scope: Scope, number: dict[int, int], quote: str) -> list[Entry]:
    anchor = _anchor(scope)
    if anchor is None or anchor.fig.kind not in ("amount", "count"):
        return []
    totals = [
        u for u in scope.parent.uses if u.role == anchor.role and u.fig.kind == anchor.fig.kind
    ]
    # a total per column (预算数…，决算数…，上年决算数…): each part's figure of that column
    bases = {(u.time, u.basis) for u in totals}
    groups: list[tuple[Use, list[tuple[str, Use]]]] = []
    for total in totals if len(bases) == len(totals) > 1 else [anchor]:
        parts: list[tuple[str, Use]] = []
        for child in scope.items:
            matching = [
                u
                for u in child.uses
                if u.role == anchor.role
                and u.fig.kind == anchor.fig.kind
                and (u.fig.kind != "count" or u.fig.unit == anchor.fig.unit)
            ]
            if len(totals) > 1 and len(bases) == len(totals):
                matching = [
                    u for u in matching if (u.time, u.basis) == (total.time, total.basis)
                ] or ([v for v in matching if v.basis is None] if total is anchor else [])
            if len({(u.time, u.basis) for u in matching}) < len(matching):
                parts = []  # “…，差值为0万元；…，差值为0.95万元”: a word each item repeats is
                break  # no part, and the items' figures are listed in turn, not as parts
            if matching:
                parts.append((child.name or child.label or f"第{len(parts) + 1}项", matching[0]))
        if parts:
            groups.append((total, parts))
    entries = []
    for total, parts in groups:
        parts = _within(total, parts)
        complete = scope.word in _COMPLETE_WORDS and len(parts) >= 2 and not scope.closed_by_etc
        if complete:
            complete = _all_public_items(scope.parent.name, [name for name, _ in parts])
        name = scope.parent.name or scope.parent.label
        kind = "构成" if total.fig.kind == "amount" else "计数"
        values: dict[str, Any] = {"对象": name}
        figures: dict[tuple[str, ...], int] = {}
        if kind == "构成":
            values["列"] = _column_text(total)
            values["合计"] = total.fig.value_text
            figures[("合计",)] = number[id(total)]
        else:
            values["数目"] = total.fig.number
            values["单位"] = total.fig.unit
            figures[("数目",)] = number[id(total)]
        inner: dict[str, str] = {}
        for key, use in parts:
            key = _unique(key, inner)
            inner[key] = use.fig.value_text if kind == "构成" else use.fig.number
            figures[("其中" if kind == "构成" else "构成", key)] = number[id(use)]
        values["其中" if kind == "构成" else "构成"] = inner
        values["完整"] = "是" if complete else "否"
        values["原文"] = quote
        entries.append(Entry(kind, values, figures))
    return entries


def _within(total: Use, parts: list[tuple[str, Use]]) -> list[tuple[str, Use]]:
    """The parts that belong to ``total``: a retiree count after the staff it is not part of
    (在职62人，其中…，退休职工28人) ends the list; so does a first run of parts that adds up to the
    total exactly when the whole list does not (the rest are facts beside it)."""
    if total.fig.kind == "count":
        for index, (name, _) in enumerate(parts):
            if index and _RETIRED.search(name) and not _RETIRED.search(total.item.name):
                parts = parts[:index]
                break
    value = _amount(total)
    amounts = [_amount(u) for _, u in parts]
    if value is None or any(a is None for a in amounts) or len(parts) < 3:
        return parts
    if sum(a for a in amounts if a is not None) == value:
        return parts
    running = Decimal(0)
    for index, amount in enumerate(amounts[:-1]):
        assert amount is not None
        running += amount
        if index >= 1 and running == value:
            return parts[: index + 1]
    return parts


def _unique(key: str, taken: dict[str, str]) -> str:
    if key not in taken:
        return key
    n = 2
    while f"{key}（{n}）" in taken:
        n += 1
    return f"{key}（{n}）"


def _column_text(use: Use) -> str:
    time = use.time or ""
    basis = use.basis or ""
    if basis == "支出":
        basis = "决算"
    return (time + basis) or "未说明"


# --- shares -----------------------------------------------------------------------------------


def _whole_matches(whole: str, item: Item, use: Use) -> bool:
    _, basis, at = column_of(whole)
    name = item_name(whole[:at])
    if not name:
        return False
    if name != item.name and not item.name.endswith(name) and not name.endswith(item.name or "\0"):
        return False
    return (
        basis is None
        or use.basis is None
        or basis == use.basis
        or {basis, use.basis} <= {"决算", "支出"}
    )


def _share_whole(use: Use, sentence: Sentence) -> tuple[str, Use | None]:
    scope = use.item.scope
    anchor = _anchor(scope) if scope is not None else None
    whole = use.whole or ""
    if not whole:
        return (scope.parent.name if scope else ""), anchor
    if scope is not None and anchor is not None and _whole_matches(whole, scope.parent, anchor):
        return whole, anchor
    return whole, None


def _shares(sentence: Sentence, number: dict[int, int], quote: str) -> list[Entry]:
    entries = []
    for use in sentence.uses:
        if use.role != "占比":
            continue
        before = [u for u in use.item.uses if u.role == "数值" and u.fig.end <= use.fig.start]
        if not before or before[-1].fig.kind != "amount":
            continue
        part = before[-1]
        whole, total = _share_whole(use, sentence)
        values: dict[str, Any] = {
            "对象": use.item.name or use.item.label,
            "数值": part.fig.value_text,
            "整体": whole or "（未写明）",
            "占比": use.fig.value_text,
            "原文": quote,
        }
        figures: dict[tuple[str, ...], int] = {
            ("数值",): number[id(part)],
            ("占比",): number[id(use)],
        }
        if total is not None:
            values["整体数"] = total.fig.value_text
            figures[("整体数",)] = number[id(total)]
        entry = Entry("占比", values, figures)
        entry.values["_key"] = (id(total) if total is not None else whole, id(use.item.scope))
        entry.values["_complete"] = _scope_complete(use.item.scope)
        entries.append(entry)
    return entries


def _all_public_items(whole: str, names: list[str]) -> bool:
    """Parts of the "三公"经费 are all of it only when its three items (or the two 公务用车
    items for the third) are named; parts of any other whole when listed after 其中."""
    if public_item(whole) != "合计":
        return True
    named = {public_item(name) for name in names}
    main = {"因公出国（境）费", "公务接待费", "公务用车购置及运行维护费"}
    split = {"公务用车购置费", "公务用车运行维护费"} | main - {"公务用车购置及运行维护费"}
    return main <= named or split <= named


def _scope_complete(scope: Scope | None) -> bool:
    if scope is None or scope.closed_by_etc or scope.word not in _COMPLETE_WORDS:
        return False
    return (
        all(any(u.role == "占比" for u in item.uses) for item in scope.items)
        and len(scope.items) >= 2
        and _all_public_items(scope.parent.name, [item.name for item in scope.items])
    )


def _share_totals(sentences: list[Sentence], entries: list[Entry]) -> list[Entry]:
    """The shares of one whole, each item once: together at most 100%, exactly 100% when the
    items are all the parts of the whole."""
    groups: dict[Any, list[Entry]] = {}
    for entry in entries:
        if entry.kind == "占比":
            key = entry.values.pop("_key")
            whole_key = key[0] if isinstance(key[0], int) else ("名", key[0])
            groups.setdefault(whole_key, []).append(entry)
    totals = []
    for members in groups.values():
        seen: dict[str, Entry] = {}
        for entry in members:
            seen.setdefault(entry.values["对象"], entry)
        complete = [e.values.pop("_complete", False) for e in members]
        if len(seen) < 2 or (
            members[0].values["整体"] == "（未写明）" and "整体数" not in members[0].values
        ):
            continue
        values: dict[str, Any] = {
            "整体": members[0].values["整体"],
            "各项": {name: e.values["占比"] for name, e in seen.items()},
            "完整": "是" if all(complete) and len(seen) == len(members) else "否",
            "原文": "；".join(dict.fromkeys(e.values["原文"] for e in seen.values())),
        }
        figures: dict[tuple[str, ...], int] = {
            ("各项", name): e.figures[("占比",)] for name, e in seen.items()
        }
        totals.append(Entry("占比合计", values, figures))
    for entry in entries:
        entry.values.pop("_complete", None)
    return totals


# --- changes and claims -----------------------------------------------------------------------


def _changes(sentence: Sentence, number: dict[int, int], quote: str) -> list[Entry]:
    entries = []
    done: set[tuple[int, str]] = set()
    for use in sentence.uses:
        if use.role not in ("增减额", "增减率", "较预算增减额", "较预算增减率", "完成预算"):
            continue
        budget = use.role.startswith("较预算") or use.role == "完成预算"
        base = "预算" if budget else (use.base or "上年")
        key = (id(use.item), base)
        if key in done:
            continue
        done.add(key)
        same = [
            u
            for u in use.item.uses
            if u.sentence == use.sentence
            and (
                u.base == base
                or (budget and u.role in ("较预算增减额", "较预算增减率", "完成预算"))
            )
        ]
        first = min(u.fig.start for u in same)
        current = [
            u for u in use.item.uses if u.role == "数值" and u.fig.end <= first and u.time != "上年"
        ]
        values: dict[str, Any] = {"对象": use.item.name or use.item.label, "比较": base}
        figures: dict[tuple[str, ...], int] = {}
        if current:
            this = current[-1]
            values["本年数"] = this.fig.value_text
            figures[("本年数",)] = number[id(this)]
            if budget and this.basis in ("预算", "年初预算", "全年预算"):
                continue  # a change of the budget figure from the budget: not what is printed
        for u in same:
            key_name = {"上年数": "上年数", "预算数": "预算数"}.get(u.role, u.role)
            if key_name in values:
                continue
            values[key_name] = (
                _signed(u) if u.role not in ("上年数", "预算数", "完成预算") else u.fig.value_text
            )
            figures[(key_name,)] = number[id(u)]
        if budget and "预算数" not in values:
            budgets = [
                u
                for u in use.item.uses
                if u.role == "数值"
                and u.sentence == use.sentence
                and u.basis in ("预算", "年初预算", "全年预算")
            ]
            if budgets and budgets[-1] is not (current[-1] if current else None):
                values["预算数"] = budgets[-1].fig.value_text
                figures[("预算数",)] = number[id(budgets[-1])]
        if not budget and "上年数" not in values:
            last = [
                u
                for u in use.item.uses
                if u.role == "数值" and u.sentence == use.sentence and u.time == "上年"
            ]
            if last:
                values["上年数"] = last[-1].fig.value_text
                figures[("上年数",)] = number[id(last[-1])]
        values["原文"] = quote
        entries.append(Entry("变动", values, figures))
    return entries


_EXECUTION_RATE = re.compile(r"(?:预算|资金|实际|项目)?执行率(?:为|达到|达)?$")
_FUNDED = re.compile(r"预算|下达|下拨|收到|到位|安排|批复|合计|总额")
_SPENT = re.compile(r"实际|执行|支出|发放|使用|拨付")


def _executions(sentence: Sentence, number: dict[int, int], quote: str) -> list[Entry]:
    """“收到……资金合计149.63万元，实际发放107.78万元，实际执行率为72.03%”: a rate of execution
    printed right after the two amounts it is the ratio of, the funds and then what was spent
    of them (a project report's 预算执行 in one sentence).  Read as a change against the budget
    (完成预算 = 本年数 ÷ 预算数).  A 年初 budget is not taken for the base: the rate of the
    forms is of the full-year budget, which the sentence may not print."""
    entries: list[Entry] = []
    uses = sentence.uses
    for index in range(2, len(uses)):
        funded, spent, rate = uses[index - 2 : index + 1]
        funds, spending = re.sub(r"\s+", "", funded.label), re.sub(r"\s+", "", spent.label)
        if (
            rate.fig.kind != "rate"
            or rate.role != "数值"
            or not _EXECUTION_RATE.search(re.sub(r"\s+", "", rate.label))
            or any(u.fig.kind != "amount" or u.role != "数值" for u in (funded, spent))
            or any(id(u) not in number for u in (funded, spent, rate))
            or funded.fig.unit != spent.fig.unit
            or not _FUNDED.search(funds)
            or "年初" in funds
            or not _SPENT.search(spending)
            or re.search(r"预算|下达|下拨|收到|到位|批复", spending)
        ):
            continue
        values = {
            "对象": funded.item.name or funds,
            "比较": "预算",
            "本年数": spent.fig.value_text,
            "预算数": funded.fig.value_text,
            "完成预算": rate.fig.value_text,
            "原文": quote,
        }
        figures: dict[tuple[str, ...], int] = {
            ("本年数",): number[id(spent)],
            ("预算数",): number[id(funded)],
            ("完成预算",): number[id(rate)],
        }
        entries.append(Entry("变动", values, figures))
    return entries


def _claims(sentence: Sentence, number: dict[int, int], quote: str) -> list[Entry]:
    entries = []
    for claim in sentence.claims:
        entry = _claim(claim, sentence, number, quote)
        if entry is not None:
            entries.append(entry)
    return entries


def _claim(claim: Claim, sentence: Sentence, number: dict[int, int], quote: str) -> Entry | None:
    item = claim.item
    uses = [u for u in item.uses if u.sentence == claim.sentence]
    values_ = [u for u in uses if u.role == "数值"]
    base = claim.base
    pre = [u for u in values_ if u.basis in ("预算", "年初预算", "全年预算")]
    post = [u for u in values_ if u.basis in ("决算", "支出")]
    last = [u for u in uses if u.role == "上年数"] + [u for u in values_ if u.time == "上年"]
    change = [u for u in uses if u.role == "增减额" and u.fig.start < claim.end]
    if base is None:
        base = "预算" if pre and post else "上年"
    values: dict[str, Any] = {"对象": item.name or item.label, "说法": claim.word, "比较": base}
    figures: dict[tuple[str, ...], int] = {}
    this: Use | None = None
    other: Use | None = None
    if base == "预算":
        this, other = (post[-1] if post else None), (pre[-1] if pre else None)
    else:
        current = [u for u in values_ if u.time != "上年"]
        this = current[-1] if current else None
        other = last[-1] if last else None
    if this is not None and other is not None and this is not other:
        values["本年数"] = this.fig.value_text
        values["对比数"] = other.fig.value_text
        figures[("本年数",)] = number[id(this)]
        figures[("对比数",)] = number[id(other)]
    if change and base != "预算":
        values["增减额"] = _signed(change[-1])
        figures[("增减额",)] = number[id(change[-1])]
    if "对比数" not in values and "增减额" not in values:
        return None
    values["原文"] = quote
    return Entry("无变化", values, figures, claim.start, claim.end)
