"""JSON reports: parsed by the C ``json`` module, positions from a lazy regex scan.

Every number becomes a :class:`~decimal.Decimal` built from the digits as written (never a
float, never an int), so ``586.880`` keeps its three decimals for the rounding rules later.
Everything else is plain: ``dict`` (insertion-ordered), ``list``, ``str``, ``bool``, ``None``.
A lone UTF-16 surrogate written as an escape (``"\\ud800"``) cannot be encoded back to UTF-8
and would crash whatever prints it; it is replaced by U+FFFD rather than refused.  Duplicate
keys, NaN and non-object top levels are errors.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

from .jsonpos import replace_surrogates, scan
from .source import (
    MAX_DEPTH,
    MAX_FILE_VALUES,
    KeyPath,
    LoadError,
    NotAReport,
    Position,
    PositionIndex,
    Source,
    top_level_problem,
)

__all__ = ["JsonIndex", "load_json", "require_reports"]


class JsonIndex(PositionIndex):
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

    def length(self, path: KeyPath, key: bool) -> int | None:
        starts, ends = (
            (self.scan.keys, self.scan.key_ends) if key else (self.scan.values, self.scan.ends)
        )
        start, end = starts.get(path), ends.get(path)
        return None if start is None or end is None else end - start


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


def load_json(source: Source, report: bool = True) -> Any:
    """The JSON text as plain data; ``report``: also refuse evalcheck's own outputs and a top
    level that is not an object (False for the baseline, which is such an output)."""
    text, name = source.text, source.name
    if text.count(",") + text.count("[") + text.count("{") >= MAX_FILE_VALUES:
        beyond = _value_beyond(text, MAX_FILE_VALUES)
        if beyond is not None:
            _fail_at(source, beyond, f"文件中的值过多（超过 {MAX_FILE_VALUES} 个）")
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
    if not report:
        return data
    written = evalcheck_output(data, name)
    if written is not None:
        raise NotAReport(name, 1, 1, f"这是 evalcheck 写出的{written}，不是报告：已跳过")
    require_reports(source, data, len(text) - len(text.lstrip(" \t\n")))
    return data


_VALUE_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[{]|-?[0-9][0-9.eE+-]*|[A-Za-z]+')


def _value_beyond(text: str, limit: int) -> int | None:
    """Offset of the value (or key) after the first ``limit`` ones, if there is one."""
    for count, match in enumerate(_VALUE_TOKEN.finditer(text)):
        if count == limit:
            return match.start()
    return None


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


GITLAB_REPORT = "gl-code-quality-report.json"  # the name GitLab's code-quality job reads


def evalcheck_output(data: Any, name: str = "") -> str | None:
    """Which of evalcheck's own outputs ``data`` is (by the shape it is written in), if any."""
    if isinstance(data, dict):
        tool = data.get("tool")
        if tool == "evalcheck" and isinstance(data.get("findings"), list):
            return "基线文件"
        if isinstance(tool, dict) and tool.get("name") == "evalcheck" and "files" in data:
            return "检查结果（--format json）"
        runs = data.get("runs")
        if isinstance(runs, list) and runs and isinstance(runs[0], dict):
            driver = (
                runs[0].get("tool", {}).get("driver", {})
                if isinstance(runs[0].get("tool"), dict)
                else {}
            )
            if isinstance(driver, dict) and driver.get("name") == "evalcheck":
                return "SARIF 检查结果"
        return None
    if not isinstance(data, list):
        return None
    if data == [] and name.replace("\\", "/").rsplit("/", 1)[-1] == GITLAB_REPORT:
        return "GitLab 代码质量报告"
    if data and all(isinstance(i, dict) and "check_name" in i and "fingerprint" in i for i in data):
        return "GitLab 代码质量报告"
    return None


def require_reports(source: Source, data: Any, offset: int) -> None:
    """A report object, or a list of report objects; anything else is refused where it is."""
    problem = top_level_problem(data)
    if problem is None:
        return
    path, message = problem
    position = source.position(path) if path else None
    if position is None:
        _fail_at(source, offset, message)
    line, column = position
    raise LoadError(source.name, line, column, message)
