"""Bytes to text, leniently but never by guessing silently wrong.

Reports are saved by whatever tool the finance office had at hand: UTF-8 (with or without BOM),
UTF-16/UTF-32 with a BOM, UTF-16 without BOM told apart by its NUL bytes (as RFC 4627 did), and
GB18030 (a superset of GBK, what Chinese Windows tools save) when the bytes are not UTF-8.
Line endings become ``\\n``, so lines and columns are right for CRLF files.
"""

from __future__ import annotations

import os
from typing import NoReturn

from .source import MAX_FILE_BYTES, LoadError

__all__ = ["decode", "decode_text", "os_reason", "read_file", "too_large"]


def read_file(name: str) -> bytes:
    """The file's bytes, refused past :data:`MAX_FILE_BYTES` before they are read."""
    try:
        with open(name, "rb") as stream:
            if os.fstat(stream.fileno()).st_size > MAX_FILE_BYTES:
                raise too_large(name)
            return stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise LoadError(name, 1, 1, f"无法读取文件：{os_reason(exc)}") from None


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decoded text with ``\\n`` line endings, and the codec that reads the bytes back."""
    raw, encoding = decode(data, name)
    return raw.replace("\r\n", "\n").replace("\r", "\n"), encoding


def too_large(name: str) -> LoadError:
    return LoadError(name, 1, 1, f"文件过大（超过 {MAX_FILE_BYTES // (1024 * 1024)} MiB）")


def os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "文件不存在"
    if isinstance(exc, IsADirectoryError):
        return "这是一个目录，不是文件"
    if isinstance(exc, PermissionError):
        return "没有读取权限"
    return exc.strerror or type(exc).__name__


_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le", "utf-16"),
    (b"\xfe\xff", "utf-16-be", "utf-16"),
)
_UNKNOWN_ENCODING = "无法识别文件编码（不是 UTF-8、UTF-16 或 GB18030）"


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Text and the name of the codec that reads the original bytes back."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom) :], codec, name), label
    sniffed = _sniff_nul_pattern(data)
    if sniffed is not None:
        return _strict(data, sniffed, name), sniffed
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if _mostly_utf8(data):
        _raise_undecodable(data, "utf-8", utf8_error, name, "文件不是有效的 UTF-8 编码")
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        _raise_undecodable(data, "utf-8", utf8_error, name, _UNKNOWN_ENCODING)


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few damaged bytes, not GBK: more well-formed multi-byte characters than
    stray bytes.  GB18030 would read such a file without complaint, as plausible but wrong
    Chinese (``单位名称`` → ``鍗曚綅鍚嶇О``), losing every key the checker knows."""
    kept = data.decode("utf-8", errors="ignore")
    stray = len(data.decode("utf-8", errors="replace")) - len(kept)
    wide = len(kept) - len(kept.encode("ascii", errors="ignore"))
    return wide > stray


def _sniff_nul_pattern(data: bytes) -> str | None:
    """UTF-16/32 without BOM: a JSON text starts with two ASCII characters (RFC 4627, section 3)."""
    head = data[:4]
    if len(head) == 4:
        nul = (head[0] == 0, head[1] == 0, head[2] == 0, head[3] == 0)
        patterns = {
            (True, True, True, False): "utf-32-be",
            (False, True, True, True): "utf-32-le",
            (True, False, True, False): "utf-16-be",
            (False, True, False, True): "utf-16-le",
        }
        return patterns.get(nul)
    if len(head) >= 2 and (head[0] == 0) != (head[1] == 0):
        return "utf-16-be" if head[0] == 0 else "utf-16-le"
    return None


def _strict(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        message = f"文件不是有效的 {codec.upper()} 编码"
        _raise_undecodable(data, codec, exc, name, message)


def _raise_undecodable(
    data: bytes, codec: str, exc: UnicodeDecodeError, name: str, message: str
) -> NoReturn:
    before = data[: exc.start].decode(codec, errors="replace")
    before = before.replace("\r\n", "\n").replace("\r", "\n")
    line = before.count("\n") + 1
    column = len(before) - before.rfind("\n")
    bad = data[exc.start : exc.start + 1].hex().upper()
    raise LoadError(name, line, column, f"{message}：无法解码的字节 0x{bad}") from None
