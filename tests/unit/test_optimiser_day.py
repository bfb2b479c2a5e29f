"""The default value estimator and one optimiser day, on numbers worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from duecourse.strategy.action_values import ActionParams, ParametricValues
from duecourse.strategy.optimiser_day import OptimiserConfig, choose

CALL = ActionParams(
    contact_rate={"reachable": 0.5, "lost": 0.1},
    promise_rate=0.4,
    payment_share=0.5,
    cost_fen=300,
    complaint_rate=0.01,
    uses={"agent_minutes": 6},
)
VISIT = ActionParams(
    contact_rate={"reachable": 0.8, "lost": 0.8},
    promise_rate=0.5,
    payment_share=0.5,
    cost_fen=10_000,
    commission=0.1,
    uses={"visits:{lender}:{region}": 1},
)
FACTS = {
    "amount_overdue": np.array([1000.0, 2000.0, 500.0]),  # yuan
    "contact": np.array(["reachable", "lost", "reachable"], dtype=object),
    "lender": np.array(["L1", "L1", "L2"], dtype=object),
    "region": np.array(["湖北", "湖北", "湖北"], dtype=object),
}


def test_the_default_estimator_multiplies_its_rates() -> None:
    values = ParametricValues({"agent_call": CALL, "field_visit": VISIT})
    account = np.array([0, 1, 2, 1], dtype=np.int64)
    v = values(FACTS, account, ["agent_call", "agent_call", "field_visit", "field_visit"])
    # 100,000 fen × 0.5 × 0.4 × 0.5 = 10,000; lost: 200,000 × 0.1 × 0.2 = 4,000
    # visit: 50,000 × 0.8 × 0.25 = 10,000 and 200,000 × 0.2 = 40,000, commission 10 %
    assert v.gain.tolist() == pytest.approx([10_000, 4_000, 10_000, 40_000])
    assert v.cost.tolist() == pytest.approx([300, 300, 11_000, 14_000])
    assert v.complaint.tolist() == pytest.approx([0.005, 0.001, 0.0, 0.0])


def test_a_day_respects_each_visit_team_and_prices_the_agents() -> None:
    config = OptimiserConfig(
        actions={"agent_call": CALL, "field_visit": VISIT},
        capacities={"agent_minutes": 6, "visits:L1:*": 1},
    )
    account = np.array([0, 0, 1, 1, 2, 2], dtype=np.int64)
    action = ["agent_call", "field_visit"] * 3
    day = choose(FACTS, account, action, config)
    # Nets: account 0 call 9,700 / visit −1,000 (dropped); account 1 call 3,700 / visit
    # 26,000; account 2 call 4,700 / visit −1,000. L1's one visit goes to account 1 (L2 has
    # no visit limit). Six agent minutes: one call, to account 0.
    assert day.action == ["agent_call", "field_visit", "hold"]
    assert day.assignment.objective == pytest.approx(26_000 + 9_700)
    names = day.assignment.names
    assert set(names) == {"agent_minutes", "visits:L1:湖北"}
    price = dict(zip(names, day.assignment.shadow_prices, strict=True))
    # A minute is worth between a sixth of the call left out and of the call made: any price
    # in [4,700 / 6, 9,700 / 6] is a dual optimum here.
    assert 4_700 / 6 - 1e-6 <= price["agent_minutes"] <= 9_700 / 6 + 1e-6
    assert "expected gain 100.00 元, cost 3.00 元, net 97.00 元" in day.reasons[0]
    shown = f"agent_minutes (shadow price {price['agent_minutes'] / 100:.2f} 元/unit)"
    assert shown in day.reasons[0]
    assert "no allowed action worth its cost" in day.reasons[2]
