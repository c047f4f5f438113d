"""Step 1 of the pipeline: read a report file into plain Python data, and remember where things are.

Reports arrive as JSON or YAML, saved by whatever tool the finance office had at hand, so the
bytes are decoded leniently but never by guessing silently wrong: UTF-8 (with or without BOM),
UTF-16/UTF-32 with a BOM, UTF-16 without BOM told apart by its NUL bytes (as RFC 4627 did), and
GB18030 (a superset of GBK, what Chinese Windows tools save) when the bytes are not UTF-8.
Line endings become ``\\n`` before parsing, so lines and columns are right for CRLF files;
:attr:`Source.text` holds that normalised text.

Every number becomes a :class:`~decimal.Decimal` built from the digits as written (never a
float, never an int), so ``586.880`` keeps its three decimals for the rounding rules later.
Everything else is plain: ``dict`` (insertion-ordered), ``list``, ``str``, ``bool``, ``None``.
YAML mapping keys are always the key's text as written (``2023: …`` gives the key ``"2023"``).

A lone UTF-16 surrogate written as a JSON escape (``"\\ud800"``) cannot be encoded back to UTF-8
and would crash whatever prints it; it is replaced by U+FFFD rather than refused.  (libyaml refuses
such escapes in YAML itself; the pure-Python parser's result is replaced the same way.)

Anything wrong with the file is a :class:`LoadError` carrying ``file:line:column`` and a message
in Chinese.  Positions of values are computed only when first asked for: a clean report never
pays for them.  The limits below keep hostile files (deep nesting, billion laughs, huge files)
from costing more than a fraction of a second.
"""

from __future__ import annotations

import bisect
import json
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

from .jsonpos import KeyPath, replace_surrogates, scan

__all__ = [
    "MAX_ALIAS_NODES",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "Document",
    "KeyPath",
    "LoadError",
    "Source",
    "format_path",
    "kind_name",
    "load_bytes",
    "load_path",
]

# A report is a few hundred kilobytes; 64 MiB leaves room for attachments pasted in as text.
MAX_FILE_BYTES = 64 * 1024 * 1024
# A report nests maybe six levels; 200 is generous and far below Python's recursion limit.
MAX_DEPTH = 200
# Values YAML aliases may add by repetition; a billion-laughs file needs far more.
MAX_ALIAS_NODES = 100_000
# Non-decimal YAML integers (0x…, 0o…, 0b…) longer than this are refused: converting them is slow.
MAX_RADIX_DIGITS = 1000


class LoadError(Exception):
    """The file cannot be read as a report; ``str(err)`` is ``file:line:column: message``."""

    def __init__(self, file: str, line: int, column: int, message: str) -> None:
        super().__init__(file, line, column, message)
        self.file = file
        self.line = max(line, 1)
        self.column = max(column, 1)
        self.message = " ".join(message.split())

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


Position = tuple[int, int]


@dataclass(frozen=True)
class Source:
    """The decoded text of a report file, and the way back from key paths to lines and columns."""

    name: str
    text: str
    format: str
    encoding: str = "utf-8"
    _index: _PositionIndex | None = field(default=None, compare=False, repr=False)
    _cache: dict[str, Any] = field(default_factory=dict, init=False, compare=False, repr=False)

    def position(self, path: KeyPath) -> Position | None:
        """1-based (line, column) of the value at ``path``; None if there is no such value.

        Columns count characters.  Computed on first call and cached.
        """
        found = self._positions().lookup(path)
        return None if found is None else found[1]

    def key_position(self, path: KeyPath) -> Position | None:
        """Position of the key of the last element of ``path`` (or of the value, for list items)."""
        found = self._positions().lookup(path)
        if found is None:
            return None
        return found[1] if found[0] is None else found[0]

    def line_text(self, line: int) -> str:
        """The source line ``line`` (1-based) without its line ending; "" when out of range."""
        starts = self._line_starts()
        if not 1 <= line <= len(starts):
            return ""
        end = starts[line] - 1 if line < len(starts) else len(self.text)
        return self.text[starts[line - 1] : end]

    def offset_position(self, offset: int) -> Position:
        """1-based (line, column) of a character offset into :attr:`text`."""
        starts = self._line_starts()
        line = bisect.bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    def _line_starts(self) -> list[int]:
        starts: list[int] | None = self._cache.get("line_starts")
        if starts is None:
            starts = [0, *(m.end() for m in re.finditer("\n", self.text))]
            self._cache["line_starts"] = starts
        return starts

    def _positions(self) -> _PositionIndex:
        if self._index is not None:
            return self._index
        index: _PositionIndex | None = self._cache.get("index")
        if index is None:
            index = _json_index(self) if self.format == "json" else _yaml_index(self)
            self._cache["index"] = index
        return index


@dataclass(frozen=True)
class Document:
    """A loaded report: plain data plus the source it came from."""

    source: Source
    data: Any


class _PositionIndex:
    """Key path → (key position or None, value position); ``redirects`` maps a path that YAML
    aliases or merge keys copied to the path where the copied values are written."""

    def __init__(self) -> None:
        self.table: dict[KeyPath, tuple[Position | None, Position]] = {}
        self.redirects: dict[KeyPath, KeyPath] = {}

    def lookup(self, path: KeyPath) -> tuple[Position | None, Position] | None:
        path = tuple(path)
        for _ in range(MAX_DEPTH):
            found = self.table.get(path)
            if found is not None:
                return found
            for cut in range(len(path), 0, -1):
                target = self.redirects.get(path[:cut])
                if target is not None:
                    path = target + path[cut:]
                    break
            else:
                return None
        return None


class _JsonIndex(_PositionIndex):
    """Offsets from one scan of the text, turned into lines and columns only when looked up."""

    def __init__(self, source: Source) -> None:
        super().__init__()
        self.source = source
        self.scan = scan(source.text, MAX_DEPTH)

    def lookup(self, path: KeyPath) -> tuple[Position | None, Position] | None:
        path = tuple(path)
        offset = self.scan.values.get(path)
        if offset is None:
            return None
        key = self.scan.keys.get(path)
        key_position = None if key is None else self.source.offset_position(key)
        return key_position, self.source.offset_position(offset)


def _json_index(source: Source) -> _PositionIndex:
    return _JsonIndex(source)


def _yaml_index(source: Source) -> _PositionIndex:
    from .yamlload import YamlComposer  # PyYAML loads only for YAML files

    try:
        return YamlComposer(source).run()[1]
    except LoadError:
        return _PositionIndex()


# --------------------------------------------------------------------------- reading and decoding


def load_path(path: str | os.PathLike[str]) -> Document:
    """Read a report file; the format comes from the suffix, else from the first character."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as stream:
            if os.fstat(stream.fileno()).st_size > MAX_FILE_BYTES:
                raise _too_large(name)
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise LoadError(name, 1, 1, f"无法读取文件：{_os_reason(exc)}") from None
    suffix = os.path.splitext(name)[1].lower()
    fmt = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}.get(suffix, "auto")
    return load_bytes(data, name, fmt)


def load_bytes(data: bytes, name: str, format: str) -> Document:
    """Decode and parse ``data``; ``format`` is "json", "yaml", or "auto" (``{``/``[`` → JSON)."""
    if format not in ("json", "yaml", "auto"):
        raise ValueError(f"unknown format {format!r}")
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(name)
    raw, encoding = _decode(data, name)
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    if format == "auto":
        format = "json" if text.lstrip()[:1] in ("{", "[") else "yaml"
    source = Source(name=name, text=text, format=format, encoding=encoding)
    if not text.strip():
        raise LoadError(name, 1, 1, "文件为空")
    if format == "json":
        return Document(source, _load_json(source))
    from .yamlload import YamlComposer  # PyYAML loads only for YAML files

    data_, index = YamlComposer(source).run()
    return Document(Source(name, text, format, encoding, _index=index), data_)


def _too_large(name: str) -> LoadError:
    return LoadError(name, 1, 1, f"文件过大（超过 {MAX_FILE_BYTES // (1024 * 1024)} MiB）")


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "文件不存在"
    if isinstance(exc, IsADirectoryError):
        return "这是一个目录，不是文件"
    if isinstance(exc, PermissionError):
        return "没有读取权限"
    return exc.strerror or type(exc).__name__


_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le", "utf-16"),
    (b"\xfe\xff", "utf-16-be", "utf-16"),
)
_UNKNOWN_ENCODING = "无法识别文件编码（不是 UTF-8、UTF-16 或 GB18030）"


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """Text and the name of the codec that reads the original bytes back."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom) :], codec, name), label
    sniffed = _sniff_nul_pattern(data)
    if sniffed is not None:
        return _strict(data, sniffed, name), sniffed
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if _mostly_utf8(data):
        _raise_undecodable(data, "utf-8", utf8_error, name, "文件不是有效的 UTF-8 编码")
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        _raise_undecodable(data, "utf-8", utf8_error, name, _UNKNOWN_ENCODING)


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few damaged bytes, not GBK: more well-formed multi-byte characters than
    stray bytes.  GB18030 would read such a file without complaint, as plausible but wrong
    Chinese (``单位名称`` → ``鍗曚綅鍚嶇О``), losing every key the checker knows."""
    kept = data.decode("utf-8", errors="ignore")
    stray = len(data.decode("utf-8", errors="replace")) - len(kept)
    wide = len(kept) - len(kept.encode("ascii", errors="ignore"))
    return wide > stray


def _sniff_nul_pattern(data: bytes) -> str | None:
    """UTF-16/32 without BOM: a JSON text starts with two ASCII characters (RFC 4627, section 3)."""
    head = data[:4]
    if len(head) == 4:
        nul = (head[0] == 0, head[1] == 0, head[2] == 0, head[3] == 0)
        patterns = {
            (True, True, True, False): "utf-32-be",
            (False, True, True, True): "utf-32-le",
            (True, False, True, False): "utf-16-be",
            (False, True, False, True): "utf-16-le",
        }
        return patterns.get(nul)
    if len(head) >= 2 and (head[0] == 0) != (head[1] == 0):
        return "utf-16-be" if head[0] == 0 else "utf-16-le"
    return None


def _strict(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        message = f"文件不是有效的 {codec.upper()} 编码"
        _raise_undecodable(data, codec, exc, name, message)


def _raise_undecodable(
    data: bytes, codec: str, exc: UnicodeDecodeError, name: str, message: str
) -> NoReturn:
    before = data[: exc.start].decode(codec, errors="replace")
    before = before.replace("\r\n", "\n").replace("\r", "\n")
    line = before.count("\n") + 1
    column = len(before) - before.rfind("\n")
    bad = data[exc.start : exc.start + 1].hex().upper()
    raise LoadError(name, line, column, f"{message}：无法解码的字节 0x{bad}") from None


# --------------------------------------------------------------------------- JSON


class _DuplicateKey(Exception):
    pass


class _Constant(Exception):
    pass


def _unique_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateKey
    return result


def _refuse_constant(name: str) -> NoReturn:
    raise _Constant(name)


class _BadNumber(Exception):
    pass


def _number(text: str) -> Decimal:
    """Decimal refuses exponents beyond its own range (about 10^10^18); those are not figures."""
    try:
        return Decimal(text)
    except InvalidOperation:
        raise _BadNumber(text) from None


_JSON_MESSAGES = (
    ("Expecting value", "此处应为一个值"),
    ("Expecting ',' delimiter", "缺少逗号"),
    ("Expecting ':' delimiter", "缺少冒号"),
    (
        "Expecting property name enclosed in double quotes",
        "键名应以双引号括起（JSON 不允许末尾逗号）",
    ),
    ("Unterminated string", "字符串没有结束"),
    ("Invalid control character", "字符串中有未转义的控制字符"),
    ("Invalid \\uXXXX escape", "\\u 后应为 4 位十六进制数字"),
    ("Invalid \\escape", '无效的转义符（反斜杠后只能是 " \\ / b f n r t u）'),
    ("Extra data", "JSON 结束后还有多余内容"),
    ("Unexpected UTF-8 BOM", "文件开头有多余的 BOM"),
    ("Illegal trailing comma", "末尾不能有逗号"),
)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")


def _load_json(source: Source) -> Any:
    text, name = source.text, source.name
    try:
        data = json.loads(
            text,
            parse_float=_number,
            parse_int=_number,
            parse_constant=_refuse_constant,
            object_pairs_hook=_unique_object,
        )
    except json.JSONDecodeError as exc:
        raise LoadError(name, exc.lineno, exc.colno, _translate_json(exc.msg)) from None
    except _DuplicateKey:
        key, offset = scan(text, MAX_DEPTH).first_duplicate or ("?", 0)
        _fail_at(source, offset, f"重复的键「{key}」")
    except _Constant as exc:
        constant, offset = scan(text, MAX_DEPTH).first_literal or (str(exc), 0)
        _fail_at(source, offset, f"JSON 不允许 {constant}：请填写具体数字或留空")
    except _BadNumber as exc:
        literal = frozenset({str(exc)})
        offset = (scan(text, MAX_DEPTH, literal).first_literal or ("", 0))[1]
        _fail_at(source, offset, "数值超出可处理范围")
    except (RecursionError, MemoryError):
        _fail_too_deep(source)
    if text.count("[") + text.count("{") > MAX_DEPTH and _too_deep(data):
        _fail_too_deep(source)
    if _SURROGATE_ESCAPE.search(text):
        data = _without_surrogates(data)
    _require_object(source, data, len(text) - len(text.lstrip(" \t\n")))
    return data


def _translate_json(message: str) -> str:
    for english, chinese in _JSON_MESSAGES:
        if message.startswith(english):
            return chinese
    return f"JSON 格式错误：{message}"


def _fail_at(source: Source, offset: int, message: str) -> NoReturn:
    line, column = source.offset_position(offset)
    raise LoadError(source.name, line, column, message) from None


def _fail_too_deep(source: Source) -> NoReturn:
    offset = scan(source.text, MAX_DEPTH).too_deep_at or 0
    _fail_at(source, offset, f"嵌套层数过深（超过 {MAX_DEPTH} 层）")


def _too_deep(data: Any) -> bool:
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        children = (
            node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        )
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _without_surrogates(data: Any) -> Any:
    """Depth is already bounded by MAX_DEPTH, so recursion is safe here."""
    if isinstance(data, str):
        return replace_surrogates(data)
    if isinstance(data, list):
        return [_without_surrogates(item) for item in data]
    if isinstance(data, dict):
        return {replace_surrogates(k): _without_surrogates(v) for k, v in data.items()}
    return data


_KIND_NAMES = (
    (dict, "对象"),
    (list, "数组"),
    (str, "文字"),
    (bool, "布尔值"),
    (Decimal, "数值"),
    (int, "数值"),
    (float, "数值"),
    (type(None), "null"),
)


def format_path(path: KeyPath) -> str:
    """``("绩效指标", 0, "指标", 3, "得分")`` → ``绩效指标[0].指标[3].得分``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def kind_name(value: object) -> str:
    """What a loaded value is, in the words of the error messages (数组, 文字, 数值 …)."""
    return next((word for cls, word in _KIND_NAMES if isinstance(value, cls)), type(value).__name__)


def _require_object(source: Source, data: Any, offset: int) -> None:
    if isinstance(data, dict):
        return
    _fail_at(source, offset, f"报告的顶层必须是一个对象（{{…}}），实际为{kind_name(data)}")
