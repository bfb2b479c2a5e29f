"""The daily run on a real SQLite store: plan, rerun, cadence, arms, explain, decide."""

from __future__ import annotations

import json
import re
import sqlite3
import tempfile
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path

import ibis
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from duecourse.adapters.messages import label
from duecourse.adapters.records import load_portfolio
from duecourse.adapters.store import open_store
from duecourse.adapters.strategy_files import reference_strategies
from duecourse.batch.backend import ALL_TABLES, FACT_SOURCES, copy_store, stream_tables
from duecourse.batch.mirror import mirror_folder
from duecourse.batch.sqlite_copy import StoreCopyError, scanner_path
from duecourse.domain.facts import FactsConfig, reference_facts
from duecourse.entrypoints.cli import app
from duecourse.service.importer import import_paths
from duecourse.service.plan import ArmSpec, RunSpec, daily_run, run_columns
from duecourse.service.sample import write_sample
from duecourse.strategy.actions import ACTIONS
from duecourse.strategy.experiment import Arm
from duecourse.strategy.pipeline import run_reference

AS_OF = date(2025, 6, 30)
REQUIRED = {"account_id", "action", "arm", "reasons"}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("run")
    write_sample(root / "data", accounts=400, seed=11, as_of=AS_OF)
    url = f"sqlite:///{root / 'store.db'}"
    engine = open_store(url)
    import_paths(engine, [root / "data"])
    return url, engine, root


def decide_cli(runner, table, source, target, *extra):
    args = ["decide", "--table", str(table), "--input", str(source), "--output", str(target)]
    return runner.invoke(app, [*args, *extra])


def champion_only(day: date) -> RunSpec:
    return RunSpec(day, [ArmSpec(Arm("champion", 100), reference_strategies())])


def test_the_plan_has_a_row_per_account_with_reasons(store):
    url, engine, _ = store
    plan = daily_run(engine, url, champion_only(AS_OF))
    assert plan.num_rows == 400
    assert set(plan.column_names) >= REQUIRED
    row = plan.to_pylist()[0]
    assert "days_past_due=" in row["reasons"] and "segment#" in row["reasons"]


def test_the_plan_matches_the_reference_evaluator_account_by_account(store):
    url, engine, _ = store
    plan = {r["account_id"]: r for r in daily_run(engine, url, champion_only(AS_OF)).to_pylist()}
    with engine.connect() as connection:
        facts = reference_facts(load_portfolio(connection), AS_OF)
    strategies = reference_strategies()
    for f in facts:
        row = {**asdict(f), **f.flags, "bucket_jump": 0}
        decided = run_reference(strategies[f.lender_type], row).outputs
        assert plan[f.account_id]["action"] == decided["action"], f.account_id


def test_rerunning_the_same_day_yields_the_identical_plan(store):
    url, engine, _ = store
    first = daily_run(engine, url, champion_only(AS_OF))
    second = daily_run(engine, url, champion_only(AS_OF))
    assert first.equals(second)


def test_an_action_is_not_repeated_within_its_cadence(store):
    url, engine, _ = store
    daily_run(engine, url, champion_only(AS_OF))
    next_day = daily_run(engine, url, champion_only(AS_OF + timedelta(days=1))).to_pylist()
    held = [r for r in next_day if r["status"] == "cadence"]
    assert held, "some accounts repeat yesterday's action and must wait"
    assert all(r["cadence_days"] > 1 for r in held)
    assert all("cadence: last planned" in r["reasons"] for r in held)


def test_challenger_arm_is_recorded_and_stable(store):
    url, engine, _ = store
    spec = RunSpec(
        AS_OF,
        [
            ArmSpec(Arm("champion", 70), reference_strategies()),
            ArmSpec(Arm("challenger", 30), {"*": reference_strategies()["small_loan"]}),
        ],
        experiment="visit-test",
    )
    plan = daily_run(engine, url, spec).to_pylist()
    arms = {r["account_id"]: r["arm"] for r in plan}
    assert set(arms.values()) == {"champion", "challenger"}
    assert all(r["strategy"] == "small_loan" for r in plan if r["arm"] == "challenger")
    again = {r["account_id"]: r["arm"] for r in daily_run(engine, url, spec).to_pylist()}
    assert again == arms


def test_cli_run_explain_and_decide(store, tmp_path):
    url, _, _ = store
    runner = CliRunner()
    out = tmp_path / "plan.parquet"
    result = runner.invoke(app, ["--db", url, "run", "--as-of", str(AS_OF), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "今日计划 Today's plan" in result.output and "By arm" in result.output
    plan = pq.read_table(out).to_pylist()
    for row in plan[:40:7]:
        explained = runner.invoke(
            app, ["--db", url, "explain", row["account_id"], "--as-of", str(AS_OF)]
        )
        assert explained.exit_code == 0, explained.output
        assert row["account_id"] in explained.output and "分群 Segment" in explained.output
        stored = f"{ACTIONS[row['action']].label}（{label(row['status'])}）"  # the plan row
        flat = re.sub(r"[\s│]", "", explained.output)
        assert re.sub(r"\s", "", stored) in flat
    # Explaining copied only what the facts read: no personal data the run leaves out.
    manifest = mirror_folder(Path(url.removeprefix("sqlite:///"))) / "manifest.json"
    borrowers = json.loads(manifest.read_text(encoding="utf-8"))["tables"]["borrowers"]
    assert {name for name, _ in borrowers["columns"]}.isdisjoint({"name", "id_number"})
    missing = runner.invoke(app, ["--db", url, "explain", "NOPE", "--as-of", str(AS_OF)])
    assert missing.exit_code == 1
    facts = tmp_path / "facts.parquet"
    assert (
        runner.invoke(
            app,
            ["--db", url, "facts", "--as-of", str(AS_OF), "--output", str(facts), "--no-summary"],
        ).exit_code
        == 0
    )
    table = tmp_path / "t.yaml"
    table.write_text(
        "name: t\ninputs: {days_past_due: int}\noutputs: {late: bool}\n"
        "rules:\n  - {id: late, when: {days_past_due: '> 0'}, then: {late: true}}\n"
        "  - {id: ok, when: {}, then: {late: false}}\n",
        encoding="utf-8",
    )
    decided = tmp_path / "d.parquet"
    result = decide_cli(runner, table, facts, decided)
    assert result.exit_code == 0, result.output
    rows = pq.read_table(decided).to_pylist()
    facts_rows = pq.read_table(facts).to_pylist()
    assert [r["late"] for r in rows] == [f["days_past_due"] > 0 for f in facts_rows]
    assert set(rows[0]) == {"account_id", "late"}
    with_rows = tmp_path / "m.parquet"
    result = decide_cli(runner, table, facts, with_rows, "--matched-row")
    assert result.exit_code == 0, result.output
    matched = pq.read_table(with_rows).to_pylist()
    assert [r["matched_row"] for r in matched] == ["late" if r["late"] else "ok" for r in rows]


def test_a_table_that_does_not_fit_the_input_is_refused(store, tmp_path):
    url, _, _ = store
    runner = CliRunner()
    facts = tmp_path / "facts.parquet"
    runner.invoke(
        app, ["--db", url, "facts", "--as-of", str(AS_OF), "--output", str(facts), "--no-summary"]
    )
    table = tmp_path / "bad.yaml"
    table.write_text(
        "name: bad\ninputs: {mood: string}\noutputs: {x: int}\n"
        "rules:\n  - {id: r, when: {mood: '\"sad\"'}, then: {x: 1}}\n",
        encoding="utf-8",
    )
    result = decide_cli(runner, table, facts, tmp_path / "o.parquet")
    assert result.exit_code == 1
    assert "unknown column" in result.output and "catch-all" in result.output
    assert not (tmp_path / "o.parquet").exists()


def test_strategy_check_accepts_the_references_and_rejects_a_bad_file(tmp_path):
    from duecourse.adapters.strategy_files import REFERENCE

    runner = CliRunner()
    ok = runner.invoke(app, ["strategy", "check", str(REFERENCE / "bank.yaml")])
    assert ok.exit_code == 0, ok.output
    bad = tmp_path / "s.yaml"
    bad.write_text(
        "name: s\ntables:\n  - name: a\n    inputs: {days_past_due: int}\n"
        "    outputs: {action: string}\n    rules:\n"
        "      - {id: r, when: {}, then: {action: teleport}}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["strategy", "check", str(bad)])
    assert result.exit_code == 1
    assert "unknown action 'teleport'" in result.output


def test_both_sqlite_readers_copy_the_store_identically(store):
    """DuckDB's SQLite reader (in a child process) and the stdlib stream give equal tables,
    typed alike, including the plan a run has just committed through SQLAlchemy."""
    url, engine, _ = store
    daily_run(engine, url, champion_only(AS_OF))
    names = (*FACT_SOURCES, "plans")
    database = Path(url.removeprefix("sqlite:///"))
    assert scanner_path() is not None  # pinned in the lock file with its DuckDB
    copied_on = ibis.duckdb.connect()
    copied = copy_store(copied_on, database, names)
    streamed_on = ibis.duckdb.connect()
    streamed = stream_tables(streamed_on, database, names)
    for name in names:
        order = [c.name for c in ALL_TABLES[name].columns]
        a = copied_on.to_pyarrow(copied[name].order_by(order))
        b = streamed_on.to_pyarrow(streamed[name].order_by(order))
        assert a.schema == b.schema, name
        assert a.equals(b), name
    plans = copied["plans"]
    assert plans.filter(plans.as_of == AS_OF).count().execute() == 400


def test_the_run_reads_only_the_columns_it_uses_and_plans_the_same(store, monkeypatch):
    """The run copies only the columns its expressions refer to (no names or identity
    numbers), and its plan is the plan of a run that copies every column."""
    url, engine, _ = store
    spec = champion_only(AS_OF + timedelta(days=3))
    wanted = run_columns(spec, FactsConfig())
    assert {"name", "id_number"}.isdisjoint(wanted["borrowers"])
    assert {"payment_id", "channel"}.isdisjoint(wanted["payments"])
    # payment amounts reach the facts through the journals (allocations, promise_states)
    assert {"loan_id", "paid_at"} <= set(wanted["payments"])
    assert {"loan_id", "made_on", "judged_on", "kept_on"} <= set(wanted["promise_states"])
    assert set(wanted["contact_attempts"]) >= {"borrower_id", "loan_id", "at", "outcome"}
    for name in wanted:  # in each table's own order
        order = [c.name for c in ALL_TABLES[name].columns]
        assert wanted[name] == [c for c in order if c in wanted[name]]
    pruned = daily_run(engine, url, spec)
    every = {name: [c.name for c in ALL_TABLES[name].columns] for name in wanted}
    monkeypatch.setattr("duecourse.service.plan.run_columns", lambda *_: every)
    assert daily_run(engine, url, spec).equals(pruned)


def test_a_store_that_cannot_be_copied_is_reported_and_nothing_is_left(tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where the copy's folder goes
    broken = tmp_path / "not-a-store.db"
    broken.write_bytes(b"this is not a SQLite file" * 100)
    with pytest.raises(StoreCopyError, match=r"not-a-store\.db"):
        copy_store(ibis.duckdb.connect(), broken, ["loans"])
    # A real SQLite file whose loans table holds a value that is not a number: the child
    # fails on the cast and its error reaches the caller.
    odd = tmp_path / "odd.db"
    columns = [c.name for c in ALL_TABLES["loans"].columns]
    with sqlite3.connect(odd) as connection:
        connection.execute(f"CREATE TABLE loans ({', '.join(columns)})")
        values = ["x" if c == "principal_cents" else None for c in columns]
        connection.execute(f"INSERT INTO loans VALUES ({', '.join('?' * len(columns))})", values)
    connection.close()
    with pytest.raises(StoreCopyError, match=r"odd\.db failed: table loans: .*principal_cents"):
        copy_store(ibis.duckdb.connect(), odd, ["loans"])
    assert list(scratch.iterdir()) == []
