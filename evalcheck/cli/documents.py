"""``evalcheck schema`` and ``evalcheck import``: documents about reports, to stdout or ``-o``."""

from __future__ import annotations

import json

import click

from .group import Command, cli

__all__ = ["emit", "import_command", "schema_command"]


@cli.command("schema", cls=Command)
@click.option("-o", "--output", metavar="FILE", help="写入文件而不是标准输出。")
@click.help_option("-h", "--help", help="显示帮助并退出。")
def schema_command(output: str | None) -> int:
    """输出报告格式的 JSON Schema（编辑器可据此提示和校验）。"""
    from ..report.model import schema_text

    return emit(schema_text(), output)


def emit(text: str, output: str | None) -> int:
    """A command's document, to standard output or to the file named by ``-o`` (written
    beside it and renamed into place when complete)."""
    from ..runner.output import output as open_output

    with open_output(output) as stream:
        stream.write(text)
    return 0


@cli.command("import", cls=Command)
@click.argument("file", metavar="文件")
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    help="写入 .json 或 .yaml 文件，而不是以 JSON 输出到标准输出。",
)
@click.help_option("-h", "--help", help="显示帮助并退出。")
def import_command(file: str, output: str | None) -> int:
    """把 .txt、.docx、.xlsx 报告读成报告格式（JSON 或 YAML），表格按表头识别。"""
    from ..inputs.files import Inputs
    from ..inputs.source import LoadError
    from ..report.assemble import import_path
    from ..runner.output import refuse_inputs
    from ..runner.rules import RunError

    inputs = Inputs()
    inputs.add([file])
    refuse_inputs(inputs, [("-o", output)])
    try:
        data = import_path(file).data
    except LoadError as exc:
        raise RunError(f"evalcheck：错误：{exc}") from None
    if output is not None and output.lower().endswith((".yaml", ".yml")):
        import yaml

        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    else:
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return emit(text, output)
