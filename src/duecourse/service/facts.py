"""Facts use case: compute every account's facts as of a date on the batch engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.parquet as pq

from duecourse.batch.backend import FACT_SOURCES, batch_tables
from duecourse.batch.columns import placeholders, wanted_columns
from duecourse.batch.engines import Engine
from duecourse.batch.facts import facts_expr, facts_table
from duecourse.domain.facts import FactsConfig


@dataclass(frozen=True, slots=True)
class FactsSummary:
    """What ``duecourse facts --summary`` prints."""

    as_of: date
    accounts: int
    by_type_bucket: dict[tuple[str, str], int]
    overdue_by_type: dict[str, tuple[int, Decimal]]  # accounts past due, amount overdue
    contact: dict[str, int]
    buckets: tuple[str, ...]


def compute_facts(
    url: str, as_of: date, engine: Engine = Engine.DUCKDB, config: FactsConfig | None = None
) -> pa.Table:
    """Every account's facts as an Arrow table, ordered by ``account_id``."""
    names = FACT_SOURCES
    wanted = wanted_columns([facts_expr(placeholders(names), as_of, config)], names)
    backend, tables = batch_tables(url, engine, names, wanted=wanted)
    facts = facts_table(backend, tables, as_of, config)
    result = backend.to_pyarrow(facts.order_by("account_id"))
    assert isinstance(result, pa.Table)
    return result


#: Rows per Parquet row group: DuckDB, Spark and Arrow read a file's row groups in parallel,
#: and pyarrow's default (1,048,576) puts a million accounts in one.
ROW_GROUP_ROWS = 122_880


def write_facts(facts: pa.Table, path: Path) -> None:
    """Write facts to a Parquet file (written aside, then renamed: never half a file)."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    pq.write_table(facts, tmp, row_group_size=ROW_GROUP_ROWS)
    tmp.replace(path)


def summarize(facts: pa.Table, as_of: date, config: FactsConfig | None = None) -> FactsSummary:
    """Accounts by lender type × bucket, amounts overdue by type, contact status."""
    config = config or FactsConfig()
    t: ir.Table = ibis.memtable(facts)
    con = ibis.duckdb.connect()
    grid = con.to_pyarrow(t.group_by(["lender_type", "bucket"]).aggregate(n=t.count()))
    overdue = con.to_pyarrow(
        t.filter(t.days_past_due > 0)
        .group_by("lender_type")
        .aggregate(n=ibis._.count(), amount=ibis._.amount_overdue.sum())
    )
    contact = con.to_pyarrow(t.group_by("contact").aggregate(n=t.count()))
    return FactsSummary(
        as_of=as_of,
        accounts=facts.num_rows,
        by_type_bucket={(r["lender_type"], r["bucket"]): r["n"] for r in grid.to_pylist()},
        overdue_by_type={
            r["lender_type"]: (r["n"], Decimal(r["amount"])) for r in overdue.to_pylist()
        },
        contact={r["contact"]: r["n"] for r in contact.to_pylist()},
        buckets=config.buckets.labels,
    )
