"""Replacing a slice of a SQLite store table in bulk, with DuckDB's SQLite writer in a child.

The daily plan of a large portfolio is a million rows of long text. Through SQLAlchemy's
``executemany`` every value passes through Python; DuckDB's ``sqlite_scanner`` writes the same
rows from a Parquet file in about half the time (``docs/benchmarks.md``). As for reading
(``sqlite_copy``), the extension links its own SQLite, so it runs in a child process.

The parent first converts dates, times and booleans to what the stdlib ``sqlite3`` stores for
SQLAlchemy's bulk writes (``adapters.store``), once per distinct value, so rows written either
way are stored alike. The child deletes the slice and inserts the rows in one SQLite
transaction: if anything fails, the table is as it was.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from sqlalchemy import Table

from duecourse.batch.sqlite_copy import quoted, scanner_path, sql_string


class StoreWriteError(RuntimeError):
    """The child process could not write to the store; the table is unchanged."""


def _as_stored(value: Any) -> Any:
    """A value as the stdlib ``sqlite3`` stores it (what SQLAlchemy's bulk writes hand it):
    dates as ``YYYY-MM-DD``, datetimes as ``YYYY-MM-DD HH:MM:SS[.ffffff]``, booleans as 0/1."""
    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def stored_form(data: pa.Table) -> pa.Table:
    """``data`` with its date, time and boolean columns as the store holds them (converted
    once per distinct value); other columns as they are."""
    arrays = []
    for values in data.columns:
        kind = values.type
        if pa.types.is_date(kind) or pa.types.is_timestamp(kind) or pa.types.is_boolean(kind):
            encoded = pc.dictionary_encode(values.combine_chunks())
            distinct = pa.array(
                [_as_stored(v) for v in encoded.dictionary.to_pylist()],
                pa.int64() if pa.types.is_boolean(kind) else pa.string(),
            )
            values = pa.DictionaryArray.from_arrays(encoded.indices, distinct).cast(distinct.type)
        arrays.append(values)
    return pa.Table.from_arrays(arrays, names=data.column_names)


def replace_rows(database: Path, table: Table, data: pa.Table, where: tuple[str, Any]) -> None:
    """In one transaction of the SQLite file ``database``: delete the rows of ``table`` whose
    column ``where[0]`` equals ``where[1]``, then insert ``data``. Raises
    :class:`StoreWriteError` (the table unchanged) if the child fails."""
    if scanner_path() is None:
        raise StoreWriteError(f"no sqlite_scanner extension for DuckDB {duckdb.__version__}")
    key, value = where
    stored = stored_form(
        data.select([c.name for c in table.columns if c.name in data.column_names])
    )
    stored_key = _as_stored(value)
    with tempfile.TemporaryDirectory(prefix="duecourse-write-") as folder:
        rows = Path(folder) / "rows.parquet"
        pq.write_table(stored, rows)
        job = {
            "database": str(database),
            "table": table.name,
            "rows": str(rows),
            "columns": stored.column_names,
            "where": [key, stored_key],
        }
        child = subprocess.run(
            [sys.executable, "-m", __name__],
            input=json.dumps(job),
            capture_output=True,
            text=True,
            check=False,
        )
    if child.returncode != 0:
        raise StoreWriteError(
            f"writing {table.name} to {database} failed: {child.stderr.strip()[-2000:]}"
        )


def write_in_child(job: dict[str, Any]) -> None:
    """The child's side of :func:`replace_rows`."""
    extension = scanner_path()
    if extension is None:
        raise StoreWriteError(f"no sqlite_scanner extension for DuckDB {duckdb.__version__}")
    columns = ", ".join(quoted(c) for c in job["columns"])
    target = f"store.{quoted(job['table'])}"
    key, value = job["where"]
    con = duckdb.connect()
    try:
        con.execute(f"LOAD {sql_string(str(extension))}")
        # Every column seen as text: the values go in verbatim, not re-formatted by DuckDB
        # (which writes a time as it prints one, ``09:00:00.00025`` for ``.000250``).
        con.execute("SET sqlite_all_varchar = true")
        con.execute(f"ATTACH {sql_string(job['database'])} AS store (TYPE sqlite)")
        con.execute("BEGIN TRANSACTION")
        try:
            # A literal, not a parameter: the reader then filters inside SQLite (twice as fast).
            literal = sql_string(value) if isinstance(value, str) else str(int(value))
            con.execute(f"DELETE FROM {target} WHERE {quoted(key)} = {literal}")
            con.execute(
                f"INSERT INTO {target} ({columns}) "
                f"SELECT {columns} FROM read_parquet({sql_string(job['rows'])})"
            )
        except duckdb.Error:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
    finally:
        con.close()


def main() -> None:
    try:
        write_in_child(json.load(sys.stdin))
    except (StoreWriteError, duckdb.Error) as exc:
        sys.stderr.write(f"{exc}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
