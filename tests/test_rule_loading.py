"""Loading a rule pack fast without loading it differently (issue #18's cold start)."""

from __future__ import annotations

import ast
import os

import pytest

from evalcheck.engine import compile as expressions
from evalcheck.engine.compile import MAX_NODES, ExprError, parse
from evalcheck.engine.pack import builtin_rules_dir, load_packs


def _texts() -> list[str]:
    """Every expression text of the built-in pack, as the loader hands them to the parser
    (compiling the pack, not rebuilding its shipped form, see tests/test_ship.py)."""
    seen: list[str] = []
    original = expressions.parse

    def spy(text: str) -> ast.Expression:
        seen.append(text)
        return original(text)

    expressions.parse = spy  # type: ignore[assignment]
    os.environ["EVALCHECK_NO_SHIPPED"] = "1"
    try:
        load_packs([builtin_rules_dir()])
    finally:
        expressions.parse = original  # type: ignore[assignment]
        del os.environ["EVALCHECK_NO_SHIPPED"]
    return seen


def test_the_node_count_is_ast_walks_on_every_builtin_expression() -> None:
    texts = _texts()
    assert len(texts) > 500
    assert len(set(texts)) < len(texts)  # texts repeat: the parse is kept per text
    for text in texts:
        tree = ast.parse(expressions._normalised(text), mode="eval")
        assert expressions._count_nodes(tree) == sum(1 for _ in ast.walk(tree)), text


@pytest.mark.parametrize(
    "text",
    [
        "a",
        "-a",
        "not a",
        "a.b[0]['c'][...]",
        "f(a, b, *c)",
        "a if b else c",
        "a < b <= c",
        "[1, (2, 3)]",
    ],
)
def test_the_node_count_counts_contexts_and_operators_like_ast_walk(text: str) -> None:
    tree = ast.parse(text, mode="eval")
    assert expressions._count_nodes(tree) == sum(1 for _ in ast.walk(tree))


def test_a_refused_text_is_refused_again_with_its_count() -> None:
    text = "1+" * 300 + "1 == 1"
    tree = ast.parse(text, mode="eval")
    count = sum(1 for _ in ast.walk(tree))
    assert count > MAX_NODES
    for _ in range(2):  # a refusal is never kept as if it were a tree
        with pytest.raises(ExprError) as caught:
            parse(text)
        assert caught.value.message == f"表达式过于复杂（{count} 个节点，上限 {MAX_NODES}）"
    with pytest.raises(ExprError, match="语法错误"):
        parse("a ==")
    with pytest.raises(ExprError, match="语法错误"):
        parse("a ==")


def test_the_same_text_gives_the_same_tree_and_equal_texts_share_it() -> None:
    first = parse("基本支出.决算 == 基本支出.人员经费 + 基本支出.公用经费")
    again = parse("基本支出.决算 ==\n基本支出.人员经费 + 基本支出.公用经费")  # normalised: one line
    assert first is again
    assert ast.dump(first) == ast.dump(
        ast.parse("基本支出.决算 == 基本支出.人员经费 + 基本支出.公用经费", mode="eval")
    )
