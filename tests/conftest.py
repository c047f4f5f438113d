"""Shared test set-up: a private rule cache per test session, so runs never touch ~/.cache."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("EVALCHECK_CACHE_DIR", tempfile.mkdtemp(prefix="evalcheck-cache-"))

# Tests do not measure speed (bench/ does, with medians): a time bound in a test only tells a
# hang from a slow, shared machine.  Far above what any case needs when the machine is idle.
HANG_SECONDS = 30.0
