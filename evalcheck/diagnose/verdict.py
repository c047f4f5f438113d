"""What a trial did to the checks that read a changed figure, and how much that makes the fix
likelier (:func:`weigh`): repairs elsewhere, conventions kept or strained, rounding blurred or
sharpened.  The factors are judgements, each a likelihood ratio of modest size; none alone may
name a figure over another that explains the checks as well, except where the evidence is
strong by its nature (a total restored to the exact sum of its parts, :data:`RESTORED`)."""

from __future__ import annotations

from dataclasses import field

from ..inputs.records import dataclass
from .entries import Entry

__all__ = ["Verdict", "weigh"]

# A fix that also repairs another failing error check (the score above its 分值 that made the
# total wrong) is more likely; one that repairs a warning (a lowered score with no 偏差原因)
# somewhat more likely.
REPAIR_BONUS = 1.5
WARNING_REPAIR = 1.3
# A fix after which a check holds only within rounding explains it less well; one after which a
# check that held only within rounding holds exactly explains it better.
ROUNDING_PENALTY = 0.7
SHARPENED = 1.3
# A fix after which a convention the report already breaks elsewhere (a lowered 得分 with no
# 偏差原因) is broken once more explains the checks less well.
STRAINED = 0.6
# A fix that mends the one breach of a convention the report keeps everywhere else (the only
# row whose lost points have no 偏差原因) is likelier still (on top of WARNING_REPAIR).
LONE_REPAIR = 1.6
# A fix after which a sum holds exactly that held only because its parts' rounding allowed
# it, when it was off by many units of its finest printed decimal (总分 95.798 beside parts
# adding up to 95.978 exactly, whole scores making the tolerance several points): landing on
# the exact sum to the last printed decimal by chance is far less likely than a slip there.
RESTORED = 2.0
FAR_UNITS = 10  # … off by at least this many units of the finest printed decimal
# A formula slip (or a stale total) whose correction is exactly the value the prose states,
# where the prose disagrees with the table: the prose was written from the accounts, and a slip
# in the prose would have had to land on that very value (实际在职人数 158 with 离退休人数 2, the
# prose saying 156).  Beside a digit slip of the prose that the table's recomputed rate seems to
# confirm, the formula is the likelier.
CONFIRMED = 2.0


@dataclass(slots=True)
class Verdict:
    """What a trial did to the checks that read a changed figure."""

    rounding: bool = False  # a check of the group holds only within rounding
    repaired: int = 0  # other failing error checks it repairs
    warnings: int = 0  # failing warnings it repairs
    mended: set[int] = field(default_factory=set)  # indices of every failing check it repairs
    strained: int = 0  # conventions the report already breaks elsewhere, broken once more
    lone: int = 0  # the one breach of a convention the report keeps everywhere else, mended
    sharpened: int = 0  # checks that held only within rounding and now hold exactly
    restored: int = 0  # … of which were off by many units of their finest printed decimal
    blurred: int = 0  # checks that held exactly and now hold only within rounding
    left: list[Entry] = field(default_factory=list)  # checks of the group still failing


def weigh(verdict: Verdict) -> float:
    """The evidence of a trial beyond the slip itself, as a factor on its plausibility."""
    score = REPAIR_BONUS ** min(verdict.repaired, 2) * WARNING_REPAIR ** min(verdict.warnings, 2)
    plain = verdict.sharpened - verdict.restored
    score *= SHARPENED ** min(plain, 2) * RESTORED ** min(verdict.restored, 1)
    score *= ROUNDING_PENALTY ** min(verdict.blurred, 2)
    if verdict.rounding:
        score *= ROUNDING_PENALTY
    return score * STRAINED ** min(verdict.strained, 2) * LONE_REPAIR ** min(verdict.lone, 2)
