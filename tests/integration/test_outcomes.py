"""``duecourse outcomes`` on a real SQLite store: stored plans joined to the outcomes recorded
after them, per plan row and per action or arm."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest
from typer.testing import CliRunner

from duecourse.adapters.store import open_store
from duecourse.entrypoints.cli import app
from duecourse.service.importer import import_paths
from duecourse.service.sample import write_sample

DAY = date(2025, 6, 30)
runner = CliRunner()


def cli(url: str, *args: str):
    return runner.invoke(app, ["--db", url, *args])


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("outcomes")
    write_sample(root / "data", accounts=40, seed=5, as_of=DAY)
    url = f"sqlite:///{root / 'store.db'}"
    import_paths(open_store(url), [root / "data"], today=DAY)
    for day in ("2025-06-30", "2025-07-01"):
        assert cli(url, "run", "--as-of", day).exit_code == 0
    db = sqlite3.connect(url.removeprefix("sqlite:///"))
    quiet = [
        loan
        for (loan,) in db.execute("SELECT account_id FROM plans WHERE as_of = '2025-06-30'")
        if not db.execute(
            "SELECT 1 FROM payments WHERE loan_id = ? AND paid_at >= '2025-06-30' UNION ALL "
            "SELECT 1 FROM promises WHERE loan_id = ? AND made_at >= '2025-06-30' UNION ALL "
            "SELECT 1 FROM contact_attempts a JOIN loans l ON a.borrower_id = l.borrower_id "
            "WHERE l.loan_id = ? AND a.at >= '2025-06-30'",
            (loan, loan, loan),
        ).fetchall()
    ]
    loan = quiet[0]
    borrower = db.execute("SELECT borrower_id FROM loans WHERE loan_id = ?", (loan,)).fetchone()[0]
    for args in (
        ["attempt", "--id", "O-A1", "--borrower", borrower, "--loan", loan, "--at",
         "2025-06-30 10:00", "--channel", "call", "--outcome", "conversation"],
        ["attempt", "--id", "O-A2", "--borrower", borrower, "--at", "2025-06-30 15:00",
         "--channel", "sms", "--outcome", "delivered"],
        ["promise", "--id", "O-R1", "--loan", loan, "--made-at", "2025-06-30 10:05", "--due",
         "2025-07-02", "--amount", "300.00"],
        ["payment", "--id", "O-P1", "--loan", loan, "--paid-at", "2025-06-30 18:00",
         "--amount", "120.50"],
        ["payment", "--id", "O-P2", "--loan", loan, "--paid-at", "2025-07-01 09:00",
         "--amount", "179.50"],
    ):  # fmt: skip
        result = cli(url, "record", *args, "--today", "2025-07-01")
        assert result.exit_code == 0, result.output
    return url, loan


def test_each_plan_row_is_joined_to_what_followed_it_in_its_window(store):
    url, loan = store
    result = cli(url, "outcomes", "--from", "2025-06-30", "--to", "2025-06-30", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    row = next(r for r in out["rows"] if r["account_id"] == loan)
    # until the next plan day (07-01): both attempts (one names no loan: it counts for the
    # borrower's accounts), the promise, the first payment only; the promise was kept on 07-01
    assert (row["window_end"], row["attempts"], row["conversations"]) == ("2025-07-01", 2, 1)
    assert (row["promises"], row["promised"], row["promises_kept"]) == (1, "300.00", 1)
    assert (row["payments"], row["paid"]) == (1, "120.50")
    assert len(out["rows"]) == 40  # one per plan row of the day
    # the summary adds up the rows
    assert sum(s["rows"] for s in out["summary"]) == 40
    assert sum(s["payments"] for s in out["summary"]) == sum(r["payments"] for r in out["rows"])


def test_a_fixed_window_reaches_later_days(store):
    url, loan = store
    args = ["outcomes", "--from", "2025-06-30", "--to", "2025-06-30", "--window", "2", "--json"]
    out = json.loads(cli(url, *args).stdout)
    row = next(r for r in out["rows"] if r["account_id"] == loan)
    assert (row["window_end"], row["payments"], row["paid"]) == ("2025-07-02", 2, "300.00")


def test_per_arm_and_the_bilingual_table(store):
    url, _ = store
    out = json.loads(
        cli(url, "outcomes", "--from", "2025-06-30", "--to", "2025-07-01", "--by", "arm",
            "--json").stdout
    )  # fmt: skip
    assert [(s["arm"], s["rows"]) for s in out["summary"]] == [("champion", 80)]
    table = cli(url, "outcomes", "--from", "2025-06-30", "--to", "2025-07-01")
    assert table.exit_code == 0, table.output
    assert all(
        word in table.output
        for word in ("还款额 Paid", "动作 Action", "sms_reminder", "计划行 Plan rows")
    )


@pytest.mark.parametrize(
    "args",
    [["--from", "2025-07-02", "--to", "2025-07-01"], ["--from", "x", "--to", "2025-07-01"],
     ["--from", "2025-06-30", "--to", "2025-07-01", "--by", "colour"]],
)  # fmt: skip
def test_bad_usage_is_one_message_and_exit_2(store, args):
    url, _ = store
    result = cli(url, "outcomes", *args)
    assert result.exit_code == 2 and "Traceback" not in result.output
