"""What a rule found at one place: :class:`Status` and :class:`Evaluation` (re-exported by
:mod:`.run`, where they are used; here so that the compiled rules can name them too)."""

from __future__ import annotations

from enum import Enum

from ..inputs.records import dataclass

__all__ = ["FAILED", "PASSED", "ROUNDED", "Evaluation", "Status"]


class Status(str, Enum):
    """What a rule found at one place; the value is what JSON output and tests see."""

    PASS = "pass"  # the check holds (reported only when asked for)
    FAIL = "fail"  # the check does not hold
    ROUNDING = "rounding"  # holds only within rounding: at most info
    MISSING = "missing"  # a value is absent and the rule says to report it
    ERROR = "error"  # the check cannot be computed, e.g. a zero denominator
    NOT_APPLICABLE = "not-applicable"  # skipped for an absent value or a false precondition

    def __init__(self, value: str) -> None:
        # Attributes, not properties: checked in the diagnosis' inner loops.
        self.holds = value in ("pass", "rounding", "not-applicable")  # nothing wrong found here
        self.problem = value in ("fail", "missing", "error")  # a finding (a rounding note is not)

    def __str__(self) -> str:
        return self.value


@dataclass(slots=True)  # not frozen: made for every absent value, and frozen init is slow
class Evaluation:
    """A rule's status at one place, and why when it is not a plain pass or fail."""

    status: Status
    reason: str = ""
    missing: str | None = None  # what was absent


PASSED = Evaluation(Status.PASS)
FAILED = Evaluation(Status.FAIL)
ROUNDED = Evaluation(Status.ROUNDING)
_PRECONDITION = Evaluation(Status.NOT_APPLICABLE, "前提条件不成立")
