"""Every file evalcheck reads or writes passes through here: one opener, one walker, one writer.

* :func:`read_file` opens regular files only.  A FIFO, a device, a socket or a folder is
  refused in one line before anything blocks on it (``mkfifo f.json`` would otherwise hang the
  run, ``/dev/zero`` would grow until the OOM killer came), and every read has a size cap that
  depends on what the file is (:data:`LIMITS`).
* :func:`walk` lists a folder iteratively (no recursion, so a folder 1,100 levels deep is
  fine), never follows a symbolic link to a folder, and stops with a one-line error after
  :data:`MAX_WALK_ENTRIES` entries (``rules = ["/"]`` must not walk the whole machine).
* :func:`atomic_write` writes beside the target and renames into place only when the text is
  complete and on disk, so a full disk or a killed run never leaves a truncated file that looks
  complete; :class:`Inputs` refuses, before anything is written, a target that is one of the
  run's own inputs (by resolved path or by inode, so a hard link or a symlink is caught too).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import field
from typing import IO

from .records import dataclass
from .source import MAX_FILE_BYTES, LoadError

__all__ = [
    "LIMITS",
    "MAX_WALK_ENTRIES",
    "Inputs",
    "atomic_write",
    "file_kind",
    "is_regular_file",
    "os_reason",
    "read_file",
    "too_large",
    "walk",
    "walk_lazily",
    "write_text",
]

MiB = 1024 * 1024

# What each kind of input may weigh at most.  A report is a few hundred kilobytes; the others
# are smaller still.  Anything bigger is refused before a byte of it is read.
LIMITS: dict[str, int] = {
    "report": MAX_FILE_BYTES,  # JSON, YAML, .txt, .docx, .xlsx
    "rules": 16 * MiB,  # a rule file (2,000 rules with long explain texts stay below 8 MiB)
    "config": 1 * MiB,  # .evalcheck.yaml, pyproject.toml (also the ones found walking up)
    "explanations": 16 * MiB,
    "baseline": MAX_FILE_BYTES,
    "cache": 32 * MiB,  # a cached rule file: never written bigger either
}
# Entries (files and folders) a folder walk looks at before it gives up.
MAX_WALK_ENTRIES = 200_000

_KINDS = (
    (stat.S_ISFIFO, "命名管道（FIFO）"),
    (stat.S_ISCHR, "字符设备"),
    (stat.S_ISBLK, "块设备"),
    (stat.S_ISSOCK, "套接字"),
    (stat.S_ISDIR, "目录"),
)
_CHUNK = 1 << 20


def file_kind(mode: int) -> str | None:
    """None for a regular file, else what the thing is, in the words of the messages."""
    if stat.S_ISREG(mode):
        return None
    return next((word for test, word in _KINDS if test(mode)), "特殊文件")


def too_large(name: str, limit: int = MAX_FILE_BYTES) -> LoadError:
    return LoadError(name, 1, 1, f"文件过大（超过 {_size(limit)}）")


def _size(limit: int) -> str:
    return f"{limit // MiB} MiB" if limit >= MiB and limit % MiB == 0 else f"{limit} 字节"


def os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "文件不存在"
    if isinstance(exc, IsADirectoryError):
        return "这是一个目录，不是文件"
    if isinstance(exc, PermissionError):
        return "没有读取权限"
    if exc.errno == errno.ENAMETOOLONG:
        return "路径过长"
    if exc.errno == errno.ELOOP:
        return "符号链接循环"
    return exc.strerror or type(exc).__name__


def _refuse(name: str, what: str) -> LoadError:
    if what == "目录":
        return LoadError(name, 1, 1, "无法读取文件：这是一个目录，不是文件")
    return LoadError(name, 1, 1, f"不是普通文件，而是{what}：不读取")


def read_file(name: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; anything else is a LoadError.

    The file is looked at before it is opened (``stat``), opened without blocking and looked at
    again (``fstat``), so a FIFO or a device never blocks the run whatever happens in between.
    """
    try:
        what = file_kind(os.stat(name).st_mode)
        if what is not None:
            raise _refuse(name, what)
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
        flags |= getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
        descriptor = os.open(name, flags)
    except OSError as exc:
        raise LoadError(name, 1, 1, f"无法读取文件：{os_reason(exc)}") from None
    with open(descriptor, "rb", buffering=0, closefd=True) as stream:
        try:
            status = os.fstat(descriptor)
            what = file_kind(status.st_mode)
            if what is not None:
                raise _refuse(name, what)
            if status.st_size > limit:
                raise too_large(name, limit)
            chunks = []
            total = 0
            while total <= limit:
                chunk = stream.read(min(_CHUNK, limit + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
        except OSError as exc:
            raise LoadError(name, 1, 1, f"无法读取文件：{os_reason(exc)}") from None
    if total > limit:  # the file grew while it was read
        raise too_large(name, limit)
    return b"".join(chunks)


def is_regular_file(name: str | os.PathLike[str]) -> bool:
    """A regular file (following symlinks); False for anything else, or on any error."""
    try:
        return stat.S_ISREG(os.stat(name).st_mode)
    except (OSError, ValueError):
        return False


# --------------------------------------------------------------------------- walking folders


def walk(
    root: str,
    accept: Callable[[str], bool],
    *,
    skip_hidden: bool = True,
    limit: int = MAX_WALK_ENTRIES,
) -> list[str]:
    """:func:`walk_lazily` as a list."""
    return list(walk_lazily(root, accept, skip_hidden=skip_hidden, limit=limit))


def walk_lazily(
    root: str,
    accept: Callable[[str], bool],
    *,
    skip_hidden: bool = True,
    limit: int = MAX_WALK_ENTRIES,
) -> Iterator[str]:
    """Files under ``root`` whose name ``accept`` takes, in the order ``os.walk`` gives them
    (top-down, each folder's files sorted, then its sub-folders sorted).

    Iterative: the stack is a list, so depth costs no recursion.  A symbolic link to a folder
    is not followed (as ``os.walk`` does by default), so a link cycle cannot loop; a link to a
    file is listed like a file and the opener decides.  A folder that cannot be listed is
    skipped, as ``os.walk`` does.  Past ``limit`` entries the walk stops with a LoadError.
    Names come folder by folder, so a caller that does not keep them holds one folder's.
    """
    stack = [root]
    seen = 0
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except OSError:
            continue
        seen += len(listed)
        if seen > limit:
            raise LoadError(
                root, 1, 1, f"目录中的文件和子目录过多（超过 {limit} 个）：请指定更具体的目录"
            )
        files: list[str] = []
        folders: list[str] = []
        for entry in listed:
            if skip_hidden and entry.name.startswith("."):
                continue
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_folder:
                folders.append(entry.name)
            elif accept(entry.name):
                files.append(entry.name)
        stack.extend(os.path.join(folder, name) for name in sorted(folders, reverse=True))
        for name in sorted(files):
            yield os.path.join(folder, name)


# --------------------------------------------------------------------------- writing files


@dataclass(frozen=True, slots=True)
class _Identity:
    path: str
    device: int
    inode: int


def _identity(name: str | os.PathLike[str]) -> _Identity:
    path = os.path.realpath(os.fspath(name))
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return _Identity(path, -1, -1)
    return _Identity(path, status.st_dev, status.st_ino)


@dataclass(slots=True)
class Inputs:
    """The files a run reads, to refuse an output that would overwrite one of them."""

    named: list[tuple[str, _Identity]] = field(default_factory=list)

    def add(self, names: Iterable[str | os.PathLike[str]]) -> None:
        for name in names:
            self.named.append((os.fspath(name), _identity(name)))

    def clash(self, target: str | os.PathLike[str]) -> str | None:
        """The input ``target`` names (same resolved path, or same device and inode), if any."""
        mine = _identity(target)
        for name, identity in self.named:
            if identity.path == mine.path:
                return name
            if identity.inode >= 0 and (identity.device, identity.inode) == (
                mine.device,
                mine.inode,
            ):
                return name
        return None


@contextlib.contextmanager
def atomic_write(target: str | os.PathLike[str]) -> Iterator[IO[str]]:
    """A text stream whose content replaces ``target`` only once it is complete and synced.

    The text goes to a temporary file beside the target (same folder, so the rename is atomic),
    which is flushed, ``fsync``-ed and renamed over the target; on any error, or if the run is
    interrupted, the temporary file is removed and the target is left as it was.  A target that
    exists and is not a regular file (``/dev/null``, ``/dev/stdout``, a FIFO someone reads) is
    written in place: there is nothing to rename over.  Errors are :class:`OSError`.
    """
    name = os.fspath(target)
    try:
        status: os.stat_result | None = os.stat(name)
    except FileNotFoundError:
        status = None
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(errno.EISDIR, "这是一个目录", name)
    if status is not None and not stat.S_ISREG(status.st_mode):
        with _open_special(name) as stream:
            yield stream
        return
    import tempfile  # (with shutil and random: 3 ms a check that writes no file need not pay)

    folder = os.path.dirname(os.path.abspath(name))
    handle, temporary = tempfile.mkstemp(
        dir=folder, prefix=f".{os.path.basename(name)}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        mode = stat.S_IMODE(status.st_mode) if status is not None else 0o666 & ~_umask()
        os.chmod(temporary, mode)
        os.replace(temporary, name)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def _open_special(name: str) -> Iterator[IO[str]]:
    """A device or FIFO opened for writing without blocking on a FIFO nobody reads."""
    flags = os.O_WRONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(name, flags | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise OSError(errno.ENXIO, "命名管道的另一端没有读取者", name) from None
        raise
    os.set_blocking(descriptor, True)
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as stream:
        yield stream


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(target: str | os.PathLike[str], text: str) -> None:
    """:func:`atomic_write` of one complete text."""
    with atomic_write(target) as stream:
        stream.write(text)
