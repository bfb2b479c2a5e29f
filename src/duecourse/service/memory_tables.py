"""In-memory tables for the run: a portfolio's rows parsed as an import parses them, with its
journal, as typed Arrow tables (the store's schemas) in an in-memory DuckDB.

The simulator and tests hand these to the run through the tables port
(``batch.backend.MemoryTables``) instead of a store.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import pyarrow as pa

from duecourse.adapters import records
from duecourse.adapters.schema import PLANS, TABLES_BY_NAME
from duecourse.adapters.validate import validate_rows
from duecourse.batch.backend import ALL_TABLES, FACT_SOURCES, MemoryTables, rows_to_arrow
from duecourse.domain.model import Instalment, Payment
from duecourse.errors import BadData
from duecourse.service.journal import journal_rows, promise_rows


def parsed_rows(
    rows: Mapping[str, Sequence[Sequence[object]]], today: date | None = None
) -> dict[str, list[dict[str, Any]]]:
    """File rows (one list of cells per row, in each table's column order, as the sample
    generator writes them) parsed into store rows exactly as ``import`` parses files."""
    out: dict[str, list[dict[str, Any]]] = {}
    for name, table_rows in rows.items():
        spec = TABLES_BY_NAME[name]
        header = [c.name for c in spec.columns]
        mapped = (dict(zip(header, (str(v) for v in row), strict=True)) for row in table_rows)
        parsed = validate_rows(spec, f"{name}.csv", mapped, header, today)
        if parsed.errors:
            first = parsed.errors[0]
            raise BadData(
                f"内存数据有误：{first}",
                f"in-memory rows rejected: {len(parsed.errors)} problem(s), first {first}",
            )
        out[name] = parsed.rows
    return out


def with_journal(rows: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """``rows`` with the journals posted for them: the ``allocations`` and
    ``penalty_charges`` of the ledger and the ``promise_states`` of the promises."""
    loans = [records.loan(r) for r in rows.get("loans", [])]
    schedule: dict[str, list[Instalment]] = defaultdict(list)
    for r in rows.get("instalments", []):
        schedule[r["loan_id"]].append(records.instalment(r))
    paid: dict[str, list[Payment]] = defaultdict(list)
    for r in rows.get("payments", []):
        paid[r["loan_id"]].append(records.payment(r))
    allocations, charges = journal_rows(loans, schedule, paid)
    promises = [records.promise(r) for r in rows.get("promises", [])]
    states = promise_rows(promises, [p for ps in paid.values() for p in ps])
    return {
        **rows,
        "allocations": allocations,
        "penalty_charges": charges,
        "promise_states": states,
    }


def arrow_tables(rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, pa.Table]:
    """Every fact source and ``plans`` as a typed Arrow table (empty where ``rows`` has none)."""
    names = (*FACT_SOURCES, PLANS.name)
    return {name: rows_to_arrow(ALL_TABLES[name], rows.get(name, [])) for name in names}


def memory_tables(
    rows: Mapping[str, Sequence[Sequence[object]]], today: date | None = None
) -> MemoryTables:
    """The tables port over ``rows`` (file rows per table), parsed, journaled and in memory."""
    return MemoryTables.from_arrow(arrow_tables(with_journal(parsed_rows(rows, today))))
