"""Whatever JSON arrives, ``plan-repayment`` answers or names the field: parsing and deciding
raise only the two expected errors (the CLI turns both into one bilingual message)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duecourse.adapters.repayment_json import (
    BadInput,
    decision_json,
    parse_guardrails,
    parse_json,
    parse_proposal,
)
from duecourse.domain.repayment.decide import decide
from duecourse.domain.repayment.plan import ProposalError
from duecourse.domain.repayment.terms import Guardrails

weird = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10**13),
    st.sampled_from(["0", "1e-100", "1e400", "NaN", "-0.01", "12.345", "abc", "", "keep"]),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-1, max_value=10**6),
)
money = st.integers(0, 10**11).map(lambda fen: str(Decimal(fen).scaleb(-2)))
rate = st.integers(0, 10_000_000).map(lambda ppm: str(Decimal(ppm).scaleb(-6)))
treatment = st.sampled_from(["waive", "carry", "enforce"])
share_or_amount = st.one_of(
    st.fixed_dictionaries({"share": st.integers(0, 100).map(lambda p: str(Decimal(p) / 100))}),
    st.fixed_dictionaries({"amount": money}),
)
valid = st.fixed_dictionaries(
    {
        "debt": st.fixed_dictionaries(
            {"principal": money},
            optional={"interest": money, "penalty": money, "fees": money},
        ),
        "method": st.sampled_from(["equal_instalment", "equal_principal"]),
        "annual_rate": rate,
        "term_months": st.integers(1, 600),
    },
    optional={
        "start_date": st.dates().map(str),
        "down_payment": money,
        "deferral": st.fixed_dictionaries(
            {}, optional={"months": st.integers(0, 120), "interest": treatment}
        ),
        "treatment": st.dictionaries(st.sampled_from(["interest", "penalty", "fees"]), treatment),
        "discounts": st.dictionaries(
            st.sampled_from(["principal", "interest", "penalty", "fees"]), share_or_amount
        ),
    },
)
PATHS = [
    ("debt", "principal"),
    ("debt", "penalty"),
    ("method",),
    ("annual_rate",),
    ("term_months",),
    ("down_payment",),
    ("deferral",),
    ("discounts",),
    ("colour",),
]


@st.composite
def proposals(draw: st.DrawFn) -> dict[str, Any]:
    """A valid proposal, half the time with one field replaced by something odd."""
    data = draw(valid)
    if draw(st.booleans()):
        path = draw(st.sampled_from(PATHS))
        target = data
        for key in path[:-1]:
            target = target.setdefault(key, {})
        target[path[-1]] = draw(weird)
    return data


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    return value


@settings(max_examples=400, deadline=None)
@given(proposals(), st.sampled_from(["reject", "clip"]))
def test_any_proposal_is_answered_or_refused_by_field(data: dict[str, Any], on_cap: str):
    try:
        proposal = parse_proposal(_json(data))
        guardrails = Guardrails(on_cap=on_cap)
        decision_json(decide(proposal, guardrails), guardrails)
    except BadInput as exc:
        assert exc.problems and all(": " in p for p in exc.problems)
    except ProposalError as exc:
        assert exc.field and exc.zh and exc.en


@pytest.mark.parametrize("text", ["{", "[1, 2", '{"a": 1,}', "\ufeff{}"])
def test_broken_json_is_refused_with_its_position(text: str):
    with pytest.raises(BadInput, match="JSON"):
        parse_json(text)


def test_floats_are_read_as_decimals():
    data = parse_json('{"annual_rate": 0.1}')
    assert data["annual_rate"] == Decimal("0.1")


def test_guardrails_reject_unknown_keys_and_bad_values():
    with pytest.raises(BadInput) as caught:
        parse_guardrails({"max_term": 12, "on_cap": "maybe", "approvals": [{"role": ""}]})
    text = "\n".join(caught.value.problems)
    for field in ("max_term", "on_cap", "approvals.0.role", "approvals.0.measure"):
        assert field in text
    assert parse_guardrails(None) == Guardrails()
