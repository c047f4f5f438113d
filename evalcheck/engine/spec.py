"""The rule spec: one definition of what a rule file may say, for the validator and the engine.

A rule is a plain dataclass, and its constraints are ``typing.Annotated`` metadata
(:class:`Limits`: lengths, bounds, patterns).  The engine reads the dataclass on every run;
only a new or changed rule file is validated, by pydantic reading the same annotations
(:mod:`.ruleschema`), so the warm command-line path never imports pydantic.  (The markers are
this module's own rather than ``annotated_types``', whose import costs 8 ms of every cold
start.)
"""

from __future__ import annotations

from dataclasses import field
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, cast

from ..inputs.records import dataclass
from .limits import (
    MAX_EXAMPLES,
    MAX_EXPLAIN,
    MAX_FIX,
    MAX_LOOP_VARIABLES,
    MAX_MESSAGE,
    MAX_NAME,
    MAX_TITLE,
    MIN_EXAMPLES,
)

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema

__all__ = ["STRICT", "Example", "Expect", "Limits", "OnMissing", "RuleSpec", "Severity"]


class Severity(str, Enum):
    """How much a finding of a rule matters; the value is what files and JSON output say."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value

    @property
    def rank(self) -> int:
        """Higher is worse: ``--fail-level`` compares ranks."""
        return _RANKS[self]

    @property
    def label(self) -> str:
        """The word output uses: 错误, 警告, 提示."""
        return _LABELS[self]


_RANKS = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}
_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}

Expect = Literal["pass", "fail", "info", "not-applicable"]  # what an example must give
OnMissing = Literal["skip", "zero", "report"]  # what an absent value means


@dataclass(frozen=True, slots=True)
class Limits:
    """Constraints on a value, as ``Annotated`` metadata: pydantic's own core constraints
    (``min_length``, ``max_length`` of a text, list or mapping; ``ge`` of a number;
    ``pattern`` of a text), so its error kinds and messages are the usual ones."""

    min_length: int | None = None
    max_length: int | None = None
    ge: int | None = None
    pattern: str | None = None

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        schema: dict[str, Any] = dict(handler(source))
        for key in self.__slots__:
            value = getattr(self, key)
            if value is not None:
                schema[key] = Decimal(value) if key == "ge" else value
        return cast("CoreSchema", schema)


# Rule files forbid unknown keys (a misspelt ``chek:`` must not pass silently).
STRICT: dict[str, Any] = {"extra": "forbid"}


@dataclass(frozen=True, slots=True, kw_only=True)
class Example:
    """A report fragment the rule must pass or fail: the rule's own test case.

    ``at`` is where the finding must point (its key path, ``绩效指标[0].指标[2].得分``) and
    ``message`` what it must say; a list when the example gives several findings.
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT

    name: Annotated[str, Limits(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    expect: Expect
    report: dict[str, Any]
    params: dict[str, Any] | None = None
    at: str | list[str] | None = None
    message: str | list[str] | None = None


@dataclass(slots=True, kw_only=True)
class RuleSpec:
    """One rule as written in YAML.  Field order is the order problems are reported in."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT

    id: Annotated[str, Limits(pattern=r"^[A-Z]{1,4}[0-9]{2,4}$")]
    name: Annotated[str, Limits(pattern=r"^[a-z][a-z0-9-]*$", max_length=MAX_NAME)]
    title: Annotated[str, Limits(min_length=1, max_length=MAX_TITLE)]
    severity: Severity
    scope: str | None = None
    for_each: Annotated[dict[str, list[str]], Limits(max_length=MAX_LOOP_VARIABLES)] | None = None
    when: str | None = None
    check: str
    missing: OnMissing = "skip"
    tolerance: Annotated[Decimal, Limits(ge=0)] | None = None
    at: str | None = None
    message: Annotated[str, Limits(min_length=1, max_length=MAX_MESSAGE)]
    explain: Annotated[str, Limits(min_length=1, max_length=MAX_EXPLAIN)]
    fix: Annotated[str, Limits(min_length=1, max_length=MAX_FIX)] | None = None
    params: dict[str, Any] = field(default_factory=dict)
    examples: Annotated[list[Example], Limits(min_length=MIN_EXAMPLES, max_length=MAX_EXAMPLES)]

    @property
    def documentation(self) -> str:
        """The explain text with what to do about a finding (``修正：``) as its last line."""
        text = self.explain.rstrip()
        return f"{text}\n修正：{self.fix}" if self.fix else text

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RuleSpec:
        """A spec from its validated plain form (the rule cache's), without validating again."""
        values = {k: v for k, v in data.items() if k not in ("line", "examples", "severity")}
        examples = [Example(**e) for e in data.get("examples", [])]
        return cls(severity=Severity(data["severity"]), examples=examples, **values)
