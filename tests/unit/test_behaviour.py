"""The behaviour model: the parameter file is checked, the daily hazard rolls months as the
matrix says, actions lift payments, and one account can be simulated on its own."""

from __future__ import annotations

from datetime import date, timedelta
from importlib import resources

import numpy as np
import pytest
import yaml

from duecourse.adapters.behaviour_file import read_behaviour
from duecourse.adapters.optimiser_config import load_optimiser_config
from duecourse.domain.model import LenderType
from duecourse.lab.behaviour import (
    DRAWS,
    AccountStart,
    DayState,
    ModelError,
    day_step,
    load_model,
    simulate_account,
)
from duecourse.strategy.actions import ACTIONS

MODEL = read_behaviour()
FILE = yaml.safe_load(resources.files("duecourse.lab").joinpath("behaviour.yaml").read_text())
TYPES = [k.value for k in LenderType]
COSTS = {name: action.cost for name, action in ACTIONS.items()}


def one_cycle(missed: int, days: int, n: int, actions=None, seed: int = 1):
    """``n`` accounts through one whole cycle of ``days`` days: instalments covered each."""
    rng = np.random.default_rng(seed)
    covered = np.zeros(n, dtype=np.int64)
    for _ in range(days):
        state = DayState(
            missed=np.full(n, missed),
            cycle=np.zeros(n, dtype=np.int64),
            cycle_days=np.full(n, days),
            paid=covered > 0,
            lender_type=["small_loan"] * n,
            contact=["reachable"] * n,
            reachable=np.ones(n, dtype=bool),
            broken=np.zeros(n, dtype=bool),
            lift_ratio=np.full(n, 1.0 if actions is None else actions),
            contacts_7d=np.zeros(n, dtype=np.int64),
        )
        out = day_step(MODEL, state, [None] * n, rng.random((len(DRAWS), n)))
        covered += out.instalments
    return covered


@pytest.mark.parametrize("state", [0, 1, 2, 3])
def test_a_cycle_of_daily_hazards_rolls_as_the_matrix_row(state):
    """Over a cycle the accounts end in state ``state + 1 - k`` with the row's chances (the
    row as written in the file; 40,000 accounts, so a cell's standard error is < 0.0025)."""
    row = FILE["roll"]["matrix"]["value"][state]
    covered = one_cycle(state, 30, 40_000)
    after = state + 1 - covered
    for j, expected in enumerate(row):
        assert abs(np.mean(after == j) - expected) < 0.01, (state, j)


def test_the_4plus_row_splits_staying_between_no_payment_and_one_instalment():
    row = FILE["roll"]["matrix"]["value"][4]
    q = FILE["roll"]["stay_unpaid_share"]["value"]
    covered = one_cycle(6, 31, 40_000)  # six instalments past due: deep in 4+
    assert abs(np.mean(covered == 0) - q * row[4]) < 0.01
    assert abs(np.mean(covered == 1) - (1 - q) * row[4]) < 0.01
    assert abs(np.mean(6 + 1 - covered == 0) - row[0]) < 0.01  # cured


def test_a_lift_above_the_baseline_pays_more():
    base = np.mean(one_cycle(1, 30, 20_000) > 0)
    lifted = np.mean(one_cycle(1, 30, 20_000, actions=1.4) > 0)
    assert lifted > base + 0.03


def test_every_parameter_is_documented_and_bad_files_are_refused():
    assert all(p.source and p.kind in ("fact", "assumption") for p in MODEL.parameters.values())
    assert "roll.matrix" in MODEL.lender_parameters()
    bad = yaml.safe_load(yaml.safe_dump(FILE))
    bad["roll"]["matrix"]["value"][1] = [0.5, 0.1, 0.1, 0.0, 0.0]
    with pytest.raises(ModelError, match=r"roll\.matrix\[1\]: sums to"):
        load_model(bad, TYPES, COSTS)
    bad = yaml.safe_load(yaml.safe_dump(FILE))
    bad["roll"]["matrix"]["value"][0] = [0.9, 0.0, 0.1, 0.0, 0.0]
    with pytest.raises(ModelError, match="more than one state"):
        load_model(bad, TYPES, COSTS)
    bad = yaml.safe_load(yaml.safe_dump(FILE))
    del bad["actions"]["agent_call"]["lift"]["source"]
    with pytest.raises(ModelError, match=r"actions\.agent_call\.lift: missing source"):
        load_model(bad, TYPES, COSTS)
    bad = yaml.safe_load(yaml.safe_dump(FILE))
    bad["actions"]["door_knock"] = bad["actions"]["field_visit"]
    with pytest.raises(ModelError, match=r"actions\.door_knock: not in the action catalogue"):
        load_model(bad, TYPES, COSTS)


def test_costs_are_the_action_catalogues():
    # One definition: the simulator charges what strategy/actions.py says an action costs,
    # and the optimiser's default estimator values it at the same price (in fen).
    config = load_optimiser_config()
    for name, effect in MODEL.actions.items():
        assert effect.cost == ACTIONS[name].cost
    for name, params in config.actions.items():
        assert params.cost_fen == int(ACTIONS[name].cost * 100)
    assert all("cost" not in entry for entry in FILE["actions"].values())


def test_one_account_is_reproducible_and_pays_whole_instalments():
    dues = tuple(date(2026, 1, 10) + timedelta(days=30 * i) for i in range(8))
    start = AccountStart(2, dues, "small_loan")

    def run(seed):
        return simulate_account(
            MODEL,
            start,
            date(2026, 1, 1),
            180,
            lambda day, missed, reachable: "agent_call" if missed else None,
            np.random.default_rng(seed),
        )

    first = run(5)
    assert first == run(5)
    assert all(d.missed >= 0 and d.paid_instalments >= 0 for d in first)
    # every due date that passed added one instalment; every payment took whole ones away,
    # the last perhaps the one due at the end of the cycle under way (paid ahead)
    passed = sum(date(2026, 1, 1) <= d < first[-1].day for d in dues)
    paid = sum(d.paid_instalments for d in first)
    assert 0 <= paid + first[-1].missed - (start.missed + passed) <= 1
    assert paid > 0
