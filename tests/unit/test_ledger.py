"""The servicing ledger: allocation order, penalty accrual and its cap."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings

from duecourse.domain.facts import ledger_terms
from duecourse.domain.ledger import (
    CONTRACTUAL,
    Component,
    LedgerTerms,
    parse_order,
    run_ledger,
)
from tests.builders import pay, schedule
from tests.strategies import day, portfolios

D = Decimal
TERMS = LedgerTerms(daily_rate=D("0.0005"), cap=D("720.00"))
FEE, PEN, INT, PRI = Component.FEE, Component.PENALTY, Component.INTEREST, Component.PRINCIPAL


def parts(result, seq):
    return [(a.component, a.amount) for a in result.allocations if a.seq == seq]


def test_an_on_time_payment_pays_fee_then_interest_then_principal():
    result = run_ledger(schedule(), [pay(date(2025, 2, 1), "1050.00")], TERMS)
    assert parts(result, 1) == [(FEE, D("5.00")), (INT, D("45.00")), (PRI, D("1000.00"))]
    assert result.positions[0].settled_on == date(2025, 2, 1)
    assert result.charges == ()


def test_penalty_accrues_per_day_on_overdue_principal_and_is_paid_before_interest():
    # 10 days late: 1000 × 0.0005 × 10 = 5.00 of penalty, taken after the fee
    result = run_ledger(schedule(), [pay(date(2025, 2, 11), "1050.00")], TERMS)
    assert [(c.seq, c.amount) for c in result.charges] == [(1, D("5.00"))]
    assert parts(result, 1) == [
        (FEE, D("5.00")),
        (PEN, D("5.00")),
        (INT, D("45.00")),
        (PRI, D("995.00")),
    ]
    assert result.positions[0].settled_on is None  # 5.00 of principal is still owed


def test_allocation_order_is_configurable():
    order = parse_order("principal,interest,fee,penalty")
    terms = LedgerTerms(TERMS.daily_rate, TERMS.cap, order)
    result = run_ledger(schedule(), [pay(date(2025, 2, 11), "1050.00")], terms)
    assert parts(result, 1) == [(PRI, D("1000.00")), (INT, D("45.00")), (FEE, D("5.00"))]
    assert result.positions[0].settled_on == date(2025, 2, 11)
    assert result.positions[0].remaining[PEN] == D("5.00")  # penalty left does not hold DPD


def test_allocation_order_must_name_every_component_once():
    with pytest.raises(ValueError, match="exactly once"):
        parse_order("fee,interest,principal")
    with pytest.raises(ValueError):
        parse_order("fee,fee,interest,principal")


def test_payments_go_to_the_oldest_instalment_first_and_prepay_later_ones():
    result = run_ledger(schedule(), [pay(date(2025, 1, 20), "1575.00")], TERMS)
    assert result.positions[0].settled_on == date(2025, 1, 20)
    assert result.positions[1].contractual_left == D("525.00")


def test_money_beyond_the_whole_schedule_is_kept_as_unapplied_credit():
    result = run_ledger(schedule(), [pay(date(2025, 1, 20), "4000.00")], TERMS)
    assert result.unapplied == D("850.00")
    assert all(p.contractual_left == 0 for p in result.positions)


def test_penalty_stops_at_the_cap():
    terms = LedgerTerms(D("0.01"), D("30.00"))  # 1 %/day would give 100.00 in 10 days
    plan = schedule(count=1, fee="0.00")
    result = run_ledger(plan, [pay(date(2025, 2, 11), "1.00")], terms)
    assert sum(c.amount for c in result.charges) == D("30.00")
    later = run_ledger(plan, [pay(date(2025, 2, 11), "1.00")], terms, as_of=date(2025, 3, 1))
    assert later.pending_penalty == D("0.00")
    assert later.unpaid_penalty == D("29.00")  # 30 charged, the 1.00 paid went to penalty


def test_pending_penalty_accrues_to_the_as_of_date_without_a_payment():
    result = run_ledger(schedule(count=1, fee="0.00"), [], TERMS, as_of=date(2025, 2, 4))
    assert result.pending_penalty == D("1.50")  # 1000 × 0.0005 × 3 days


def test_the_cap_room_goes_to_the_oldest_instalments_first():
    terms = LedgerTerms(D("0.01"), D("15.00"))
    result = run_ledger(
        schedule(count=2, first_due=date(2025, 2, 1)), [pay(date(2025, 3, 3), "0.01")], terms
    )
    assert [(c.seq, c.amount) for c in result.charges] == [(1, D("15.00"))]


def test_payments_after_the_as_of_date_are_ignored():
    result = run_ledger(
        schedule(), [pay(date(2025, 2, 1), "1050.00")], TERMS, as_of=date(2025, 1, 31)
    )
    assert result.allocations == ()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolio=portfolios(), as_of=day(400))
def test_an_instalment_is_settled_on_the_day_of_its_last_contractual_allocation(portfolio, as_of):
    """What the batch instalment state relies on (``batch.facts.instalment_state``): every
    allocation is positive, an instalment's fee, interest and principal are paid in date order
    and never beyond what is due, so it is settled exactly when they are paid in full, on the
    day of its last allocation to them."""
    for loan in portfolio.loans:
        schedule_ = [i for i in portfolio.instalments if i.loan_id == loan.loan_id]
        payments = [p for p in portfolio.payments if p.loan_id == loan.loan_id]
        result = run_ledger(schedule_, payments, ledger_terms(loan), as_of)
        assert all(a.amount > 0 for a in result.allocations)
        for instalment, position in zip(
            sorted(schedule_, key=lambda i: (i.due_date, i.seq)), result.positions, strict=True
        ):
            paid = [
                a
                for a in result.allocations
                if a.seq == instalment.seq and a.component in CONTRACTUAL
            ]
            days = [a.on for a in paid]
            assert days == sorted(days)
            total = sum((a.amount for a in paid), D(0))
            due = instalment.principal + instalment.interest + instalment.fee
            assert total <= due
            if paid and total == due:
                assert position.settled_on == days[-1]
            elif due > 0:
                assert position.settled_on is None
