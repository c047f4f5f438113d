"""Word and Excel files are zip packages of XML parts: every part is parsed here, as a stream,
before python-docx or openpyxl touch it, so that neither ever sees XML built to hurt.

* The package first passes :func:`~.package.check_package` (size unpacked, number of parts,
  compression ratio, no DTD in the head of a part).
* Each XML part (:func:`scan_xml`): at most :data:`MAX_XML_BYTES` bytes and
  :data:`MAX_XML_ELEMENTS` elements, read as a stream with entities never resolved and no DTD
  loaded.  A document type declaration is refused outright: Office never writes one, and it is
  the only place entities can be declared, so no entity expansion ("billion laughs") can
  happen.  Bad XML, undefined entities, characters XML forbids and nesting past libxml2's 256
  levels are one Chinese line naming the part (``word/document.xml 第 3 行第 30 列``).

Anything else the libraries raise on a hostile file is caught where they are called
(:func:`library_error`), so no traceback ever reaches the user.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from typing import IO, Any

from ..source import LoadError
from .package import check_package

__all__ = [
    "MAX_XML_BYTES",
    "MAX_XML_ELEMENTS",
    "library_error",
    "open_package",
    "scan_xml",
]

MiB = 1024 * 1024
MAX_XML_BYTES = 32 * MiB
MAX_XML_ELEMENTS = 2_000_000


def open_package(name: str, data: bytes, label: str) -> zipfile.ZipFile:
    """The package, once :func:`~.package.check_package` has passed it (size, parts, DTDs)."""
    check_package(name, data, label)
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise LoadError(name, 1, 1, f"不是有效的 {label} 文件：不是 zip 压缩包") from None


class _Limited(io.RawIOBase):
    """A part's bytes, refused past ``limit`` (the stream decompresses as it is read)."""

    def __init__(self, stream: IO[bytes], limit: int, fail: Callable[[], LoadError]) -> None:
        self._stream = stream
        self._left = limit
        self._fail = fail

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(min(len(buffer), self._left + 1))
        self._left -= len(data)
        if self._left < 0:
            raise self._fail()
        buffer[: len(data)] = data
        return len(data)


def _open_part(package: zipfile.ZipFile, part: str, name: str, label: str) -> IO[bytes]:
    def too_big() -> LoadError:
        return LoadError(
            name, 1, 1, f"{label} 文件中的 {part} 过大（超过 {MAX_XML_BYTES // MiB} MiB）"
        )

    try:
        raw = package.open(part)
    except (KeyError, zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError):
        raise LoadError(name, 1, 1, f"{label} 文件中的 {part} 无法解压") from None
    return io.BufferedReader(_Limited(raw, MAX_XML_BYTES, too_big))


_REASONS = (
    ("Excessive depth", "嵌套层数过深（超过 256 层）"),
    ("Detected an entity reference loop", "实体引用循环"),
    ("not defined", "引用了未定义的实体"),
    ("invalid Char", "含有 XML 不允许的字符"),
    ("Char 0x", "含有 XML 不允许的字符"),
    ("xmlParseCharRef", "含有 XML 不允许的字符"),
    ("Document is empty", "内容为空"),
    ("Extra content", "根元素之后还有多余内容"),
)


def _reason(message: str) -> str:
    return next((chinese for english, chinese in _REASONS if english in message), "格式错误")


def scan_xml(
    package: zipfile.ZipFile,
    part: str,
    name: str,
    label: str,
    on_end: Callable[[str], None] | None = None,
) -> None:
    """Parse one part as a stream and drop it: every check above, and ``on_end(tag)`` for each
    element as it closes (the readers count paragraphs and rows with it)."""
    from lxml import etree

    stream = _open_part(package, part, name, label)
    count = 0
    try:
        events: Iterator[tuple[str, Any]] = etree.iterparse(
            stream,
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
        )
        for event, element in events:
            if event == "start":
                if count == 0 and element.getroottree().docinfo.doctype:
                    raise _doctype(name, label, part)
                count += 1
                if count > MAX_XML_ELEMENTS:
                    raise LoadError(
                        name,
                        1,
                        1,
                        f"{label} 文件中的 {part} 元素过多（超过 {MAX_XML_ELEMENTS} 个）",
                    )
                continue
            if on_end is not None:
                on_end(element.tag)
            element.clear()
            parent = element.getparent()
            if parent is not None:  # keep memory flat: drop what was read
                while element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        line, column, message = _first_error(exc)
        raise LoadError(
            name,
            1,
            1,
            f"{label} 文件中的 {part} 不是有效的 XML（第 {line} 行第 {column} 列：{_reason(message)}）",
        ) from None
    finally:
        stream.close()


def _first_error(exc: Any) -> tuple[int, int, str]:
    """Where libxml2 first failed (the exception's own text can name a later symptom)."""
    for entry in exc.error_log:
        if entry.line > 0:
            return entry.line, max(entry.column, 1), entry.message
    line, column = exc.position if exc.position and exc.position[0] > 0 else (1, 1)
    return line, column, str(exc)


def _doctype(name: str, label: str, part: str) -> LoadError:
    return LoadError(name, 1, 1, f"{label} 文件中的 {part} 含有文档类型声明（DTD），拒绝读取")


def library_error(name: str, label: str, exc: BaseException) -> LoadError:
    """Whatever python-docx or openpyxl raised on a file they could not read, as one line."""
    if isinstance(exc, LoadError):
        return exc
    if isinstance(exc, MemoryError):
        return LoadError(name, 1, 1, f"{label} 文件过于复杂，无法读取")
    detail = " ".join(str(exc).split())[:120] or type(exc).__name__
    return LoadError(name, 1, 1, f"不是有效的 {label} 文件：{detail}")
