"""``duecourse decide``: one decision table over a Parquet file (or an Arrow table), on DuckDB."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import ibis
import pyarrow as pa
import pyarrow.parquet as pq
from ibis.backends import BaseBackend

from duecourse.batch.columnar import outputs_at
from duecourse.strategy.compile import HIT, decide, first_positions
from duecourse.strategy.table import ColumnType, DecisionTable, HitPolicy, TableError
from duecourse.strategy.validate import errors_only, validate_table


def arrow_column_types(schema: pa.Schema) -> dict[str, ColumnType]:
    """What a decision table may assume about each column of a Parquet file."""
    out: dict[str, ColumnType] = {}
    for field in schema:
        t = field.type
        if pa.types.is_boolean(t):
            out[field.name] = ColumnType.BOOL
        elif pa.types.is_integer(t):
            out[field.name] = ColumnType.INT
        elif pa.types.is_decimal(t):
            out[field.name] = ColumnType.DECIMAL
        elif pa.types.is_floating(t):
            out[field.name] = ColumnType.FLOAT
        else:
            out[field.name] = ColumnType.STRING
    return out


def _checked_keys(
    table: DecisionTable,
    available: dict[str, ColumnType],
    keys: Sequence[str] | None,
    where: str,
) -> list[str]:
    """The key columns to carry (``account_id`` when present, by default), once ``table``
    is known to fit the columns ``available``."""
    problems = errors_only(validate_table(table, available))
    if keys is None:
        keys = ["account_id"] if "account_id" in available else []
    missing = [k for k in keys if k not in available]
    if missing:
        raise ValueError(f"key column(s) not in {where}: {', '.join(missing)}")
    if problems:
        raise TableError(problems)
    return list(keys)


def decide_parquet(
    table: DecisionTable,
    source: Path,
    target: Path,
    keys: Sequence[str] | None = None,
    with_matched: bool = False,
) -> int:
    """Evaluate ``table`` on every row of ``source``; write keys and outputs to ``target``.

    ``with_matched`` adds ``matched_row`` (the id of the deciding row).

    Returns the number of rows written. Raises :class:`TableError` if the table does not fit
    the file (unknown columns, type mismatches, ...).
    """
    con = ibis.duckdb.connect()
    data = con.read_parquet(source)
    keys = _checked_keys(table, arrow_column_types(data.schema().to_pyarrow()), keys, str(source))
    tmp = target.with_suffix(target.suffix + ".tmp")
    expr = decide(table, data, keys, matched=with_matched)
    con.to_parquet(expr, tmp)
    written = pq.ParquetFile(tmp).metadata.num_rows  # from the footer: no second query
    tmp.replace(target)
    return int(written)


def decide_arrow(
    table: DecisionTable,
    facts: pa.Table,
    keys: Sequence[str] | None = None,
    with_matched: bool = False,
    con: BaseBackend | None = None,
) -> pa.Table:
    """Evaluate ``table`` on every row of an Arrow table in memory, on DuckDB (``con``, an
    ibis DuckDB connection to reuse; a new in-memory one by default).

    Returns the key columns (the input's own arrays) and every output, row for row in the
    input's order. Raises like :func:`decide_parquet`.
    """
    keys = _checked_keys(table, arrow_column_types(facts.schema), keys, "the input table")
    return evaluate_arrow(table, facts, keys, with_matched, con)


def evaluate_arrow(
    table: DecisionTable,
    facts: pa.Table,
    keys: Sequence[str],
    matched: bool = False,
    con: BaseBackend | None = None,
) -> pa.Table:
    """:func:`decide_arrow` without the checks (the table is known to fit ``facts``).

    Under ``first`` DuckDB computes only each row's deciding position; the outputs are built
    from it (string outputs as dictionary arrays, :mod:`duecourse.batch.columnar`).
    """
    con = con or ibis.duckdb.connect()
    if table.hit_policy is not HitPolicy.FIRST:
        t = ibis.memtable(facts.select([*dict.fromkeys([*keys, *table.inputs])]))
        return con.to_pyarrow(decide(table, t, keys, matched=matched))
    t = ibis.memtable(facts.select(list(table.inputs)))
    index, rules = first_positions(table, t)
    positions = con.to_pyarrow(t.select(**{HIT: index}))[HIT].combine_chunks()
    outputs = outputs_at(table, rules, positions, matched=matched)
    return pa.table({**{k: facts[k] for k in keys}, **outputs})
