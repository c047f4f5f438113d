"""A cache of validated rule files, keyed by their bytes, in the user's cache folder.

Validating a rule file (YAML parsing, pydantic) costs far more than compiling it, and rule
files rarely change, so the validated specs are kept as JSON (Decimals tagged, never pickle:
a cache file is data, not code).  Nothing is ever written next to the checked files; set
``EVALCHECK_NO_CACHE=1`` to bypass the cache, ``EVALCHECK_CACHE_DIR`` to move it.

The cache is untrusted input: anyone who can write the folder can put anything there.  So an
entry is read like any other file (regular files only, at most :data:`MAX_ENTRY_BYTES`), it
must carry an HMAC made with the key kept beside the entries (``key``, created once, readable
by its owner only), its JSON is parsed with every error caught, every number must be a finite
Decimal, and the caller validates the specs again before it compiles them
(:func:`evalcheck.engine.pack.load_rules`).  On any doubt the entry is a miss and the rule
file is validated from its source again.  An entry is never written bigger than the cap, and
is written beside its name and renamed into place, so a killed run leaves at most a small
temporary file, removed by a later write.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..inputs.files import LIMITS, read_file, write_text
from ..inputs.source import LoadError

__all__ = ["MAX_ENTRY_BYTES", "cache_key", "read", "write"]

FORMAT = "2"
MAX_ENTRY_BYTES = LIMITS["cache"]
_KEY_NAME = "evalcheck-cache.key"
_KEY_BYTES = 32
_STALE_SECONDS = 600  # a temporary file this old was left by a killed run


class _Untrusted(ValueError):
    """An entry that is not exactly what this module wrote."""


def _folder() -> Path | None:
    if os.environ.get("EVALCHECK_NO_CACHE"):
        return None
    configured = os.environ.get("EVALCHECK_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "evalcheck"


def cache_key(content: bytes, *salts: str) -> str:
    digest = hashlib.sha256(content)
    for salt in (FORMAT, *salts):
        digest.update(b"\0" + salt.encode("utf-8", errors="surrogateescape"))
    return digest.hexdigest()


def _secret(folder: Path, create: bool) -> bytes | None:
    """The folder's signing key, made on first use; None if it cannot be read or made."""
    path = folder / _KEY_NAME
    try:
        key = read_file(str(path), 4 * _KEY_BYTES)
    except LoadError:
        key = b""
    if len(key) == _KEY_BYTES:
        return key
    if not create or key:  # a key of the wrong size: someone else's file, leave it
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:
        return None
    key = os.urandom(_KEY_BYTES)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(key)
    return key


def _signature(key: bytes, body: bytes) -> str:
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def read(key: str) -> Any | None:
    """The value stored under ``key``, or None for a miss (absent, unreadable or untrusted)."""
    folder = _folder()
    if folder is None:
        return None
    secret = _secret(folder, create=False)
    if secret is None:
        return None
    try:
        data = read_file(str(folder / f"{key}.json"), MAX_ENTRY_BYTES)
    except LoadError:
        return None
    signature, newline, body = data.partition(b"\n")
    if not newline or not hmac.compare_digest(signature, _signature(secret, body).encode()):
        return None
    try:
        return json.loads(body.decode("utf-8"), object_hook=_decode)
    except (ValueError, ArithmeticError, RecursionError, MemoryError):
        return None


def write(key: str, value: Any) -> None:
    """Best effort: an unwritable cache folder, or a value too big to keep, only costs speed."""
    folder = _folder()
    if folder is None:
        return
    try:
        body = json.dumps(value, ensure_ascii=False, default=_encode).encode("utf-8")
    except (TypeError, ValueError, RecursionError):
        return
    if len(body) + 2 * _KEY_BYTES + 1 > MAX_ENTRY_BYTES:
        return
    with contextlib.suppress(OSError):
        secret = _secret(folder, create=True)
        if secret is None:
            return
        _remove_stale(folder)
        text = _signature(secret, body) + "\n" + body.decode("utf-8")
        write_text(folder / f"{key}.json", text)


def _remove_stale(folder: Path) -> None:
    """Temporary files a killed run left behind (see :func:`evalcheck.inputs.files.atomic_write`)."""
    limit = time.time() - _STALE_SECONDS
    with os.scandir(folder) as entries:
        for entry in entries:
            if not (entry.name.startswith(".") and entry.name.endswith(".tmp")):
                continue
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < limit:
                    os.unlink(entry.path)


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    raise TypeError(type(value).__name__)


def _decode(obj: dict[str, Any]) -> Any:
    if "$decimal" not in obj:
        return obj
    text = obj["$decimal"]
    if len(obj) != 1 or not isinstance(text, str) or len(text) > 100:
        raise _Untrusted("$decimal")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise _Untrusted(text) from None
    if not number.is_finite():
        raise _Untrusted(text)
    return number
