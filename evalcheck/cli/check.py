"""``evalcheck check``: options → settings → a run → an exit code.  Click only: the work is
done by :mod:`evalcheck.runner`."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import IO, Any

import click

from ..settings import DEFAULT_FAIL_LEVEL, Options
from ..suppress import EXPLANATIONS_NAME
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
    from ..engine.pack import builtin_rules_dir, rule_files
    from ..inputs.escape import visible
    from ..inputs.files import Inputs
    from ..runner.configured import Resolver
    from ..runner.output import output, own_output_dropped, refuse_inputs
    from ..runner.run import Run, RunOptions, collect_reports

    jobs = _jobs(options["jobs"])
    if not paths:
        raise click.UsageError("请指定要检查的报告文件或目录")
    flags = Options(
        select=options["select"],
        ignore=options["ignore"],
        rules=options["rules"],
        no_builtin=options["no_builtin"],
        severity=options["severity"],
        param=options["param"],
        fail_level=options["fail_level"],
        format=options["format_"],
        explanations=options["explanations"],
        config_file=options["config_file"],
    )
    diagnose = not options["no_diagnose"]
    stdin = _stdin(paths, options["stdin_filename"])
    named = tuple(stdin[0] if p == "-" and stdin else p for p in paths)
    # An output must never overwrite one of the run's inputs: the files named or found, checked
    # before anything else is read, then the configuration, rule and explanations files the
    # reports use, checked before anything is written.
    outputs = (("-o", options["output"]), ("--write-baseline", options["write_baseline"]))
    reports = own_output_dropped(collect_reports(named), named, options["output"])
    inputs = Inputs()
    inputs.add(reports)
    inputs.add(p for p in (flags.config_file, flags.explanations, options["baseline"]) if p)
    inputs.add(rule_files(Path(p) for p in flags.rules))
    refuse_inputs(inputs, outputs)
    run = Run(
        Resolver(flags, builtin_rules_dir(), diagnose),
        RunOptions(
            verbose=options["verbose"],
            quiet=options["quiet"],
            exit_zero=options["exit_zero"],
            statistics=options["statistics"],
            diagnose=diagnose,
            jobs=jobs,
            baseline=options["baseline"],
            stdin=stdin,
        ),
    )
    run.prepare(reports)
    inputs.add(run.resolver.inputs())
    refuse_inputs(inputs, outputs)
    if options["write_baseline"]:
        path = Path(options["write_baseline"])
        count, code = run.write_baseline(path, sys.stderr)
        click.echo(f"已把 {count} 个问题写入基线文件 {visible(str(path))}")
        return code
    output_name = options["output"]
    with output(output_name) as stream:
        color = _use_color(options["color"], stream, output_name is not None)
        return run.write(stream, sys.stderr, color=color, width=_width(stream))


def _stdin(paths: tuple[str, ...], name: str | None) -> tuple[str, bytes] | None:
    """``evalcheck -``: the report on standard input, read as ``--stdin-filename`` would be
    (its suffix chooses the reader, its folder the configuration); JSON or YAML otherwise."""
    if "-" not in paths:
        if name is not None:
            raise click.BadParameter(
                "只在用 - 从标准输入读取报告时使用", param_hint="--stdin-filename"
            )
        return None
    if paths != ("-",):
        raise click.UsageError("从标准输入读取（-）时不能再指定其他文件")
    from ..inputs.source import MAX_FILE_BYTES

    data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    shown = name or "<标准输入>"
    if len(data) > MAX_FILE_BYTES:
        raise click.UsageError(f"{shown}：标准输入的内容过大（超过 {MAX_FILE_BYTES // 2**20} MiB）")
    return shown, data


def _jobs(value: str | None) -> int:
    """``--jobs``: a positive number of processes; all the CPUs this process may use by default."""
    if value is None:
        cpus: int | None = getattr(os, "process_cpu_count", os.cpu_count)()
        return cpus or 1
    try:
        jobs = int(value.strip())
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise click.BadParameter(f"「{value}」（应为正整数，如 4）", param_hint="--jobs")
    return jobs


def _width(stream: IO[str]) -> int | None:
    """The terminal's width in cells when writing to one; else the renderers' default."""
    if not getattr(stream, "isatty", lambda: False)():
        return None
    return shutil.get_terminal_size().columns


def _use_color(option: bool | None, stream: IO[str], to_file: bool) -> bool:
    """--color/--no-color; else NO_COLOR turns colour off, FORCE_COLOR on (also in CI logs
    that are not a terminal); else colour on a terminal only."""
    if option is not None:
        return option
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if to_file:
        return False
    return bool(getattr(stream, "isatty", lambda: False)())
