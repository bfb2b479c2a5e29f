"""``assess``: the request is validated by field, the answer is deterministic, its texts honest."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duecourse.adapters.assess_json import load_case, parse_case
from duecourse.domain.assess import BorrowerCase, case_facts, contact_counts, strategy_row
from duecourse.domain.assess_texts import NEGOTIATE, advice, relief_note, rights
from duecourse.domain.contact import ContactThresholds
from duecourse.errors import BadUsage
from duecourse.service.assess import HIGH, LOW, assess, level

REQUEST: dict[str, Any] = {
    "lender_type": "small_loan",
    "days_past_due": 85,
    "amount_overdue": 20000,
    "contact": "unresponsive",
    "negotiating": False,
    "address_verified": True,
    "prior_overdues": 1,
}


def test_the_contract_fields() -> None:
    out = assess(REQUEST)
    visit = out["door_visit"]
    assert visit["level"] in {"low", "medium", "high"}
    assert 0 <= visit["probability"] <= 1
    assert visit["horizon_days"] == 30
    assert all({"action", "probability"} <= set(a) for a in out["next_actions"])
    for key in ("reasons", "rights", "advice"):
        assert out[key] and all(isinstance(line, str) for line in out[key])


def test_same_input_same_output() -> None:
    assert assess(REQUEST) == assess(dict(REQUEST))


def test_a_visit_needs_notice_first() -> None:
    """DC-VIS-PRE: the lender sends written notice, and visits only after the notice period."""
    out = assess(REQUEST)
    first = {a["action"]: a["first_day_median"] for a in out["next_actions"]}
    assert first["visit_notice"] + 3 <= first["field_visit"]


def test_reasons_name_facts_with_direction_and_size() -> None:
    out = assess(REQUEST)
    details = {d["fact"]: d for d in out["reason_details"]}
    assert details["address_verified"]["direction"] == "raises"
    assert details["address_verified"]["probability_compared"] == 0
    assert details["contact"]["delta"] > 0
    assert details["negotiating"]["direction"] == "raises"  # not negotiating, against negotiating
    for d in out["reason_details"]:
        assert d["delta"] == pytest.approx(
            out["door_visit"]["probability"] - d["probability_compared"], abs=0.0015
        )
    assert any("地址已核实" in r and "address verified" in r for r in out["reasons"])


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("lender_type", "pawn_shop"),
        ("days_past_due", -1),
        ("days_past_due", "60"),
        ("amount_overdue", "1,000"),
        ("amount_overdue", -5),
        ("amount_overdue", "12.345"),
        ("amount_overdue", True),
        ("contact", "gone"),
        ("negotiating", "no"),
        ("address_verified", 1),
        ("prior_overdues", 1.5),
        ("horizon_days", 0),
        ("horizon_days", 365),
    ],
)
def test_bad_fields_are_named(field: str, value: Any) -> None:
    with pytest.raises(BadUsage) as caught:
        parse_case({**REQUEST, field: value})
    assert caught.value.subject == field
    assert caught.value.exit_code == 2
    assert all(" · " in line or ";" in line for line in caught.value.details)  # zh · en


@pytest.mark.parametrize("missing", ["lender_type", "amount_overdue", "contact"])
def test_missing_and_unknown_fields(missing: str) -> None:
    request = {k: v for k, v in REQUEST.items() if k != missing}
    with pytest.raises(BadUsage) as caught:
        parse_case({**request, "surname": "Li"})
    fields = {line.split(":", 1)[0] for line in caught.value.details}
    assert fields == {missing, "surname"}


def test_amounts_are_decimals() -> None:
    case = parse_case({**REQUEST, "amount_overdue": "20000.10"})
    assert case.amount_overdue == Decimal("20000.10")
    assert parse_case({**REQUEST, "amount_overdue": 20000.1}).amount_overdue == Decimal("20000.10")


def test_levels_are_thresholds() -> None:
    assert level(0) == level(LOW - 0.001) == "low"
    assert level(LOW) == level(HIGH - 0.001) == "medium"
    assert level(HIGH) == level(1) == "high"


def test_facts_of_a_case_follow_the_contact_definition() -> None:
    t = ContactThresholds()
    assert contact_counts("reachable") == (0, 0, False)
    assert contact_counts("lost")[0] >= t.lost_after_failed_calls
    case = parse_case(REQUEST)
    facts = case_facts(
        case,
        date(2026, 12, 1),
        days_past_due=95,
        amount_overdue=Decimal("30000"),
        contact="lost",
        negotiating=False,
        broken_promises=0,
    )
    row = strategy_row(facts)
    assert row["bucket"] == "M4" and row["contact"] == "lost" and row["bucket_jump"] == 0
    assert row["flag_dispute"] is False and "flags" not in row


def _case(**changes: Any) -> BorrowerCase:
    return parse_case({**REQUEST, **changes})


def test_an_instalment_plan_is_never_a_right() -> None:
    for case in (_case(), _case(negotiating=True)):
        text = " ".join(rights(case) + advice(case, date(2026, 12, 1)))
        assert "not a borrower's right" in text or "may agree" in text or case.negotiating
        assert "right to an instalment" not in text.lower()
    assert "may agree or refuse" in NEGOTIATE


def test_time_barred_warning_only_for_old_debts() -> None:
    old = advice(_case(days_past_due=1100), date(2026, 12, 1))
    recent = advice(_case(days_past_due=100), date(2026, 12, 1))
    assert any("time-barred" in line for line in old)
    assert not any("time-barred" in line for line in recent)


def test_relief_policy_only_while_it_applies() -> None:
    small = _case(amount_overdue=8000)
    assert relief_note(small, date(2026, 3, 1)) is not None
    assert relief_note(small, date(2026, 4, 1)) is None  # the policy's deadline has passed
    assert relief_note(_case(amount_overdue=20000), date(2026, 3, 1)) is None


def test_a_lawful_visit_is_lawful_entry_without_consent_is_not() -> None:
    text = " ".join(rights(_case()))
    assert "A visit as such is not unlawful" in text
    assert "Nobody may enter your home" in text
    for channel in ("12378", "12363", "110", "15 days"):
        assert channel in text
    assert "jubao.nifa.org.cn" in " ".join(rights(_case(lender_type="online_platform")))


def test_credit_repair_and_credit_report_truthfully() -> None:
    text = " ".join(rights(_case()) + advice(_case(), date(2026, 12, 1)))
    assert "5 years from the day the debt is settled" in text
    assert "paid credit repair is a scam" in text


@pytest.mark.parametrize(
    "lender_type", ["bank", "consumer_finance", "small_loan", "online_platform"]
)
def test_decisions_memoised_per_stretch_of_days_equal_the_reference(lender_type: str) -> None:
    """The engine decides once per stretch between ``dpd_breaks``; every day agrees with
    ``run_reference`` on that day's own facts."""
    from duecourse.adapters.strategy_files import reference_strategy
    from duecourse.compliance.packs import load_pack
    from duecourse.domain.model import LenderType
    from duecourse.service.assess_engine import Day, Engine
    from duecourse.strategy.pipeline import run_reference

    strategy = reference_strategy(LenderType(lender_type))
    engine = Engine(strategy, load_pack("cn"))
    case = _case(lender_type=lender_type, amount_overdue=150000)
    for contact, name in enumerate(("reachable", "unresponsive", "lost")):
        for dpd in range(0, 400):
            facts = case_facts(
                case,
                date(2026, 1, 1),
                days_past_due=dpd,
                amount_overdue=case.amount_overdue,
                contact=name,
                negotiating=False,
                broken_promises=0,
            )
            expected = run_reference(strategy, strategy_row(facts)).outputs["action"]
            day = Day(dpd, case.amount_overdue, contact, False, 0)
            assert engine.decide(case, day)[0] == expected, (dpd, name)


@settings(max_examples=25, deadline=None)
@given(
    lender_type=st.sampled_from(["bank", "consumer_finance", "small_loan", "online_platform"]),
    days_past_due=st.integers(0, 400),
    amount=st.integers(100, 300_000),
    contact=st.sampled_from(["reachable", "unresponsive", "lost"]),
    negotiating=st.booleans(),
    address_verified=st.booleans(),
    prior_overdues=st.integers(0, 5),
)
def test_every_visit_is_lawful_on_every_path(
    lender_type: str,
    days_past_due: int,
    amount: int,
    contact: str,
    negotiating: bool,
    address_verified: bool,
    prior_overdues: int,
) -> None:
    """On every simulated path: no visit without a verified address, none before the written
    notice's period is over, and none for a borrower who pays at once (dpd 0)."""
    from duecourse.service.assess import packaged_model, run
    from duecourse.service.assess_sim import VISIT_NOTICE, draws

    case = _case(
        lender_type=lender_type,
        days_past_due=days_past_due,
        amount_overdue=amount,
        contact=contact,
        negotiating=negotiating,
        address_verified=address_verified,
        prior_overdues=prior_overdues,
    )
    paths = run(case, packaged_model(), draws(3, 100, case.horizon_days))
    visited = paths.visited()
    assert 0 <= paths.probability() <= 1
    if not address_verified or days_past_due == 0:
        assert not visited.any()
    if visited.any():
        notice = paths.first_day[VISIT_NOTICE][visited]
        assert (notice >= 0).all() and (notice + 3 <= paths.first_day["field_visit"][visited]).all()


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(field=st.sampled_from([*REQUEST, "horizon_days", "seed", "as_of", "x"]), value=JSON)
def test_any_value_in_any_field_is_read_or_refused_by_name(field: str, value: Any) -> None:
    """Near-valid requests, one field replaced by any JSON value: a case, or a bilingual
    refusal naming the field, never another exception."""
    try:
        case = parse_case({**REQUEST, field: value})
    except BadUsage as exc:
        assert exc.subject == field
        assert all(line.split(":", 1)[0] == field for line in exc.details)
    else:
        assert isinstance(case, BorrowerCase)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=60) | JSON.map(json.dumps))
def test_any_text_is_read_or_refused(text: str) -> None:
    try:
        load_case(text)
    except BadUsage as exc:
        assert exc.exit_code == 2 and exc.zh and exc.en
