"""Guardrail decisions as data: accepted, rejected with each reason, approval by role."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from duecourse.domain.repayment.amortise import Method
from duecourse.domain.repayment.decide import Verdict, decide, minimum_down_payment
from duecourse.domain.repayment.plan import build_plan
from duecourse.domain.repayment.terms import (
    Approval,
    Component,
    Debt,
    Discount,
    Guardrails,
    Measure,
    Proposal,
    Treatment,
)

D = Decimal
# 10,000 principal, 500 interest, 1,000 penalty, 200 fees = 11,700; the penalty is waived
# (1,000 / 11,700 = 8.5% forgiven, under the 10% approval line), the fees are due separately.
BASE = Proposal(
    Debt(D("10000.00"), D("500.00"), D("1000.00"), D("200.00")),
    Method.EQUAL_INSTALMENT,
    D("0.12"),
    12,
    interest=Treatment.CARRY,
    penalty=Treatment.WAIVE,
    fees=Treatment.ENFORCE,
)
HALF_PRINCIPAL = {Component.PRINCIPAL: Discount(share=D("0.5"))}
SUPERVISOR, RISK = "collections_supervisor", "risk_manager"

CASES: list[tuple[str, dict[str, Any], dict[str, Any], Verdict, list[str], list[str]]] = [
    # id, proposal changes, guardrail changes, verdict, reason codes, approvers
    ("within every limit", {}, {}, Verdict.ACCEPTED, [], []),
    ("term over 60", {"term_months": 72}, {}, Verdict.REJECTED, ["TERM_TOO_LONG"], []),
    ("deferral over 6", {"deferral_months": 9}, {}, Verdict.REJECTED, ["DEFERRAL_TOO_LONG"], []),
    (
        "two limits at once",
        {"term_months": 72, "deferral_months": 9},
        {},
        Verdict.REJECTED,
        ["TERM_TOO_LONG", "DEFERRAL_TOO_LONG"],
        [],
    ),
    (
        "no down payment where 10% is required",
        {},
        {"min_down_payment_share": D("0.1")},
        Verdict.REJECTED,
        ["DOWN_PAYMENT_TOO_LOW"],
        [],
    ),
    (
        "down payment above the minimum amount",
        {"down_payment": D("600.00")},
        {"min_down_payment_amount": D("500.00")},
        Verdict.ACCEPTED,
        [],
        [],
    ),
    (
        "half the principal forgiven",
        {"discounts": HALF_PRINCIPAL},
        {},
        Verdict.REJECTED,
        ["DISCOUNT_TOO_HIGH", "PRINCIPAL_DISCOUNT_TOO_HIGH"],
        [],
    ),
    (
        "interest waived too: 1,500 / 11,700 = 12.8% forgiven",
        {"interest": Treatment.WAIVE},
        {},
        Verdict.APPROVAL,
        ["NEEDS_APPROVAL"],
        [SUPERVISOR],
    ),
    (
        "5% of principal forgiven: two roles, junior first",
        {"discounts": {Component.PRINCIPAL: Discount(share=D("0.05"))}},
        {},
        Verdict.APPROVAL,
        ["NEEDS_APPROVAL", "NEEDS_APPROVAL"],
        [SUPERVISOR, RISK],
    ),
    ("36 months", {"term_months": 36}, {}, Verdict.APPROVAL, ["NEEDS_APPROVAL"], [SUPERVISOR]),
    ("36% a year", {"annual_rate": D("0.36")}, {}, Verdict.REJECTED, ["COST_ABOVE_CAP"], []),
    (
        "36% a year under a 36% cap",
        {"annual_rate": D("0.36")},
        {"cost_cap": D("0.36")},
        Verdict.REJECTED,
        ["COST_ABOVE_CAP"],
        [],
    ),  # the 200 fees push the IRR above 36%
    (
        "36% a year, clipped",
        {"annual_rate": D("0.36")},
        {"on_cap": "clip"},
        Verdict.ACCEPTED,
        [],
        [],
    ),
    (
        "fees alone above the cap, clip cannot help",
        {"term_months": 1, "debt": Debt(D("1000.00"), fees=D("100.00"))},
        {"on_cap": "clip"},
        Verdict.REJECTED,
        ["COST_ABOVE_CAP"],
        [],
    ),
    (
        "a lender's own threshold",
        {},
        {"approvals": (Approval("branch_head", Measure.AMOUNT_FINANCED, D("5000")),)},
        Verdict.APPROVAL,
        ["NEEDS_APPROVAL"],
        ["branch_head"],
    ),
    (
        "a hard limit overrides approvals",
        {"term_months": 72, "interest": Treatment.WAIVE},
        {},
        Verdict.REJECTED,
        ["TERM_TOO_LONG"],
        [],
    ),
]


@pytest.mark.parametrize(
    ("change", "limits", "verdict", "codes", "approvers"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_decision(
    change: dict[str, Any],
    limits: dict[str, Any],
    verdict: Verdict,
    codes: list[str],
    approvers: list[str],
):
    decision = decide(replace(BASE, **change), replace(Guardrails(), **limits))
    assert decision.verdict is verdict
    assert [r.code for r in decision.reasons] == codes
    assert list(decision.approvers) == approvers
    for text in (*decision.reasons, *decision.notes):  # bilingual: Chinese, then English
        assert re.search(r"[\u4e00-\u9fff]", text.zh) and text.en.isascii()
    notes = [n.code for n in decision.notes]
    assert notes[:1] in (["NOT_A_RIGHT"], ["RATE_CLIPPED"])
    assert "NOT_A_RIGHT" in notes and "LIMITATION" in notes


def test_clipping_lowers_the_rate_to_the_cap():
    decision = decide(replace(BASE, annual_rate=D("0.36")), Guardrails(on_cap="clip"))
    used = decision.plan.proposal.annual_rate
    cost = decision.plan.cost
    assert cost.monthly is not None and cost.monthly * 12 <= D("0.24")
    higher = build_plan(replace(BASE, annual_rate=used + D("0.0001"))).cost
    assert higher.above(D("0.24"))  # the highest whole basis point within the cap
    assert decision.notes[0].code == "RATE_CLIPPED"


def test_reasons_name_the_numbers():
    decision = decide(replace(BASE, term_months=72), Guardrails())
    assert "72" in decision.reasons[0].zh and "60" in decision.reasons[0].en
    decision = decide(BASE, Guardrails(min_down_payment_share=D("0.1")))
    # the amount payable is 11,700 − 1,000 waived = 10,700; 10% of it is 1,070.00
    assert "1,070.00" in decision.reasons[0].zh and "1,070.00" in decision.reasons[0].en


def test_minimum_down_payment_is_the_larger_of_share_and_amount():
    plan = build_plan(BASE)  # amount payable 10,700
    assert minimum_down_payment(plan, Guardrails(min_down_payment_share=D("0.1"))) == D("1070.00")
    both = Guardrails(min_down_payment_share=D("0.1"), min_down_payment_amount=D("2000"))
    assert minimum_down_payment(plan, both) == D("2000")
    assert minimum_down_payment(plan, Guardrails(min_down_payment_amount=D("99999"))) == D(
        "10700.00"
    )


def test_settlement_and_deferral_notes_state_the_amounts():
    decision = decide(
        replace(BASE, deferral_months=2, deferral_interest=Treatment.ENFORCE), Guardrails()
    )
    notes = {n.code: n for n in decision.notes}
    assert "1,000.00" in notes["SETTLEMENT"].zh  # the waived penalty
    # deferral interest: 10,500 carried × 1% × 2 months = 210.00
    assert "210.00" in notes["DEFERRAL"].zh and "210.00" in notes["DEFERRAL"].en
    carried = decide(replace(BASE, penalty=Treatment.CARRY), Guardrails())
    assert "CARRY_INTEREST" in [n.code for n in carried.notes]
