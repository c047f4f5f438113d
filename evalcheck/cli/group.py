"""The ``evalcheck`` command group: Chinese help, the default ``check`` command, and one place
that turns every way of failing into one Chinese line and an exit code.

Exit codes follow ruff: 0 nothing at or above the fail level, 1 findings, 2 the run itself
failed (usage, unreadable report, bad rule or configuration file).  No path prints a
traceback: an unexpected exception becomes one line and exit 2.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import click

from .. import __version__
from ..inputs.escape import visible
from ..runner.output import guard_process
from .clean import failure

__all__ = ["Command", "cli", "main"]


# --------------------------------------------------------------------------- click in Chinese


class ChineseHelp(click.Command):
    """Help text headings in Chinese (click's own are English)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="用法：")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [
            record
            for param in self.get_params(ctx)
            if not isinstance(param, click.Argument)
            and (record := param.get_help_record(ctx)) is not None
        ]
        if rows:
            with formatter.section("选项"):
                formatter.write_dl(rows)


class Command(ChineseHelp):
    pass


class _Group(click.Group, ChineseHelp):
    """A group whose default command is ``check``: ``evalcheck report.json`` just works.

    A first argument that is not a subcommand name (a path, or an option of ``check``) is
    taken as the start of ``check``'s arguments.  ``evalcheck check rules`` checks a folder
    that happens to be called ``rules``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "命令 [参数]…")
        super().__init__(*args, **kwargs)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        ChineseHelp.format_options(self, ctx, formatter)
        rows = [
            (name, command.get_short_help_str(80))
            for name in self.list_commands(ctx)
            if (command := self.get_command(ctx, name)) is not None and not command.hidden
        ]
        with formatter.section("命令"):
            formatter.write_dl(rows)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        group_only = ("-h", "--help", "--version")
        if not args or (args[0] not in self.commands and args[0] not in group_only):
            args = ["check", *args]
        return super().parse_args(ctx, args)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> NoReturn:
        """Run, and turn every way of failing into a Chinese message and an exit code."""
        guard_process()
        code = _run_guarded(
            lambda: super(_Group, self).main(
                args, "evalcheck", complete_var, standalone_mode=False, **extra
            )
        )
        sys.exit(code)


def _run_guarded(run: Any) -> int:
    try:
        result = run()
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.UsageError as exc:
        _error(_usage_message(exc))
        click.echo("运行 evalcheck --help 查看用法。", err=True)
        return 2
    except click.ClickException as exc:
        _error(exc.format_message())
        return 2
    except click.Abort:
        _error("已中断")
        return 2
    except BaseException as exc:  # ours: the same lines as the clean path writes
        code = failure(exc)
        if code is None:
            raise
        return code
    return result if isinstance(result, int) else 0


def _line(message: str) -> None:
    """One line on stderr: whatever came from outside (file names, values) shown escaped."""
    click.echo(visible(message), err=True)


def _error(message: str) -> None:
    _line(f"evalcheck：错误：{message}")


def _usage_message(exc: click.UsageError) -> str:
    if isinstance(exc, click.NoSuchOption):
        text = f"没有选项 {exc.option_name}"
        if exc.possibilities:
            text += f"（是不是想用 {'、'.join(exc.possibilities)}？）"
        return text
    if isinstance(exc, click.BadOptionUsage):
        return f"选项 {exc.option_name} 需要一个值"
    if isinstance(exc, click.MissingParameter):
        hint = exc.param.get_error_hint(exc.ctx) if exc.param and exc.ctx else ""
        return f"缺少参数 {hint}".strip()
    if isinstance(exc, click.BadParameter):
        hint = exc.param_hint if isinstance(exc.param_hint, str) else ""
        if not hint and exc.param and exc.ctx:
            hint = exc.param.get_error_hint(exc.ctx)
        return f"{hint} 的值不合法：{exc.message}"
    return f"用法不对：{exc.message}"


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__,
    "--version",
    prog_name="evalcheck",
    message="%(prog)s %(version)s",
    help="显示版本并退出。",
)
@click.help_option("-h", "--help", help="显示帮助并退出。")
def cli() -> None:
    """检查部门整体支出绩效自评报告（JSON/YAML）中的数字与表述是否一致。

    \b
    evalcheck 报告.json …     检查报告（即 evalcheck check）
    evalcheck rules           列出规则
    evalcheck explain EC103   解释一条规则
    evalcheck schema          输出报告格式的 JSON Schema
    evalcheck import 报告.docx  把 Word/Excel/文本报告转成 JSON 或 YAML

    退出码：0 没有达到失败级别的问题；1 有问题；2 用法错误、报告无法读取、规则或配置文件有误。
    """


def main() -> None:
    """The console-script entry point."""
    cli.main()
