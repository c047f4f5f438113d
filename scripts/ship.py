"""Write evalcheck/engine/builtin_pack.py, the built-in pack compiled ahead of time.

    python scripts/ship.py           # regenerate it from rules/
    python scripts/ship.py --check   # exit 1 if the shipped module is not what rules/ gives

Run it after changing rules/ or what the compiler makes of a rule (evalcheck/engine/ship.py
says how the module is made and checked); tests/test_ship.py fails until the module is current.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    os.environ["EVALCHECK_NO_SHIPPED"] = "1"
    from evalcheck.engine.ship import MODULE, generate

    text = generate(ROOT / "rules")
    current = MODULE.read_text(encoding="utf-8") if MODULE.exists() else None
    if "--check" in argv:
        if text != current:
            print(f"{MODULE.relative_to(ROOT)} is stale: run python scripts/ship.py")
            return 1
        return 0
    if text != current:
        MODULE.write_text(text, encoding="utf-8")
        print(f"wrote {MODULE.relative_to(ROOT)} ({len(text.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
