"""The promise-to-pay state machine (domain/promises.py): specification cases and properties."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from duecourse.domain.model import Payment, PromiseToPay
from duecourse.domain.promises import FINAL_STATES, PromiseState, track_promises

CASES = yaml.safe_load((Path(__file__).parents[1] / "cases" / "promises.yaml").read_text("utf-8"))


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["name"] for c in CASES["cases"]])
def test_case(case):
    promises = [
        PromiseToPay(p["id"], "L1", _at(p["made"]), p["due"], Decimal(p["amount"]))
        for p in case["promises"]
    ]
    payments = [
        Payment(p["id"], "L1", _at(p["paid"]), Decimal(p["amount"]), "app")
        for p in case["payments"]
    ]
    tracks = {t.promise_id: t for t in track_promises(promises, payments, case["grace"])}
    for day, expected in case["states"].items():
        for pid, state in expected.items():
            got = tracks[pid].state(day)
            assert (got.value if got else None) == state, (day, pid)
    assert {pid: str(t.matched) for pid, t in tracks.items()} == case["matched"]


START = datetime(2025, 3, 1)


@st.composite
def loan_history(draw):
    """Random promises and payments on one or two loans, over 30 days."""
    promises, payments = [], []
    for loan in ("L1", "L2")[: draw(st.integers(1, 2))]:
        for i in range(draw(st.integers(0, 5))):
            made = START + timedelta(minutes=draw(st.integers(0, 30 * 24 * 60)))
            due = made.date() + timedelta(days=draw(st.integers(0, 10)))
            amount = Decimal(draw(st.integers(1, 100_000))) / 100
            promises.append(PromiseToPay(f"R{loan}{i}", loan, made, due, amount))
        for i in range(draw(st.integers(0, 6))):
            paid = START + timedelta(minutes=draw(st.integers(0, 45 * 24 * 60)))
            amount = Decimal(draw(st.integers(1, 100_000))) / 100
            payments.append(Payment(f"P{loan}{i}", loan, paid, amount, "app"))
    return promises, payments, draw(st.integers(0, 5))


@settings(max_examples=300, deadline=None)
@given(history=loan_history())
def test_every_yuan_is_matched_at_most_once_and_inside_the_window(history):
    promises, payments, grace = history
    tracks = track_promises(promises, payments, grace)
    used: dict[str, Decimal] = defaultdict(Decimal)
    by_id = {p.promise_id: p for p in promises}
    paid = {p.payment_id: p for p in payments}
    for t in tracks:
        assert sum((m.amount for m in t.matches), Decimal(0)) == t.matched <= t.amount
        for m in t.matches:
            payment = paid[m.payment_id]
            assert payment.loan_id == t.loan_id and m.amount > 0
            assert by_id[t.promise_id].made_at.date() <= m.on <= t.due_date + timedelta(grace)
            assert m.on < t.judged_on
            used[m.payment_id] += m.amount
    assert all(used[pid] <= paid[pid].amount for pid in used)


@settings(max_examples=300, deadline=None)
@given(history=loan_history())
def test_oldest_first_a_younger_promise_is_paid_only_when_no_older_one_could_take_it(history):
    promises, payments, grace = history
    tracks = {t.promise_id: t for t in track_promises(promises, payments, grace)}
    age = {p.promise_id: (p.made_at, p.promise_id) for p in promises}
    for t in tracks.values():
        for m in t.matches:
            # when money went to this promise, every older one whose window held the day was
            # already paid in full (by then, or by that very payment)
            for older in promises:
                if older.loan_id != t.loan_id or age[older.promise_id] >= age[t.promise_id]:
                    continue
                if older.made_at.date() <= m.on <= older.due_date + timedelta(grace):
                    kept_on = tracks[older.promise_id].kept_on
                    assert kept_on is not None and kept_on <= m.on, (older.promise_id, m)


@settings(max_examples=300, deadline=None)
@given(history=loan_history())
def test_states_move_only_from_open_to_one_final_state(history):
    promises, payments, grace = history
    for t in track_promises(promises, payments, grace):
        seen = [t.state(START.date() + timedelta(days=d)) for d in range(-1, 60)]
        states = [s for s in seen if s is not None]
        assert all(seen[i] is None for i in range(len(seen) - len(states)))  # none, then some
        finals = [s for s in states if s in FINAL_STATES]
        assert len(set(finals)) <= 1  # one final state, kept for good
        if finals:
            first = states.index(finals[0])
            assert all(s is PromiseState.OPEN for s in states[:first])
            assert all(s == finals[0] for s in states[first:])
        # every promise is judged by the day after its due date plus the grace
        assert t.state(t.judged_on) in FINAL_STATES


@settings(max_examples=200, deadline=None)
@given(history=loan_history())
def test_kept_means_paid_in_full_and_broken_means_nothing_matched(history):
    promises, payments, grace = history
    for t in track_promises(promises, payments, grace):
        end = t.state(date(2026, 1, 1))
        assert (end is PromiseState.KEPT) == (t.matched == t.amount)
        assert (end is PromiseState.BROKEN) == (t.matched == 0)
        if t.kept_on is not None:
            assert t.made_on <= t.kept_on < t.judged_on


def test_a_negative_grace_is_refused():
    with pytest.raises(ValueError, match="grace"):
        track_promises([], [], -1)
