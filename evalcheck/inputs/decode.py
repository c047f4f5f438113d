"""Bytes to text, leniently but never by guessing silently wrong.

Reports are saved by whatever tool the finance office had at hand: UTF-8 (with or without BOM),
UTF-16/UTF-32 with a BOM, UTF-16 without BOM told apart by its NUL bytes (as RFC 4627 did), and
GB18030 (a superset of GBK, what Chinese Windows tools save) when the bytes are not UTF-8.
Line endings become ``\\n``, so lines and columns are right for CRLF files.
"""

from __future__ import annotations

from typing import NoReturn

from .files import os_reason, read_file, too_large
from .source import LoadError

__all__ = ["decode", "decode_text", "os_reason", "read_file", "too_large"]


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decoded text with ``\\n`` line endings, and the codec that reads the bytes back."""
    raw, encoding = decode(data, name)
    return raw.replace("\r\n", "\n").replace("\r", "\n"), encoding


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
