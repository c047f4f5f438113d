"""``evalcheck rules`` and ``evalcheck explain``: the rule registry, listed or explained."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from .group import Command, cli

__all__ = ["explain_command", "rules_command"]


def _load_rule_list(rule_paths: Sequence[str], no_builtin: bool) -> list[Any]:
    from ..engine.pack import builtin_rules_dir, load_packs
    from ..inputs.source import LoadError
    from ..runner.rules import located

    packs = ([] if no_builtin else [builtin_rules_dir()]) + [Path(p) for p in rule_paths]
    try:
        return load_packs(packs)
    except LoadError as exc:
        raise located(exc) from None


@cli.command("rules", cls=Command)
@click.option(
    "--format",
    "format_",
    default="text",
    metavar="text|json|markdown",
    help="输出格式：text（表格）、json 或 markdown（README 中的规则表）。",
)
@click.option(
    "--rules",
    "rule_paths",
    multiple=True,
    metavar="FILE_OR_DIR",
    help="同时列出这些规则包中的规则。",
)
@click.option("--no-builtin", is_flag=True, help="不列出内置规则。")
@click.option(
    "--test",
    "test_paths",
    multiple=True,
    metavar="FILE_OR_DIR",
    help="运行这些规则包中每条规则自带的示例，逐个报告是否如所写（有未通过的则退出码为 1）。",
)
@click.help_option("-h", "--help", help="显示帮助并退出。")
def rules_command(
    format_: str, rule_paths: tuple[str, ...], no_builtin: bool, test_paths: tuple[str, ...]
) -> int:
    """列出规则：编号、级别、标题、规则包；--test 运行规则包自带的示例。"""
    from ..findings import META_RULES
    from ..inputs.escape import json_safe
    from ..render.rules import rules_json, rules_markdown, rules_table

    if test_paths:
        return _test_examples(test_paths, format_)
    rules = _load_rule_list(rule_paths, no_builtin)
    rows = [(r.id, r.spec.name, r.severity, r.title, r.pack, r.spec.fix or "") for r in rules]
    rows += [(m.id, m.name, m.severity, m.title, "evalcheck", m.fix) for m in META_RULES.values()]
    if format_ == "json":
        click.echo(json_safe(json.dumps(rules_json(rows), ensure_ascii=False, indent=2)))
        return 0
    if format_ == "markdown":
        click.echo(rules_markdown(rows))
        return 0
    if format_ != "text":
        raise click.BadParameter(
            f"「{format_}」（应为 text、json 或 markdown）", param_hint="--format"
        )
    terminal = sys.stdout.isatty()
    width = shutil.get_terminal_size().columns if terminal else 120
    click.echo(rules_table(rows, width, terminal and not _no_color()), nl=False)
    return 0


def _test_examples(paths: Sequence[str], format_: str) -> int:
    from ..engine.examples import check_examples
    from ..render.rules import examples_json, examples_text

    if format_ not in ("text", "json"):
        raise click.BadParameter(
            f"「{format_}」（--test 时应为 text 或 json）", param_hint="--format"
        )
    results = list(check_examples(_load_rule_list(paths, True)))
    rows = [(r.rule.id, r.example.name, r.problem) for r in results]
    if format_ == "json":
        click.echo(json.dumps(examples_json(rows), ensure_ascii=False, indent=2))
    else:
        click.echo(examples_text(rows), nl=False)
    return 0 if all(r.passed for r in results) else 1


def _no_color() -> bool:
    import os

    return bool(os.environ.get("NO_COLOR"))


@cli.command("explain", cls=Command)
@click.argument("rule_id", metavar="规则")
@click.option(
    "--rules", "rule_paths", multiple=True, metavar="FILE_OR_DIR", help="同时在这些规则包中查找。"
)
@click.help_option("-h", "--help", help="显示帮助并退出。")
def explain_command(rule_id: str, rule_paths: tuple[str, ...]) -> int:
    """解释一条规则：依据、检查式、范围、参数与示例。"""
    from ..findings import META_RULES
    from ..render.rules import explain_text, meta_text
    from ..runner.rules import RunError

    rules = _load_rule_list(rule_paths, False)
    wanted = rule_id.strip()
    for meta in META_RULES.values():
        if wanted.upper() == meta.id or wanted == meta.name:
            click.echo(meta_text(meta), nl=False)
            return 0
    rule = next((r for r in rules if r.id == wanted.upper() or r.spec.name == wanted), None)
    if rule is None:
        raise RunError(
            f"evalcheck：错误：没有编号或名称为「{rule_id}」的规则（evalcheck rules 列出全部规则）"
        )
    click.echo(explain_text(rule), nl=False)
    return 0
