"""``evalcheck check``: its options.  Click only: the work is done by
:func:`evalcheck.cli.clean.run_check` (which ``evalcheck PATH …`` with no option runs without
click)."""

from __future__ import annotations

from typing import Any

import click

from ..settings import DEFAULT_FAIL_LEVEL
from ..suppress import EXPLANATIONS_NAME
from .clean import run_check
from .group import Command, cli

__all__ = ["check_command"]


@cli.command("check", cls=Command)
@click.argument("paths", nargs=-1, metavar="路径…")
@click.option(
    "--fail-level",
    metavar="LEVEL",
    help=f"达到此级别的问题使退出码为 1：error、warning 或 info（默认 {DEFAULT_FAIL_LEVEL}）。",
)
@click.option("--exit-zero", is_flag=True, help="即使有问题也以 0 退出（无法读取等仍为 2）。")
@click.option("-q", "--quiet", is_flag=True, help="只输出问题，不输出汇总。")
@click.option("-v", "--verbose", is_flag=True, help="同时列出未适用的规则及原因、已说明的问题。")
@click.option(
    "--format",
    "format_",
    metavar="NAME",
    help="输出格式（默认 text）：text、concise、json、sarif、github、gitlab、junit、"
    "html（可在浏览器中打开的网页）、xlsx（Excel 表，须用 -o 指定文件）。",
)
@click.option("-o", "--output", metavar="FILE", help="把结果写入文件而不是标准输出。")
@click.option(
    "--stdin-filename",
    metavar="NAME",
    help="用 - 从标准输入读取报告时，按这个文件名读取（后缀决定格式，所在目录决定配置）。",
)
@click.option("--statistics", is_flag=True, help="只输出每条规则的问题数量。")
@click.option(
    "--rules",
    "rules",
    multiple=True,
    metavar="FILE_OR_DIR",
    help="追加规则包（文件或目录，可重复）。",
)
@click.option(
    "--no-diagnose", is_flag=True, help="不推测最可能填错的数字（等式不成立时默认给出“诊断”）。"
)
@click.option("--no-builtin", is_flag=True, help="不使用内置规则包。")
@click.option(
    "--select",
    multiple=True,
    metavar="IDS",
    help="只运行这些规则：编号、编号前缀或规则名，逗号分隔，可重复。",
)
@click.option("--ignore", multiple=True, metavar="IDS", help="不运行这些规则（写法同 --select）。")
@click.option(
    "--severity",
    multiple=True,
    metavar="ID=LEVEL",
    help="改变规则的级别，如 EC308=error（可重复）。",
)
@click.option(
    "--param",
    multiple=True,
    metavar="ID.NAME=VALUE",
    help="设置规则参数，值按 YAML 读取，如 EC311.权重方案=湖南（可重复）。",
)
@click.option(
    "-j",
    "--jobs",
    metavar="N",
    help="同时检查报告的进程数（默认为 CPU 核数；1 表示不另起进程）。",
)
@click.option(
    "--config",
    "config_file",
    metavar="FILE",
    help="配置文件（默认向上查找 .evalcheck.yaml 或 pyproject.toml 的 [tool.evalcheck]）。",
)
@click.option(
    "--explanations", metavar="FILE", help=f"说明文件（默认向上查找 {EXPLANATIONS_NAME}）。"
)
@click.option("--baseline", metavar="FILE", help="隐藏基线文件中记录的已知问题。")
@click.option("--write-baseline", metavar="FILE", help="把当前的问题写入基线文件，然后以 0 退出。")
@click.option(
    "--color/--no-color",
    default=None,
    help="是否使用颜色（默认：终端中且未设置 NO_COLOR 时使用）。",
)
@click.help_option("-h", "--help", help="显示帮助并退出。")
def check_command(paths: tuple[str, ...], **options: Any) -> int:
    """检查报告文件；目录会递归查找 evalcheck 能读的文件（跳过隐藏目录）。"""
    return run_check(paths, options)
