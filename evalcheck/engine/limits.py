"""How much a rule file may ask for, and how much work one run may do: the numbers in one place.

docs/limits.md states each of them; tests/test_hostile_limits_doc.py keeps the two equal.  The
pydantic schema (:mod:`.ruleschema`) enforces the rule-file limits on first load, and
:func:`evalcheck.engine.pack.load_rules` enforces them again on specs read from the cache, which
is untrusted.
"""

from __future__ import annotations

__all__ = [
    "EVALUATIONS_ALLOWED_PER_REPORT",
    "MAX_COMBINATIONS",
    "MAX_EVALUATIONS_PER_REPORT",
    "MAX_EVALUATIONS_PER_RUN",
    "MAX_EXAMPLES",
    "MAX_EXPLAIN",
    "MAX_FIX",
    "MAX_LOOP_VALUES",
    "MAX_LOOP_VARIABLES",
    "MAX_MESSAGE",
    "MAX_NAME",
    "MAX_RULES",
    "MAX_TITLE",
    "MIN_EXAMPLES",
]

MAX_RULES = 2000  # rules per file
MAX_NAME = 60
MAX_TITLE = 80
MAX_MESSAGE = 300
MAX_EXPLAIN = 4000
MAX_FIX = 300
MIN_EXAMPLES = 2
MAX_EXAMPLES = 50
# A rule runs once per combination of its loop variables at every scope item: four variables
# of 50 values each (a few lines of YAML with aliases) would be 6,250,000 runs per row.
MAX_LOOP_VARIABLES = 4
MAX_LOOP_VALUES = 50
MAX_COMBINATIONS = 200
# Rule evaluations (a rule at one scope item with one loop binding).  The built-in rules make
# about 300 on a real report; a file inside every limit above (2,000 rules × 200 combinations
# × 1,000 rows) would make 400 million.  Counted before any rule runs on a report.
MAX_EVALUATIONS_PER_REPORT = 200_000
# A batch of reports shares one budget (in each --jobs worker too), so a rule file that is
# merely expensive cannot make a run of many reports last for hours.  Each report checked adds
# its allowance: the built-in pack needs about 1,000 on a report, so a folder of any size
# passes, while a rule file that makes every report cost the maximum above is still stopped
# after about 110 reports.
MAX_EVALUATIONS_PER_RUN = 20_000_000
EVALUATIONS_ALLOWED_PER_REPORT = 20_000
