"""One escaper for every string that did not come from evalcheck itself.

It lives with the readers because the strings it escapes come in through them, and every later
step that writes them out (explanations and baseline, renderers, the runner, the command line)
may use it.

Report texts, rule titles, messages and explain texts, explanation reasons, configuration values
and file names are written by anyone.  Written raw to a terminal, ``ESC ] 0 ; … BEL`` sets the
window title, ``ESC [ 2 J`` clears the screen, an OSC-8 sequence makes a hidden hyperlink,
``\\r`` rewrites the line and a newline in a file name splits a one-line error in two (or forges
a second one).  Each medium gets its own escape:

* :func:`visible` for the terminal and any plain text (text, concise, github, errors on
  stderr): control characters, bidirectional overrides, line separators and the undecodable
  bytes of a file name (lone surrogates) are shown as ``\\n``, ``\\x1b``, ``\\u202e``, ``\\xff``,
  the way ``ruff`` and ``git`` show them.  Tabs stay tabs.
* :func:`json_safe` for JSON text written by ``json.dumps(ensure_ascii=False)``: the same
  characters become ``\\uXXXX`` escapes (JSON already escapes U+0000–U+001F), so the document is
  still valid JSON and still valid UTF-8.
* :func:`markup` for HTML text and attribute values: :func:`visible`, then ``& < > " '`` as
  character references, so a report's text can neither close an element nor open a script.
* :func:`file_name` for a file name inside a machine format: undecodable bytes shown as
  ``\\xff`` (a lone surrogate cannot be written as UTF-8), everything else kept.
"""

from __future__ import annotations

import re

__all__ = ["file_name", "json_safe", "markup", "visible", "visible_lines"]

# C0 controls but tab, DEL and C1, the bidirectional controls, line and paragraph separators,
# and surrogates (from undecodable bytes in file names, or broken escapes).
_UNSAFE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\x1b": "\\x1b"}


def _show(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte os.fsdecode could not decode (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str, keep: str = "") -> str:
    """``text`` with every character that could act on a terminal shown as an escape (but
    those in ``keep``, which the caller escapes its own way)."""
    if _UNSAFE.search(text) is None:
        return text
    if not keep:
        return _UNSAFE.sub(_show, text)
    return _UNSAFE.sub(lambda m: m.group() if m.group() in keep else _show(m), text)


_MARKUP = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def markup(text: str, keep: str = "\n\t") -> str:
    """``text`` for an HTML page: its controls shown as :func:`visible` shows them (newlines and
    tabs kept: the page decides how to show them), then escaped for text or a quoted attribute."""
    return visible(text, keep).translate(_MARKUP)


def visible_lines(text: str) -> str:
    """:func:`visible` for text of several lines (an explain text): its newlines are kept."""
    return visible(text, keep="\n")


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")


def json_safe(document: str) -> str:
    """JSON text with the characters :func:`visible` escapes written as ``\\uXXXX``."""
    if _JSON_UNSAFE.search(document) is None:
        return document
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", document)


_SURROGATE = re.compile("[\ud800-\udfff]")


def file_name(name: str) -> str:
    """A file name that can be written as UTF-8: undecodable bytes shown as ``\\xff``."""
    return name if _SURROGATE.search(name) is None else _SURROGATE.sub(_show, name)
