"""``sum`` and ``shortfall`` add up field by field (#18): the result must be the quantity that
adding the figures one by one with Quantity's own + and − gives — value, interval, decimals,
percent and unit — for any figures (hypothesis), blanks and single values included."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from evalcheck.engine.helpers import HELPERS
from evalcheck.engine.values import Quantity, constant
from evalcheck.report.normalise import Figure, Kind


def _fields(q: Quantity) -> tuple[Any, ...]:
    return (str(q.value), str(q.lo), str(q.hi), q.decimals, q.percent, q.text, q.unit)


figures = st.builds(
    lambda digits, decimals, kind, exact, unit: Figure(
        Decimal(digits).scaleb(-decimals), decimals, kind, exact, str(digits), unit
    ),
    st.integers(-(10**12), 10**12),
    st.integers(0, 4),
    st.sampled_from(list(Kind)),
    st.booleans(),
    st.sampled_from(["", "", "元", "千元"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(figures, min_size=1, max_size=12))
def test_sum_is_the_one_by_one_sum(numbers: list[Figure]) -> None:
    expected: Quantity = numbers[0]
    for number in numbers[1:]:
        expected = expected + number
    got = HELPERS["sum"].fn([numbers], ("a[*]",))
    assert _fields(got) == _fields(expected)
    if len(numbers) == 1:
        assert got is numbers[0]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.none() | figures, st.none() | figures), max_size=12))
def test_shortfall_is_the_one_by_one_shortfall(rows: list[tuple[Any, Any]]) -> None:
    expected = constant(Decimal(0))
    for most, got in rows:
        if most is not None and got is not None:
            expected = expected + (most - got)
    found = HELPERS["shortfall"].fn([[m for m, _ in rows], [g for _, g in rows]], ("分值", "得分"))
    assert _fields(found) == _fields(expected)
