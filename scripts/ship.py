"""Write what ships compiled ahead of time: the built-in rule pack, the dataclass __init__s and
the regular expressions.

    python scripts/ship.py           # regenerate evalcheck/engine/builtin_pack.py,
                                     # evalcheck/inputs/records_inits.py and
                                     # evalcheck/engine/builtin_patterns.py
    python scripts/ship.py --check   # exit 1 if either is not what the sources give now

Run it after changing rules/, what the compiler makes of a rule, a dataclass or a regular
expression of the package (evalcheck/engine/ship.py, shipinits.py and shipre.py say how each
module is made and checked); tests/test_ship.py fails until they are current (the rule pack)
or nearly so (the others: a class or pattern they miss is compiled as before).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    os.environ["EVALCHECK_NO_SHIPPED"] = "1"
    from evalcheck.engine.ship import MODULE, generate
    from evalcheck.engine.shipinits import INITS_MODULE, generate_inits, init_texts
    from evalcheck.engine.shipre import PATTERNS_MODULE, collect, generate_patterns

    stale = 0
    for path, text in (
        (MODULE, generate(ROOT / "rules")),
        (INITS_MODULE, generate_inits(init_texts())),
        (PATTERNS_MODULE, generate_patterns(collect(ROOT / "samples"))),
    ):
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if text == current:
            continue
        name = path.relative_to(ROOT)
        if "--check" in argv:
            print(f"{name} is stale: run python scripts/ship.py")
            stale += 1
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {name} ({len(text.splitlines())} lines)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
