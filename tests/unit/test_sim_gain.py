"""The gain three ways, piece by piece: the halved world, the values' formula on hand
numbers, and the parameters counted from a hand-written history."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from duecourse.adapters.behaviour_file import read_behaviour
from duecourse.service.sim_gain import (
    CYCLE_DAYS,
    MIN_EXECUTIONS,
    WINDOW,
    History,
    ModelValues,
    estimated_values,
    halved,
    true_values,
)

MODEL = read_behaviour()
DAY = date(2026, 3, 2)


def test_halving_moves_every_lift_halfway_to_one_and_halves_restored_contact():
    weaker = halved(MODEL)
    assert weaker.actions.keys() == MODEL.actions.keys()
    for name, effect in MODEL.actions.items():
        half = weaker.actions[name]
        assert half.lift == pytest.approx(1 + (effect.lift - 1) / 2)
        assert half.restores_contact == pytest.approx(effect.restores_contact / 2)
        assert (half.rpc, half.promise, half.cost) == (effect.rpc, effect.promise, effect.cost)
    assert weaker.matrices == MODEL.matrices


def test_values_follow_the_formula_on_hand_numbers():
    values = ModelValues(
        lift={"agent_call": 1.4, "agency_placement": 1.2},
        effect_days={"agent_call": 15, "agency_placement": 60},
        complaint={"agent_call": {"reachable": 0.01}, "agency_placement": {}},
        cost_fen={"agent_call": 300.0, "agency_placement": 0.0},
        cycle_pay={"reachable": 0.3, "lost": 0.1},
        commission=0.25,
    )
    facts = {
        "amount_overdue": np.array([1000.0, 2000.0]),
        "contact": np.array(["reachable", "lost"], dtype=object),
    }
    got = values(facts, np.array([0, 1, 1]), ["agent_call", "agent_call", "agency_placement"])
    # 100,000 fen × 0.3 × 0.4 × 15/30; 200,000 × 0.1 × 0.4 × 0.5; 200,000 × 0.1 × 0.2 × 1
    assert got.gain.tolist() == pytest.approx([6000.0, 4000.0, 4000.0])
    assert got.cost.tolist() == pytest.approx([300.0, 300.0, 1000.0])  # commission 25 % of gain
    assert got.complaint.tolist() == pytest.approx([0.01, 0.0, 0.0])


def test_true_values_are_the_models():
    truth = true_values(MODEL)
    assert truth.lift == {a: e.lift for a, e in MODEL.actions.items()}
    assert truth.cost_fen["field_visit"] == float(MODEL.actions["field_visit"].cost * 100)
    assert all(0 < p < 1 for p in truth.cycle_pay.values())


def test_parameters_counted_from_a_history():
    # One segment: 40 days of hold, 10 followed by a payment within the window (25 %); 40 SMS,
    # 20 followed (50 %, lift 2), 4 complaints; 5 visits (too few: lift 1).
    history = History()
    for k in range(40):
        held, sent = f"H{k}", f"S{k}"
        history.done.extend(
            [(held, DAY, "standard", "hold"), (sent, DAY, "standard", "sms_reminder")]
        )
        if k < 10:
            history.paid[held].add(DAY + timedelta(days=WINDOW - 1))
        if k < 20:
            history.paid[sent].add(DAY + timedelta(days=1))
        if k >= 20:
            history.paid[sent].add(DAY + timedelta(days=WINDOW))  # outside the window
        if k < 4:
            history.complained.add((sent, DAY))
    for k in range(5):
        history.done.append((f"V{k}", DAY, "standard", "field_visit"))
    assert MIN_EXECUTIONS <= 40
    got = estimated_values(history, MODEL)
    assert got.lift["sms_reminder"] == pytest.approx(2.0)
    assert got.lift["field_visit"] == 1.0
    assert got.lift["hold"] == pytest.approx(1.0)
    assert got.complaint["sms_reminder"]["reachable"] == pytest.approx(0.1)
    assert got.cycle_pay["reachable"] == pytest.approx(1 - 0.75 ** (CYCLE_DAYS / WINDOW))
    assert got.effect_days["sms_reminder"] == WINDOW
