"""An accepted repayment plan replaces the rest of a schedule (domain/repayment/accept.py)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duecourse.domain.facts import ledger_terms
from duecourse.domain.ledger import Component, run_ledger
from duecourse.domain.repayment.accept import accept_plan
from duecourse.domain.repayment.amortise import Method
from duecourse.domain.repayment.plan import ProposalError
from duecourse.domain.repayment.terms import Debt, Proposal
from tests.builders import loan, pay, schedule

D = Decimal


def proposal(principal: Decimal, term: int = 6, down: str = "0.00", deferral: int = 0):
    return Proposal(
        debt=Debt(principal),
        method=Method.EQUAL_INSTALMENT,
        annual_rate=D("0.12"),
        term_months=term,
        down_payment=D(down),
        deferral_months=deferral,
    )


def owed(instalments, payments, day):
    result = run_ledger(instalments, payments, ledger_terms(loan()), day)
    return sum((p.remaining[Component.PRINCIPAL] for p in result.positions), D(0))


def test_by_hand_one_instalment_paid_one_in_part_one_not():
    # three instalments of 1000 principal + 45 interest + 5 fee, due 02-01, 03-01, 04-01
    instalments = schedule()
    payments = [pay(date(2025, 2, 1), "1050.00"), pay(date(2025, 3, 1), "100.00")]
    day = date(2025, 3, 20)
    # the second payment: fee 5, interest 45, principal 50 -> 1,950.00 of principal owed (of 3,000)
    assert owed(instalments, payments, day) == D("1950.00")
    done = accept_plan(loan(), instalments, payments, proposal(D("1950.00")), day, "G1")
    kept = [i for i in done.schedule if i.due_date < day]
    assert [(i.seq, i.principal, i.interest, i.fee) for i in kept] == [
        (1, D("1000.00"), D("45.00"), D("5.00")),
        (2, D("50.00"), D("45.00"), D("5.00")),
    ]
    new = [i for i in done.schedule if i.due_date >= day]
    assert [i.seq for i in new] == [3, 4, 5, 6, 7, 8]
    assert new[0].due_date == date(2025, 4, 20) and new[-1].due_date == date(2025, 9, 20)
    assert sum(i.principal for i in new) == D("1950.00")
    a = done.arrangement
    assert (a.start_date, a.end_date, a.kind.value) == (day, date(2025, 9, 20), "instalment_plan")


def test_a_plan_for_another_principal_is_refused():
    with pytest.raises(ProposalError) as caught:
        accept_plan(loan(), schedule(), [], proposal(D("1.00")), date(2025, 3, 20), "G1")
    assert caught.value.field == "debt.principal"


@settings(max_examples=80, deadline=None)
@given(
    paid=st.lists(st.tuples(st.integers(0, 120), st.integers(1, 150_000)), max_size=4),
    day=st.integers(0, 150),
    term=st.integers(1, 24),
    down=st.integers(0, 50_000),
    deferral=st.integers(0, 3),
)
def test_the_new_schedule_carries_the_plan_to_the_fen(paid, day, term, down, deferral):
    start = date(2025, 1, 1)
    instalments = schedule()
    payments = [
        pay(start + timedelta(d), str(D(c) / 100), pid=f"P{n}") for n, (d, c) in enumerate(paid)
    ]
    on = start + timedelta(day)
    principal = owed(instalments, payments, on)
    down_payment = min(D(down) / 100, principal)
    if principal <= down_payment:
        return
    done = accept_plan(
        loan(), instalments, payments, proposal(principal, term, str(down_payment), deferral),
        on, "G1",
    )  # fmt: skip
    plan = done.plan
    originals = {i.seq: i for i in instalments}
    count = term + (down_payment > 0)
    old, new = done.schedule[:-count], done.schedule[-count:]
    # what stays of the old schedule is what was paid of it: never more than it was
    for i in old:
        o = originals[i.seq]
        assert D(0) <= i.fee <= o.fee and D(0) <= i.interest <= o.interest
        assert D(0) <= i.principal <= o.principal and i.contractual > 0
    # the new part is the down payment and the plan, to the fen
    assert sum(i.principal for i in new) == plan.amount_financed + down_payment
    assert sum(i.interest + i.fee for i in new) == sum(
        r.interest + r.separate for r in plan.instalments
    )
    assert all(i.due_date >= on for i in new)
    seqs = [i.seq for i in done.schedule]
    assert seqs == sorted(set(seqs))
    assert done.arrangement.end_date == max(i.due_date for i in new)
