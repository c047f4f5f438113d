"""Office files are zip packages of XML parts: refuse hostile ones before any XML is parsed.

A zip bomb (a few kilobytes that unpack to gigabytes), a package of a million parts, and XML
with a document type declaration (the way to entity expansion — “billion laughs” — and to
external entities) are refused with one line each.  Word and Excel never write a DTD into their
parts, so refusing every part that declares one loses nothing.
"""

from __future__ import annotations

import io
import zipfile

from ..source import LoadError

__all__ = ["MAX_PARTS", "MAX_UNPACKED_BYTES", "check_package"]

MAX_UNPACKED_BYTES = 256 * 1024 * 1024  # a report's package unpacks to a few megabytes
MAX_PARTS = 10_000
_MAX_RATIO = 200  # XML compresses about 10:1; a bomb compresses a thousand times more
_HEAD = 4096  # a DTD must come before the root element: the head of a part is enough


def check_package(name: str, data: bytes, label: str) -> None:
    """Raise LoadError unless ``data`` is a zip package safe to hand to an XML reader."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        parts = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise LoadError(name, 1, 1, f"不是有效的 {label} 文件：{exc}") from None
    if len(parts) > MAX_PARTS:
        raise LoadError(name, 1, 1, f"{label} 文件包含的部件过多（{len(parts)} 个），疑似恶意文件")
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        raise LoadError(
            name, 1, 1, f"{label} 文件解压后过大（{unpacked // 2**20} MiB），疑似压缩炸弹"
        )
    for part in parts:
        if part.file_size > 1024 * 1024 and part.file_size > _MAX_RATIO * max(
            part.compress_size, 1
        ):
            raise LoadError(
                name, 1, 1, f"{label} 文件中的「{part.filename}」压缩比异常，疑似压缩炸弹"
            )
        if part.filename.endswith((".xml", ".rels", ".vml")):
            try:
                with package.open(part) as stream:
                    head = stream.read(_HEAD)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
                raise LoadError(name, 1, 1, f"不是有效的 {label} 文件：{exc}") from None
            if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                raise LoadError(
                    name,
                    1,
                    1,
                    f"{label} 文件中的「{part.filename}」含有 DTD 或实体声明"
                    "（Office 文件不会有，疑似恶意文件），拒绝读取",
                )
