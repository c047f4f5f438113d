"""``evalcheck rules`` and ``evalcheck explain``: the rule registry as a table, as markdown for
the README (generated, so it cannot drift), and one rule explained in full."""

from __future__ import annotations

from collections.abc import Sequence
from io import StringIO
from typing import Any

from ..findings import SEVERITY_LABEL
from ..inputs.escape import visible, visible_lines

__all__ = [
    "NO_FIX",
    "ExampleRow",
    "Row",
    "examples_json",
    "examples_text",
    "explain_text",
    "rules_json",
    "rules_markdown",
    "rules_table",
]

Row = tuple[str, str, str, str, str, str]  # id, name, severity, title, pack, fix
_KEYS = ("id", "name", "severity", "title", "pack")
NO_FIX = "（无修正说明）"  # marks a rule without ``fix:``: its findings carry no help line


def rules_json(rows: Sequence[Row]) -> list[dict[str, str]]:
    return [dict(zip(_KEYS, row[:5], strict=True)) for row in rows]


ExampleRow = tuple[str, str, str]  # rule id, example name, why it fails ("" when it passes)


def examples_text(rows: Sequence[ExampleRow]) -> str:
    """One line per example of ``evalcheck rules --test``, then the count."""
    width = max((len(rule_id) for rule_id, _, _ in rows), default=0)
    lines = [
        f"{'未通过' if problem else '通过  '}  {rule_id.ljust(width)}  {name}"
        + (f"：{problem}" if problem else "")
        for rule_id, name, problem in rows
    ]
    failed = sum(1 for *_, problem in rows if problem)
    lines.append(f"共 {len(rows)} 个示例：{len(rows) - failed} 个通过，{failed} 个未通过")
    return "\n".join(lines) + "\n"


def examples_json(rows: Sequence[ExampleRow]) -> list[dict[str, Any]]:
    return [
        {"rule": rule_id, "example": name, "passed": not problem, "problem": problem or None}
        for rule_id, name, problem in rows
    ]


def _title(title: str, fix: str) -> str:
    return title if fix else f"{title}{NO_FIX}"


def rules_markdown(rows: Sequence[Row]) -> str:
    """The rule table of the README."""
    lines = ["| 编号 | 名称 | 级别 | 标题 | 规则包 |", "| --- | --- | --- | --- | --- |"]
    lines += [
        visible(
            f"| {rule_id} | `{name}` | {SEVERITY_LABEL[severity]} | {_title(title, fix)} | {pack} |"
        )
        for rule_id, name, severity, title, pack, fix in rows
    ]
    return "\n".join(lines)


def rules_table(rows: Sequence[Row], width: int, color: bool) -> str:
    """Aligned columns in terminal cells, so Chinese titles line up."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, header_style="bold", pad_edge=False)
    for heading in ("编号", "级别", "标题", "规则包"):
        table.add_column(heading, no_wrap=heading != "标题")
    for rule_id, _name, severity, title, pack, fix in rows:  # Text: never read as rich markup
        cells = (rule_id, SEVERITY_LABEL[severity], _title(title, fix), pack)
        table.add_row(*(Text(visible(cell)) for cell in cells))
    out = StringIO()
    console = Console(
        file=out, width=width, force_terminal=color, no_color=not color, highlight=False
    )
    console.print(table)
    return out.getvalue()


def explain_text(rule: Any) -> str:
    """Everything about one compiled rule, in the order a reader asks for it."""
    spec = rule.spec
    lines = [
        f"{rule.id}（{spec.name}）：{spec.title}",
        f"级别：{SEVERITY_LABEL[spec.severity]}    规则包：{rule.pack}",
        "",
        spec.documentation,
        "",
        f"检查：{' '.join(spec.check.split())}",
        f"范围：{spec.scope or '整份报告'}",
    ]
    if spec.for_each:
        loops = "；".join(f"{k} ∈ {'、'.join(v)}" for k, v in spec.for_each.items())
        lines.append(f"逐项：{loops}")
    if spec.when:
        lines.append(f"前提：{spec.when}")
    if spec.tolerance is not None:
        lines.append(f"容差：{spec.tolerance}")
    if spec.params:
        lines.append("参数：")
        for name, value in spec.params.items():
            lines.append(f"  {name}：{_flow(value)}")
    lines.append("示例：")
    verdicts = {"pass": "通过", "fail": "不通过", "info": "提示", "not-applicable": "不适用"}
    for example in spec.examples:
        extra = f"（参数 {_flow(example.params)}）" if example.params else ""
        lines.append(
            f"  {verdicts[example.expect]}  {example.name}{extra}：{_flow(example.report)}"
        )
    return visible_lines("\n".join(lines)) + "\n"  # the rule file's own texts, escaped


def meta_text(meta: Any) -> str:
    return f"{meta.id}（{meta.name}）：{meta.title}\n级别：{SEVERITY_LABEL[meta.severity]}\n\n{meta.explain}\n"


def _flow(value: Any) -> str:
    """A compact, YAML-flow-like rendering of example data (Chinese stays readable)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if value == "":
        return '""'
    return str(value)
