"""The rule expression language: a small whitelist of Python's expression syntax.

Rules are written like ``基本支出.决算 == 基本支出.人员经费 + 基本支出.公用经费``.  The text is
parsed with :mod:`ast` (a parser, never ``eval``), every node is checked against a whitelist,
every name is resolved against the report model at load time, and the tree is compiled into
closures.  A closure takes an optional :class:`Trace`; when given (only for failing checks),
every sub-expression records its value, like pytest's assertion introspection.

What is refused: attribute names starting with ``_``, any call but the helpers in
:mod:`.helpers`, powers, shifts, ``%``, lambdas, comprehensions, f-strings, starred or keyword
arguments, keys the model does not know, and texts past the size limits below.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ..report.normalise import (
    MAX_DIGITS,
    MAX_EXPONENT,
    Figure,
    Kind,
    NumberError,
    Target,
    is_blank,
    read_figure,
    report_shape,
)
from .helpers import HELPERS, Helper
from .values import EvalError, Missing, Quantity, constant

__all__ = [
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_NODES",
    "Env",
    "ExprError",
    "Node",
    "Trace",
    "compile_expression",
    "compile_lookup",
]

MAX_LENGTH = 1000
MAX_NODES = 250
MAX_DEPTH = 24
MAX_STRING = 200
MAX_NUMBER_DIGITS = 30

Path = tuple[str | int, ...]
ParamData = Any


class ExprError(ValueError):
    """An expression refused at load time; ``offset`` is the character where it goes wrong."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass(slots=True)
class Env:
    """Where names are looked up while a rule runs over one scope item."""

    root: dict[str, Any]  # the normalised report tree (see normalise.normalise_report)
    item: Any
    prefix: Path
    params: dict[str, ParamData]
    bindings: dict[str, str]
    rounding: list[tuple[Quantity, Quantity]] = field(default_factory=list)


@dataclass(slots=True)
class Trace:
    """Values seen while evaluating a failing check: node id → value, leaf id → key paths."""

    values: dict[int, Any] = field(default_factory=dict)
    paths: dict[int, list[Path]] = field(default_factory=dict)


Fn = Callable[[Env, "Trace | None"], Any]


@dataclass(slots=True)
class Node:
    """A compiled sub-expression: its function, static type, source text and children."""

    fn: Fn
    kind: str  # "num", "text", "bool", "list", "target", "map", "any"
    source: str
    node: ast.AST
    children: list[Node] = field(default_factory=list)
    op: str = ""
    lookup: Lookup | None = None
    id: int = 0

    def __call__(self, env: Env, trace: Trace | None = None) -> Any:
        return self.fn(env, trace)

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


# --- static types of the report model ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ModelT:
    """A section of the report (a table or a group of figures), from the report shape."""

    name: str
    fields: dict[str, Any] = field(hash=False, compare=False)


@dataclass(frozen=True, slots=True)
class ListT:
    item: Any


@dataclass(frozen=True, slots=True)
class DictT:
    item: Any


@dataclass(frozen=True, slots=True)
class LeafT:
    kind: str  # "figure", "target", "text"


class ParamT:
    """Rule parameters: plain data checked at run time."""


def static_type(node: dict[str, Any], name: str = "报告") -> Any:
    """A node of the report shape, as the lookup compiler sees it."""
    kind = node["type"]
    if kind == "section":
        return ModelT(name, node["fields"])
    if kind == "list":
        return ListT(static_type(node["of"], name))
    if kind == "map":
        return DictT(static_type(node["of"], name))
    return LeafT(kind)


def report_type() -> ModelT:
    root = static_type(report_shape())
    assert isinstance(root, ModelT)
    return root


# --- lookups: report keys ----------------------------------------------------------------------


@dataclass(slots=True)
class Step:
    kind: str  # "key", "all", "index", "var", "expr"
    key: str = ""
    index: int = 0
    expr: Node | None = None


class Lookup:
    """A compiled key path such as ``绩效指标[*].指标[*].得分``."""

    __slots__ = ("base", "direct", "fan_out", "leaf", "source", "steps", "zero")

    def __init__(self, base: str, steps: list[Step], leaf: Any, source: str, zero: bool) -> None:
        self.base = base  # "item", "root", "params" or "binding" (a for_each variable)
        self.steps = steps
        self.leaf = leaf
        self.source = source
        self.fan_out = any(s.kind == "all" for s in steps)
        plain = base in ("item", "root") and all(s.kind == "key" for s in steps)
        self.direct: tuple[str, ...] | None = tuple(s.key for s in steps) if plain else None
        # ``missing: zero``: an absent figure counts as an exact 0 (blank 其中 cells on the forms).
        self.zero = zero and leaf == LeafT("figure")

    def resolve(self, env: Env) -> list[tuple[Any, Path]]:
        """Every (value, key path) the lookup reaches; absent values come back as None."""
        if self.base == "binding":
            return [(env.bindings[self.source], ())]
        if self.base == "params":
            current: list[tuple[Any, Path]] = [(env.params, ())]
        elif self.base == "item":
            current = [(env.item, env.prefix)]
        else:
            current = [(env.root, ())]
        for step in self.steps:
            current = [pair for obj, path in current for pair in _step(obj, path, step, env)]
        return current

    def convert(self, value: Any) -> Any:
        if value is None and self.zero:
            return ZERO
        if self.base == "params" and isinstance(value, str):
            return _param_text(value)
        return _convert(value)

    def __call__(self, env: Env, trace: Trace | None) -> Any:
        if self.direct is not None:
            value = self._walk(env)
            if value.__class__ is Figure:
                return value
            return self.convert(value)
        pairs = self.resolve(env)
        values = [self.convert(v) for v, _ in pairs]
        if self.fan_out:
            return values
        return values[0] if values else None

    def _walk(self, env: Env) -> Any:
        """The common case, plain keys from the root or the scope item: no paths, no lists."""
        obj: Any = env.item if self.base == "item" else env.root
        for key in self.direct or ():
            if not isinstance(obj, dict):
                return None
            obj = obj.get(key)
        return obj


def _step(obj: Any, path: Path, step: Step, env: Env) -> list[tuple[Any, Path]]:
    if obj is None:
        return [(None, path)]
    if step.kind == "all":
        if isinstance(obj, list):
            return [(v, (*path, i)) for i, v in enumerate(obj)]
        if isinstance(obj, dict):
            return [
                (v, (*path, k))
                for k, v in obj.items()
                if step.key != "figures" or isinstance(v, Figure)
            ]
        return [(None, path)]
    if step.kind == "index":
        if isinstance(obj, list) and -len(obj) <= step.index < len(obj):
            return [(obj[step.index], (*path, step.index))]
        return [(None, (*path, step.index))]
    if step.kind == "var":
        key: Any = env.bindings[step.key]
    elif step.kind == "expr":
        assert step.expr is not None
        key = _key_text(step.expr(env, None))
    else:
        key = step.key
    if isinstance(obj, dict):
        return [(obj.get(key), (*path, key))]
    return [(None, (*path, key))]


def _key_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Quantity):
        return format(value.value, "f")
    if isinstance(value, Target):
        return value.text
    raise Missing("键")


ZERO = constant(Decimal(0))


def _param_text(text: str) -> Any:
    """A parameter written as "90%" or "0.5" is a number; anything else stays text."""
    if is_blank(text):
        return text
    kind = Kind.RATE if text.strip().endswith(("%", "％")) else Kind.SCORE
    try:
        figure = read_figure(text, kind)
    except NumberError:
        return text
    return text if figure is None else figure


def _convert(value: Any) -> Any:
    if value is None or isinstance(value, Figure):  # a Figure already is a Quantity
        return value
    if isinstance(value, Decimal) and value.is_finite():
        if not _in_range(value):
            raise EvalError(f"参数中的数值 {value} 超出可处理范围")
        return constant(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return constant(Decimal(value))
    return value


def _in_range(value: Decimal) -> bool:
    """Within the range of report figures.  ``1e999999 * 1e999999`` overflows Decimal; numbers
    in this range, a few hundred operations deep, stay far inside its limits."""
    exponent = value.as_tuple().exponent
    return value.is_zero() or (
        value.adjusted() <= MAX_EXPONENT and isinstance(exponent, int) and exponent >= -MAX_DIGITS
    )


# --- the compiler ------------------------------------------------------------------------------


@dataclass(slots=True)
class Scope:
    """What names mean in one rule: the scope item's model, parameters, loop variables."""

    item: Any | None
    params: dict[str, ParamData]
    bindings: dict[str, list[str]]
    tolerance: Decimal | None = None  # a rule's explicit tolerance replaces rounding intervals
    zero_missing: bool = False
    text: str = ""
    counter: list[int] = field(default_factory=lambda: [0])

    def next_id(self) -> int:
        self.counter[0] += 1
        return self.counter[0]


_STAR = re.compile(r"\[\s*\*\s*\]")
_BINOPS: dict[type[ast.operator], str] = {ast.Add: "+", ast.Sub: "-", ast.Mult: "×", ast.Div: "÷"}
_CMPOPS: dict[type[ast.cmpop], str] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
}
PARAMS_NAME = "参数"


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
    source = _STAR.sub("[...]", text.replace("\n", " ").strip())
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        raise ExprError(f"表达式语法错误：{exc.msg}", max((exc.offset or 1) - 1, 0)) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExprError("表达式无法解析（过于复杂）") from None
    count = sum(1 for _ in ast.walk(tree))
    if count > MAX_NODES:
        raise ExprError(f"表达式过于复杂（{count} 个节点，上限 {MAX_NODES}）")
    return tree


def compile_expression(text: str, scope: Scope) -> Node:
    tree = parse(text)
    scope.text = _STAR.sub("[...]", text.replace("\n", " ").strip())
    return _compile(tree.body, scope)


def compile_lookup(text: str, scope: Scope) -> Lookup:
    """A bare key path, as used by ``scope:``, ``at:`` and message placeholders."""
    tree = parse(text)
    scope.text = _STAR.sub("[...]", text.replace("\n", " ").strip())
    node = _compile(tree.body, scope)
    if node.lookup is None:
        raise ExprError("此处只能写键路径，如 绩效指标[*].指标[*]")
    return node.lookup


def _source(node: ast.AST, scope: Scope) -> str:
    """The node's own text; expressions are one line, and ast offsets count UTF-8 bytes."""
    start, end = getattr(node, "col_offset", 0), getattr(node, "end_col_offset", 0)
    text = scope.text.encode("utf-8")[start:end].decode("utf-8", "replace")
    return text.replace("[...]", "[*]")


def _offset(node: ast.AST) -> int:
    return getattr(node, "col_offset", 0)


def _compile(node: ast.AST, scope: Scope) -> Node:
    handler = _HANDLERS.get(type(node))
    if handler is None:
        raise ExprError(f"不允许的语法：{_describe(node)}", _offset(node))
    return handler(node, scope)


def _describe(node: ast.AST) -> str:
    names = {
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
    if isinstance(node, ast.BinOp):
        symbol = {
            ast.Pow: "**",
            ast.LShift: "<<",
            ast.RShift: ">>",
            ast.Mod: "%",
            ast.FloorDiv: "//",
        }
        return f"运算符 {symbol.get(type(node.op), type(node.op).__name__)}"
    return names.get(type(node), type(node).__name__)


# Constants


def _constant(node: ast.Constant, scope: Scope) -> Node:
    value = node.value
    source = _source(node, scope)
    if isinstance(value, bool) or value is None:
        return Node(lambda env, trace: value, "bool" if value is not None else "any", source, node)
    if isinstance(value, (int, float)):
        text = source.replace("_", "")
        if len(text.replace(".", "").lstrip("0")) > MAX_NUMBER_DIGITS:
            raise ExprError(f"数字过长（上限 {MAX_NUMBER_DIGITS} 位）", _offset(node))
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ExprError(f"无法识别的数字 {text}", _offset(node)) from None
        if not _in_range(number):
            raise ExprError(f"数字超出可处理范围（量级不超过 10^{MAX_EXPONENT}）", _offset(node))
        q = constant(number)
        return Node(lambda env, trace: q, "num", source, node)
    if isinstance(value, str):
        if len(value) > MAX_STRING:
            raise ExprError(f"文字常量过长（上限 {MAX_STRING} 个字符）", _offset(node))
        return Node(lambda env, trace: value, "text", source, node)
    raise ExprError(f"不允许的常量：{type(value).__name__}", _offset(node))


# Lookups


def _lookup(node: ast.AST, scope: Scope) -> Node:
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
        binding = Lookup("binding", [], LeafT("text"), name, zero=False)
        return Node(lambda env, trace: env.bindings[name], "text", source, node, lookup=binding)
    base, kind, first = _base(name, current, scope)
    steps: list[Step] = [] if first is None else [Step("key", key=first)]
    for link in chain:
        step, kind = _link(link, kind, scope)
        steps.append(step)
    lookup = Lookup(base, steps, kind, source, scope.zero_missing)
    node_id = scope.next_id()

    def fn(env: Env, trace: Trace | None) -> Any:
        if trace is None:
            return lookup(env, None)
        pairs = lookup.resolve(env)
        trace.paths[node_id] = [p for _, p in pairs]
        values = [lookup.convert(v) for v, _ in pairs]
        result = values if lookup.fan_out else (values[0] if values else None)
        trace.values[node_id] = result
        return result

    stype = "list" if lookup.fan_out else _kind_name(kind)
    return Node(fn, stype, source, node, lookup=lookup, id=node_id)


def _kind_name(kind: Any) -> str:
    if isinstance(kind, LeafT):
        return {"figure": "num", "target": "target", "text": "text"}[kind.kind]
    if isinstance(kind, (ModelT, DictT)):
        return "map"
    if isinstance(kind, ListT):
        return "list"
    return "any"


def _refuse_private(name: str, node: ast.AST) -> None:
    if name.startswith("_"):
        raise ExprError(f"不允许以下划线开头的名称「{name}」", _offset(node))


def _base(name: str, node: ast.AST, scope: Scope) -> tuple[str, Any, str | None]:
    if name == PARAMS_NAME:
        return "params", ParamT(), None
    if isinstance(scope.item, ModelT) and name in scope.item.fields:
        return "item", static_type(scope.item.fields[name], name), name
    root = report_type()
    if name in root.fields:
        return "root", static_type(root.fields[name], name), name
    if name in HELPERS:
        raise ExprError(f"「{name}」是函数，应写作 {name}(…)", _offset(node))
    raise ExprError(f"未知的键「{name}」：报告格式中没有这一项", _offset(node))


def _link(link: ast.AST, kind: Any, scope: Scope) -> tuple[Step, Any]:
    if isinstance(link, ast.Attribute):
        _refuse_private(link.attr, link)
        return Step("key", key=link.attr), _member(kind, link.attr, link)
    assert isinstance(link, ast.Subscript)
    index = link.slice
    if isinstance(index, ast.Constant) and index.value is Ellipsis:
        if isinstance(kind, (ListT, DictT)):
            return Step("all"), kind.item
        if isinstance(kind, ModelT):
            return Step("all", key="figures"), LeafT("figure")
        if isinstance(kind, ParamT):
            return Step("all"), kind
        raise ExprError("[*] 只能用于列表或表格", _offset(link))
    if isinstance(index, ast.Constant) and isinstance(index.value, str):
        return Step("key", key=index.value), _member(kind, index.value, link)
    if (
        isinstance(index, ast.Constant)
        and isinstance(index.value, int)
        and not isinstance(index.value, bool)
    ):
        if not isinstance(kind, (ListT, ParamT)):
            raise ExprError("数字下标只能用于列表", _offset(link))
        return Step("index", index=index.value), kind.item if isinstance(kind, ListT) else kind
    if isinstance(index, ast.Name) and index.id in scope.bindings:
        for value in scope.bindings[index.id]:
            _member(kind, value, link)
        member = (
            _member(kind, scope.bindings[index.id][0], link) if scope.bindings[index.id] else kind
        )
        return Step("var", key=index.id), member
    if isinstance(kind, (ParamT, DictT)):
        expr = _compile(index, scope)
        return Step("expr", expr=expr), kind.item if isinstance(kind, DictT) else kind
    raise ExprError("下标只能是 [*]、数字、文字或循环变量", _offset(link))


def _member(kind: Any, key: str, node: ast.AST) -> Any:
    if isinstance(kind, ModelT):
        if key not in kind.fields:
            known = "、".join(list(kind.fields)[:12])
            raise ExprError(f"未知的键「{key}」：此处可用的键有 {known}", _offset(node))
        return static_type(kind.fields[key], key)
    if isinstance(kind, DictT):
        return kind.item
    if isinstance(kind, ParamT):
        return kind
    if isinstance(kind, ListT):
        raise ExprError(f"「{key}」前面是列表，应先写 [*] 或下标", _offset(node))
    raise ExprError(f"「{key}」前面是单个数值或文字，不能再取下级键", _offset(node))


# Operators


def _numeric(value: Any, what: str) -> Quantity:
    if isinstance(value, Quantity):
        return value
    if value is None:
        raise Missing(what)
    if isinstance(value, Target) and value.figure is not None:
        return value.figure
    raise EvalError(f"「{what}」应为数值，实际为「{value}」")


def _binop(node: ast.BinOp, scope: Scope) -> Node:
    symbol = _BINOPS.get(type(node.op))
    if symbol is None:
        raise ExprError(f"不允许的语法：{_describe(node)}", _offset(node))
    left, right = _compile(node.left, scope), _compile(node.right, scope)
    for side in (left, right):
        if side.kind not in ("num", "any", "target"):
            raise ExprError(f"「{side.source}」不是数值，不能做算术", _offset(side.node))
    node_id = scope.next_id()
    operate: Callable[[Quantity, Quantity], Quantity] = {
        "+": Quantity.__add__,
        "-": Quantity.__sub__,
        "×": Quantity.__mul__,
        "÷": Quantity.__truediv__,
    }[symbol]

    left_fn, right_fn = left.fn, right.fn

    def fn(env: Env, trace: Trace | None) -> Quantity:
        a = _numeric(left_fn(env, trace), left.source)
        b = right_fn(env, trace)
        if b is None and symbol == "÷":
            raise EvalError(f"分母「{right.source}」缺失")
        b = _numeric(b, right.source)
        if symbol == "÷" and b.value == 0:
            raise EvalError(f"分母「{right.source}」为零")
        result = operate(a, b)
        if trace is not None:
            trace.values[node_id] = result
        return result

    return Node(fn, "num", _source(node, scope), node, [left, right], symbol, id=node_id)


def _unary(node: ast.UnaryOp, scope: Scope) -> Node:
    operand = _compile(node.operand, scope)
    node_id = scope.next_id()
    if isinstance(node.op, ast.Not):

        def negate(env: Env, trace: Trace | None) -> bool:
            result = not _truth(operand.fn(env, trace), operand.source)
            if trace is not None:
                trace.values[node_id] = result
            return result

        return Node(negate, "bool", _source(node, scope), node, [operand], "not", id=node_id)
    if isinstance(node.op, (ast.USub, ast.UAdd)):
        if operand.kind not in ("num", "any"):
            raise ExprError(f"「{operand.source}」不是数值", _offset(node))
        minus = isinstance(node.op, ast.USub)

        def sign(env: Env, trace: Trace | None) -> Quantity:
            value = _numeric(operand.fn(env, trace), operand.source)
            return -value if minus else value

        return Node(sign, "num", _source(node, scope), node, [operand], "-" if minus else "+")
    raise ExprError(f"不允许的运算符：{type(node.op).__name__}", _offset(node))


def _truth(value: Any, what: str) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        raise Missing(what)
    raise EvalError(f"「{what}」应为真假判断，实际为「{value}」")


def _boolop(node: ast.BoolOp, scope: Scope) -> Node:
    parts = [_compile(v, scope) for v in node.values]
    is_and = isinstance(node.op, ast.And)
    node_id = scope.next_id()

    def fn(env: Env, trace: Trace | None) -> bool:
        for part in parts:
            if _truth(part.fn(env, trace), part.source) != is_and:
                result = not is_and
                break
        else:
            result = is_and
        if trace is not None:
            trace.values[node_id] = result
        return result

    return Node(
        fn, "bool", _source(node, scope), node, parts, "and" if is_and else "or", id=node_id
    )


def _ifexp(node: ast.IfExp, scope: Scope) -> Node:
    test, body, other = (_compile(n, scope) for n in (node.test, node.body, node.orelse))

    def fn(env: Env, trace: Trace | None) -> Any:
        if _truth(test.fn(env, trace), test.source):
            return body.fn(env, trace)
        return other.fn(env, trace)

    kind = body.kind if body.kind == other.kind else "any"
    return Node(fn, kind, _source(node, scope), node, [test, body, other], "if")


def _compare(node: ast.Compare, scope: Scope) -> Node:
    operands = [_compile(node.left, scope)] + [_compile(c, scope) for c in node.comparators]
    ops: list[str] = []
    for op in node.ops:
        symbol = _CMPOPS.get(type(op))
        if symbol is None:
            raise ExprError(f"不允许的比较：{type(op).__name__}", _offset(node))
        ops.append(symbol)
    node_id = scope.next_id()
    tolerance = scope.tolerance

    def fn(env: Env, trace: Trace | None) -> bool:
        left = operands[0].fn(env, trace)
        for symbol, right_node in zip(ops, operands[1:], strict=True):
            right = right_node.fn(env, trace)
            held = compare(
                left, symbol, right, operands[0].source, right_node.source, tolerance, env
            )
            if not held:
                if trace is not None:
                    trace.values[node_id] = False
                return False
            left = right
        if trace is not None:
            trace.values[node_id] = True
        return True

    return Node(fn, "bool", _source(node, scope), node, operands, " ".join(ops), id=node_id)


def compare(
    left: Any,
    symbol: str,
    right: Any,
    left_source: str,
    right_source: str,
    tolerance: Decimal | None,
    env: Env,
) -> bool:
    """One comparison; ``==`` between numbers holds when the rounding intervals overlap."""
    if left is None:
        raise Missing(left_source)
    if right is None:
        raise Missing(right_source)
    if isinstance(left, Target) and left.figure is not None and isinstance(right, Quantity):
        left = left.figure
    if isinstance(right, Target) and right.figure is not None and isinstance(left, Quantity):
        right = right.figure
    if isinstance(left, Quantity) and isinstance(right, Quantity):
        return _compare_numbers(left, symbol, right, tolerance, env)
    if isinstance(left, (str, Target)) and isinstance(right, (str, Target)):
        if symbol not in ("==", "!="):
            raise EvalError(f"文字「{left}」与「{right}」不能比较大小")
        return (str(left) == str(right)) == (symbol == "==")
    if isinstance(left, bool) and isinstance(right, bool) and symbol in ("==", "!="):
        return (left == right) == (symbol == "==")
    raise EvalError(f"「{left_source}」与「{right_source}」类型不同，无法比较")


def _compare_numbers(
    a: Quantity, symbol: str, b: Quantity, tolerance: Decimal | None, env: Env
) -> bool:
    if symbol in ("==", "!="):
        if a.value == b.value:
            same = True
        elif tolerance is not None:
            same = abs(a.value - b.value) <= tolerance
        else:
            same = a.overlaps(b)
        if same and a.value != b.value:
            env.rounding.append((a, b))
        return same == (symbol == "==")
    if symbol == "<":
        return a.value < b.value
    if symbol == "<=":
        return a.value <= b.value
    if symbol == ">":
        return a.value > b.value
    return a.value >= b.value


# Calls


def _call(node: ast.Call, scope: Scope) -> Node:
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
    arg_fns = [a.fn for a in args]
    node_id = scope.next_id()
    source = _source(node, scope)

    def fn(env: Env, trace: Trace | None) -> Any:
        values = [fn(env, trace) for fn in arg_fns]
        result = helper.fn(values, [a.source for a in args])
        if trace is not None:
            trace.values[node_id] = result
        return result

    return Node(fn, helper.returns, source, node, args, name, id=node_id)


def _refuse(node: ast.AST, scope: Scope) -> Node:
    raise ExprError(f"不允许的语法：{_describe(node)}", _offset(node))


_HANDLERS: dict[type[ast.AST], Callable[[Any, Scope], Node]] = {
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
