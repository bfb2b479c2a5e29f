"""The reference facts: DPD and bucket edges, amounts, episodes, promises, flags."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from duecourse.domain.facts import AccountFacts, Buckets, reference_facts
from duecourse.domain.model import (
    AccountFlag,
    Arrangement,
    ArrangementKind,
    FlagKind,
    Payment,
    Portfolio,
    PromiseToPay,
)
from tests.builders import borrower, home, loan, pay, schedule

D = Decimal
DUE = date(2025, 2, 1)  # first instalment: 1000 principal + 45 interest + 5 fee = 1050


def facts(as_of: date, payments=(), **extra) -> AccountFacts:
    portfolio = Portfolio(
        borrowers=(borrower(),),
        addresses=(home(),),
        loans=(loan(),),
        instalments=tuple(schedule()),
        payments=tuple(payments),
        **extra,
    )
    (only,) = reference_facts(portfolio, as_of)
    return only


def test_an_instalment_due_today_is_not_past_due():
    f = facts(DUE)
    assert (f.days_past_due, f.bucket, f.amount_overdue) == (0, "M0", D("0.00"))


def test_the_day_after_the_due_date_is_one_day_past_due():
    f = facts(date(2025, 2, 2))
    assert (f.days_past_due, f.bucket, f.amount_overdue) == (1, "M1", D("1050.00"))
    assert f.accrued_penalty == D("0.50")


def test_paid_one_day_late_cures_the_account_and_counts_one_prior_episode():
    late = pay(date(2025, 2, 2), "1050.50")  # instalment + one day of penalty
    assert facts(date(2025, 2, 2), [late]).days_past_due == 0
    later = facts(date(2025, 2, 20), [late])
    assert (later.days_past_due, later.prior_overdues, later.accrued_penalty) == (0, 1, D("0"))
    assert later.days_since_last_payment == 18


def test_a_payment_on_the_due_date_is_on_time():
    f = facts(date(2025, 2, 20), [pay(DUE, "1050.00")])
    assert (f.days_past_due, f.prior_overdues) == (0, 0)


def test_a_partial_payment_keeps_the_account_past_due_for_the_remainder():
    f = facts(date(2025, 2, 11), [pay(date(2025, 2, 5), "500.00")])
    assert f.days_past_due == 10
    # 4 days of penalty (2.00) is charged at the payment; 500 - 5 fee - 2 - 45 interest leaves
    # 1000 - 448 = 552 of principal, which accrues 552 × 0.0005 × 6 days = 1.656 → 1.66
    assert f.amount_overdue == D("552.00")
    assert f.accrued_penalty == D("1.66")


def test_a_payment_before_the_due_date_prepays_the_instalment():
    f = facts(date(2025, 2, 10), [pay(date(2025, 1, 25), "1050.00")])
    assert (f.days_past_due, f.bucket, f.amount_overdue) == (0, "M0", D("0.00"))


def test_a_backdated_payment_counts_from_its_value_date():
    backdated = replace(pay(date(2025, 1, 30), "1050.00"), recorded_at=datetime(2025, 2, 10, 9, 0))
    f = facts(date(2025, 2, 10), [backdated])
    assert (f.days_past_due, f.prior_overdues, f.accrued_penalty) == (0, 0, D("0"))


def test_the_oldest_unpaid_instalment_sets_days_past_due():
    f = facts(date(2025, 3, 5))  # instalments due 2/1 and 3/1 both unpaid
    assert (f.days_past_due, f.bucket, f.amount_overdue) == (32, "M2", D("2100.00"))


@pytest.mark.parametrize(
    ("dpd", "bucket"),
    [
        (0, "M0"),
        (1, "M1"),
        (30, "M1"),
        (31, "M2"),
        (60, "M2"),
        (61, "M3"),
        (90, "M3"),
        (91, "M4"),
        (120, "M4"),
        (121, "M5"),
        (150, "M5"),
        (151, "M6"),
        (180, "M6"),
        (181, "M7+"),
        (999, "M7+"),
    ],
)
def test_bucket_edges(dpd, bucket):
    assert Buckets().label(dpd) == bucket


def test_bucket_bounds_are_configurable_and_checked():
    assert Buckets((15, 45)).label(16) == "M2"
    assert Buckets((15, 45)).label(46) == "M3+"
    with pytest.raises(ValueError):
        Buckets((30, 30))


def test_two_separate_late_episodes_are_two_prior_overdues():
    payments = [pay(date(2025, 2, 3), "1051.00"), pay(date(2025, 3, 4), "1051.50")]
    f = facts(date(2025, 3, 20), payments)
    assert (f.days_past_due, f.prior_overdues) == (0, 2)


def test_episodes_older_than_the_window_are_not_counted():
    f = facts(
        date(2027, 6, 1), [pay(date(2025, 2, 3), "1051.00"), pay(date(2025, 2, 20), "2100.00")]
    )
    assert f.prior_overdues == 0


def test_promises_broken_and_open():
    promise = PromiseToPay("R1", "L1", datetime(2025, 2, 5, 10), date(2025, 2, 8), D("1050.00"))
    assert facts(date(2025, 2, 7), promises=(promise,)).negotiating is True
    after = facts(date(2025, 2, 9), promises=(promise,))
    assert (after.negotiating, after.broken_promises) == (False, 1)
    kept = facts(date(2025, 2, 9), [pay(date(2025, 2, 8), "1052.00")], promises=(promise,))
    assert kept.broken_promises == 0


def test_an_active_arrangement_means_negotiating_until_cancelled():
    plan = Arrangement(
        "G1",
        "L1",
        ArrangementKind.DEFERRAL,
        date(2025, 2, 5),
        date(2025, 5, 5),
        cancelled_on=date(2025, 3, 1),
    )
    assert facts(date(2025, 2, 20), arrangements=(plan,)).negotiating is True
    assert facts(date(2025, 3, 1), arrangements=(plan,)).negotiating is False


def test_flags_hold_from_start_until_end():
    flag = AccountFlag("L1", FlagKind.COMPLAINT, date(2025, 2, 10), date(2025, 2, 20))
    assert facts(date(2025, 2, 9), flags=(flag,)).flags["flag_complaint"] is False
    assert facts(date(2025, 2, 10), flags=(flag,)).flags["flag_complaint"] is True
    assert facts(date(2025, 2, 20), flags=(flag,)).flags["flag_complaint"] is False


def test_address_verified_needs_a_verified_address():
    portfolio = Portfolio(
        borrowers=(borrower(),),
        addresses=(home(verified=False),),
        loans=(loan(),),
        instalments=tuple(schedule()),
    )
    assert reference_facts(portfolio, DUE)[0].address_verified is False


def test_payments_are_ordered_by_value_time_not_by_input_order():
    first = Payment("P2", "L1", datetime(2025, 2, 1, 9), D("1050.00"), "app")
    second = Payment("P1", "L1", datetime(2025, 3, 1, 9), D("1050.00"), "app")
    f = facts(date(2025, 3, 2), [second, first])
    assert f.days_past_due == 0
