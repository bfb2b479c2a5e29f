"""``duecourse record`` and outcome files on a real SQLite store: what is recorded today shows in
tomorrow's facts (and, for an accepted plan, tomorrow's plan); bad input writes nothing."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from duecourse.adapters.records import load_portfolio
from duecourse.adapters.store import open_store
from duecourse.batch.backend import FACT_SOURCES, duckdb_from_arrow
from duecourse.batch.facts import facts_expr
from duecourse.domain.model import Payment
from duecourse.entrypoints.cli import app
from duecourse.service.importer import import_paths
from duecourse.service.record import Outcomes, record_outcomes
from duecourse.service.record_memory import MemoryRecordPort
from duecourse.service.record_store import StoreRecordPort
from duecourse.service.sample import write_sample

TODAY = date(2025, 6, 30)
TOMORROW = date(2025, 7, 1)
runner = CliRunner()


@pytest.fixture()
def store(tmp_path):
    write_sample(tmp_path / "data", accounts=60, seed=11, as_of=TODAY)
    url = f"sqlite:///{tmp_path / 'store.db'}"
    import_paths(open_store(url), [tmp_path / "data"], today=TODAY)
    return url, tmp_path


def cli(url: str, *args: str):
    return runner.invoke(app, ["--db", url, *args])


def facts(url: str, day: date, folder: Path) -> dict[str, dict]:
    out = folder / f"facts-{day}.parquet"
    result = cli(url, "facts", "--as-of", day.isoformat(), "--output", str(out), "--no-summary")
    assert result.exit_code == 0, result.output
    return {r["account_id"]: r for r in pq.read_table(out).to_pylist()}


def overdue(rows: dict[str, dict], **want) -> dict:
    """The first account past due (before the planned day) with no promise or plan open."""
    return next(
        r
        for r in rows.values()
        if r["days_past_due"] > 1
        and not r["negotiating"]
        and all(r[k] == v for k, v in want.items())
    )


def count(url: str, table: str) -> int:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_a_payment_recorded_today_changes_tomorrows_facts_and_only_that_account(store):
    url, folder = store
    before = facts(url, TOMORROW, folder)
    account = overdue(before)
    owed = Decimal(account["amount_overdue"]) + Decimal(account["accrued_penalty"])
    result = cli(
        url, "record", "payment", "--id", "PAY-T1", "--loan", account["account_id"],
        "--paid-at", "2025-06-30 10:00", "--amount", str(owed), "--channel", "app",
        "--today", TODAY.isoformat(),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "已记录 Recorded" in result.output
    after = facts(url, TOMORROW, folder)
    paid = after[account["account_id"]]
    assert (paid["days_past_due"], paid["bucket"], paid["days_since_last_payment"]) == (0, "M0", 1)
    assert paid["amount_overdue"] == 0
    others = {k: v for k, v in after.items() if k != account["account_id"]}
    assert others == {k: v for k, v in before.items() if k != account["account_id"]}
    # the journal was re-posted: the payment is allocated (what is left after the whole
    # schedule is paid stays unapplied credit, so at most the amount)
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        cents = db.execute(
            "SELECT sum(amount_cents) FROM allocations WHERE payment_id = 'PAY-T1'"
        ).fetchone()[0]
    assert 0 < cents <= int(owed * 100)


def test_a_promise_is_open_then_broken_or_kept(store):
    url, folder = store
    account = overdue(facts(url, TOMORROW, folder))
    loan = account["account_id"]
    result = cli(
        url, "record", "promise", "--id", "PR-1", "--loan", loan, "--made-at", "2025-06-30 11:00",
        "--due", "2025-07-03", "--amount", "100.00", "--today", TODAY.isoformat(),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert facts(url, TOMORROW, folder)[loan]["negotiating"] is True
    judged = facts(url, date(2025, 7, 4), folder)[loan]
    assert (judged["negotiating"], judged["broken_promises"]) == (
        False,
        account["broken_promises"] + 1,
    )
    # paid within the window (the next day): kept, so not broken
    result = cli(
        url, "record", "payment", "--id", "PAY-P1", "--loan", loan,
        "--paid-at", "2025-07-01 09:00", "--amount", "100.00", "--today", "2025-07-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    kept = facts(url, date(2025, 7, 4), folder)[loan]
    assert kept["broken_promises"] == account["broken_promises"]
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        row = db.execute(
            "SELECT matched_cents, kept_on FROM promise_states WHERE promise_id = 'PR-1'"
        ).fetchone()
    assert row == (10000, "2025-07-01")


def test_failed_calls_and_a_flag_show_the_next_day(store):
    url, folder = store
    before = facts(url, TOMORROW, folder)
    account = next(r for r in before.values() if r["contact"] == "reachable")
    for n in range(3):
        result = cli(
            url, "record", "attempt", "--id", f"AT-{n}", "--borrower", account["borrower_id"],
            "--loan", account["account_id"], "--at", f"2025-06-30 1{n}:00", "--channel", "call",
            "--outcome", "unanswered", "--today", TODAY.isoformat(),
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    result = cli(
        url, "record", "flag", "--loan", account["account_id"], "--flag", "complaint",
        "--start", "2025-07-01", "--today", TODAY.isoformat(),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    after = facts(url, TOMORROW, folder)[account["account_id"]]
    assert (after["contact"], after["consecutive_failed_calls"]) == ("lost", 3)
    assert after["flag_complaint"] is True
    assert facts(url, TODAY, folder)[account["account_id"]]["flag_complaint"] is False


@pytest.mark.parametrize(
    ("args", "field", "code"),
    [
        (["--amount", "1,234.00"], "amount", 1),
        (["--amount", "-5"], "amount", 1),
        (["--amount", "10", "--paid-at", "2125-01-01 10:00"], "paid_at", 1),
        (["--amount", "10", "--channel", "cash"], "channel", 1),
        (["--amount", "10", "--loan", "NOPE"], "loan_id", 1),
        ([], "--amount", 2),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(store, args, field, code):
    url, _ = store
    before = (count(url, "payments"), count(url, "allocations"))
    base = ["--id", "PAY-BAD", "--loan", "L0000001", "--paid-at", "2025-06-30 10:00"]
    result = cli(url, "record", "payment", *base, *args, "--today", TODAY.isoformat())
    assert result.exit_code == code, result.output
    assert field in result.output
    if code == 1:
        assert "未写入" in result.output and "nothing was written" in result.output
        assert "Traceback" not in result.output
    assert (count(url, "payments"), count(url, "allocations")) == before


def test_an_id_already_recorded_is_refused(store):
    url, _ = store
    args = ["record", "payment", "--id", "PAY-X", "--loan", "L0000001", "--amount", "10"]
    args += ["--paid-at", "2025-06-30 10:00", "--today", TODAY.isoformat()]
    assert cli(url, *args).exit_code == 0
    again = cli(url, *args)
    assert again.exit_code == 1 and "already recorded" in again.output


def test_a_days_outcome_files_import_on_their_own(store):
    url, folder = store
    account = overdue(facts(url, TOMORROW, folder))
    day = folder / "2025-06-30"
    day.mkdir()
    (day / "payments.csv").write_text(
        "payment_id,loan_id,paid_at,amount,channel\n"
        f"DAY-1,{account['account_id']},2025-06-30 15:00,50.00,app\n",
        encoding="utf-8",
    )
    (day / "promises.csv").write_text(
        "promise_id,loan_id,made_at,due_date,amount\n"
        f"DAY-R1,{account['account_id']},2025-06-30 15:05,2025-07-05,500.00\n",
        encoding="utf-8",
    )
    result = cli(url, "import", str(day))
    assert result.exit_code == 0, result.output
    after = facts(url, TOMORROW, folder)[account["account_id"]]
    assert after["days_since_last_payment"] == 1 and after["negotiating"] is True
    # fee and penalty come first in the allocation order, so the arrears fall by at most 50
    fall = Decimal(account["amount_overdue"]) - Decimal(after["amount_overdue"])
    assert 0 < fall <= 50


def test_the_memory_port_gives_the_store_ports_facts(store):
    url, _ = store
    engine = open_store(url)
    with engine.connect() as connection:
        portfolio = load_portfolio(connection)
    memory = MemoryRecordPort.from_portfolio(portfolio)
    loan = portfolio.loans[3].loan_id
    from datetime import datetime

    outcome = Outcomes(
        payments=(Payment("SIM-1", loan, datetime(2025, 6, 30, 9), Decimal("77.70"), "app"),)
    )
    for port in (memory, StoreRecordPort(engine)):
        record_outcomes(port, outcome)
    backend, tables = duckdb_from_arrow(memory.arrow(FACT_SOURCES))
    from_memory = backend.to_pyarrow(facts_expr(tables, TOMORROW)).to_pylist()
    from duecourse.service.facts import compute_facts

    from_store = compute_facts(url, TOMORROW).to_pylist()
    assert from_memory == from_store
    assert any(r["days_since_last_payment"] == 1 for r in from_memory if r["account_id"] == loan)


def test_the_simulators_tables_port_gives_the_store_ports_facts_and_journals(store):
    """The record port on in-memory DuckDB tables (the simulator's): the same outcomes
    recorded there and in the store give the same facts tomorrow and the same journals;
    an id already recorded is refused there as in the store."""
    from datetime import datetime

    from duecourse.batch.backend import MemoryTables
    from duecourse.domain.model import PromiseToPay
    from duecourse.errors import BadData
    from duecourse.service.facts import compute_facts
    from duecourse.service.record_tables import TablesRecordPort

    url, _ = store
    engine = open_store(url)
    with engine.connect() as connection:
        portfolio = load_portfolio(connection)
    tables = MemoryTables.from_arrow(MemoryRecordPort.from_portfolio(portfolio).arrow(FACT_SOURCES))
    port = TablesRecordPort(tables)
    loan, other = portfolio.loans[3].loan_id, portfolio.loans[5].loan_id
    outcome = Outcomes(
        promises=(
            PromiseToPay("SIM-P1", other, datetime(2025, 6, 30, 9), TODAY, Decimal("10.00")),
        ),
        payments=(Payment("SIM-1", loan, datetime(2025, 6, 30, 9), Decimal("77.70"), "app"),),
    )
    for each in (port, StoreRecordPort(engine)):
        record_outcomes(each, outcome)
    from_tables = tables.backend.to_pyarrow(facts_expr(tables.tables, TOMORROW)).to_pylist()
    assert sorted(from_tables, key=lambda r: r["account_id"]) == sorted(
        compute_facts(url, TOMORROW).to_pylist(), key=lambda r: r["account_id"]
    )
    for journal in ("allocations", "penalty_charges", "promise_states"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            in_store = db.execute(f"SELECT count(*) FROM {journal}").fetchone()[0]
        in_tables = port.con.execute(f"SELECT count(*) FROM {journal}").fetchone()[0]
        assert in_tables == in_store, journal
    with pytest.raises(BadData):
        record_outcomes(port, Outcomes(payments=outcome.payments))


def proposal(principal: str, term: int = 12) -> dict:
    return {
        "debt": {"principal": principal, "interest": "0.00", "penalty": "0.00", "fees": "0.00"},
        "method": "equal_instalment",
        "annual_rate": "0.12",
        "term_months": term,
        "down_payment": "0.00",
        "deferral": {"months": 0, "interest": "waive"},
        "treatment": {"interest": "carry", "penalty": "waive", "fees": "waive"},
        "discounts": {},
    }


def plan_rows(url: str, day: date, folder: Path, name: str) -> dict[str, dict]:
    out = folder / f"{name}.parquet"
    result = cli(url, "run", "--as-of", day.isoformat(), "--what-if", "--output", str(out))
    assert result.exit_code == 0, result.output
    return {r["account_id"]: r for r in pq.read_table(out).to_pylist()}


def test_an_accepted_plan_changes_tomorrows_facts_and_plan(store):
    url, folder = store
    today = facts(url, TODAY, folder)
    account = overdue(today, bucket="M2")
    loan = account["account_id"]
    plan_before = plan_rows(url, TOMORROW, folder, "before")[loan]
    file = folder / "proposal.json"
    file.write_text(json.dumps(proposal(str(account["outstanding_principal"]))), "utf-8")
    arrangements = count(url, "arrangements")
    result = cli(
        url, "record", "arrangement", "--accept", str(file), "--loan", loan, "--id", "G-T1",
        "--today", TODAY.isoformat(),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert count(url, "arrangements") == arrangements + 1
    after = facts(url, TOMORROW, folder)[loan]
    assert (after["days_past_due"], after["bucket"], after["negotiating"]) == (0, "M0", True)
    assert after["amount_overdue"] == 0
    assert Decimal(after["outstanding_principal"]) == Decimal(account["outstanding_principal"])
    plan_after = plan_rows(url, TOMORROW, folder, "after")[loan]
    assert (plan_before["bucket"], plan_after["bucket"]) == ("M2", "M0")
    assert plan_after["action"] != plan_before["action"]
    assert "negotiating" in plan_after["reasons"] or plan_after["action"] == "none"
    # the schedule: 12 new instalments from 2025-07-30, summing to the principal owed
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        rows = db.execute(
            "SELECT due_date, principal_cents FROM instalments WHERE loan_id = ? "
            "AND due_date > '2025-06-30' ORDER BY seq",
            (loan,),
        ).fetchall()
    assert [r[0] for r in rows[:2]] == ["2025-07-30", "2025-08-30"] and len(rows) == 12
    assert sum(r[1] for r in rows) == int(Decimal(account["outstanding_principal"]) * 100)
    # the first plan instalment unpaid the day after it fell due: the plan is not kept
    missed = facts(url, date(2025, 7, 31), folder)[loan]
    assert (missed["negotiating"], missed["days_past_due"]) == (False, 1)


@pytest.mark.parametrize(
    ("change", "field"),
    [({"term_months": 100}, "rejected"), ({"debt": {"principal": "1.00"}}, "debt.principal")],
)
def test_a_plan_the_guardrails_reject_or_for_another_debt_is_not_recorded(store, change, field):
    url, folder = store
    account = overdue(facts(url, TODAY, folder))
    body = proposal(str(account["outstanding_principal"]))
    for key, value in change.items():
        body[key] = {**body[key], **value} if isinstance(value, dict) else value
    file = folder / "proposal.json"
    file.write_text(json.dumps(body), "utf-8")
    before = (count(url, "instalments"), count(url, "arrangements"))
    result = cli(
        url, "record", "arrangement", "--accept", str(file), "--loan", account["account_id"],
        "--id", "G-BAD", "--today", TODAY.isoformat(),
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert field in result.output and "nothing was written" in result.output
    assert (count(url, "instalments"), count(url, "arrangements")) == before
