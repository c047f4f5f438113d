"""The building blocks of the report model: figure types, text, and the base of every section.

Each annotated type says how a cell is read (:mod:`.normalise`), how it is shown back, and what
the JSON Schema says of it; :func:`evalcheck.report.model.derive_shape` reads the markers here to
write ``shape.json``.  Both :mod:`.model` and :mod:`.family` build their sections from these.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from .normalise import (
    MAX_TABLE_ROWS,
    Figure,
    Kind,
    NumberError,
    Target,
    read_figure,
    read_target,
    read_text,
)

__all__ = [
    "MAX_TABLE_ROWS",
    "TARGET",
    "TEXT",
    "Amount",
    "Count",
    "Part",
    "Rate",
    "Score",
    "TargetValue",
    "Text",
]


def _figure_validator(kind: Kind) -> PlainValidator:
    def validate(raw: object) -> Figure | None:
        if isinstance(raw, Figure):
            return raw
        try:
            return read_figure(raw, kind)
        except NumberError as exc:
            raise PydanticCustomError("figure", str(exc)) from None

    return PlainValidator(validate)


def _serialize_figure(figure: Figure | None) -> Any:
    return None if figure is None else figure.text


_NUMBER_SCHEMA = {
    "amount": {
        "type": ["number", "string", "null"],
        "description": '金额（万元），可写作 586.88、"586.88万元"、"5,868,800元"；空白表示未填',
    },
    "rate": {
        "type": ["number", "string", "null"],
        "description": '百分率，如 "100.00%"；纯数字视为百分数',
    },
    "count": {"type": ["integer", "string", "null"], "description": "人数或个数（整数）"},
    "score": {"type": ["number", "string", "null"], "description": "分值或得分"},
}


Amount = Annotated[
    Figure | None,
    Kind.AMOUNT,
    _figure_validator(Kind.AMOUNT),
    PlainSerializer(_serialize_figure),
    WithJsonSchema(_NUMBER_SCHEMA["amount"]),
]
Rate = Annotated[
    Figure | None,
    Kind.RATE,
    _figure_validator(Kind.RATE),
    PlainSerializer(_serialize_figure),
    WithJsonSchema(_NUMBER_SCHEMA["rate"]),
]
Count = Annotated[
    Figure | None,
    Kind.COUNT,
    _figure_validator(Kind.COUNT),
    PlainSerializer(_serialize_figure),
    WithJsonSchema(_NUMBER_SCHEMA["count"]),
]
Score = Annotated[
    Figure | None,
    Kind.SCORE,
    _figure_validator(Kind.SCORE),
    PlainSerializer(_serialize_figure),
    WithJsonSchema(_NUMBER_SCHEMA["score"]),
]


TARGET = "target"  # markers the shape derivation reads from the annotations
TEXT = "text"


def _validate_target(raw: object) -> Target | None:
    if isinstance(raw, Target):
        return raw
    try:
        return read_target(raw)
    except NumberError as exc:
        raise PydanticCustomError("target", str(exc)) from None


TargetValue = Annotated[
    Target | None,
    TARGET,
    PlainValidator(_validate_target),
    PlainSerializer(lambda t: None if t is None else t.text),
    WithJsonSchema(
        {"type": ["number", "string", "null"], "description": '如 "≥98%"、"≤0.5万元"、"计划内"'}
    ),
]


def _validate_text(raw: object) -> str | None:
    try:
        return read_text(raw)
    except NumberError as exc:
        raise PydanticCustomError("text", str(exc)) from None


Text = Annotated[
    str | None,
    TEXT,
    PlainValidator(_validate_text),
    WithJsonSchema({"type": ["string", "number", "null"]}),
]


class Part(BaseModel):
    """Base of every section: Chinese aliases, unknown keys kept, blank means absent."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, frozen=True)
