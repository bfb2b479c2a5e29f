"""The rule pack inside the daily run, on a real SQLite store: what it blocks, defers and why."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from sqlalchemy import text

from duecourse.adapters.store import open_store
from duecourse.adapters.strategy_files import reference_strategies
from duecourse.service.importer import import_paths
from duecourse.service.plan import ArmSpec, RunSpec, daily_run
from duecourse.service.sample import write_sample
from duecourse.strategy.experiment import Arm

AS_OF = date(2025, 6, 30)
CALLS = {"ai_call", "agent_call", "senior_agent_call"}
GUARDED = {"blocked", "deferred", "review"}


@pytest.fixture
def store(tmp_path):
    write_sample(tmp_path / "data", accounts=300, seed=5, as_of=AS_OF)
    url = f"sqlite:///{tmp_path / 'store.db'}"
    engine = open_store(url)
    import_paths(engine, [tmp_path / "data"])
    return url, engine


def plan(url, engine):
    spec = RunSpec(AS_OF, [ArmSpec(Arm("champion", 100), reference_strategies())])
    return {r["account_id"]: r for r in daily_run(engine, url, spec).to_pylist()}


def first_call(rows) -> dict:
    return next(r for r in rows.values() if r["action"] in CALLS and r["status"] == "planned")


def borrower_of(engine, account_id: str) -> str:
    with engine.connect() as c:
        return c.execute(
            text("select borrower_id from loans where loan_id = :l"), {"l": account_id}
        ).scalar_one()


def opt_out_every_contact_of_a_skip_trace(url, engine) -> str:
    """Plan, pick an account planned for a skip trace, and opt out all its contact persons."""
    rows = plan(url, engine)
    target = next(r for r in rows.values() if r["action"] == "skip_trace")["account_id"]
    with engine.begin() as c:
        c.execute(
            text("update contacts set opted_out = 1 where borrower_id = :b"),
            {"b": borrower_of(engine, target)},
        )
    return str(target)


def test_stopped_rows_name_their_rules_and_the_store_keeps_them(store):
    url, engine = store
    rows = plan(url, engine)
    for r in rows.values():
        assert (r["status"] in GUARDED) == bool(r["rules"]) or r["status"] == "planned"
        if r["status"] in GUARDED:
            assert r["rules"] and "合规 guard:" in r["reasons"]
        assert (r["next_allowed_at"] is not None) == (r["status"] == "deferred")
    with engine.connect() as c:
        stored = dict(c.execute(text("select account_id, status from plans")).all())
    assert stored == {k: r["status"] for k, r in rows.items()}


def test_a_call_to_a_debtor_whose_morning_is_still_quiet_is_deferred_to_8_local(store):
    url, engine = store
    target = first_call(plan(url, engine))["account_id"]
    with engine.begin() as c:
        c.execute(
            text("update borrowers set timezone = 'Asia/Urumqi' where borrower_id = :b"),
            {"b": borrower_of(engine, target)},
        )
    row = plan(url, engine)[target]
    # dispatch starts 09:00 Beijing = 07:00 in Urumqi (UTC+6); 08:00 there is 02:00 UTC
    assert (row["status"], row["rules"]) == ("deferred", "CN-TIME-01")
    assert row["next_allowed_at"] == datetime(2025, 6, 30, 2, 0)


def test_a_fourth_conversation_in_a_day_is_deferred_to_the_next_day(store):
    url, engine = store
    target = first_call(plan(url, engine))["account_id"]
    borrower = borrower_of(engine, target)
    with engine.begin() as c:
        for k, minute in enumerate((5, 20, 40)):
            c.execute(
                text(
                    "insert into contact_attempts (attempt_id, borrower_id, loan_id, at, channel,"
                    " target, number, outcome, by) values (:id, :b, :l, :at, 'call', 'debtor',"
                    " 'n', 'conversation', 'agency')"
                ),
                {"id": f"X{k}", "b": borrower, "l": target, "at": f"2025-06-30 08:{minute:02d}"},
            )
    row = plan(url, engine)[target]
    assert row["action"] in CALLS
    assert row["status"] == "deferred" and "CN-FREQ-01" in row["rules"].split(",")
    # the cap lifts at midnight in Beijing, into quiet hours: 08:00 Beijing, 00:00 UTC
    assert row["next_allowed_at"] == datetime(2025, 7, 1, 0, 0)


def test_a_skip_trace_when_every_contact_person_opted_out_is_blocked(store):
    url, engine = store
    target = opt_out_every_contact_of_a_skip_trace(url, engine)
    row = plan(url, engine)[target]
    assert (row["status"], row["rules"]) == ("blocked", "CN-TGT-04")
    assert row["next_allowed_at"] is None


def test_explain_shows_what_the_pack_said(store):
    from typer.testing import CliRunner

    from duecourse.entrypoints.cli import app

    url, engine = store
    target = opt_out_every_contact_of_a_skip_trace(url, engine)
    plan(url, engine)
    shown = CliRunner().invoke(app, ["--db", url, "explain", target, "--as-of", str(AS_OF)])
    assert shown.exit_code == 0, shown.output
    flat = re.sub(r"[\s│]", "", shown.output)  # the explanation's table wraps long reasons
    assert "CN-TGT-04" in flat and "askednottobecontacted" in flat
