"""Shared test set-up: a private rule cache per test session, so runs never touch ~/.cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("EVALCHECK_CACHE_DIR", tempfile.mkdtemp(prefix="evalcheck-cache-"))

# Tests do not measure speed (bench/ does, with medians): a time bound in a test only tells a
# hang from a slow, shared machine.  Far above what any case needs when the machine is idle.
HANG_SECONDS = 30.0


def check_as_json(path: Path) -> tuple[int, dict[str, Any]]:
    """``python -m evalcheck PATH --format json``: the exit code and the file's result."""
    run = subprocess.run(
        [sys.executable, "-m", "evalcheck", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
        check=False,
    )
    return run.returncode, json.loads(run.stdout)["files"][0]
