"""Rules compiled to Python source: the fast path of :func:`evalcheck.engine.run.evaluate`.

The typed nodes (:mod:`.nodes`) evaluate by calling each other, every value a
:class:`~evalcheck.report.normalise.Quantity` carrying its rounding interval.  Most checks of a
report hold exactly (a printed total is the sum of its printed parts), so the generated code
tries the exact test first: arithmetic is done on the printed Decimals alone (the same
context, the same operations, so the same values as the nodes compute), and an equality whose
two values are equal holds whatever the intervals say.  Only when that is not decided — two
different values on the sides of ``==``, a value of an unusual type, any exception the fast
path does not expect — does the function return ``None``, and the rule is evaluated by the
nodes, intervals and all (:func:`evalcheck.engine.run.evaluate`).  So the compiled path
answers only where its answer is the nodes' answer; tests compare the two on every rule
example and on generated expressions and reports (``tests/test_codegen.py``).

Safety: the source is generated only from the whitelisted node kinds (an unknown kind is
refused with :class:`Unsupported`, and the rule stays on the nodes).  Nothing from a rule
file is ever written into the source: keys, texts, numbers, helper functions and nodes are
bound as module globals ``_c0``, ``_c1`` … and referred to by name, so the source holds only
names the generator made, its fixed templates and small integers.  It is compiled once per
rule and kept with the compiled rule, once the nodes have evaluated the rule at
:data:`~evalcheck.engine.compiled.WARM` places in the process (:func:`~evalcheck.engine.compiled.warm`):
compiling costs more than a single report's few evaluations of most rules save.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..report.normalise import Quantity
from .compare import Comparison
from .lookup import Base, ComputedKey, Every, Index, Key, Lookup, LoopKey
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
from .operators import ADD, EQ, MUL, SUB
from .status import _PRECONDITION, FAILED, PASSED, ROUNDED, Evaluation, Status

__all__ = ["FastRule", "Unsupported", "source_of"]

# fn(root, item, prefix, params, bindings, env) -> Evaluation, or None: "ask the nodes".
FastRule = Callable[..., Any]


class Unsupported(Exception):
    """A node the generator has no template for: the rule is evaluated by the nodes."""


_OPS = {ADD: "_add", SUB: "_sub", MUL: "_mul"}
# The comparison written in the source for each relation of the whitelist (never the rule's text).
_RELATION_OPS = {"==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


class _Gen:
    """Source for one rule: statements, temporaries and the constants they name."""

    def __init__(self, rule: Any, results: Any) -> None:
        self.rule = rule
        self.results = results  # the Evaluations: passed, failed, precondition, missing(what)
        self.lines: list[str] = []
        self.consts: dict[str, Any] = {}
        self.by_id: dict[int, str] = {}
        self.depth = 2
        self.count = 0
        self.env = False  # some part needs an Env (nodes evaluated as such, generic compare)

    # --- bookkeeping ------------------------------------------------------------------------

    def const(self, value: Any) -> str:
        key = id(value)
        name = self.by_id.get(key)
        if name is None or self.consts[name] is not value:
            name = f"_c{len(self.consts)}"
            self.consts[name] = value
            self.by_id[key] = name
        return name

    def tmp(self) -> str:
        self.count += 1
        return f"_t{self.count}"

    def emit(self, line: str) -> None:
        self.lines.append("    " * self.depth + line)

    def missing(self, what: str) -> str:
        """``return`` the rule's Evaluation for an absent value (as raising Missing would)."""
        return f"return {self.const(self.results.missing(what))}"

    def need_env(self) -> str:
        """The place's Env, made on first use: most places never need one (a precondition
        that does not hold, an absent value), and one call makes one Env at most."""
        self.env = True
        return "(env if env is not None else (env := _Env(root, item, prefix, params, bindings)))"

    # --- values as the nodes give them ------------------------------------------------------

    def value(self, node: Expr) -> str:
        """The node's value, exactly as ``node.evaluate(env)`` returns it."""
        kind = type(node)
        if kind is Constant:
            assert isinstance(node, Constant)
            return self.const(node.value)
        if kind is LoopVariable:
            out = self.tmp()
            self.emit(f"{out} = bindings[{self.const(node.source)}]")
            return out
        if kind is Read:
            assert isinstance(node, Read)
            return self.read(node.lookup)
        if kind is Comparison:
            assert isinstance(node, Comparison)
            return self.comparison(node)
        if kind is Logic:
            assert isinstance(node, Logic)
            return self.logic(node)
        if kind is Not:
            assert isinstance(node, Not)
            operand = self.truth(node.operand)
            out = self.tmp()
            self.emit(f"{out} = not {operand}")
            return out
        if kind is Conditional:
            assert isinstance(node, Conditional)
            return self.conditional(node, self.value)
        if kind is Call:
            assert isinstance(node, Call)
            return self.call(node)
        if kind in (Arithmetic, Quotient, Sign):
            # A Quantity with its interval is wanted here: the node computes it.
            out = self.tmp()
            self.emit(f"{out} = {self.const(node)}.evaluate({self.need_env()})")
            return out
        raise Unsupported(kind.__name__)

    def truth(self, node: Expr) -> str:
        """The node used as a condition (:func:`.values.truth`)."""
        value = self.value(node)
        if type(node) not in (Comparison, Logic, Not):  # those always give True or False
            self.emit(f"if {value} is not True and {value} is not False:")
            self.emit(f"    {value} = _truth({value}, {self.const(node.source)})")
        return value

    # --- lookups ----------------------------------------------------------------------------

    def read(self, lookup: Lookup) -> str:
        if any(isinstance(s, ComputedKey) for s in lookup.steps) or lookup.base is Base.BINDING:
            out = self.tmp()
            env = self.need_env()
            name = self.const(lookup)
            self.emit(f"{out} = {name}.value({name}.resolve({env}))")
            return out
        start = {Base.ROOT: "root", Base.ITEM: "item", Base.PARAMS: "params"}[lookup.base]
        convert = self.const(lookup.convert)
        out = self.tmp()
        self.emit(f"{out} = {start}")
        listed = False
        for step in lookup.steps:
            if isinstance(step, (Key, LoopKey)):
                key = (
                    self.const(step.key)
                    if isinstance(step, Key)
                    else f"bindings[{self.const(step.name)}]"
                )
                if listed:
                    self.emit(
                        f"{out} = [o.get({key}) if _isinstance(o, _dict) else None for o in {out}]"
                    )
                else:
                    self.emit(f"{out} = {out}.get({key}) if _isinstance({out}, _dict) else None")
            elif isinstance(step, Index):
                i = self.const(step.index)
                test = f"_isinstance(o, _list) and -len(o) <= {i} < len(o)"
                if listed:
                    self.emit(f"{out} = [o[{i}] if {test} else None for o in {out}]")
                else:
                    self.emit(f"o = {out}")
                    self.emit(f"{out} = o[{i}] if {test} else None")
            elif isinstance(step, Every):
                figures = "True" if step.figures else "False"
                if listed:
                    self.emit(f"{out} = [x for o in {out} for x in _every(o, {figures})]")
                else:
                    self.emit(f"{out} = _every({out}, {figures})")
                    listed = True
            else:
                raise Unsupported(type(step).__name__)
        zero = lookup.zero
        if listed:
            self.emit(f"{out} = [v if v.__class__ is _Figure else {convert}(v) for v in {out}]")
        elif zero or lookup.base is Base.PARAMS:
            self.emit(f"{out} = {convert}({out})")
        else:  # a text or a target from the report is what convert would give back
            self.emit(
                f"if {out} is not None and {out}.__class__ is not _Figure"
                f" and {out}.__class__ is not _str and {out}.__class__ is not _Target:"
            )
            self.emit(f"    {out} = {convert}({out})")
        return out

    # --- numbers ----------------------------------------------------------------------------

    def decimal(self, node: Expr) -> str:
        """The Decimal value of the node used as a number by a consumer that calls
        ``number(value, node.source)``: Missing / EvalError exactly as the nodes raise."""
        if type(node) in (Arithmetic, Quotient, Sign) or self.native(node):
            return self.exact(node)
        if type(node) is Constant:
            assert isinstance(node, Constant)
            if isinstance(node.value, Quantity):
                return self.const(node.value.value)
        value = self.value(node)
        out = self.tmp()
        self.emit(f"if {value}.__class__ is _Figure:")
        self.emit(f"    {out} = {value}.value")
        self.emit(f"elif {value} is None:")
        self.emit(f"    {self.missing(node.source)}")
        self.emit("else:")
        self.emit(f"    {out} = _numv({value}, {self.const(node.source)})")
        return out

    @staticmethod
    def native(node: Expr) -> bool:
        return isinstance(node, Call) and node.name in ("sum", "min", "max", "abs")

    def exact(self, node: Expr) -> str:
        """Arithmetic on Decimals: the ``value`` the node's Quantity would carry."""
        out = self.tmp()
        if isinstance(node, Quotient):
            a = self.decimal(node.left)
            b = self.decimal(node.right)
            self.emit(f"if {b} == 0:")
            self.emit(f"    raise _EvalError({self.const(f'分母「{node.right.source}」为零')})")
            self.emit(f"{out} = _div({a}, {b})")
        elif isinstance(node, Arithmetic):
            a = self.decimal(node.left)
            b = self.decimal(node.right)
            self.emit(f"{out} = {_OPS[node.operator]}({a}, {b})")
        elif isinstance(node, Sign):
            a = self.decimal(node.operand)
            self.emit(f"{out} = -{a}" if node.minus else f"{out} = {a}")
        elif isinstance(node, Call):
            return self.aggregate(node)
        else:  # pragma: no cover - decimal() routes only these here
            raise Unsupported(type(node).__name__)
        return out

    def aggregate(self, node: Call) -> str:
        """``sum``/``min``/``max``/``abs`` on Decimals, as :mod:`.helpers` computes them."""
        out = self.tmp()
        if node.name == "abs":
            (arg,) = node.args  # number(values[0], sources[0]): the argument's own text
            d = self.decimal(arg)
            self.emit(f"{out} = {d} if {d} >= 0 else -{d}")
            return out
        # Every argument first (as the helper receives them), then the present numbers.
        values = [(arg, *self.operand(arg)) for arg in node.args]
        label = self.const("、".join(node.sources))
        numbers = self.tmp()
        self.emit(f"{numbers} = []")
        for arg, value, exact in values:
            if exact:  # a computed number: never blank, never a list
                self.emit(f"{numbers}.append({value})")
                continue
            fan = isinstance(arg, Read) and arg.lookup.fan_out
            if not fan:
                self.emit(f"if {value}.__class__ is _list:")
                self.emit("    raise _Bail")
            self.emit(f"for v in {value}:" if fan else f"for v in ({value},):")
            self.emit("    if v.__class__ is _Figure:")
            self.emit(f"        {numbers}.append(v.value)")
            self.emit("    elif v is not None:")
            self.emit(f"        {numbers}.append(_numv(v, {label}))")
        self.emit(f"if not {numbers}:")
        self.emit("    raise _Missing(" + label + ")")
        if node.name == "sum":
            self.emit(f"{out} = {numbers}[0]")
            self.emit(f"for v in {numbers}[1:]:")
            self.emit(f"    {out} = _add({out}, v)")
        else:
            self.emit(f"{out} = _{node.name}({numbers})")
        return out

    # --- conditions -------------------------------------------------------------------------

    def comparison(self, node: Comparison) -> str:
        """A chain ``a == b <= c``: stops at the first pair that does not hold."""
        out = self.tmp()
        self.emit(f"{out} = False")
        left_node = node.terms[0]
        left, left_exact = self.operand(left_node)
        opened = 0
        for relation, term in zip(node.relations, node.terms[1:], strict=True):
            right, right_exact = self.operand(term)
            held = self.pair(node, left, left_exact, left_node, relation, right, right_exact, term)
            self.emit(f"if {held}:")
            self.depth += 1
            opened += 1
            left, left_exact, left_node = right, right_exact, term
        self.emit(f"{out} = True")
        self.depth -= opened
        return out

    def operand(self, node: Expr) -> tuple[str, bool]:
        """A side of a comparison: a Decimal for computed numbers, else the value itself."""
        if type(node) in (Arithmetic, Quotient, Sign) or self.native(node):
            return self.exact(node), True
        return self.value(node), False

    def pair(
        self,
        node: Comparison,
        a: str,
        a_exact: bool,
        a_node: Expr,
        relation: Any,
        b: str,
        b_exact: bool,
        b_node: Expr,
    ) -> str:
        """One comparison, as :func:`.compare.compare` decides it, or bail."""
        for value, exact, side in ((a, a_exact, a_node), (b, b_exact, b_node)):
            if not exact:
                self.emit(f"if {value} is None:")
                self.emit(f"    {self.missing(side.source)}")
        held = self.tmp()
        op = _RELATION_OPS[relation.written]
        if not a_exact and not b_exact:
            self.emit(f"if {a}.__class__ is _Figure and {b}.__class__ is _Figure:")
            if relation.equality:
                self.emit(f"    if {a}.value == {b}.value:")
                self.emit(f"        {held} = {relation is EQ}")
                self.emit("    else:")
                self.emit(f"        {held} = {self.generic(node, a, relation, b, a_node, b_node)}")
            else:
                self.emit(f"    {held} = {a}.value {op} {b}.value")
            self.emit("else:")
            self.emit(f"    {held} = {self.generic(node, a, relation, b, a_node, b_node)}")
            return held
        da, db = a, b
        for name, exact in ((a, a_exact), (b, b_exact)):
            if not exact:
                d = self.tmp()
                self.emit(f"if {name}.__class__ is _Figure or _isinstance({name}, _Quantity):")
                self.emit(f"    {d} = {name}.value")
                self.emit("else:")
                self.emit("    raise _Bail")
                if name == a:
                    da = d
                else:
                    db = d
        if relation.equality:
            self.emit(f"if {da} == {db}:")
            self.emit(f"    {held} = {relation is EQ}")
            self.emit("else:")
            self.emit("    raise _Bail")  # the intervals decide: the nodes have them
        else:
            self.emit(f"{held} = {da} {op} {db}")
        return held

    def generic(
        self, node: Comparison, a: str, relation: Any, b: str, a_node: Expr, b_node: Expr
    ) -> str:
        args = ", ".join(
            (
                a,
                self.const(relation),
                b,
                self.const(a_node.source),
                self.const(b_node.source),
                self.const(node.tolerance),
                self.need_env(),
            )
        )
        return f"_compare({args})"

    def logic(self, node: Logic) -> str:
        out = self.tmp()
        decided = node.conjunction
        self.emit(f"{out} = {decided}")
        opened = 0
        for part in node.parts:
            value = self.truth(part)
            self.emit(f"if {value} != {decided}:")
            self.emit(f"    {out} = {not decided}")
            self.emit("else:")
            self.depth += 1
            opened += 1
        self.emit("pass")
        self.depth -= opened
        return out

    def conditional(self, node: Conditional, branch: Callable[[Expr], str]) -> str:
        test = self.truth(node.test)
        out = self.tmp()
        self.emit(f"if {test}:")
        self.depth += 1
        self.emit(f"{out} = {branch(node.body)}")
        self.depth -= 1
        self.emit("else:")
        self.depth += 1
        self.emit(f"{out} = {branch(node.orelse)}")
        self.depth -= 1
        return out

    def call(self, node: Call) -> str:
        args = [self.value(a) for a in node.args]
        out = self.tmp()
        fn = self.const(node.helper.fn)
        self.emit(f"{out} = {fn}([{', '.join(args)}], {self.const(node.sources)})")
        return out


class _Results:
    """The Evaluations a rule's compiled function returns (shared, never changed)."""

    def __init__(self, rule: Any, evaluation: Any, status: Any) -> None:
        self.evaluation = evaluation
        self.absent = status.MISSING if rule.spec.missing == "report" else status.NOT_APPLICABLE
        self.error = status.ERROR
        self.cache: dict[str, Any] = {}

    def missing(self, what: str) -> Any:
        found = self.cache.get(what)
        if found is None:
            found = self.cache[what] = self.evaluation(self.absent, f"缺少数据：{what}", what)
        return found


def source_of(rule: Any) -> tuple[str, dict[str, Any]]:
    """The Python source of the rule's fast path and the constants it names."""
    results = _Results(rule, Evaluation, Status)
    gen = _Gen(rule, results)
    if rule.when is not None:
        held = gen.value(rule.when)
        gen.emit(f"if {held} is not True:")
        gen.emit(f"    if {held} is False:")
        gen.emit(f"        return {gen.const(_PRECONDITION)}")
        gen.emit(f"    if {held} is None:")
        gen.emit(f"        {gen.missing('前提条件')}")
        gen.emit("    raise _Bail")
    held = gen.value(rule.check)
    gen.emit(f"if {held} is True:")
    if gen.env:  # rounding is collected in the Env, if one was made
        rounded, passed = gen.const(ROUNDED), gen.const(PASSED)
        gen.emit(f"    return {rounded} if env is not None and env.rounding else {passed}")
    else:
        gen.emit(f"    return {gen.const(PASSED)}")
    gen.emit(f"if {held} is False:")
    gen.emit(f"    return {gen.const(FAILED)}")
    gen.emit("return None")
    absent = gen.const(results.missing)
    error = gen.const(results.error)
    evaluation = gen.const(Evaluation)
    body = [
        "def _rule(root, item, prefix, params, bindings, env=None):",
        "    try:",
        *gen.lines,
        "    except _Missing as exc:",
        f"        return {absent}(exc.what)",
        "    except _EvalError as exc:",
        f"        return {evaluation}({error}, str(exc))",
        "    except Exception:",  # _Bail, or anything unusual: the nodes decide (and raise)
        "        return None",
    ]
    return "\n".join(body) + "\n", gen.consts
