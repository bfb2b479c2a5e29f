"""The store adapter of the record port: one SQLAlchemy transaction per record."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Engine, select

from duecourse.adapters.schema import STORE_TABLES
from duecourse.adapters.store import CHUNK, replace_rows_for, rows_for, upsert
from duecourse.service.journal import rebuild_journal, repost_promises
from duecourse.service.record import WRITE_ORDER, RecordChange, Recorded


class StoreRecordPort:
    """Records written to the store (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def known(self, table: str, column: str, values: Collection[Any]) -> set[Any]:
        wanted = list(set(values))
        found: set[Any] = set()
        c = STORE_TABLES[table].c[column]
        with self.engine.connect() as connection:
            for start in range(0, len(wanted), CHUNK):
                chunk = wanted[start : start + CHUNK]
                found |= set(connection.execute(select(c).where(c.in_(chunk))).scalars())
        return found

    def rows_for(self, table: str, loan_id: str) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            return rows_for(connection, STORE_TABLES[table], "loan_id", [loan_id])

    def apply(self, change: RecordChange) -> Recorded:
        written: dict[str, int] = {}
        with self.engine.begin() as connection:
            for table in WRITE_ORDER:
                rows = change.rows.get(table, ())
                if rows:
                    written[table] = upsert(connection, STORE_TABLES[table], rows)
            instalments = STORE_TABLES["instalments"]
            for loan_id, rows in change.schedules.items():
                _, count = replace_rows_for(connection, instalments, "loan_id", [loan_id], rows)
                written["instalments"] = written.get("instalments", 0) + count
            ledger = change.ledger_loans
            if ledger:
                rebuild_journal(
                    connection, ledger, change.order, promise_grace_days=change.promise_grace_days
                )
            promises_only = change.promise_loans - ledger
            if promises_only:
                repost_promises(connection, promises_only, change.promise_grace_days)
        return Recorded(written, len(change.promise_loans))
