"""``duecourse decide``: one decision table over a Parquet file, on DuckDB."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import ibis
import pyarrow as pa
import pyarrow.parquet as pq

from duecourse.strategy.compile import decide
from duecourse.strategy.table import ColumnType, DecisionTable, TableError
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
    available = arrow_column_types(data.schema().to_pyarrow())
    problems = errors_only(validate_table(table, available))
    if keys is None:
        keys = ["account_id"] if "account_id" in available else []
    missing = [k for k in keys if k not in available]
    if missing:
        raise ValueError(f"key column(s) not in {source}: {', '.join(missing)}")
    if problems:
        raise TableError(problems)
    tmp = target.with_suffix(target.suffix + ".tmp")
    expr = decide(table, data, keys, matched=with_matched)
    con.to_parquet(expr, tmp)
    written = pq.ParquetFile(tmp).metadata.num_rows  # from the footer: no second query
    tmp.replace(target)
    return int(written)
