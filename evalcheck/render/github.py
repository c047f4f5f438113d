"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

Each finding becomes a line such as::

    ::error file=reports/a.json,line=21,col=14,title=EC103 年初预算数应等于…::年初预算数 262.78 …

(``error``, ``warning`` or ``notice`` for info).  Lines are written as each file is checked.
Property values and the message are escaped as the Actions runner expects (the same rules as
``@actions/core``), so a ``%``, a line break, a colon or a comma in a message cannot end the
command early.  A finding the office explained is written as a ``notice`` whose title starts
with ``已说明`` and whose message ends with the explanation; it is marked, never dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..findings import Summary
from ..inputs.escape import visible
from . import RenderOptions
from .json_format import placed_text, report_path

if TYPE_CHECKING:
    from ..findings import FileResult, Finding

__all__ = ["GithubReporter", "escape_data", "escape_property", "workflow_command"]

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """Escape the message part of a workflow command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (``file=…``, ``title=…``) of a workflow command."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(
    command: str, message: str, file: str, line: int = 0, column: int = 0, title: str = ""
) -> str:
    """``::command file=F,line=L,col=C,title=T::message`` (line and column only when known).

    Control characters from the report or the rules are shown escaped first (the log is a
    terminal too); line breaks are written as the runner's ``%0D``/``%0A``.
    """
    message, file, title = visible(message, "\r\n"), visible(file, "\r\n"), visible(title, "\r\n")
    properties = [f"file={escape_property(file)}"]
    if line >= 1:
        properties.append(f"line={line}")
        if column >= 1:
            properties.append(f"col={column}")
    if title:
        properties.append(f"title={escape_property(title)}")
    return f"::{command} {','.join(properties)}::{escape_data(message)}"


def annotation(finding: Finding, file: str) -> str:
    """The workflow command for one finding."""
    title = f"{finding.rule_id} {finding.title}"
    message = placed_text(finding)
    command = COMMANDS.get(finding.severity, "warning")
    if finding.explanation is not None:
        command = "notice"
        title = f"已说明 {title}"
        message = f"{message}\n已说明：{finding.explanation}"
    if finding.rendered:  # a Word/Excel/PDF line number would point at nothing in the file
        return workflow_command(command, message, file, title=title)
    return workflow_command(command, message, file, finding.line, finding.column, title)


class GithubReporter:
    """Streams annotations file by file; nothing is written at the end."""

    def __init__(self, options: RenderOptions) -> None:
        self.options = options

    def file(self, result: FileResult) -> str:
        file = report_path(result.file)
        if result.error is not None:
            error = result.error
            line = workflow_command(
                "error", error.message, file, error.line, error.column, "无法读取报告"
            )
            return line + "\n"
        return "".join(annotation(f, file) + "\n" for f in result.findings)

    def finish(self, summary: Summary) -> str:
        return ""
