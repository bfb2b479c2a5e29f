"""The in-memory adapter of the record port: the store's tables as rows in dictionaries, with
the journals re-posted by the same functions as the store's (``service/journal.py``).

The simulator keeps its portfolio here and hands the tables to the batch engine as Arrow
(:meth:`MemoryRecordPort.arrow`), so simulated outcomes go through the same record service as
real ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from typing import Any

import pyarrow as pa

from duecourse.adapters import records
from duecourse.adapters.records import portfolio_rows
from duecourse.adapters.schema import ALLOCATIONS, PENALTY_CHARGES, PROMISE_STATES, TABLES
from duecourse.batch.backend import ALL_TABLES, rows_to_arrow
from duecourse.domain.model import Instalment, Payment, Portfolio
from duecourse.service.journal import journal_rows, promise_rows
from duecourse.service.record import WRITE_ORDER, RecordChange, Recorded

Key = tuple[Any, ...]
#: Primary-key columns (store names) of every table the port holds.
KEYS: dict[str, tuple[str, ...]] = {
    **{spec.name: tuple(spec.column(k).store_name for k in spec.key) for spec in TABLES},
    **{
        t.name: tuple(c.name for c in t.primary_key.columns)
        for t in (ALLOCATIONS, PENALTY_CHARGES, PROMISE_STATES)
    },
}


class MemoryRecordPort:
    """Every store table as ``{key: row}``; nothing is written anywhere else."""

    def __init__(self, tables: Mapping[str, Iterable[Mapping[str, Any]]] | None = None) -> None:
        self.tables: dict[str, dict[Key, dict[str, Any]]] = {name: {} for name in KEYS}
        # per table with a loan_id column: loan -> the keys of its rows (a re-post reads one
        # loan's rows without scanning the table)
        self._by_loan: dict[str, dict[str, set[Key]]] = defaultdict(lambda: defaultdict(set))
        for name, rows in (tables or {}).items():
            self._put(name, rows)

    @classmethod
    def from_portfolio(cls, portfolio: Portfolio) -> MemoryRecordPort:
        """A port holding ``portfolio``, its journals posted (default order and grace)."""
        port = cls(portfolio_rows(portfolio))
        port.repost({loan.loan_id for loan in portfolio.loans}, RecordChange())
        return port

    def rows(self, table: str) -> list[dict[str, Any]]:
        """The rows of ``table``, in key order."""
        return [self.tables[table][k] for k in sorted(self.tables[table])]

    def arrow(self, names: Iterable[str] | None = None) -> dict[str, pa.Table]:
        """The tables as Arrow, typed as the store's (for ``batch.backend.duckdb_from_arrow``)."""
        wanted = list(names) if names is not None else list(KEYS)
        return {name: rows_to_arrow(ALL_TABLES[name], self.rows(name)) for name in wanted}

    def known(self, table: str, column: str, values: Collection[Any]) -> set[Any]:
        keys = KEYS[table]
        if keys == (column,):
            return {v for v in values if (v,) in self.tables[table]}
        present = {r[column] for r in self.tables[table].values()}
        return {v for v in values if v in present}

    def rows_for(self, table: str, loan_id: str) -> list[dict[str, Any]]:
        return [dict(r) for r in self._of(table, {loan_id})]

    def apply(self, change: RecordChange) -> Recorded:
        written: dict[str, int] = {}
        for table in WRITE_ORDER:
            rows = change.rows.get(table, ())
            if rows:
                written[table] = self._put(table, rows)
        for loan_id, rows in change.schedules.items():
            self._drop("instalments", {loan_id})
            written["instalments"] = written.get("instalments", 0) + self._put("instalments", rows)
        self.repost(change.promise_loans, change)
        return Recorded(written, len(change.promise_loans))

    def repost(self, loan_ids: Collection[str], change: RecordChange) -> None:
        """Post the journals of ``loan_ids`` again, as ``service/journal.py`` does the store's."""
        ids = set(loan_ids)
        if not ids:
            return
        loans = [records.loan(r) for k, r in self.tables["loans"].items() if k[0] in ids]
        schedule: dict[str, list[Instalment]] = defaultdict(list)
        for r in self._of("instalments", ids):
            schedule[r["loan_id"]].append(records.instalment(r))
        paid: dict[str, list[Payment]] = defaultdict(list)
        for r in self._of("payments", ids):
            paid[r["loan_id"]].append(records.payment(r))
        allocations, charges = journal_rows(loans, schedule, paid, change.order)
        promises = [records.promise(r) for r in self._of("promises", ids)]
        states = promise_rows(
            promises, [p for ps in paid.values() for p in ps], change.promise_grace_days
        )
        for table, rows in (
            ("allocations", allocations),
            ("penalty_charges", charges),
            ("promise_states", states),
        ):
            self._drop(table, ids)
            self._put(table, rows)

    def _of(self, table: str, loan_ids: set[str]) -> list[dict[str, Any]]:
        index, rows = self._by_loan[table], self.tables[table]
        return [rows[k] for loan in sorted(loan_ids) for k in sorted(index.get(loan, ()))]

    def _drop(self, table: str, loan_ids: set[str]) -> None:
        index, rows = self._by_loan[table], self.tables[table]
        for loan in loan_ids:
            for key in index.pop(loan, set()):
                del rows[key]

    def _put(self, table: str, rows: Iterable[Mapping[str, Any]]) -> int:
        keys = KEYS[table]
        index = self._by_loan[table]
        count = 0
        for row in rows:
            key = tuple(row[k] for k in keys)
            old = self.tables[table].get(key)
            if old is not None and old.get("loan_id") is not None:
                index[old["loan_id"]].discard(key)
            self.tables[table][key] = dict(row)
            if row.get("loan_id") is not None:
                index[row["loan_id"]].add(key)
            count += 1
        return count
