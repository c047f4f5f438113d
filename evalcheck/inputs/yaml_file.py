"""The YAML half of step 1, imported only when a YAML file is read (PyYAML is slow to import)."""

from __future__ import annotations

from decimal import Context, Decimal, DecimalException, Overflow
from typing import Any, NoReturn

import yaml

from .jsonpos import replace_surrogates
from .records import dataclass
from .source import (
    MAX_ALIAS_BYTES,
    MAX_ALIAS_NODES,
    MAX_DEPTH,
    MAX_FILE_VALUES,
    MAX_RADIX_DIGITS,
    KeyPath,
    LoadError,
    Position,
    PositionIndex,
    Source,
    top_level_problem,
)

try:
    from yaml import CSafeLoader as _SafeBase
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeBase  # type: ignore[assignment]

__all__ = ["YamlComposer"]


# --------------------------------------------------------------------------- YAML

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(
    _TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp", "value")
)
_COLLECTION_TAGS = frozenset({_TAG + "seq", _TAG + "map"})
_MERGE = _TAG + "merge"
_TRUE = frozenset({"yes", "true", "on", "y"})
_FALSE = frozenset({"no", "false", "off", "n"})
_YAML_MESSAGES = {
    "mapping values are not allowed here": "此处不能出现「键: 值」（缩进或冒号有误？）",
    "mapping values are not allowed in this context": "此处不能出现「键: 值」（缩进或冒号有误？）",
    "found character '\\t' that cannot start any token": "不能用制表符（Tab）缩进",
    "could not find expected ':'": "缺少冒号",
    "found character that cannot start any token": "此处的字符不能开始一个值（是否用了 Tab 缩进？）",
    "found undefined alias": "别名没有对应的锚点",
}


class _ReportLoader(_SafeBase):
    """Only its parser and tag resolver are used; nothing is constructed by PyYAML."""


class _PurePythonLoader(yaml.SafeLoader):
    """The pure-Python parser: streams events with no nesting limit of its own, so evalcheck's
    depth bound applies at the same place whatever limit the bundled libyaml has."""


_Parser = _ReportLoader | _PurePythonLoader

# libyaml 0.2.6 (in the PyYAML 6.0.4 wheels) stops at 1,000 levels while *scanning*, before the
# events reach evalcheck's own bound: such a document is re-read by the pure-Python parser.
_LIBYAML_DEPTH_PROBLEM = "exceeded maximum nesting depth"


class _LibyamlTooDeep(Exception):
    """libyaml refused the nesting before evalcheck saw it (see :data:`_LIBYAML_DEPTH_PROBLEM`)."""


@dataclass
class _Anchor:
    value: Any
    count: int
    height: int
    path: KeyPath
    size: int  # bytes of the value written out (UTF-8 text of its scalars and keys)


class _Collection:
    """A YAML mapping or sequence being built; ``key`` is the pending mapping key."""

    __slots__ = (
        "anchor",
        "count",
        "height",
        "items",
        "key",
        "key_position",
        "merges",
        "path",
        "position",
        "size",
    )

    def __init__(self, path: KeyPath, position: Position, anchor: str | None, mapping: bool):
        self.path = path
        self.position = position
        self.anchor = anchor
        self.items: dict[str, Any] | list[Any] = {} if mapping else []
        self.count = 1
        self.height = 1
        self.size = 2
        self.key: str | None = None
        self.key_position: Position | None = None
        self.merges: list[tuple[dict[str, Any], KeyPath]] = []


class YamlComposer:
    """Turns PyYAML parser events into plain data, iteratively.

    ``yaml.compose`` is not used: libyaml's composer recurses in C and crashes the interpreter on
    a few thousand nested ``[``.  Here the stack is a list, depth and alias expansion are bounded,
    and each value's mark is recorded as it goes by (cheap: the marks are already there).
    """

    def __init__(self, source: Source) -> None:
        self.source = source
        self.index = PositionIndex()
        self.anchors: dict[str, _Anchor] = {}
        self.stack: list[_Collection] = []
        self.expanded = 0
        self.expanded_bytes = 0
        self.values = 0
        self._pending_key_length = 1
        self.root: tuple[Any, Position, bool] | None = None

    def run(self) -> tuple[Any, PositionIndex]:
        try:
            return self._run(_ReportLoader)
        except _LibyamlTooDeep:
            return YamlComposer(self.source)._run(_PurePythonLoader)

    def _run(self, loader_class: type[_Parser]) -> tuple[Any, PositionIndex]:
        loader = loader_class(self.source.text)
        try:
            self._document(loader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = exc.problem or exc.context or ""
            if problem == _LIBYAML_DEPTH_PROBLEM:
                if loader_class is not _PurePythonLoader:
                    raise _LibyamlTooDeep from None
                problem = f"嵌套层数过深（超过 {MAX_DEPTH} 层）"
            line, column = (1, 1) if mark is None else (mark.line + 1, mark.column + 1)
            self._fail((line, column), "YAML 格式错误：" + _YAML_MESSAGES.get(problem, problem))
        except yaml.reader.ReaderError as exc:
            position = self.source.offset_position(min(exc.position, len(self.source.text)))
            self._fail(position, f"YAML 格式错误：不允许的字符 U+{exc.character:04X}")
        except yaml.YAMLError as exc:
            self._fail((1, 1), f"YAML 格式错误：{exc}")
        finally:
            loader.dispose()
        assert self.root is not None
        data, position, empty = self.root
        if empty:
            self._fail((1, 1), "文件为空")
        refused = top_level_problem(data)
        if refused is not None:
            path, message = refused
            found = self.index.lookup(path) if path else None
            self._fail(position if found is None else found[1], message)
        return data, self.index

    def _document(self, loader: _Parser) -> None:
        loader.get_event()  # StreamStart
        event = loader.get_event()
        if isinstance(event, yaml.StreamEndEvent):
            self._fail((1, 1), "文件为空")
        while (event := loader.get_event()) is not None and not isinstance(
            event, yaml.DocumentEndEvent
        ):
            self._event(loader, event)
        event = loader.get_event()
        if event is not None and not isinstance(event, yaml.StreamEndEvent):
            self._fail(_mark(event), "YAML 文件只能包含一个文档（发现第二个 ---）")

    def _event(self, loader: _Parser, event: yaml.Event) -> None:
        if isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            self._end()
            return
        self.values += 1  # a value or a key
        if self.values > MAX_FILE_VALUES:
            self._fail(_mark(event), f"文件中的值过多（超过 {MAX_FILE_VALUES} 个）")
        if isinstance(event, yaml.ScalarEvent):
            self._scalar(loader, event)
        elif isinstance(event, yaml.AliasEvent):
            self._alias(event)
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            self._start(event)

    def _awaits_key(self) -> bool:
        top = self.stack[-1] if self.stack else None
        return top is not None and isinstance(top.items, dict) and top.key is None

    def _scalar(self, loader: _Parser, event: yaml.ScalarEvent) -> None:
        tag = event.tag
        if tag is None or tag == "!":
            resolve = loader.resolve  # untyped in the stubs
            tag = resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
        position = _mark(event)
        if self._awaits_key():
            self._key(event.value, tag, position)
            self._pending_key_length = _length(event)
            top = self.stack[-1]  # a block mapping starts at its first key: that is what it marks
            if not top.items:
                self.index.lengths.setdefault((top.path, False), self._pending_key_length)
            return
        if tag not in _SCALAR_TAGS:
            self._fail(position, f"不允许的 YAML 标签「{_short_tag(tag)}」")
        value = self._convert(event.value, tag, position)
        path = self._child_path(position)
        size = _size(event.value)
        self.index.lengths.setdefault((path, False), _length(event))
        if event.anchor is not None:
            self.anchors[event.anchor] = _Anchor(value, 1, 0, path, size)
        if not self.stack:
            empty = value is None and event.value == "" and event.implicit[0]
            self.root = (value, position, empty)
            return
        self._add(value, 1, 0, path, size)

    def _key(self, text: str, tag: str, position: Position) -> None:
        top = self.stack[-1]
        if tag != _MERGE and tag not in _SCALAR_TAGS:
            self._fail(position, f"不允许的 YAML 标签「{_short_tag(tag)}」")
        key = replace_surrogates(text)
        assert isinstance(top.items, dict)
        if tag != _MERGE and key in top.items:
            self._fail(position, f"重复的键「{key}」")
        top.key = _MERGE if tag == _MERGE else key
        top.key_position = position
        top.size += _size(text)

    def _alias(self, event: yaml.AliasEvent) -> None:
        position = _mark(event)
        if self._awaits_key():
            self._fail(position, "YAML 的键必须是普通文字，不能是别名")
        anchor = self.anchors.get(event.anchor or "")
        if anchor is None:
            self._fail(position, f"别名「*{event.anchor}」没有对应的锚点（或引用了自身）")
        self.expanded += anchor.count
        if self.expanded > MAX_ALIAS_NODES:
            self._fail(position, "YAML 别名展开过多（疑似 billion laughs）")
        self.expanded_bytes += anchor.size
        if self.expanded_bytes > MAX_ALIAS_BYTES:
            limit = MAX_ALIAS_BYTES // (1024 * 1024)
            self._fail(
                position, f"YAML 别名展开过大（展开后超过 {limit} MiB，疑似 billion laughs）"
            )
        if len(self.stack) + anchor.height > MAX_DEPTH:
            self._fail(position, f"嵌套层数过深（超过 {MAX_DEPTH} 层）")
        path = self._child_path(position)
        self.index.redirects[path] = anchor.path
        if not self.stack:
            self.root = (anchor.value, position, False)
            return
        self._add(anchor.value, anchor.count, anchor.height, path, anchor.size)

    def _start(self, event: yaml.MappingStartEvent | yaml.SequenceStartEvent) -> None:
        position = _mark(event)
        if self._awaits_key():
            self._fail(position, "YAML 的键必须是普通文字，不能是映射或列表")
        if event.tag not in (None, "!") and event.tag not in _COLLECTION_TAGS:
            self._fail(position, f"不允许的 YAML 标签「{_short_tag(event.tag or '')}」")
        if len(self.stack) >= MAX_DEPTH:
            self._fail(position, f"嵌套层数过深（超过 {MAX_DEPTH} 层）")
        path = self._child_path(position)
        mapping = isinstance(event, yaml.MappingStartEvent)
        self.stack.append(_Collection(path, position, event.anchor, mapping))

    def _end(self) -> None:
        done = self.stack.pop()
        value = done.items
        if isinstance(value, dict) and done.merges:
            value = self._merged(done, value)
        if done.anchor is not None:
            self.anchors[done.anchor] = _Anchor(
                value, done.count, done.height, done.path, done.size
            )
        if not self.stack:
            self.root = (value, done.position, False)
            return
        self._add(value, done.count, done.height, done.path, done.size)

    def _merged(self, done: _Collection, explicit: dict[str, Any]) -> dict[str, Any]:
        """Merge keys: explicit keys win, then earlier merged mappings win over later ones."""
        result: dict[str, Any] = {}
        for mapping, origin in done.merges:
            for key, item in mapping.items():
                if key not in explicit and key not in result:
                    result[key] = item
                    self.index.redirects[(*done.path, key)] = (*origin, key)
        result.update(explicit)
        return result

    def _child_path(self, position: Position) -> KeyPath:
        """Path of the value about to be added to the innermost collection; records its mark."""
        if not self.stack:
            path: KeyPath = ()
            self.index.table[path] = (None, position)
            return path
        top = self.stack[-1]
        if isinstance(top.items, dict):
            assert top.key is not None
            path = (*top.path, top.key)
            self.index.table.setdefault(path, (top.key_position, position))
            self.index.lengths.setdefault((path, True), self._pending_key_length)
        else:
            path = (*top.path, len(top.items))
            self.index.table[path] = (None, position)
        return path

    def _add(self, value: Any, count: int, height: int, path: KeyPath, size: int) -> None:
        top = self.stack[-1]
        top.count += count
        top.size += size
        top.height = max(top.height, height + 1)
        if isinstance(top.items, list):
            top.items.append(value)
            return
        key, top.key = top.key, None
        if key != _MERGE:
            assert key is not None
            top.items[key] = value
            return
        sources = value if isinstance(value, list) else [value]
        if not all(isinstance(item, dict) for item in sources):
            self._fail(top.key_position or top.position, "合并键「<<」的值必须是映射或映射的列表")
        if isinstance(value, list):
            top.merges.extend((item, (*path, i)) for i, item in enumerate(value))
        else:
            top.merges.append((value, path))

    def _convert(self, text: str, tag: str, position: Position) -> Any:
        name = tag[len(_TAG) :]
        if name == "null":
            return None
        if name == "bool":
            lowered = text.lower()
            if lowered in _TRUE | _FALSE:
                return lowered in _TRUE
            self._fail(position, f"无法把「{_shown(text)}」读作布尔值")
        if name in ("int", "float"):
            return self._number(text, name == "int", position)
        return replace_surrogates(text)

    def _number(self, text: str, integer: bool, position: Position) -> Decimal:
        value = _yaml_number(text.replace("_", "").strip(), integer)
        if value is None:
            self._fail(position, f"无法把「{_shown(text)}」读作数值")
        if not value.is_finite():
            self._fail(position, f"不允许 {_shown(text)}：请填写具体数字或留空")
        return value

    def _fail(self, position: Position, message: str) -> NoReturn:
        raise LoadError(self.source.name, position[0], position[1], message) from None


def _mark(event: yaml.Event) -> Position:
    mark = event.start_mark
    return (1, 1) if mark is None else (mark.line + 1, mark.column + 1)


def _size(text: str) -> int:
    """Bytes a scalar takes written out (UTF-8), plus one for its separator."""
    return (len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))) + 1


def _shown(text: str) -> str:
    """A value quoted in a message, cut to a readable length."""
    return text if len(text) <= 40 else text[:40] + "…"


def _length(event: yaml.Event) -> int:
    """Characters a scalar takes on its first line as written (quotes included)."""
    start, end = event.start_mark, event.end_mark
    if start is None or end is None:
        return 1
    if end.line != start.line:
        return max(
            len(event.value.split("\n", 1)[0]) if isinstance(event, yaml.ScalarEvent) else 1, 1
        )
    return max(end.column - start.column, 1)


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


_RADIX = {"0b": 2, "0o": 8, "0x": 16}
# Base-60 numbers (``1:30``) are computed exactly; longer ones are not numbers anyone writes,
# and ``1`` followed by ``:00`` many times (or ``1e999999:0``) would overflow Decimal.
MAX_SEXAGESIMAL = 100
_SEXAGESIMAL = Context(prec=2 * MAX_SEXAGESIMAL, traps=[Overflow])


def _yaml_number(text: str, integer: bool) -> Decimal | None:
    """A YAML 1.1 int or float (``1_000``, ``+5``, ``.5``, ``0x1F``, ``017``, ``1:30``) as Decimal.

    ``.inf`` and ``.nan`` come back as non-finite Decimals for the caller to refuse.
    """
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("+-").lower()
    try:
        if body in (".inf", ".nan"):
            return Decimal("NaN") if body == ".nan" else Decimal(sign) * Decimal("Infinity")
        if ":" in body:
            if len(body) > MAX_SEXAGESIMAL:
                return None
            total = Decimal(0)
            for part in body.split(":"):
                total = _SEXAGESIMAL.add(_SEXAGESIMAL.multiply(total, 60), Decimal(part))
            return sign * total
        radix = _RADIX.get(body[:2], 8 if len(body) > 1 and body.startswith("0") else 10)
        if radix == 10 or not integer:
            return Decimal(text.lstrip("+")) if body and body[:2] not in _RADIX else None
        if len(body) > MAX_RADIX_DIGITS:
            return None
        return Decimal(sign * int(body[2:] if radix != 8 or body[:2] == "0o" else body, radix))
    except (DecimalException, ValueError):
        return None
