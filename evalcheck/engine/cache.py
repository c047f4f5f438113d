"""A cache of validated rule files, keyed by their bytes, in the user's cache folder.

Validating a rule file (YAML parsing, pydantic) costs far more than compiling it, and rule
files rarely change, so the validated specs are kept as JSON (Decimals tagged, never pickle:
a cache file is data, not code).  Nothing is ever written next to the checked files; set
``EVALCHECK_NO_CACHE=1`` to bypass the cache, ``EVALCHECK_CACHE_DIR`` to move it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

__all__ = ["cache_key", "read", "write"]

FORMAT = "1"


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
        digest.update(b"\0" + salt.encode())
    return digest.hexdigest()


def read(key: str) -> Any | None:
    folder = _folder()
    if folder is None:
        return None
    try:
        text = (folder / f"{key}.json").read_text(encoding="utf-8")
        return json.loads(text, object_hook=_decode)
    except (OSError, ValueError):
        return None


def write(key: str, value: Any) -> None:
    """Best effort: an unwritable cache folder only costs speed."""
    folder = _folder()
    if folder is None:
        return
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(value, stream, ensure_ascii=False, default=_encode)
        os.replace(temporary, folder / f"{key}.json")


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    raise TypeError(type(value).__name__)


def _decode(obj: dict[str, Any]) -> Any:
    if len(obj) == 1 and "$decimal" in obj:
        return Decimal(obj["$decimal"])
    return obj
