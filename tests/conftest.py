"""Shared test set-up: a private rule cache per test session, so runs never touch ~/.cache."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("EVALCHECK_CACHE_DIR", tempfile.mkdtemp(prefix="evalcheck-cache-"))
