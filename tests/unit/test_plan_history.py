"""The daily run reads only the plans that can still matter, and decides as if it read all."""

from __future__ import annotations

from datetime import date, timedelta

import ibis
import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duecourse.adapters.strategy_files import reference_strategies
from duecourse.service.plan_rows import CADENCE, PLANNED, plan_history
from duecourse.strategy.pipeline import cadence_horizons, strategy_from_dict

START = date(2026, 1, 1)
HORIZONS = {"hold": 0, "sms_reminder": 3, "agent_call": 5, "legal_letter": 10}


@st.composite
def histories(draw):
    """Plans as the daily run leaves them: on each run day, a row for every account opened by
    then (accounts open on different days; runs skip days)."""
    opened = draw(st.lists(st.integers(0, 10), min_size=1, max_size=6))
    run_days = sorted(draw(st.sets(st.integers(0, 15), min_size=1, max_size=12)))
    rows = []
    for n in run_days:
        for account, first in enumerate(opened):
            if first <= n:
                rows.append(
                    {
                        "as_of": START + timedelta(days=n),
                        "account_id": f"A{account}",
                        "bucket": draw(st.sampled_from(["M0", "M1", "M2"])),
                        "action": draw(st.sampled_from(sorted(HORIZONS))),
                        "status": draw(st.sampled_from([PLANNED, CADENCE])),
                    }
                )
    today = START + timedelta(days=draw(st.integers(0, 18)))
    return rows, today


def everything_read(rows, today):
    """The history with every earlier plan read: the last bucket per account, and the last
    planned day per account and action."""
    bucket, done = {}, {}
    for r in sorted(rows, key=lambda r: r["as_of"]):
        if r["as_of"] < today:
            bucket[r["account_id"]] = r["bucket"]
            if r["status"] == PLANNED:
                done[(r["account_id"], r["action"])] = r["as_of"]
    return bucket, done


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=histories())
def test_the_bounded_history_holds_back_and_catches_up_as_the_whole_one(history):
    rows, today = history
    schema = pa.schema(
        [
            ("as_of", pa.date32()),
            ("account_id", pa.string()),
            ("bucket", pa.string()),
            ("action", pa.string()),
            ("status", pa.string()),
        ]
    )
    plans = ibis.memtable(pa.Table.from_pylist(rows, schema=schema))
    earlier = [r["as_of"] for r in rows if r["as_of"] < today]
    con = ibis.duckdb.connect()
    last_bucket, last_action = plan_history(plans, today, max(earlier, default=None), HORIZONS)
    got_bucket = {
        r["account_id"]: r["previous_bucket"] for r in con.to_pyarrow(last_bucket).to_pylist()
    }
    got_done = {
        (r["account_id"], r["action"]): r["last_done"]
        for r in con.to_pyarrow(last_action).to_pylist()
    }
    want_bucket, want_done = everything_read(rows, today)
    assert got_bucket == want_bucket
    # What the run does with a last planned day: hold the action back for fewer days than
    # today's cadence, which is at most the action's horizon.
    for (account, action), day in want_done.items():
        for cadence in range(HORIZONS[action] + 1):
            waiting = (today - day).days < cadence
            seen = got_done.get((account, action))
            assert waiting == (seen is not None and (today - seen).days < cadence)
    assert len(got_done) <= len(want_done)  # and nothing it never planned


def test_horizons_are_each_actions_longest_cadence_in_the_last_tables():
    horizons = cadence_horizons(reference_strategies().values())
    assert horizons is not None
    assert horizons["hold"] == 0
    assert horizons["write_off_review"] == 90 and horizons["sms_reminder"] == 7
    open_ended = strategy_from_dict(
        {
            "name": "open",
            "tables": [
                {
                    "name": "act",
                    "hit_policy": "first",
                    "inputs": {"days_past_due": "int"},
                    "outputs": {
                        "action": "string",
                        "channel": "string",
                        "priority": "int",
                        "cadence_days": "int",
                    },
                    "rules": [
                        {
                            "id": "any",
                            "when": {},
                            "then": {"action": "hold", "channel": "none", "priority": 1},
                        }
                    ],
                }
            ],
        }
    )
    assert cadence_horizons([open_ended]) is None  # no constant cadence: every plan may count
