"""Parts of a document that must wait for the end of the run, kept on disk, not in memory.

A SARIF log lists its artifacts and results after the rules and the invocation, and those
are only complete when the last report is checked, so the log is written at the end.  A
:class:`Spool` keeps the text of each item as it comes (in memory up to :data:`IN_MEMORY`
characters, then in an anonymous temporary file) and gives it back in order, in pieces, so
the run holds one piece at a time: 100,000 reports' results are hundreds of megabytes of JSON.

:func:`spliced` writes the document ``json.dumps(…, indent=2)`` would give, with each spool's
items in place of a stand-in string: the items are dumped with the same indentation, so the
text is byte for byte the one the whole document would have had.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from typing import IO, Any

from ..inputs.escape import json_safe

__all__ = ["IN_MEMORY", "Spool", "dumps", "indents", "spliced"]

IN_MEMORY = 1 << 20  # characters kept before the text goes to disk
_PIECE = 1 << 16  # bytes read back at a time


def dumps(data: Any) -> str:
    return json_safe(json.dumps(data, ensure_ascii=False, indent=2))


class Spool:
    """The items of one JSON list, each dumped as it comes, read back once at the end."""

    def __init__(self, stand_in: str) -> None:
        self.stand_in = stand_in  # the string that marks the list's place in the document
        self.items = 0
        self._held: list[str] = []
        self._size = 0
        self._file: IO[bytes] | None = None

    def add(self, item: Any, indent: str) -> None:
        text = (
            ("," if self.items else "") + "\n" + indent + dumps(item).replace("\n", "\n" + indent)
        )
        self.items += 1
        if self._file is None:
            self._held.append(text)
            self._size += len(text)
            if self._size <= IN_MEMORY:
                return
            import tempfile

            self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed when read back
            text = "".join(self._held)
            self._held = []
        self._file.write(text.encode("utf-8", "surrogatepass"))

    def pieces(self) -> Iterator[str]:
        """The items' text (each led by ``,\\n`` and its indentation, the first by ``\\n``)."""
        yield from self._held
        spool = self._file
        if spool is None:
            return
        spool.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")("surrogatepass")
        while data := spool.read(_PIECE):
            yield decoder.decode(data)
        yield decoder.decode(b"", final=True)
        spool.close()
        self._file = None


def indents(document: dict[str, Any], spools: list[Spool]) -> dict[str, str]:
    """Each stand-in's indentation in ``document`` (each list holding its stand-in alone)."""
    text = dumps(document)
    found = {}
    for spool in spools:
        marker = json.dumps(spool.stand_in)
        at = text.index(marker)
        found[spool.stand_in] = text[text.rindex("\n", 0, at) + 1 : at]
    return found


def spliced(document: dict[str, Any], spools: list[Spool]) -> Iterator[str]:
    """``dumps(document) + "\\n"`` with each spool's items in its list, a piece at a time.

    In ``document`` each spooled list holds its stand-in alone, or nothing if it has no items
    (``[]`` is written as ``json.dumps`` writes an empty list); stand-ins appear in the order
    of ``spools``."""
    text = dumps(document)
    start = 0
    for spool in spools:
        if not spool.items:
            continue
        marker = json.dumps(spool.stand_in)
        at = text.index(marker, start)
        line = text.rindex("\n", 0, at)  # the list's items start on the line after its "["
        yield text[start:line]
        yield from spool.pieces()
        start = at + len(marker)
    yield text[start:] + "\n"
