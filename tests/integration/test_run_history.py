"""For any sequence of runs, a day's plan depends only on the imports and on the stored runs
inside the documented windows before that day (``docs/strategies.md``, Catch-up and What the
run reads of past plans): never on what-if runs, runs of later days, or older runs.

The imports are a small sample store; its facts are copied once into DuckDB, where the run's
own plan step (``plan_table``: stored runs, catch-up, cadence, strategy) runs against a model
of the ``plans`` table that each real run of the sequence adds to and a what-if run does not
(``test_what_if.py`` checks on the store itself that a what-if writes nothing).
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duecourse.adapters.store import open_store
from duecourse.batch.backend import batch_tables
from duecourse.batch.facts import facts_table
from duecourse.domain.facts import FactsConfig
from duecourse.service.importer import import_paths
from duecourse.service.plan import CADENCE, PLANNED, ArmSpec, RunSpec, plan_table, run_columns
from duecourse.service.sample import write_sample
from duecourse.strategy.experiment import Arm
from duecourse.strategy.pipeline import cadence_horizons, strategy_from_dict

BASE = date(2025, 6, 30)
#: Run days, as days from BASE: 7 and 8 days apart sit either side of the default window.
OFFSETS = (-40, -20, -9, -8, -7, -3, -1, 0, 2)
ACCOUNTS = 30
CONFIG = FactsConfig()
LABELS = list(CONFIG.buckets.labels)
STRATEGY = strategy_from_dict(
    {
        "name": "history_probe",
        "tables": [
            {
                "name": "act",
                "hit_policy": "first",
                "inputs": {"bucket_jump": "int", "bucket": "string"},
                "outputs": {
                    "action": "string",
                    "channel": "string",
                    "priority": "int",
                    "cadence_days": "int",
                },
                "rules": [
                    {
                        "id": "jump",
                        "when": {"bucket_jump": ">= 2"},
                        "then": {
                            "action": "agent_call",
                            "channel": "call",
                            "priority": 2,
                            "cadence_days": 3,
                        },
                    },
                    {
                        "id": "current",
                        "when": {"bucket": '"M0"'},
                        "then": {
                            "action": "hold",
                            "channel": "none",
                            "priority": 9,
                            "cadence_days": 0,
                        },
                    },
                    {
                        "id": "early",
                        "when": {"bucket": '"M1"'},
                        "then": {
                            "action": "sms_reminder",
                            "channel": "sms",
                            "priority": 6,
                            "cadence_days": 7,
                        },
                    },
                    {
                        "id": "late",
                        "when": {},
                        "then": {
                            "action": "legal_letter",
                            "channel": "letter",
                            "priority": 2,
                            "cadence_days": 30,
                        },
                    },
                ],
            }
        ],
    }
)
HORIZONS = cadence_horizons([STRATEGY])
ARMS = [ArmSpec(Arm("champion", 100), {"*": STRATEGY})]
SCHEMA = pa.schema(
    [
        ("as_of", pa.date32()),
        ("account_id", pa.string()),
        ("bucket", pa.string()),
        ("action", pa.string()),
        ("status", pa.string()),
    ]
)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The DuckDB backend with the sample's store tables, and a cache of each day's facts."""
    root = tmp_path_factory.mktemp("history")
    write_sample(root / "data", accounts=ACCOUNTS, seed=5, as_of=BASE)
    url = f"sqlite:///{root / 'store.db'}"
    import_paths(open_store(url), [root / "data"])
    wanted = run_columns(RunSpec(BASE, ARMS), CONFIG)
    backend, tables = batch_tables(url, names=list(wanted), wanted=wanted)
    return backend, tables, {}


def plan_of(world, day: date, rows: list[dict], catch_up_days: int):
    """The day's plan (before the rule pack) with ``rows`` as the stored plans."""
    backend, tables, facts = world
    if day not in facts:
        facts[day] = facts_table(backend, tables, day, CONFIG, f"facts_{day:%Y%m%d}")
    plans = backend.create_table(
        "plans_model", pa.Table.from_pylist(rows, schema=SCHEMA), temp=True, overwrite=True
    )
    spec = RunSpec(day, ARMS, catch_up_days=catch_up_days)
    planned, runs = plan_table(backend, facts[day], plans, spec, CONFIG)
    return backend.to_pyarrow(planned.order_by("account_id")).to_pylist(), runs


def readable(row: dict, day: date, catch_up_days: int) -> bool:
    """Inside a documented window before ``day``: the catch-up window (every row), or its
    action's cadence horizon (rows the run planned)."""
    ago = (day - row["as_of"]).days
    if ago <= 0:
        return False
    return ago <= catch_up_days or (row["status"] == PLANNED and ago < HORIZONS[row["action"]])


def as_stored(plan: list[dict], seed: int) -> list[dict]:
    """The plan as the store keeps it: the rule pack blocks some rows, and some accounts'
    records change after the run (a backdated payment), so their stored bucket differs."""
    rng = random.Random(seed)
    rows = []
    for r in plan:
        status = "blocked" if r["status"] == PLANNED and rng.random() < 0.3 else r["status"]
        bucket = rng.choice(LABELS) if rng.random() < 0.3 else r["bucket"]
        rows.append({**{k: r[k] for k in SCHEMA.names}, "status": status, "bucket": bucket})
    return rows


noise_rows = st.lists(
    st.fixed_dictionaries(
        {
            "days": st.integers(-100, 10),
            "account": st.integers(1, ACCOUNTS),
            "bucket": st.sampled_from(LABELS),
            "action": st.sampled_from(sorted(HORIZONS)),
            "status": st.sampled_from([PLANNED, CADENCE, "blocked", "review"]),
        }
    ),
    max_size=25,
)
runs_of_days = st.lists(
    st.tuples(st.sampled_from(OFFSETS), st.booleans(), st.integers(0, 2**16)),
    min_size=1,
    max_size=3,
)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    runs=runs_of_days,
    catch_up_days=st.sampled_from([0, 3, 7]),
    noise=noise_rows,
)
def test_a_days_plan_reads_only_the_stored_runs_in_its_windows(world, runs, catch_up_days, noise):
    stored: dict[date, list[dict]] = {}
    for offset, what_if, seed in runs:
        day = BASE + timedelta(days=offset)
        everything = [r for rows in stored.values() for r in rows]
        plan, seen = plan_of(world, day, everything, catch_up_days)

        # What it says it looked at.
        recent = [d for d in stored if 0 < (day - d).days <= catch_up_days]
        assert seen.catch_up == max(recent, default=None)
        assert seen.latest == max(stored, default=None)
        assert seen.replaces == (day in stored)

        # Only the rows inside the windows count: keep those, add any number of rows outside
        # them (later days, the day itself, older days), and the plan is the same.
        junk = [
            {
                "as_of": day + timedelta(days=n["days"]),
                "account_id": f"L{n['account']:07d}",
                "bucket": n["bucket"],
                "action": n["action"],
                "status": n["status"],
            }
            for n in noise
        ]
        kept = [r for r in everything if readable(r, day, catch_up_days)]
        outside = [r for r in junk if not readable(r, day, catch_up_days)]
        assert plan_of(world, day, kept + outside, catch_up_days)[0] == plan

        # And what they count for, worked out here: the jump against the catch-up day's
        # bucket, and cadence against the days each action was planned.
        before = {r["account_id"]: r["bucket"] for r in stored.get(seen.catch_up, [])}
        for row in plan:
            jump = int(re.search(r"bucket_jump=(-?\d+)", row["reasons"]).group(1))
            last = before.get(row["account_id"], row["bucket"])
            assert jump == LABELS.index(row["bucket"]) - LABELS.index(last)
            waiting = any(
                r["account_id"] == row["account_id"]
                and r["action"] == row["action"]
                and r["status"] == PLANNED
                and 0 < (day - r["as_of"]).days < row["cadence_days"]
                for r in everything
            )
            assert row["status"] == (CADENCE if waiting else PLANNED)
        if not what_if:
            stored[day] = as_stored(plan, seed)
