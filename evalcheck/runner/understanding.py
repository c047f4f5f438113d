"""Whether evalcheck understood a report — a green result must mean "read and checked".

Every result carries a :class:`~evalcheck.findings.Coverage`: the figures read, the figures at
least one rule checked, the rules that had no data.  A report evalcheck did not understand —
no section of the format, no figure read, no figure checked — gets an EC001 error, so it
fails the run instead of printing 未发现问题; an unknown key beside a missing known one (a
typo, most likely) gets EC002, a warning that also fails at the default level.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..engine.lookup import Base, ComputedKey, Env, Key, Lookup, LoopKey
from ..engine.nodes import Read
from ..engine.run import RunLog
from ..engine.status import PASSED, Evaluation
from ..findings import META_RULES, Coverage, Finding, locate, meta_finding
from ..inputs.source import KeyPath, Source, format_path
from ..report.keys import NearMiss, known_sections, near_misses
from ..report.normalise import Figure, Target
from ..report.prose.stated import REPEATS, STATEMENTS
from ..report.tree import get

__all__ = ["coverage", "understanding"]

READINGS = "读法"  # the import's notes on characters read as others: not the report's figures

UNDERSTOOD = META_RULES["EC001"]
NEAR_MISS = META_RULES["EC002"]
CHECKED = META_RULES["EC003"]
UNREAD_TABLE = META_RULES["EC004"]
NOT_UNDERSTOOD = "未识别"  # the readers' list of cells they could not place


def coverage(tree: dict[str, Any], log: RunLog) -> Coverage:
    """Figures read and checked; a place that was evaluated checked every figure it reads.

    What a place reads is derived from its rule's lookups (:class:`_Reads`, made once per
    rule): a plain key path from the report is read the same way at every place, so it is
    looked up once per rule; a path from the scope item is followed from the item; only the
    other lookups (``[*]``, loop keys, computed keys) are resolved like the engine does.
    """
    checked: set[KeyPath] = set()
    skipped: dict[int, Any] = {}  # rules that had no data somewhere, by id(rule)
    evaluated: dict[int, Any] = {}  # rules evaluated somewhere
    items: dict[KeyPath, Any] = {}
    resolved: dict[tuple[Any, ...], list[KeyPath]] = {}  # see _read_at
    for step in log.steps:
        rule = step.rule
        found = step.found
        places = [i for i, f in enumerate(found) if f is PASSED or f.__class__ is not Evaluation]
        if len(places) < len(found):  # no data at some place
            skipped[id(rule)] = rule
        if not places:
            continue
        reads = _reads(rule)
        if id(rule) not in evaluated:
            evaluated[id(rule)] = rule
            for path in reads.static:
                if _is_figure(get(tree, path)):
                    checked.add(path)
        if not (reads.keyed or reads.general):
            continue  # every place reads the same plain paths: nothing more here
        count = len(step.combinations)
        scopes = step.items
        plain = reads.plain
        if plain is None:
            for index in places:
                scope = scopes[index // count][1]
                bindings = step.combinations[index % count]
                _read_at(tree, rule, scope, bindings, reads, items, checked, resolved)
            continue
        # the commonest: keys from the item or the report, no loop keys, nothing else
        for index in places:
            scope = scopes[index // count][1]
            if rule.scope is None:
                item: Any = tree
            else:
                item = items.get(scope, items)
                if item is items:
                    item = items[scope] = get(tree, scope)
            for from_item, keys in plain:
                obj: Any = item if from_item else tree
                for key in keys:
                    if obj.__class__ is not dict and not isinstance(obj, dict):
                        break
                    obj = obj.get(key)
                else:
                    if obj.__class__ is Figure or _is_figure(obj):
                        checked.add((*scope, *keys) if from_item else keys)
    repeats = {p for p in checked if _repeated(p)}
    alone = _relation_only(tree)
    told = {alone[printed] for p in repeats if (printed := _printed(get(tree, p))) in alone}
    checked = (checked - repeats) | _restated(tree, repeats) | told
    unplaced = tree.get(NOT_UNDERSTOOD)
    evaluated_ids = {r.id for r in evaluated.values()}
    return Coverage(
        # relations none of which a rule could check (a change with no base) leave the prose
        # not understood: their figures count only when one of them was checked
        figures=_figure_count(tree) + (len(alone) if told else 0),
        checked=len(checked),
        not_applicable=len({r.id for r in skipped.values()} - evaluated_ids),
        not_understood=len(unplaced) if isinstance(unplaced, list) else 0,
        rules_run=len(evaluated_ids),
    )


def _repeated(path: KeyPath) -> bool:
    """A figure the prose's relation lists repeat (正文数据.构成[0].合计 is a statement already
    counted): read once, counted once."""
    return len(path) > 1 and path[0] == REPEATS[0] and path[1] in REPEATS[1]


def _restated(tree: dict[str, Any], repeats: set[KeyPath]) -> set[KeyPath]:
    """The statements checked through a relation list that repeats them: EC430 checking
    正文数据.占比[0].数值 20.10万元 checked the 20.10万元 stated under 正文数据.三公经费."""
    printed = {_printed(get(tree, p)) for p in repeats} - {None}
    if not printed:
        return set()
    stated = tree.get(REPEATS[0])
    return {
        p
        for p in _figure_paths(stated, (REPEATS[0],))
        if not _repeated(p) and _printed(get(tree, p)) in printed
    }


# relation lists whose numbers are no figures of the report: a list's numbering, years, residue
_NOT_FIGURES = frozenset({"编号", "年份", "残留"})


def _relation_only(tree: dict[str, Any]) -> dict[tuple[Any, ...], KeyPath]:
    """Figures only the prose's relation lists hold (a total and its parts no report item
    names: 获得资金共1077.56万元，其中……): read once each, at the first place a list holds it.
    A figure printed the same way anywhere else in the report is counted there, not here."""
    stated = tree.get(REPEATS[0])
    if not isinstance(stated, dict):
        return {}
    lists = {k: v for k, v in stated.items() if k in REPEATS[1] and k not in _NOT_FIGURES}
    if not lists:
        return {}
    rest = {k: v for k, v in tree.items() if k not in (REPEATS[0], READINGS)}
    rest[REPEATS[0]] = {k: v for k, v in stated.items() if k not in REPEATS[1]}
    elsewhere = {_printed(get(rest, p)) for p in _figure_paths(rest, ())}
    alone: dict[tuple[Any, ...], KeyPath] = {}
    for path in sorted(_figure_paths(lists, (REPEATS[0],)), key=_order):
        printed = _printed(get(tree, path))
        if printed is not None and printed not in elsewhere:
            alone.setdefault(printed, path)
    return alone


def _order(path: KeyPath) -> tuple[tuple[int, str], ...]:
    return tuple((0, f"{s:09d}") if isinstance(s, int) else (1, str(s)) for s in path)


def _printed(value: Any) -> tuple[Any, ...] | None:
    figure = value.figure if isinstance(value, Target) else value
    if not isinstance(figure, Figure):
        return None
    return (figure.value, figure.decimals, figure.kind, figure.unit)


class _Reads:
    """The figure lookups of a rule's check and precondition, sorted by how they resolve."""

    __slots__ = ("general", "keyed", "plain", "rule", "static")

    def __init__(self, rule: Any) -> None:
        self.rule = rule  # kept so that the id the cache is keyed by stays this rule's
        self.static: list[KeyPath] = []  # plain keys from the report: the same path everywhere
        # (from the item, keys, loop variables): a step is a key, or the name of the loop
        # variable whose value is the key (the keys then come from the place's bindings)
        self.keyed: list[tuple[bool, tuple[str, ...], tuple[str | None, ...] | None]] = []
        # other lookups, each with the loop variables it reads (False: a computed key, which
        # may read anything)
        self.general: list[tuple[Lookup, tuple[str, ...] | bool | None]] = []
        for expression in (rule.check, rule.when):
            if expression is None:
                continue
            for node in expression.walk():
                if not isinstance(node, Read) or node.lookup.base not in (Base.ITEM, Base.ROOT):
                    continue
                lookup = node.lookup
                item = lookup.base is Base.ITEM
                if lookup.direct is not None and not item:
                    self.static.append(lookup.direct)
                elif all(isinstance(s, (Key, LoopKey)) for s in lookup.steps):
                    keys = tuple(s.key if isinstance(s, Key) else "" for s in lookup.steps)
                    loops = tuple(s.name if isinstance(s, LoopKey) else None for s in lookup.steps)
                    self.keyed.append((item, keys, loops if any(loops) else None))
                elif any(isinstance(s, ComputedKey) for s in lookup.steps):
                    self.general.append((lookup, False))
                else:
                    names = tuple(s.name for s in lookup.steps if isinstance(s, LoopKey))
                    self.general.append((lookup, names or None))
        # (from the item, keys) of every read when no read has a loop key or other steps
        self.plain: list[tuple[bool, tuple[str, ...]]] | None = None
        if not self.general and all(loops is None for _, _, loops in self.keyed):
            self.plain = [(item, keys) for item, keys, _ in self.keyed]


_READS: dict[int, _Reads] = {}


def _reads(rule: Any) -> _Reads:
    found = _READS.get(id(rule))
    if found is None or found.rule is not rule:
        if len(_READS) > 10_000:  # rules of many checkers: forget the old ones
            _READS.clear()
        found = _READS[id(rule)] = _Reads(rule)
    return found


def _read_at(
    tree: dict[str, Any],
    rule: Any,
    scope: KeyPath,
    bindings: dict[str, str],
    reads: _Reads,
    items: dict[KeyPath, Any],
    checked: set[KeyPath],
    resolved: dict[tuple[Any, ...], list[KeyPath]],
) -> None:
    if rule.scope is None:
        item: Any = tree
    else:
        item = items.get(scope, items)
        if item is items:
            item = items[scope] = get(tree, scope)
    for from_item, keys, loops in reads.keyed:
        if loops is not None:
            try:
                keys = tuple(
                    k if n is None else bindings[n] for k, n in zip(keys, loops, strict=True)
                )
            except KeyError:  # a loop variable this place does not bind: nothing read
                continue
        obj: Any = item if from_item else tree
        for key in keys:
            if not isinstance(obj, dict):
                break
            obj = obj.get(key)
        else:
            if _is_figure(obj):
                checked.add((*scope, *keys) if from_item else keys)
    if reads.general:
        env = None
        for lookup, names in reads.general:
            # the same lookup text from the same place reads the same figures (a loop key's
            # with the same bindings): resolved once per report, whichever rule reads it
            cached = names is not False
            known = (
                lookup.source,
                lookup.base,
                scope if lookup.base is Base.ITEM else None,
                tuple(bindings.get(n) for n in names) if isinstance(names, tuple) else None,
            )
            figures = resolved.get(known) if cached else None
            if figures is None:
                if env is None:
                    env = Env(tree, item, scope, rule.params, bindings)
                try:
                    pairs = lookup.resolve(env)
                except Exception:  # a lookup that cannot resolve here read nothing
                    continue
                figures = [path for value, path in pairs if _is_figure(value)]
                if cached:
                    resolved[known] = figures
            checked.update(figures)


def _is_figure(value: Any) -> bool:
    return isinstance(value, Figure) or (isinstance(value, Target) and value.figure is not None)


def _figure_paths(value: Any, path: KeyPath) -> Iterable[KeyPath]:
    stack: list[tuple[Any, KeyPath]] = [(value, path)]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            stack.extend((v, (*where, k)) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, (*where, i)) for i, v in enumerate(node))
        elif _is_figure(node):
            yield where


def _figure_count(tree: dict[str, Any]) -> int:
    """Figures in the report, those the prose's relation lists repeat and the reader's own
    notes (读法: how often a character was read as another) left out."""
    count = _figures_in(tree) - _figures_in(tree.get(READINGS))
    stated = tree.get(REPEATS[0])
    if isinstance(stated, dict):
        count -= sum(_figures_in(v) for k, v in stated.items() if k in REPEATS[1])
    return count


def _figures_in(value: Any) -> int:
    count = 0
    stack: list[Any] = [value]
    pop, extend = stack.pop, stack.extend
    while stack:
        node = pop()
        if isinstance(node, dict):
            extend(node.values())
        elif isinstance(node, list):
            extend(node)
        elif isinstance(node, Figure) or (isinstance(node, Target) and node.figure is not None):
            count += 1
    return count


def understanding(
    data: Any, counted: Coverage, source: Source | None, file: str, figures_unchecked: bool = False
) -> list[Finding]:
    """EC001 when nothing of the report was understood, EC003 when nothing of it was checked
    (no rule applied, or figures were read and no rule read any of them); EC002 for likely typos."""
    findings = [_near_miss(miss, source, file) for miss in near_misses(data)]
    reason = _not_understood(data, counted)
    if reason is None:
        findings += _unread_table_notes(data, source, file)
    rule = UNDERSTOOD
    if reason is None and counted.rules_run == 0:
        rule, reason = (
            CHECKED,
            (
                f"读到 {counted.figures} 个数字，但运行的规则全部因缺少数据或前提条件不成立而未适用，"
                "没有检查任何内容"
            ),
        )
    elif reason is None and figures_unchecked:
        rule, reason = (
            CHECKED,
            f"读到 {counted.figures} 个数字，但规则没有检查其中任何一个：这些数字不在规则所读的项下",
        )
    cells = _unread_cells(data)
    if reason is not None and rule is CHECKED and cells:
        more = f"（另有 {len(cells) - 1} 处）" if len(cells) > 1 else ""
        reason += f"；表格中的内容未能读取：{cells[0]}{more}"
    if reason is not None:
        findings.append(meta_finding(rule, reason, file, locate(source, _first_unread_table(data))))
    return findings


def _not_understood(data: Any, counted: Coverage) -> str | None:
    if not known_sections(data):
        keys = "、".join(_shown(k) for k in list(data)[:5]) if isinstance(data, dict) else ""
        found = f"（文件中的项：{keys}）" if keys else ""
        return (
            "没有读到报告内容：文件中没有报告格式中的任何一项，如 单位名称、预算执行、绩效指标"
            f"{found}；这可能不是一份绩效自评报告，或项名写法不同"
        )
    tables = _unread_tables(data)
    if tables and _no_table_recognised(data):
        shown = "；".join(tables[:3]) + (
            f"（另有 {len(tables) - 3} 个）" if len(tables) > 3 else ""
        )
        stated = f"，只读到正文等处的 {counted.figures} 个数字" if counted.figures else ""
        cells = _unread_cells(data)
        rows = f"；表格中的内容未能读取：{cells[0]}" if cells else ""
        return f"文件中的 {len(tables)} 个表格一个也没有识别出来{stated}：{shown}{rows}"
    if counted.figures == 0:
        cells = [] if tables else _unread_cells(data)
        if cells:  # a table was recognised, but none of its rows could be read
            more = f"（另有 {len(cells) - 1} 处）" if len(cells) > 1 else ""
            return f"没有读到任何数字：表格中的内容未能读取：{cells[0]}{more}"
        if tables:
            shown = "；".join(tables[:3]) + (
                f"（另有 {len(tables) - 3} 个）" if len(tables) > 3 else ""
            )
            return f"没有读到任何数字：共 {len(tables)} 个表格未能识别：{shown}"
        unplaced = _unplaced_statements(data)
        if unplaced:
            return (
                f"正文中读到 {unplaced} 个数字，但没有一个能对应到报告项目（没有识别出表格，"
                "正文所述也不是报告格式中的项），无法检查这份报告"
            )
        return "没有读到任何数字：无法检查这份报告（没有识别出表格，数字也不在报告格式的项下）"
    return None


def _unplaced_statements(data: Any) -> int:
    """Figures the prose reader found (正文数据.语句) though none of them is a report item."""
    stated = data.get(REPEATS[0]) if isinstance(data, dict) else None
    statements = stated.get(STATEMENTS) if isinstance(stated, dict) else None
    return len(statements) if isinstance(statements, list) else 0


def _unread_table_notes(data: Any, source: Source | None, file: str) -> list[Finding]:
    """EC004 at each table a reader saw but could not recognise, when the rest was read."""
    notes = []
    for path, reason in _unread_table_entries(data):
        message = f"{reason}：表中的数字没有被检查，请人工核对"
        notes.append(
            meta_finding(UNREAD_TABLE, message, file, locate(source, path), format_path(path))
        )
    return notes


def _unread_table_entries(data: Any) -> list[tuple[KeyPath, str]]:
    entries = data.get(NOT_UNDERSTOOD) if isinstance(data, dict) else None
    return [
        ((NOT_UNDERSTOOD, index), str(entry["原因"]))
        for index, entry in enumerate(entries if isinstance(entries, list) else [])
        if isinstance(entry, dict) and str(entry.get("原因", "")).startswith("无法识别")
    ]


def _no_table_recognised(data: Any) -> bool:
    from ..report.assemble import NO_TABLE

    entries = data.get(NOT_UNDERSTOOD) if isinstance(data, dict) else None
    return any(
        isinstance(e, dict) and str(e.get("原因", "")).startswith(NO_TABLE)
        for e in (entries if isinstance(entries, list) else [])
    )


def _unread_tables(data: Any) -> list[str]:
    """The readers' reasons for the tables they saw but could not recognise (from 未识别)."""
    return [reason for _, reason in _unread_table_entries(data)]


def _first_unread_table(data: Any) -> KeyPath:
    entries = _unread_table_entries(data)
    return entries[0][0] if entries else ()


def _shown(key: Any) -> str:
    text = str(key)
    return text if len(text) <= 20 else text[:20] + "…"


def _near_miss(miss: NearMiss, source: Source | None, file: str) -> Finding:
    where = format_path(miss.path[:-1])
    place = f"「{where}」下的" if where else ""
    message = (
        f"{place}「{miss.key}」不是报告格式中的项，而「{miss.meant}」缺失："
        f"是否想写「{miss.meant}」？（写错的项不会被检查）"
    )
    at = locate(source, miss.path, key=True)
    return meta_finding(NEAR_MISS, message, file, at, format_path(miss.path))


def _unread_cells(data: Any) -> list[str]:
    """The 未识别 entries of rows and cells (not of whole tables), as “content（reason）”."""
    entries = data.get(NOT_UNDERSTOOD) if isinstance(data, dict) else None
    return [
        f"“{entry.get('内容', '')}”（{entry['原因']}）"
        for entry in (entries if isinstance(entries, list) else [])
        if isinstance(entry, dict)
        and "原因" in entry
        and not str(entry["原因"]).startswith(("无法识别", "没有识别出任何表格"))
    ]
