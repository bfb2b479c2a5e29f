"""Writing the day's plan to a SQLite store with DuckDB's writer in a child process."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pytest

from duecourse.adapters.schema import PLANS
from duecourse.adapters.store import open_store, upsert_columns
from duecourse.batch.backend import arrow_schema
from duecourse.batch.sqlite_write import StoreWriteError, replace_rows

DAY = date(2026, 11, 1)


def plan_rows(day: date, n: int, reasons: str = "r") -> pa.Table:
    rows = [
        {
            "as_of": day,
            "account_id": f"L{i:04d}",
            "lender_type": "bank",
            "bucket": "M1",
            "strategy": "bank",
            "arm": "champion",
            "segment": None if i % 3 == 0 else "early",
            "treatment": "soft",
            "action": "sms_reminder",
            "channel": "sms",
            "priority": i % 9,
            "cadence_days": 3,
            "status": "deferred" if i % 2 else "planned",
            "reasons": f"{reasons} {i}; 说明",
            "rules": "CN-TIME-01" if i % 2 else "",
            # whole seconds and a fraction: both forms the stdlib adapter writes
            "next_allowed_at": datetime(2026, 11, 1, 9, 0, 0, 250 * i) if i % 2 else None,
        }
        for i in range(n)
    ]
    schema = arrow_schema(PLANS)
    return pa.Table.from_pylist(rows, schema=schema)


def raw(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        columns = ", ".join(f"{c.name}, typeof({c.name})" for c in PLANS.columns)
        return connection.execute(
            f"SELECT {columns} FROM plans ORDER BY as_of, account_id"
        ).fetchall()


def test_the_child_stores_exactly_what_sqlalchemy_stores(tmp_path):
    ours, theirs = tmp_path / "ours.db", tmp_path / "theirs.db"
    plan = plan_rows(DAY, 50)
    open_store(f"sqlite:///{ours}")
    replace_rows(ours, PLANS, plan, ("as_of", DAY))
    with open_store(f"sqlite:///{theirs}").begin() as connection:
        upsert_columns(connection, PLANS, plan.to_pydict())
    stored = raw(ours)
    assert len(stored) == 50
    assert stored == raw(theirs)


def test_replacing_a_day_keeps_other_days_and_a_failure_changes_nothing(tmp_path):
    path = tmp_path / "store.db"
    open_store(f"sqlite:///{path}")
    replace_rows(path, PLANS, plan_rows(DAY, 20), ("as_of", DAY))
    other = date(2026, 10, 31)
    replace_rows(path, PLANS, plan_rows(other, 5), ("as_of", other))
    replace_rows(path, PLANS, plan_rows(DAY, 30, reasons="again"), ("as_of", DAY))
    before = raw(path)
    assert len(before) == 35 and sum("again" in str(row) for row in before) == 30
    # The last row breaks a NOT NULL constraint after the day's rows were deleted and most of
    # the new ones inserted: the transaction rolls back, the store is as it was.
    broken = plan_rows(DAY, 40).to_pylist()
    broken[-1]["reasons"] = None
    with pytest.raises(StoreWriteError, match=r"plans .*store\.db failed: .*reasons"):
        replace_rows(
            path, PLANS, pa.Table.from_pylist(broken, plan_rows(DAY, 1).schema), ("as_of", DAY)
        )
    assert raw(path) == before
