"""What the reference strategies do, per lender type — on the reference and compiled paths."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import ibis
import pyarrow as pa
import pytest

from duecourse.adapters.strategy_files import reference_strategies
from duecourse.domain.facts import FLAG_COLUMNS
from duecourse.strategy.pipeline import compile_strategy, run_reference, validate_strategy

STRATEGIES = reference_strategies()
ROOT = Path(__file__).resolve().parents[2]


def account(**overrides):
    base = {
        "days_past_due": 95,
        "bucket": "M4",
        "amount_overdue": Decimal("3000.00"),
        "contact": "lost",
        "address_verified": True,
        "negotiating": False,
        "prior_overdues": 1,
        "broken_promises": 0,
        "bucket_jump": 0,
        **dict.fromkeys(FLAG_COLUMNS, False),
    }
    base.update(overrides)
    return base


def decide(lender_type: str, **overrides) -> str:
    """The action by the reference evaluator, checked against the compiled expression."""
    strategy = STRATEGIES[lender_type]
    facts = account(**overrides)
    reference = run_reference(strategy, facts).outputs["action"]
    t = ibis.memtable(pa.Table.from_pylist([facts]))
    compiled = ibis.duckdb.connect().to_pyarrow(compile_strategy(strategy, t))["action"][0]
    assert compiled.as_py() == reference
    return str(reference)


@pytest.mark.parametrize("lender_type", sorted(STRATEGIES))
def test_every_reference_strategy_is_valid(lender_type):
    assert [str(i) for i in validate_strategy(STRATEGIES[lender_type])] == []


def test_a_small_balance_at_95_days_with_lost_contact_is_not_visited_by_a_bank():
    assert decide("bank", amount_overdue=Decimal("3000.00")) != "field_visit"


def test_the_same_account_with_a_large_balance_is_visited_by_a_small_loan_company():
    assert decide("small_loan", amount_overdue=Decimal("30000.00")) == "field_visit"


@pytest.mark.parametrize("lender_type", sorted(STRATEGIES))
def test_small_balances_are_never_visited(lender_type):
    for dpd in (95, 150, 400):
        assert decide(lender_type, days_past_due=dpd, amount_overdue=Decimal("900.00")) != (
            "field_visit"
        )


@pytest.mark.parametrize("lender_type", sorted(STRATEGIES))
def test_visits_need_a_verified_address_and_lost_or_evasive_contact(lender_type):
    big = {"days_past_due": 200, "amount_overdue": Decimal("200000.00")}
    assert decide(lender_type, **big) == "field_visit"
    assert decide(lender_type, **big, address_verified=False) != "field_visit"
    assert decide(lender_type, **big, contact="reachable") != "field_visit"
    assert decide(lender_type, **big, contact="unresponsive") == "field_visit"


def test_banks_prefer_lawsuits_to_visits_for_large_late_debts():
    assert (
        decide(
            "bank", days_past_due=130, amount_overdue=Decimal("60000.00"), contact="unresponsive"
        )
        == "litigation"
    )
    assert (
        decide(
            "small_loan",
            days_past_due=130,
            amount_overdue=Decimal("60000.00"),
            contact="unresponsive",
        )
        == "field_visit"
    )


def test_small_loan_companies_and_platforms_outsource_earlier_than_banks():
    assert decide("online_platform", days_past_due=40, contact="reachable") == "agency_placement"
    assert decide("small_loan", days_past_due=70, contact="reachable") == "agency_placement"
    assert decide("bank", days_past_due=70, contact="reachable") == "senior_agent_call"


@pytest.mark.parametrize("lender_type", sorted(STRATEGIES))
def test_negotiating_borrowers_are_not_escalated(lender_type):
    big = {"days_past_due": 200, "amount_overdue": Decimal("200000.00")}
    assert decide(lender_type, **big, negotiating=True) == "sms_reminder"


@pytest.mark.parametrize("lender_type", sorted(STRATEGIES))
def test_good_history_is_treated_leniently(lender_type):
    first = decide(lender_type, days_past_due=10, prior_overdues=0, contact="reachable")
    repeat = decide(lender_type, days_past_due=10, prior_overdues=3, contact="reachable")
    assert first == "sms_reminder"
    assert repeat in {"ai_call", "agent_call"}


@pytest.mark.parametrize("lender_type", sorted(STRATEGIES))
def test_restricted_accounts_are_held(lender_type):
    for flag in ("flag_attorney", "flag_cease_request", "flag_dispute"):
        assert decide(lender_type, **{flag: True}) == "hold"
    assert decide(lender_type, flag_deceased=True) == "write_off_review"


@pytest.mark.parametrize("lender_type", sorted(STRATEGIES))
def test_an_account_that_skipped_a_bucket_is_caught_up_by_a_person(lender_type):
    assert decide(lender_type, bucket_jump=2, contact="reachable") == "agent_call"


@pytest.mark.parametrize("lender_type", sorted(STRATEGIES))
def test_every_row_has_a_reason_and_is_documented(lender_type):
    docs = (ROOT / "docs" / "strategies.md").read_text(encoding="utf-8")
    for table in STRATEGIES[lender_type].tables:
        for rule in table.rules:
            assert rule.why, f"{table.name}#{rule.id} has no reason"
            assert f"`{table.name}#{rule.id}`" in docs, f"{table.name}#{rule.id} undocumented"
