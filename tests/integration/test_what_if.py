"""Issue 15: a run for another day, real or what-if, cannot bend the day's plan.

The issue's sequence on a sample store, through the real command line: a plan for the day, a
run for 2000-01-01 and one 120 days back (backfills, stored), the plan for the day again; and
what-if runs, after which the store is byte for byte what it was.
"""

from __future__ import annotations

import csv
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from duecourse.entrypoints.cli import app
from tests.store_checksum import store_checksum

AS_OF = date(2025, 6, 30)
#: Older than the catch-up window (7 days) and than every cadence (at most 90 days).
OLD = AS_OF - timedelta(days=120)
LABELS = ["M0", "M1", "M2", "M3", "M4", "M5", "M6", "M7+"]


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    root = tmp_path_factory.mktemp("what_if")
    url = f"sqlite:///{root / 'store.db'}"
    runner = CliRunner()

    def cli(*args: str):
        result = runner.invoke(app, ["--db", url, *args])
        assert result.exit_code == 0, result.output
        return "".join(result.output.split())  # wherever the console wrapped the lines

    cli("sample", str(root / "data"), "--accounts", "300", "--as-of", AS_OF.isoformat())
    cli("import", str(root / "data"))
    with (root / "data" / "loans.csv").open(encoding="utf-8") as f:
        lent = {r["loan_id"]: date.fromisoformat(r["start_date"]) for r in csv.DictReader(f)}
    return root, cli, lent


def store_dump(root: Path) -> str:
    return store_checksum(root / "store.db")


def stored_days(root: Path) -> dict[str, int]:
    connection = sqlite3.connect(root / "store.db")
    try:
        rows = connection.execute("SELECT as_of, count(*) FROM plans GROUP BY as_of").fetchall()
    finally:
        connection.close()
    return dict(rows)


def stored_buckets(root: Path, day: date) -> dict[str, str]:
    connection = sqlite3.connect(root / "store.db")
    try:
        rows = connection.execute(
            "SELECT account_id, bucket FROM plans WHERE as_of = ?", (day.isoformat(),)
        ).fetchall()
    finally:
        connection.close()
    return dict(rows)


def test_past_day_runs_do_not_bend_the_next_real_plan(sample_store):
    root, cli, _ = sample_store
    day = AS_OF.isoformat()
    cli("run", "--as-of", day, "--output", str(root / "a.parquet"))
    said_2000 = cli("run", "--as-of", "2000-01-01")
    said_old = cli("run", "--as-of", OLD.isoformat())
    cli("run", "--as-of", day, "--output", str(root / "b.parquet"))
    a, b = pq.read_table(root / "a.parquet"), pq.read_table(root / "b.parquet")
    assert a.num_rows == 300
    assert a.equals(b)
    # The backfills were stored and said so, in Chinese and English.
    for said in (said_2000, said_old):
        assert "补跑" in said and "Backfill" in said
    assert stored_days(root)[OLD.isoformat()] > 0
    # The old plan would have bent today's had it been read: many accounts jumped buckets.
    old = stored_buckets(root, OLD)
    today = dict(zip(a["account_id"].to_pylist(), a["bucket"].to_pylist(), strict=True))
    jumps = [LABELS.index(today[k]) - LABELS.index(old[k]) for k in old]
    assert sum(1 for j in jumps if j >= 2) >= 10
    # And it would: with a window reaching back to it, the day's plan changes.
    wide = root / "wide.parquet"
    cli("run", "--as-of", day, "--catch-up-days", "200", "--what-if", "--output", str(wide))
    assert not pq.read_table(wide).equals(a)


def test_a_past_day_plans_only_the_loans_lent_by_then(sample_store):
    root, cli, lent = sample_store
    said = cli("run", "--as-of", "2000-01-01", "--what-if", "--output", str(root / "y2k.parquet"))
    assert pq.read_table(root / "y2k.parquet").num_rows == 0
    assert "计划为空" in said and "theplanisempty" in said
    cli("run", "--as-of", OLD.isoformat(), "--what-if", "--output", str(root / "old.parquet"))
    cli("facts", "--as-of", OLD.isoformat(), "--output", str(root / "facts.parquet"))
    existing = {loan for loan, start in lent.items() if start <= OLD}
    assert 0 < len(existing) < len(lent)  # some loans were lent after that day
    planned = set(pq.read_table(root / "old.parquet")["account_id"].to_pylist())
    assert planned == existing
    assert set(pq.read_table(root / "facts.parquet")["account_id"].to_pylist()) == existing


def test_a_what_if_run_leaves_the_store_as_it_was(sample_store):
    root, cli, _ = sample_store
    cli("run", "--as-of", AS_OF.isoformat())
    before = store_dump(root)
    tomorrow = (AS_OF + timedelta(days=1)).isoformat()
    said = cli("run", "--as-of", tomorrow, "--what-if", "--output", str(root / "w.parquet"))
    assert "假设运行" in said and "What-if" in said
    cli("run", "--as-of", AS_OF.isoformat(), "--what-if")  # a rerun of a stored day
    assert store_dump(root) == before
    assert tomorrow not in stored_days(root)
    # What the what-if printed and wrote is what the real run then stores.
    cli("run", "--as-of", tomorrow, "--output", str(root / "real.parquet"))
    assert pq.read_table(root / "w.parquet").equals(pq.read_table(root / "real.parquet"))
    assert store_dump(root) != before
