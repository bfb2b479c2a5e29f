"""Plans from proposals: every treatment, deferral, discount and down payment, to the fen;
and the cost of credit (IRR) against hand-computed cash flows."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duecourse.domain.repayment.amortise import Method
from duecourse.domain.repayment.cost import irr, npv
from duecourse.domain.repayment.plan import ProposalError, add_months, build_plan
from duecourse.domain.repayment.terms import Component, Debt, Discount, Proposal, Treatment

D = Decimal
ZERO = D("0.00")


def money(low: int, high: int) -> st.SearchStrategy[Decimal]:
    return st.integers(low, high).map(lambda fen: D(fen).scaleb(-2))


@st.composite
def proposals(draw: st.DrawFn, only: Treatment | None = None) -> Proposal:
    """A proposal; with ``only``, every treatment (and the deferral's) is that one."""
    debt = Debt(
        principal=draw(money(1, 1_000_000_000)),
        interest=draw(money(0, 100_000_000)),
        penalty=draw(money(0, 100_000_000)),
        fees=draw(money(0, 10_000_000)),
    )
    discounts: dict[Component, Discount] = {}
    for component in Component:
        kind = draw(st.sampled_from(["none", "share", "amount"]))
        if kind == "share":
            discounts[component] = Discount(share=D(draw(st.integers(0, 100))) / 100)
        elif kind == "amount":
            discounts[component] = Discount(amount=draw(money(0, int(debt.of(component) * 100))))
    treatments = st.just(only) if only else st.sampled_from(list(Treatment))
    proposal = Proposal(
        debt=debt,
        method=draw(st.sampled_from(list(Method))),
        annual_rate=D(draw(st.integers(0, 3600))) / 10_000,
        term_months=draw(st.integers(1, 60)),
        deferral_months=draw(st.integers(0, 12)),
        deferral_interest=draw(treatments),
        interest=draw(treatments),
        penalty=draw(treatments),
        fees=draw(treatments),
        discounts=discounts,
        start=date(2026, 12, 31),
    )
    # a down payment of a share of what is carried (computed on the proposal without one)
    carried = sum(build_plan(proposal).carried.values(), ZERO)
    share = draw(st.integers(0, 100))
    return replace(proposal, down_payment=(carried * share / 100).quantize(D("0.01"), "ROUND_DOWN"))


@settings(max_examples=100, deadline=None)
@pytest.mark.parametrize("only", [*Treatment, None], ids=[*Treatment, "mixed"])
@given(data=st.data())
def test_every_treatment_sums_to_the_fen(only: Treatment | None, data: st.DataObject):
    proposal = data.draw(proposals(only))
    plan = build_plan(proposal)
    debt = proposal.debt
    for component in Component:  # nothing lost or made up
        parts = plan.forgiven[component] + plan.carried[component] + plan.enforced[component]
        assert parts == debt.of(component)
        treatment = proposal.treatment(component)
        if treatment is not Treatment.CARRY:
            assert plan.carried[component] == 0
        if treatment is not Treatment.ENFORCE:
            assert plan.enforced[component] == 0
    deferral = {
        t: plan.deferral_interest if proposal.deferral_interest is t else ZERO for t in Treatment
    }
    assert plan.amount_financed == (
        sum(plan.carried.values(), ZERO) - proposal.down_payment + deferral[Treatment.CARRY]
    )
    rows = plan.instalments
    assert sum(i.principal for i in rows) == plan.amount_financed
    assert rows[-1].balance == 0
    assert sum(i.separate for i in rows) == rows[0].separate
    assert rows[0].separate == sum(plan.enforced.values(), ZERO) + deferral[Treatment.ENFORCE]
    for i in rows:
        for amount in (i.principal, i.interest, i.separate, i.balance, i.payment):
            assert amount >= 0 and amount == amount.quantize(D("0.01"))
        assert i.month == proposal.deferral_months + i.seq
    assert plan.total_payable == (
        proposal.down_payment + plan.amount_financed + plan.total_interest + rows[0].separate
    )
    # deferral interest: simple interest on the amount before it, rounded half up
    before = sum(plan.carried.values(), ZERO) - proposal.down_payment
    exact = Fraction(before) * Fraction(proposal.annual_rate) / 12 * proposal.deferral_months
    assert abs(Fraction(plan.deferral_interest) - exact) <= Fraction(1, 200)


@settings(max_examples=60, deadline=None)
@given(proposals())
def test_the_cost_is_the_rate_that_discounts_the_payments_to_the_credit(proposal: Proposal):
    plan = build_plan(proposal)
    flows = [-plan.credit] + [ZERO] * (proposal.deferral_months + proposal.term_months)
    for i in plan.instalments:
        flows[i.month] += i.payment
    if plan.credit <= 0:  # the down payment covered the credit: no cost, or an unbounded one
        assert (plan.cost.monthly is None) == (sum(flows[1:]) > 0)
        return
    if plan.cost.monthly is None:  # charges far above the credit: over 100% a month
        assert npv(flows, D(1)) > 0
        return
    assert abs(npv(flows, plan.cost.monthly)) < D("1e-6")
    assert plan.cost.monthly >= 0


def test_cost_of_hand_computed_flows():
    one = irr([D(-1000), D(1100)])  # 10% in one month
    assert one.nominal == D("1.200000")
    assert one.effective == D("2.138428")  # 1.1^12 − 1 = 2.1384283767
    two = irr([D(-100), D(0), D(121)])  # 1.1² = 1.21
    assert two.nominal == D("1.200000")
    assert irr([D(-500), D(250), D(250)]).nominal == D("0.000000")
    assert irr([D(0), D(10)]).monthly is None  # charges without credit: unbounded
    assert irr([D(0), D(0)]).nominal == 0


def test_a_plan_without_charges_costs_its_own_rate():
    proposal = Proposal(Debt(D("12000.00")), Method.EQUAL_INSTALMENT, D("0.12"), 12)
    cost = build_plan(proposal).cost
    assert cost.nominal is not None and abs(cost.nominal - D("0.12")) < D("0.0001")


def test_treatments_by_hand():
    # 12,000 principal, 600 interest due, 300 penalty, 100 fees; 12% equal principal, 12 months
    debt = Debt(D("12000.00"), D("600.00"), D("300.00"), D("100.00"))
    proposal = Proposal(
        debt,
        Method.EQUAL_PRINCIPAL,
        D("0.12"),
        12,
        down_payment=D("600.00"),
        interest=Treatment.CARRY,
        penalty=Treatment.WAIVE,
        fees=Treatment.ENFORCE,
        discounts={Component.INTEREST: Discount(share=D("0.5"))},
    )
    plan = build_plan(proposal)
    # interest: 50% of 600 off (300), the other 300 carried; penalty waived; fees separate
    assert plan.forgiven == {
        Component.PRINCIPAL: ZERO,
        Component.INTEREST: D("300.00"),
        Component.PENALTY: D("300.00"),
        Component.FEES: ZERO,
    }
    assert plan.amount_financed == D("11700.00")  # 12000 + 300 − 600 down
    first = plan.instalments[0]
    assert (first.principal, first.interest, first.separate) == (
        D("975.00"),  # 11700 / 12
        D("117.00"),  # 11700 × 1%
        D("100.00"),  # the fees
    )
    assert plan.amount_payable == D("12400.00")  # 13000 − 600 forgiven
    # credit for the cost: principal 12000 + interest still owed 300 − down payment 600
    assert plan.credit == D("11700.00")


@pytest.mark.parametrize(
    ("treatment", "financed", "separate"),
    [
        (Treatment.WAIVE, D("12000.00"), ZERO),
        (Treatment.CARRY, D("12360.00"), ZERO),  # 12000 × 1% × 3 months = 360 carried
        (Treatment.ENFORCE, D("12000.00"), D("360.00")),
    ],
)
def test_deferral_of_three_months(treatment: Treatment, financed: Decimal, separate: Decimal):
    proposal = Proposal(
        Debt(D("12000.00")),
        Method.EQUAL_INSTALMENT,
        D("0.12"),
        12,
        deferral_months=3,
        deferral_interest=treatment,
        start=date(2026, 11, 30),
    )
    plan = build_plan(proposal)
    assert plan.deferral_interest == D("360.00")
    assert plan.amount_financed == financed
    assert plan.instalments[0].separate == separate
    assert plan.instalments[0].month == 4
    assert plan.instalments[0].due_date == date(2027, 3, 30)
    assert plan.instalments[2].due_date == date(2027, 5, 30)


def test_add_months_keeps_the_day_or_the_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert add_months(date(2026, 12, 15), 13) == date(2028, 1, 15)


BASE = Proposal(Debt(D("1000.00"), D("0"), D("50.00")), Method.EQUAL_INSTALMENT, D("0.1"), 6)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"down_payment": D("1000.01")}, "down_payment"),
        ({"down_payment": D("1.001")}, "down_payment"),
        ({"annual_rate": D("-0.1")}, "annual_rate"),
        ({"annual_rate": D("1e-100")}, "annual_rate"),
        ({"term_months": 0}, "term_months"),
        ({"deferral_months": -1}, "deferral_months"),
        ({"debt": Debt(D("-5"))}, "debt.principal"),
        ({"discounts": {Component.PENALTY: Discount(amount=D("50.01"))}}, "discounts.penalty"),
        ({"discounts": {Component.PENALTY: Discount(share=D("1.5"))}}, "discounts.penalty"),
        ({"discounts": {Component.PENALTY: Discount(D("0.1"), D("1"))}}, "discounts.penalty"),
        ({"discounts": {Component.PENALTY: Discount()}}, "discounts.penalty"),
    ],
)
def test_impossible_proposals_name_the_field(change: dict[str, object], field: str):
    with pytest.raises(ProposalError) as caught:
        build_plan(replace(BASE, **change))  # type: ignore[arg-type]
    assert caught.value.field.startswith(field)
    assert caught.value.zh and caught.value.en
