"""The rule expression language: a small whitelist of Python's expression syntax, compiled.

Rules are written like ``基本支出.决算 == 基本支出.人员经费 + 基本支出.公用经费``.  The text is
parsed with :mod:`ast` (a parser, never ``eval``), every node is checked against a whitelist,
every name is resolved against the report shape at load time (:mod:`.types`), and the tree
becomes typed nodes (:mod:`.nodes`) that evaluate and explain themselves.

What is refused: attribute names starting with ``_``, any call but the helpers in
:mod:`.helpers`, powers, shifts, ``%``, lambdas, comprehensions, f-strings, starred or keyword
arguments, keys the model does not know, and texts past the size limits below.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from ..inputs.records import dataclass
from ..report.normalise import MAX_EXPONENT
from .compare import Comparison
from .helpers import HELPERS, Helper
from .lookup import Base, ComputedKey, Every, Index, Key, Lookup, LoopKey, Step, in_range
from .nodes import (
    Arithmetic,
    Call,
    Conditional,
    Constant,
    Expr,
    Logic,
    LoopVariable,
    Not,
    Quotient,
    Read,
    Sign,
)
from .operators import ADD, DIV, MUL, RELATIONS, SUB
from .types import (
    FIGURE,
    DictT,
    LeafT,
    ListT,
    ModelT,
    ParamT,
    ValueKind,
    kind_of,
    report_type,
    static_type,
)
from .values import constant

__all__ = [
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_NODES",
    "PARAMS_NAME",
    "ExprError",
    "Scope",
    "compile_expression",
    "compile_lookup",
    "parse",
]

MAX_LENGTH = 1000
MAX_NODES = 250
MAX_DEPTH = 24
MAX_STRING = 200
MAX_NUMBER_DIGITS = 30
PARAMS_NAME = "参数"


class ExprError(ValueError):
    """An expression refused at load time; ``offset`` is the character where it goes wrong."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass(slots=True)
class Scope:
    """What names mean in one rule: the scope item's model, parameters, loop variables."""

    item: Any | None
    params: dict[str, Any]
    bindings: dict[str, list[str]]
    tolerance: Decimal | None = None  # a rule's explicit tolerance replaces rounding intervals
    zero_missing: bool = False
    text: str = ""


_STAR = re.compile(r"\[\s*\*\s*\]")
_ARITHMETIC = {ast.Add: ADD, ast.Sub: SUB, ast.Mult: MUL}
_COMPARISONS = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
}


def parse(text: str) -> ast.Expression:
    """Parse with the size limits checked first, so hostile text never reaches the parser."""
    if not isinstance(text, str) or not text.strip():
        raise ExprError("表达式为空")
    if len(text) > MAX_LENGTH:
        raise ExprError(f"表达式过长（{len(text)} 个字符，上限 {MAX_LENGTH}）")
    depth = 0
    for offset, char in enumerate(text):
        if char in "([{":
            depth += 1
            if depth > MAX_DEPTH:
                raise ExprError(f"括号嵌套过深（上限 {MAX_DEPTH} 层）", offset)
        elif char in ")]}":
            depth -= 1
    return _parsed(_normalised(text))


@functools.lru_cache(maxsize=4096)
def _parsed(normalised: str) -> ast.Expression:
    """The tree of a normalised text: a rule pack says the same placeholders and paths again
    and again (half of the built-in pack's texts), and a tree is only ever read, never changed.
    Refusals raise, so they are never kept."""
    try:
        tree = ast.parse(normalised, mode="eval")
    except SyntaxError as exc:
        raise ExprError(f"表达式语法错误：{exc.msg}", max((exc.offset or 1) - 1, 0)) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExprError("表达式无法解析（过于复杂）") from None
    count = _count_nodes(tree)
    if count > MAX_NODES:
        raise ExprError(f"表达式过于复杂（{count} 个节点，上限 {MAX_NODES}）")
    return tree


def _count_nodes(tree: ast.AST) -> int:
    """``sum(1 for _ in ast.walk(tree))``, without ast.walk's generators (4x faster)."""
    count = 0
    stack = [tree]
    while stack:
        node = stack.pop()
        count += 1
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, ast.AST):
                stack.append(value)
            elif isinstance(value, list):
                stack.extend(item for item in value if isinstance(item, ast.AST))
    return count


def _normalised(text: str) -> str:
    """One line, ``[*]`` written as ``[...]`` (which Python parses)."""
    return _STAR.sub("[...]", text.replace("\n", " ").strip())


def compile_expression(text: str, scope: Scope) -> Expr:
    tree = parse(text)
    scope.text = _normalised(text)
    return _compile(tree.body, scope)


def compile_lookup(text: str, scope: Scope) -> Lookup:
    """A bare key path, as used by ``scope:``, ``at:`` and message placeholders."""
    node = compile_expression(text, scope)
    if not isinstance(node, Read):
        raise ExprError("此处只能写键路径，如 绩效指标[*].指标[*]")
    return node.lookup


def _source(node: ast.AST, scope: Scope) -> str:
    """The node's own text; expressions are one line, and ast offsets count UTF-8 bytes."""
    start, end = getattr(node, "col_offset", 0), getattr(node, "end_col_offset", 0)
    text = scope.text.encode("utf-8")[start:end].decode("utf-8", "replace")
    return text.replace("[...]", "[*]")


def _offset(node: ast.AST) -> int:
    return getattr(node, "col_offset", 0)


def _compile(node: ast.AST, scope: Scope) -> Expr:
    handler = _HANDLERS.get(type(node))
    if handler is None:
        raise ExprError(f"不允许的语法：{_describe(node)}", _offset(node))
    return handler(node, scope)


_REFUSED = {
    ast.Lambda: "lambda",
    ast.ListComp: "列表推导式",
    ast.SetComp: "集合推导式",
    ast.DictComp: "字典推导式",
    ast.GeneratorExp: "生成器表达式",
    ast.JoinedStr: "f-string",
    ast.NamedExpr: "赋值表达式 :=",
    ast.Starred: "星号展开",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.Slice: "切片",
}
_REFUSED_OPERATORS = {
    ast.Pow: "**",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.Mod: "%",
    ast.FloorDiv: "//",
}


def _describe(node: ast.AST) -> str:
    if isinstance(node, ast.BinOp):
        op = type(node.op)
        return f"运算符 {_REFUSED_OPERATORS.get(op, op.__name__)}"
    return _REFUSED.get(type(node), type(node).__name__)


# Constants


def _constant(node: ast.Constant, scope: Scope) -> Expr:
    value = node.value
    source = _source(node, scope)
    if isinstance(value, bool) or value is None:
        return Constant(value, ValueKind.BOOL if value is not None else ValueKind.ANY, source)
    if isinstance(value, (int, float)):
        text = source.replace("_", "")
        if len(text.replace(".", "").lstrip("0")) > MAX_NUMBER_DIGITS:
            raise ExprError(f"数字过长（上限 {MAX_NUMBER_DIGITS} 位）", _offset(node))
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ExprError(f"无法识别的数字 {text}", _offset(node)) from None
        if not in_range(number):
            raise ExprError(f"数字超出可处理范围（量级不超过 10^{MAX_EXPONENT}）", _offset(node))
        return Constant(constant(number), ValueKind.NUMBER, source)
    if isinstance(value, str):
        if len(value) > MAX_STRING:
            raise ExprError(f"文字常量过长（上限 {MAX_STRING} 个字符）", _offset(node))
        return Constant(value, ValueKind.TEXT, source)
    raise ExprError(f"不允许的常量：{type(value).__name__}", _offset(node))


# Lookups


def _lookup(node: ast.AST, scope: Scope) -> Expr:
    chain: list[ast.AST] = []
    current = node
    while isinstance(current, (ast.Attribute, ast.Subscript)):
        chain.append(current)
        current = current.value
    if not isinstance(current, ast.Name):
        raise ExprError(f"不允许的语法：{_describe(current)}", _offset(current))
    chain.reverse()
    name = current.id
    _refuse_private(name, current)
    source = _source(node, scope)
    if name in scope.bindings and not chain:
        binding = Lookup(Base.BINDING, [], LeafT("text"), name, zero=False)
        return LoopVariable(binding, ValueKind.TEXT, source)
    base, shape, first = _base(name, current, scope)
    steps: list[Step] = [] if first is None else [Key(first)]
    for link in chain:
        step, shape = _link(link, shape, scope)
        steps.append(step)
    lookup = Lookup(base, steps, shape, source, scope.zero_missing)
    return Read(lookup, ValueKind.LIST if lookup.fan_out else kind_of(shape), source)


def _refuse_private(name: str, node: ast.AST) -> None:
    if name.startswith("_"):
        raise ExprError(f"不允许以下划线开头的名称「{name}」", _offset(node))


def _base(name: str, node: ast.AST, scope: Scope) -> tuple[Base, Any, str | None]:
    if name == PARAMS_NAME:
        return Base.PARAMS, ParamT(), None
    if isinstance(scope.item, ModelT) and name in scope.item.fields:
        return Base.ITEM, static_type(scope.item.fields[name], name), name
    root = report_type()
    if name in root.fields:
        return Base.ROOT, static_type(root.fields[name], name), name
    if name in HELPERS:
        raise ExprError(f"「{name}」是函数，应写作 {name}(…)", _offset(node))
    raise ExprError(f"未知的键「{name}」：报告格式中没有这一项", _offset(node))


def _link(link: ast.AST, shape: Any, scope: Scope) -> tuple[Step, Any]:
    if isinstance(link, ast.Attribute):
        _refuse_private(link.attr, link)
        return Key(link.attr), _member(shape, link.attr, link)
    assert isinstance(link, ast.Subscript)
    index = link.slice
    if isinstance(index, ast.Constant) and index.value is Ellipsis:
        if isinstance(shape, (ListT, DictT)):
            return Every(), shape.item
        if isinstance(shape, ModelT):
            return Every(figures=True), FIGURE
        if isinstance(shape, ParamT):
            return Every(), shape
        raise ExprError("[*] 只能用于列表或表格", _offset(link))
    if isinstance(index, ast.Constant) and isinstance(index.value, str):
        return Key(index.value), _member(shape, index.value, link)
    if (
        isinstance(index, ast.Constant)
        and isinstance(index.value, int)
        and not isinstance(index.value, bool)
    ):
        if not isinstance(shape, (ListT, ParamT)):
            raise ExprError("数字下标只能用于列表", _offset(link))
        return Index(index.value), shape.item if isinstance(shape, ListT) else shape
    if isinstance(index, ast.Name) and index.id in scope.bindings:
        values = scope.bindings[index.id]
        for value in values:
            _member(shape, value, link)
        return LoopKey(index.id), _member(shape, values[0], link) if values else shape
    if isinstance(shape, (ParamT, DictT)):
        expr = _compile(index, scope)
        return ComputedKey(expr), shape.item if isinstance(shape, DictT) else shape
    raise ExprError("下标只能是 [*]、数字、文字或循环变量", _offset(link))


def _member(shape: Any, key: str, node: ast.AST) -> Any:
    if isinstance(shape, ModelT):
        if key not in shape.fields:
            known = "、".join(list(shape.fields)[:12])
            raise ExprError(f"未知的键「{key}」：此处可用的键有 {known}", _offset(node))
        return static_type(shape.fields[key], key)
    if isinstance(shape, DictT):
        return shape.item
    if isinstance(shape, ParamT):
        return shape
    if isinstance(shape, ListT):
        raise ExprError(f"「{key}」前面是列表，应先写 [*] 或下标", _offset(node))
    raise ExprError(f"「{key}」前面是单个数值或文字，不能再取下级键", _offset(node))


# Operators


def _binop(node: ast.BinOp, scope: Scope) -> Expr:
    division = isinstance(node.op, ast.Div)
    operator = DIV if division else _ARITHMETIC.get(type(node.op))
    if operator is None:
        raise ExprError(f"不允许的语法：{_describe(node)}", _offset(node))
    left, right = _compile(node.left, scope), _compile(node.right, scope)
    for side, tree in ((left, node.left), (right, node.right)):
        if not side.kind.numeric:
            raise ExprError(f"「{side.source}」不是数值，不能做算术", _offset(tree))
    kind = Quotient if division else Arithmetic
    return kind(operator, left, right, _source(node, scope))


def _unary(node: ast.UnaryOp, scope: Scope) -> Expr:
    operand = _compile(node.operand, scope)
    source = _source(node, scope)
    if isinstance(node.op, ast.Not):
        return Not(operand, source)
    if isinstance(node.op, (ast.USub, ast.UAdd)):
        if operand.kind not in (ValueKind.NUMBER, ValueKind.ANY):
            raise ExprError(f"「{operand.source}」不是数值", _offset(node))
        return Sign(isinstance(node.op, ast.USub), operand, source)
    raise ExprError(f"不允许的运算符：{type(node.op).__name__}", _offset(node))


def _boolop(node: ast.BoolOp, scope: Scope) -> Expr:
    parts = [_compile(v, scope) for v in node.values]
    return Logic(isinstance(node.op, ast.And), parts, _source(node, scope))


def _ifexp(node: ast.IfExp, scope: Scope) -> Expr:
    test, body, orelse = (_compile(n, scope) for n in (node.test, node.body, node.orelse))
    return Conditional(test, body, orelse, _source(node, scope))


def _compare(node: ast.Compare, scope: Scope) -> Expr:
    operands = [_compile(node.left, scope)] + [_compile(c, scope) for c in node.comparators]
    relations = []
    for op in node.ops:
        written = _COMPARISONS.get(type(op))
        if written is None:
            raise ExprError(f"不允许的比较：{type(op).__name__}", _offset(node))
        relations.append(RELATIONS[written])
    return Comparison(operands, relations, scope.tolerance, _source(node, scope))


# Calls


def _call(node: ast.Call, scope: Scope) -> Expr:
    if not isinstance(node.func, ast.Name):
        raise ExprError("只能调用内置函数，如 sum(…)", _offset(node))
    name = node.func.id
    _refuse_private(name, node.func)
    helper: Helper | None = HELPERS.get(name)
    if helper is None:
        known = "、".join(sorted(HELPERS))
        raise ExprError(f"未知的函数「{name}」：可用的函数有 {known}", _offset(node))
    if node.keywords:
        raise ExprError(f"函数 {name} 不接受关键字参数", _offset(node))
    if not helper.min_args <= len(node.args) <= helper.max_args:
        raise ExprError(f"函数 {name} 需要 {helper.arity} 个参数", _offset(node))
    args = [_compile(a, scope) for a in node.args]
    return Call(name, helper, args, _source(node, scope))


_HANDLERS: dict[type[ast.AST], Callable[[Any, Scope], Expr]] = {
    ast.Constant: _constant,
    ast.Name: _lookup,
    ast.Attribute: _lookup,
    ast.Subscript: _lookup,
    ast.BinOp: _binop,
    ast.UnaryOp: _unary,
    ast.BoolOp: _boolop,
    ast.Compare: _compare,
    ast.Call: _call,
    ast.IfExp: _ifexp,
}
