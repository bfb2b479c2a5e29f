"""The record port on in-memory DuckDB tables (``batch.backend.MemoryTables``): the adapter
the simulator records its outcomes through, so they pass the same record service as real ones
(``service/record.py``: references and ids checked, journals re-posted).

Rows are appended to the very tables the next day's run reads; the journals of the loans a
change touches are re-posted by the same functions as the store's (``service/journal.py``) and
their ``allocations``, ``penalty_charges`` and ``promise_states`` rows replaced. Nothing is
held in Python between calls, so memory is DuckDB's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import pyarrow as pa

from duecourse.adapters import records
from duecourse.batch.backend import ALL_TABLES, MemoryTables, arrow_schema
from duecourse.domain.model import Instalment, Payment
from duecourse.service.journal import journal_rows, promise_rows
from duecourse.service.record import WRITE_ORDER, RecordChange, Recorded

_VALUES, _LOANS, _ROWS = "record_port_values", "record_port_loans", "record_port_rows"


class TablesRecordPort:
    """Every store table in the in-memory DuckDB of ``tables``."""

    def __init__(self, tables: MemoryTables) -> None:
        self.con = tables.backend.con

    def known(self, table: str, column: str, values: Collection[Any]) -> set[Any]:
        if not values:
            return set()
        self.con.register(_VALUES, pa.table({"v": pa.array(list(values))}))
        try:
            found = self.con.execute(
                f'SELECT DISTINCT "{column}" FROM "{table}" '
                f'WHERE "{column}" IN (SELECT v FROM {_VALUES})'
            ).fetchall()
        finally:
            self.con.unregister(_VALUES)
        return {row[0] for row in found}

    def rows_for(self, table: str, loan_id: str) -> list[dict[str, Any]]:
        found = self.con.execute(f'SELECT * FROM "{table}" WHERE loan_id = ?', [loan_id])
        rows: list[dict[str, Any]] = found.to_arrow_table().to_pylist()
        return rows

    def apply(self, change: RecordChange) -> Recorded:
        written: dict[str, int] = {}
        for table in WRITE_ORDER:
            rows = change.rows.get(table, ())
            if rows:
                written[table] = self.insert(table, rows)
        for loan_id, rows in change.schedules.items():
            self._drop("instalments", {loan_id})
            written["instalments"] = written.get("instalments", 0) + self.insert(
                "instalments", rows
            )
        ledger = change.ledger_loans
        self._repost(ledger, change, with_ledger=True)
        self._repost(change.promise_loans - ledger, change, with_ledger=False)
        return Recorded(written, len(change.promise_loans))

    def insert(self, table: str, rows: Sequence[Mapping[str, Any]] | pa.Table) -> int:
        """Append ``rows`` (store rows, or an Arrow table typed as the store's) to ``table``."""
        data = (
            rows
            if isinstance(rows, pa.Table)
            else pa.Table.from_pylist(list(rows), arrow_schema(ALL_TABLES[table]))
        )
        self.con.register(_ROWS, data)
        try:
            self.con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM {_ROWS}')
        finally:
            self.con.unregister(_ROWS)
        return int(data.num_rows)

    def _of(self, table: str, order: str) -> list[dict[str, Any]]:
        """The rows of ``table`` for the registered loans, in a fixed order."""
        found = self.con.execute(
            f'SELECT * FROM "{table}" WHERE loan_id IN (SELECT loan_id FROM {_LOANS}) '
            f"ORDER BY {order}"
        )
        rows: list[dict[str, Any]] = found.to_arrow_table().to_pylist()
        return rows

    def _drop(self, table: str, loan_ids: Collection[str]) -> None:
        self.con.register(_LOANS, pa.table({"loan_id": pa.array(sorted(loan_ids), pa.string())}))
        try:
            self.con.execute(
                f'DELETE FROM "{table}" WHERE loan_id IN (SELECT loan_id FROM {_LOANS})'
            )
        finally:
            self.con.unregister(_LOANS)

    def _repost(self, loan_ids: Collection[str], change: RecordChange, with_ledger: bool) -> None:
        """Post again the journals of ``loan_ids``: the ledger's (``with_ledger``) and the
        promise matching, as ``service/journal.py`` does the store's."""
        if not loan_ids:
            return
        self.con.register(_LOANS, pa.table({"loan_id": pa.array(sorted(loan_ids), pa.string())}))
        try:
            paid: dict[str, list[Payment]] = defaultdict(list)
            for r in self._of("payments", "loan_id, payment_id"):
                paid[r["loan_id"]].append(records.payment(r))
            out: dict[str, list[dict[str, Any]]] = {}
            if with_ledger:
                loans = [records.loan(r) for r in self._of("loans", "loan_id")]
                schedule: dict[str, list[Instalment]] = defaultdict(list)
                for r in self._of("instalments", "loan_id, seq"):
                    schedule[r["loan_id"]].append(records.instalment(r))
                out["allocations"], out["penalty_charges"] = journal_rows(
                    loans, schedule, paid, change.order
                )
            promises = [records.promise(r) for r in self._of("promises", "loan_id, promise_id")]
            out["promise_states"] = promise_rows(
                promises, [p for ps in paid.values() for p in ps], change.promise_grace_days
            )
            for table, rows in out.items():
                self.con.execute(
                    f'DELETE FROM "{table}" WHERE loan_id IN (SELECT loan_id FROM {_LOANS})'
                )
                if rows:
                    self.insert(table, rows)
        finally:
            self.con.unregister(_LOANS)
