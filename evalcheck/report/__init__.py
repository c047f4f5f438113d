"""Step 2 of the pipeline: the report — its model, its figures, and what its prose states.

:func:`from_input` turns what a reader gave (report data as written, or a document's layout)
into report data with its source: a layout is assembled by recognising its tables, and in both
cases the figures the 正文 states are added as ``正文数据``.
"""

from __future__ import annotations

from ..inputs.documents.layout import Layout
from ..inputs.source import Document
from .narrative import with_statements

__all__ = ["from_input"]


def from_input(read: Document | Layout) -> Document:
    """Report data and its source, whatever reader produced it."""
    if isinstance(read, Layout):
        from .assemble import assemble  # table recognition: only for Word, Excel and text

        read = assemble(read).document
    return with_statements(read)
