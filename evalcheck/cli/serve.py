"""``evalcheck serve``: the local page (see :mod:`evalcheck.runner.serve`); click only."""

from __future__ import annotations

import os

import click

from .group import Command, cli

__all__ = ["serve_command"]


@cli.command("serve", cls=Command)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=False,
    help="监听的端口（默认由系统选一个空闲端口）；只监听本机 127.0.0.1。",
)
@click.option("--open", "open_", is_flag=True, help="启动后在浏览器中打开页面。")
@click.option(
    "--max-size",
    type=click.IntRange(1, 512),
    default=32,
    metavar="MB",
    help="一次上传的文件合计不超过多少 MB（默认 32）。",
)
@click.option(
    "--config",
    "config_file",
    metavar="FILE",
    help="配置文件（默认按当前目录向上查找 .evalcheck.yaml 或 pyproject.toml）。",
)
@click.help_option("-h", "--help", help="显示帮助并退出。")
def serve_command(port: int, open_: bool, max_size: int, config_file: str | None) -> int:
    """在本机打开一个网页：选择或拖入报告文件，查看与 --format html 相同的检查结果。

    文件只在本机内存中检查，不会保存，也不会发往别处；按 Ctrl+C 停止。
    """
    from ..engine.pack import builtin_rules_dir
    from ..runner.configured import Resolver
    from ..runner.rules import RunError
    from ..runner.serve import Server
    from ..settings import Options

    options = Options(format="html", config_file=config_file)
    # A configuration that cannot be used stops here, not at the first upload.
    Resolver(options, builtin_rules_dir()).for_file(os.path.join(os.getcwd(), "report.json"))
    try:
        server = Server(port, options, max_size * 1024 * 1024)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise RunError(f"evalcheck：错误：无法在 127.0.0.1:{port} 上启动：{reason}") from None
    with server:
        click.echo(f"evalcheck 已启动：请在浏览器中打开 {server.url}（按 Ctrl+C 停止）")
        if open_:
            server.open_browser()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            click.echo("已停止")
    return 0
