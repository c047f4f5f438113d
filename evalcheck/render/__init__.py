"""Step 6: rendering findings — annotated text for people, machine formats for tools.

Every format is a :class:`Reporter` registered in :data:`FORMATS` by name (explicit, no
discovery).  A reporter receives results one file at a time (``file``), so formats that can
stream (text, concise, github, json, gitlab) print as they go and batch runs never hold every
finding in memory; sarif writes its results last (after the rules and the invocation, complete
only at the end), so it spools them to a temporary file (:mod:`.spool`).  Formats that must
see everything (junit: its totals lead the document; html, xlsx: the worst-first overview leads
and they draw every report) collect and emit in ``finish``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from ..findings import Summary
from ..inputs.records import dataclass

if TYPE_CHECKING:
    from ..findings import FileResult, RuleInfo

__all__ = [
    "BINARY_FORMATS",
    "FORMATS",
    "REPORT_FORMATS",
    "STREAMING_FORMATS",
    "RenderOptions",
    "Reporter",
    "Summary",
    "register_builtin_formats",
]


@dataclass(slots=True)
class RenderOptions:
    rules: Sequence[RuleInfo] = ()
    color: bool = False
    verbose: bool = False
    quiet: bool = False
    width: int = 140  # terminal cells a line may take: the terminal's width, else this
    tool_version: str = ""


class Reporter(Protocol):
    def file(self, result: FileResult) -> str:
        """Text to write for one checked file ("" when the format writes everything at the end)."""

    def finish(self, summary: Summary) -> str | bytes:
        """Text to write after the last file (bytes for :data:`BINARY_FORMATS`).

        A text format whose ending is long (the batch table, a document spooled to disk) also
        has ``finish_chunks(summary) -> Iterator[str]``, the same text in pieces, which the run
        writes instead so that it never holds the whole ending."""


FORMATS: dict[str, Callable[[RenderOptions], Reporter]] = {}

# Formats that draw the reports themselves, not only their findings: the run keeps each
# report's data in its result (FileResult.report) for them, and only for them.
REPORT_FORMATS = frozenset({"html"})
# Formats that write as each file is checked (the others write everything at the end).
STREAMING_FORMATS = frozenset({"text", "concise", "github", "json", "gitlab"})
# Formats whose output is bytes (``finish`` returns bytes): written to a file or a pipe,
# never to a terminal.
BINARY_FORMATS = frozenset({"xlsx"})


def _lazy(module: str, reporter: str) -> Callable[[RenderOptions], Reporter]:
    """A factory that imports the format's module only when the format is chosen."""

    def factory(options: RenderOptions) -> Reporter:
        cls: Callable[[RenderOptions], Reporter] = getattr(
            importlib.import_module(module, __name__), reporter
        )
        return cls(options)

    factory.__qualname__ = factory.__name__ = f"{reporter}_factory"
    return factory


def register_builtin_formats() -> None:
    """Fill :data:`FORMATS` with the machine formats (idempotent; never replaces an entry)."""
    FORMATS.setdefault("text", _lazy(".text", "TextReporter"))
    FORMATS.setdefault("concise", _lazy(".text", "ConciseReporter"))
    FORMATS.setdefault("json", _lazy(".json_format", "JsonReporter"))
    FORMATS.setdefault("sarif", _lazy(".sarif", "SarifReporter"))
    FORMATS.setdefault("github", _lazy(".github", "GithubReporter"))
    FORMATS.setdefault("gitlab", _lazy(".gitlab", "GitlabReporter"))
    FORMATS.setdefault("junit", _lazy(".junit", "JunitReporter"))
    FORMATS.setdefault("html", _lazy(".html", "HtmlReporter"))
    FORMATS.setdefault("xlsx", _lazy(".xlsx", "XlsxReporter"))


register_builtin_formats()
