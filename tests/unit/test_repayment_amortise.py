"""Amortisation to the fen: Hypothesis invariants and hand-computed textbook examples."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duecourse.domain.repayment.amortise import Method, amortise, level_payment

D = Decimal
amounts = st.integers(1, 1_000_000_000).map(lambda fen: D(fen) / 100)  # 0.01 .. 10,000,000
rates = st.integers(0, 360_000).map(lambda ppm: D(ppm) / 1_000_000)  # 0 .. 36%, 6 places
terms = st.integers(1, 60)
methods = st.sampled_from(list(Method))


def fen(value: Fraction) -> Decimal:
    """Round a non-negative fraction half up to the fen (the oracle, independent of the code)."""
    cents = value * 100
    whole = cents.numerator // cents.denominator
    if cents - whole >= Fraction(1, 2):
        whole += 1
    return D(whole).scaleb(-2)


def growth_sum(rate: Decimal, term: int) -> Fraction:
    """s = Σ_{j<n} (1+r)^j with r = rate / 12, exactly."""
    r = Fraction(rate) / 12
    return sum((1 + r) ** j for j in range(term))


@settings(max_examples=300, deadline=None)
@given(amounts, rates, terms, methods)
def test_schedule_closes_to_the_fen(principal: Decimal, rate: Decimal, term: int, method: Method):
    rows = amortise(principal, rate, term, method)
    assert len(rows) == term
    assert sum(r.principal for r in rows) == principal
    assert rows[-1].balance == 0
    balance = principal
    r = Fraction(rate) / 12
    for row in rows:
        for amount in (row.principal, row.interest, row.balance):
            assert amount >= 0
            assert amount == amount.quantize(D("0.01"))
        assert row.interest == fen(Fraction(balance) * r)  # ROUND_HALF_UP per instalment
        balance -= row.principal
        assert row.balance == balance


@settings(max_examples=300, deadline=None)
@given(amounts, rates, terms)
def test_equal_instalment_payments_are_equal_but_the_last(
    principal: Decimal, rate: Decimal, term: int
):
    rows = amortise(principal, rate, term, Method.EQUAL_INSTALMENT)
    level = rows[0].payment
    assert all(row.payment == level for row in rows[:-1])
    exact = Fraction(principal) / term
    r = Fraction(rate) / 12
    if r:
        exact = Fraction(principal) * r / (1 - (1 + r) ** -term)
    assert abs(Fraction(level) - exact) <= Fraction(15, 1000)  # half up, lowered at most once
    assert abs(Fraction(rows[-1].payment - level)) <= Fraction(2, 100) * growth_sum(rate, term)


@settings(max_examples=300, deadline=None)
@given(amounts, rates, terms)
def test_equal_principal_parts_are_equal_but_the_last(principal: Decimal, rate: Decimal, term: int):
    rows = amortise(principal, rate, term, Method.EQUAL_PRINCIPAL)
    part = rows[0].principal
    assert all(row.principal == part for row in rows[:-1])
    assert abs(rows[-1].principal - part) <= D("0.01") * term
    interests = [row.interest for row in rows]
    assert interests == sorted(interests, reverse=True)  # interest falls as the balance does


def test_textbook_equal_instalment_12000_at_12_percent_for_12_months():
    # A = P·r·(1+r)^n / ((1+r)^n − 1), r = 1%: 1.01^12 = 1.126825030131970;
    # A = 120 × 1.126825030131970 / 0.126825030131970 = 1066.1854 → 1066.19.
    rows = amortise(D("12000"), D("0.12"), 12, Method.EQUAL_INSTALMENT)
    assert level_payment(D("12000"), D("0.12"), 12) == D("1066.19")
    # month 1: interest 12000 × 1% = 120.00, principal 1066.19 − 120 = 946.19
    assert (rows[0].interest, rows[0].principal, rows[0].balance) == (
        D("120.00"),
        D("946.19"),
        D("11053.81"),
    )
    # month 2: interest 11053.81 × 1% = 110.5381 → 110.54, principal 955.65
    assert (rows[1].interest, rows[1].principal, rows[1].balance) == (
        D("110.54"),
        D("955.65"),
        D("10098.16"),
    )
    assert [row.payment for row in rows[:-1]] == [D("1066.19")] * 11
    # the last instalment pays what is left with its interest: balance b, b + round(b × 1%)
    last = rows[-1]
    assert last.principal == rows[-2].balance
    assert last.interest == (last.principal / 100).quantize(D("0.01"), ROUND_HALF_UP)


def test_textbook_equal_instalment_100000_at_6_percent_for_12_months():
    # 1.005^12 = 1.061677811864; A = 500 × 1.061677811864 / 0.061677811864 = 8606.64
    assert level_payment(D("100000"), D("0.06"), 12) == D("8606.64")


def test_textbook_equal_principal_12000_at_12_percent_for_12_months():
    # principal 12000 / 12 = 1000 a month; interest on the balance at 1%: 120, 110, ..., 10
    rows = amortise(D("12000"), D("0.12"), 12, Method.EQUAL_PRINCIPAL)
    assert [row.principal for row in rows] == [D("1000.00")] * 12
    assert [row.interest for row in rows] == [
        D(120 - 10 * k).quantize(D("0.01")) for k in range(12)
    ]
    assert [row.payment for row in rows][:3] == [D("1120.00"), D("1110.00"), D("1100.00")]
    assert sum(row.interest for row in rows) == D("780.00")  # 10 × (12 + 11 + ... + 1)


@pytest.mark.parametrize("method", list(Method))
def test_a_third_at_zero_rate_puts_the_residue_on_the_last(method: Method):
    rows = amortise(D("1000"), D("0"), 3, method)
    assert [row.payment for row in rows] == [D("333.33"), D("333.33"), D("333.34")]


@pytest.mark.parametrize("method", list(Method))
def test_a_few_fen_over_many_months_lowers_the_level_once(method: Method):
    # 0.30 / 60 = 0.005 → 0.01 half up; 59 × 0.01 would overshoot 0.30, so 0.00 and last 0.30
    rows = amortise(D("0.30"), D("0"), 60, method)
    assert [row.payment for row in rows[:-1]] == [D("0.00")] * 59
    assert rows[-1].payment == D("0.30")


@pytest.mark.parametrize(
    ("principal", "rate", "term", "message"),
    [
        (D("100"), D("0.1"), 0, "term"),
        (D("-1"), D("0.1"), 12, "principal"),
        (D("1.001"), D("0.1"), 12, "principal"),
        (D("100"), D("-0.01"), 12, "annual_rate"),
        (D("100"), D("1e-100"), 12, "annual_rate"),
    ],
)
def test_bad_arguments_are_refused(principal: Decimal, rate: Decimal, term: int, message: str):
    with pytest.raises(ValueError, match=message):
        amortise(principal, rate, term, Method.EQUAL_INSTALMENT)
