"""Step 1 of the pipeline: read a file into plain data or a layout, and remember where things are.

:data:`READERS` is the one table of what evalcheck reads, by suffix: the folder walk, paths
named on the command line, the pre-commit hook and ``evalcheck import`` all use it, so a new
format joins in one line.  A *data* reader (JSON, YAML) returns the report as written, a
:class:`Document`; a *document* reader (Word, Excel, text) returns a :class:`Layout` of
paragraphs and table rows, every cell placed, which the report step assembles.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from .decode import decode_text, read_file, too_large
from .documents.layout import Layout
from .json_file import JsonIndex, load_json
from .records import dataclass
from .source import MAX_FILE_BYTES, Document, LoadError, NotAReport, PositionIndex, Source

__all__ = [
    "READERS",
    "Reader",
    "load_bytes",
    "load_path",
    "make_source",
    "read_bytes",
    "read_path",
    "reader_for",
]


@dataclass(frozen=True, slots=True)
class Reader:
    """How one kind of file is read: ``data`` readers give a Document, ``document`` readers a
    Layout.  ``extra`` names the optional dependency group the reader needs, if any."""

    kind: str
    label: str
    read: Callable[[str, bytes], Document | Layout]
    extra: str | None = None


def _read_json(name: str, data: bytes) -> Document:
    return load_bytes(data, name, "json")


def _read_yaml(name: str, data: bytes) -> Document:
    return load_bytes(data, name, "yaml")


def _read_text(name: str, data: bytes) -> Layout:
    from .documents.text import read_text

    text, encoding = decode_text(data, name)  # the same lenient decoding as JSON and YAML
    return read_text(Source(name, text, "text", encoding))


def _read_csv(name: str, data: bytes) -> Layout:
    from .documents.text import read_text

    text, encoding = decode_text(data, name)
    return read_text(Source(name, text, "text", encoding), csv_file=True)


def _read_docx(name: str, data: bytes) -> Layout:
    from .documents.docx import read_docx

    return read_docx(name, data)


# What evalcheck writes in its own outputs (--format xlsx, --format html), so that a second
# run over a folder skips, and may overwrite, the file the first one wrote there.
OWN_WORKBOOK = (b">evalcheck</dc:creator>", ">evalcheck 检查结果</dc:title>".encode())
OWN_PAGE = '<meta name="generator" content="evalcheck '


def _own_workbook(data: bytes) -> bool:
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("docProps/core.xml")
            if info.file_size > 65_536:
                return False
            core = archive.read(info)
            return all(mark in core for mark in OWN_WORKBOOK)
    except (KeyError, OSError, ValueError, zipfile.BadZipFile, NotImplementedError):
        return False  # not ours: the reader says what is wrong with it, if anything


def _read_xlsx(name: str, data: bytes) -> Layout:
    from .documents.xlsx import read_xlsx

    if _own_workbook(data):
        raise NotAReport(
            name, 1, 1, "这是 evalcheck 写出的检查结果（--format xlsx），不是报告：已跳过"
        )
    return read_xlsx(name, data)


def _read_xls(name: str, data: bytes) -> Layout:
    from .documents.xls import read_xls

    return read_xls(name, data)


def _read_html(name: str, data: bytes) -> Layout:
    from .documents.html import read_html

    text, encoding = decode_text(data, name)
    if OWN_PAGE in text[:2048]:
        raise NotAReport(
            name, 1, 1, "这是 evalcheck 写出的检查结果（--format html），不是报告：已跳过"
        )
    return read_html(Source(name, text, "html", encoding))


def _read_pdf(name: str, data: bytes) -> Layout:
    from .documents.pdf import read_pdf

    return read_pdf(name, data)


def _save_as(target: str) -> Callable[[str, bytes], Layout]:
    """Old binary formats nothing here can read: say how to make them readable."""

    def refuse(name: str, data: bytes) -> Layout:
        suffix = os.path.splitext(name)[1].lower()
        if data[:4] == b"PK\x03\x04" and target == ".docx":
            return _read_docx(name, data)  # a .docx saved under the old name
        if b"<html" in data[:2048].lower():
            return _read_html(name, data)  # a web page saved as .doc, as some sites publish
        raise LoadError(
            name, 1, 1, f"无法读取 {suffix} 文件：请用 Word 或 WPS 另存为 {target} 后再检查"
        )

    return refuse


READERS: dict[str, Reader] = {
    ".json": Reader("data", "JSON", _read_json),
    ".yaml": Reader("data", "YAML", _read_yaml),
    ".yml": Reader("data", "YAML", _read_yaml),
    ".txt": Reader("document", "文本", _read_text),
    ".csv": Reader("document", "CSV", _read_csv),
    ".docx": Reader("document", "Word", _read_docx, extra="office"),
    ".xlsx": Reader("document", "Excel", _read_xlsx, extra="office"),
    ".xls": Reader("document", "Excel 97-2003", _read_xls, extra="office"),
    ".et": Reader("document", "WPS 表格", _read_xls, extra="office"),
    ".html": Reader("document", "网页", _read_html),
    ".htm": Reader("document", "网页", _read_html),
    ".pdf": Reader("document", "PDF", _read_pdf, extra="pdf"),
    ".doc": Reader("document", "Word 97-2003", _save_as(".docx")),
    ".wps": Reader("document", "WPS 文字", _save_as(".docx")),
}


def reader_for(name: str) -> Reader | None:
    """The reader for a file name's suffix (case-insensitive), or None."""
    return READERS.get(os.path.splitext(name)[1].lower())


def read_path(path: str | os.PathLike[str]) -> Document | Layout:
    """Read a file with the reader its suffix names; a file with another suffix is read as
    JSON or YAML by its first character, as before."""
    name = os.fspath(path)
    return read_bytes(read_file(name), name)


def read_bytes(data: bytes, name: str) -> Document | Layout:
    """Read ``data`` as the file ``name`` would be read (standard input, uploads)."""
    reader = reader_for(name)
    if reader is None:
        return load_bytes(data, name, "auto")
    return reader.read(name, data)


def load_path(
    path: str | os.PathLike[str], limit: int = MAX_FILE_BYTES, *, report: bool = True
) -> Document:
    """Read a JSON or YAML file; the format comes from the suffix, else from the first character.

    ``limit``: the most bytes the file may have (see :data:`evalcheck.inputs.files.LIMITS`);
    ``report``: False for files that are not reports (a baseline is one of evalcheck's own
    outputs, which a report must not be).
    """
    name = os.fspath(path)
    data = read_file(name, limit)
    suffix = os.path.splitext(name)[1].lower()
    fmt = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}.get(suffix, "auto")
    return load_bytes(data, name, fmt, limit, report=report)


def load_bytes(
    data: bytes, name: str, format: str, limit: int = MAX_FILE_BYTES, *, report: bool = True
) -> Document:
    """Decode and parse ``data``; ``format`` is "json", "yaml", or "auto" (``{``/``[`` → JSON)."""
    if format not in ("json", "yaml", "auto"):
        raise ValueError(f"unknown format {format!r}")
    if len(data) > limit:
        raise too_large(name, limit)
    text, encoding = decode_text(data, name)
    if format == "auto":
        format = "json" if text.lstrip()[:1] in ("{", "[") else "yaml"
    source = make_source(name, text, format, encoding)
    if not text.strip():
        raise LoadError(name, 1, 1, "文件为空")
    if format == "json":
        return Document(source, load_json(source, report))
    from .yaml_file import YamlComposer  # PyYAML loads only for YAML files

    data_, index = YamlComposer(source).run()
    return Document(Source(name, text, format, encoding, _index=index), data_)


def make_source(name: str, text: str, format: str, encoding: str = "utf-8") -> Source:
    """A source whose positions are found again from its text (JSON and YAML)."""
    indexer = {"json": JsonIndex, "yaml": _yaml_index}.get(format)
    return Source(name, text, format, encoding, indexer=indexer)


def _yaml_index(source: Source) -> PositionIndex:
    from .yaml_file import YamlComposer  # PyYAML loads only for YAML files

    try:
        index: PositionIndex = YamlComposer(source).run()[1]
    except LoadError:
        return PositionIndex()
    return index
