"""Connecting the batch engine to the system of record.

Two ways, both reading the one store (see ``docs/architecture.md``):

* ``duckdb`` (default): each store table is copied once into DuckDB, where the facts run.
  A SQLite store is copied to Parquet by child processes with DuckDB's SQLite reader
  (``sqlite_copy``) and loaded from there; without that extension its tables are streamed as
  typed Arrow record batches read with the stdlib ``sqlite3``, one batch in Python at a time.
  PostgreSQL tables are read through ibis into memory.
* ``store``: the facts run inside the store's own database through its ibis backend, moving no
  rows. PostgreSQL only: SQLite's parser rejects the nesting depth of the facts query.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
from sqlalchemy import Boolean, Date, DateTime, Integer, Table
from sqlalchemy.engine import make_url

from duecourse.adapters.schema import (
    ALLOCATIONS,
    PENALTY_CHARGES,
    PLANS,
    PROMISE_STATES,
    STORE_TABLES,
    TABLES,
)
from duecourse.batch.compiled import CompiledBackend
from duecourse.batch.engines import Engine
from duecourse.batch.mirror import refresh as refresh_mirror
from duecourse.batch.sqlite_copy import (
    StoreCopyError,
    copy_in_children,
    parquet_path,
    quoted,
    scanner_path,
    sql_string,
)
from duecourse.batch.sqlite_rows import sqlite_batches

FACT_SOURCES: tuple[str, ...] = (
    *(spec.name for spec in TABLES),
    ALLOCATIONS.name,
    PENALTY_CHARGES.name,
    PROMISE_STATES.name,
)
Wanted = Mapping[str, Sequence[str]]  # table -> the columns to read (all when it is absent)
ALL_TABLES: dict[str, Table] = {
    **STORE_TABLES,
    ALLOCATIONS.name: ALLOCATIONS,
    PENALTY_CHARGES.name: PENALTY_CHARGES,
    PROMISE_STATES.name: PROMISE_STATES,
    PLANS.name: PLANS,
}


def ibis_type(column: Any) -> str:
    """The ibis type of a store column."""
    kind = column.type
    if isinstance(kind, Boolean):
        return "boolean"
    if isinstance(kind, DateTime):
        return "timestamp"
    if isinstance(kind, Date):
        return "date"
    if isinstance(kind, Integer):  # BigInteger too
        return "int64"
    return "string"


def arrow_schema(table: Table, only: Sequence[str] | None = None) -> pa.Schema:
    """The Arrow schema of a store table (of its columns ``only``, when given)."""
    types = {
        "boolean": pa.bool_(),
        "timestamp": pa.timestamp("us"),
        "date": pa.date32(),
        "int64": pa.int64(),
        "string": pa.string(),
    }
    return pa.schema([(c.name, types[ibis_type(c)]) for c in _columns(table, only)])


def _columns(table: Table, only: Sequence[str] | None) -> list[Any]:
    """The columns of ``table`` named in ``only`` (all when ``None``), in the table's order."""
    return [c for c in table.columns if only is None or c.name in only]


def rows_to_arrow(table: Table, rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """Store rows (as written by the importer) to a typed Arrow table."""
    schema = arrow_schema(table)
    return pa.Table.from_pylist([dict(r) for r in rows], schema=schema)


def connect_store(url: str) -> Any:
    """An ibis backend on the store database itself (PostgreSQL or SQLite)."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return ibis.sqlite.connect(parsed.database or ":memory:")
    if backend == "postgresql":
        return ibis.postgres.connect(
            host=parsed.host,
            port=parsed.port,
            user=parsed.username,
            password=parsed.password,
            database=parsed.database,
        )
    raise ValueError(f"no ibis backend for store {backend!r}")


def duckdb_from_arrow(
    arrow_tables: Mapping[str, pa.Table], threads: int | None = None
) -> tuple[Any, dict[str, ir.Table]]:
    """An in-memory DuckDB holding the given typed Arrow tables (set up as for the store's
    copy: no progress bar, no insertion order kept); ``threads``: its worker threads (DuckDB's
    default, one per core, when None)."""
    duck = ibis.duckdb.connect() if threads is None else ibis.duckdb.connect(threads=threads)
    duck.con.execute("SET enable_progress_bar = false")
    duck.con.execute("SET preserve_insertion_order = false")
    return duck, {name: duck.create_table(name, data) for name, data in arrow_tables.items()}


DUCKDB_TYPES = {
    "boolean": "BOOLEAN",
    "timestamp": "TIMESTAMP",
    "date": "DATE",
    "int64": "BIGINT",
    "string": "VARCHAR",
}


def stream_tables(
    duck: Any,
    database: Path,
    names: Iterable[str],
    batch_rows: int = 100_000,
    wanted: Wanted | None = None,
) -> dict[str, ir.Table]:
    """Stream the store's tables into the in-memory DuckDB as typed record batches read with
    the stdlib ``sqlite3``: only one batch at a time is held in Python."""
    tables: dict[str, ir.Table] = {}
    for name in names:
        table, only = ALL_TABLES[name], (wanted or {}).get(name)
        schema = arrow_schema(table, only)
        reader = pa.RecordBatchReader.from_batches(
            schema, sqlite_batches(str(database), name, schema, batch_rows)
        )
        duck.con.register("incoming", reader)
        duck.con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM incoming')
        duck.con.unregister("incoming")
        tables[name] = duck.table(name)
    return tables


def copy_store(
    duck: Any,
    database: Path,
    names: Iterable[str],
    wanted: Wanted | None = None,
) -> dict[str, ir.Table]:
    """The store's tables copied to Parquet by child processes with DuckDB's SQLite reader
    (``sqlite_copy``) and read from there.

    For a store with change generations the files are the store's mirror, refreshed with what
    changed since the last run (``mirror``); otherwise they are temporary and go when the
    backend does.
    """
    typed = {
        name: [
            (c.name, DUCKDB_TYPES[ibis_type(c)])
            for c in _columns(ALL_TABLES[name], (wanted or {}).get(name))
        ]
        for name in names
    }
    files = refresh_mirror(database, typed)
    if files is None:
        folder = Path(tempfile.mkdtemp(prefix="duecourse-store-"))
        weakref.finalize(duck, shutil.rmtree, folder, ignore_errors=True)
        try:
            copy_in_children(database, folder, typed, _table_sizes(database, typed))
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        files = {name: [parquet_path(folder, name)] for name in typed}
    tables = {}
    for name, columns in typed.items():
        listed = ", ".join(sql_string(str(f)) for f in files[name])
        chosen = ", ".join(quoted(c) for c, _ in columns)  # the mirror may hold more columns
        source = f"read_parquet([{listed}])"
        duck.con.execute(f"CREATE OR REPLACE VIEW {quoted(name)} AS SELECT {chosen} FROM {source}")
        tables[name] = duck.table(name)
    return tables


def _table_sizes(database: Path, names: Iterable[str]) -> dict[str, int]:
    """Rough row counts (the largest rowid, read in O(log n)) to share the tables out."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return {
            name: connection.execute(f'SELECT coalesce(max(rowid), 0) FROM "{name}"').fetchone()[0]
            for name in names
        }
    except sqlite3.DatabaseError as exc:
        raise StoreCopyError(f"cannot read the store {database}: {exc}") from exc
    finally:
        connection.close()


def batch_tables(
    url: str,
    engine: Engine = Engine.DUCKDB,
    names: Iterable[str] = FACT_SOURCES,
    batch_rows: int = 100_000,
    wanted: Wanted | None = None,
) -> tuple[Any, dict[str, ir.Table]]:
    """The backend the expressions run on, and the store's tables as ibis tables there.

    ``wanted`` names, per table, the columns to read (``columns.wanted_columns``); copies to
    DuckDB then leave the others out. The ``store`` engine reads in place and ignores it.
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if engine is Engine.STORE:
        if backend != "postgresql":
            raise ValueError("--engine store needs a PostgreSQL store; use duckdb for SQLite")
        store = connect_store(url)
        return store, {name: store.table(name) for name in names}
    duck = ibis.duckdb.connect()
    duck.con.execute("SET enable_progress_bar = false")  # the CLI shows its own progress
    # Every result whose order matters is ordered explicitly (the facts and the plan by
    # account); without this promise DuckDB materialises intermediate tables in parallel.
    duck.con.execute("SET preserve_insertion_order = false")
    if backend == "sqlite":
        database = Path(parsed.database or "")
        if scanner_path() is not None and database.is_file():
            return duck, copy_store(duck, database, names, wanted)
        return duck, stream_tables(duck, database, names, batch_rows, wanted)
    store = connect_store(url)
    tables: dict[str, ir.Table] = {}
    for name in names:
        schema = arrow_schema(ALL_TABLES[name], (wanted or {}).get(name))
        arrow = store.table(name).select(*schema.names).to_pyarrow().cast(schema)
        tables[name] = duck.create_table(name, arrow)
    store.disconnect()
    return duck, tables


class StoreTables:
    """The tables port on the store: its tables as :func:`batch_tables` reads them (only the
    wanted columns)."""

    def __init__(self, url: str, engine: Engine = Engine.DUCKDB) -> None:
        self.url, self.engine = url, engine

    def open(self, wanted: Callable[[], Wanted]) -> tuple[Any, Mapping[str, ir.Table]]:
        columns = wanted()
        return batch_tables(self.url, self.engine, names=list(columns), wanted=columns)


class MemoryTables:
    """The tables port on tables held in an in-memory DuckDB (:func:`duckdb_from_arrow`):
    every column is there already, so the run's columns are not traced."""

    def __init__(self, backend: Any, tables: Mapping[str, ir.Table]) -> None:
        self.backend, self.tables = backend, tables

    @classmethod
    def from_arrow(
        cls,
        arrow_tables: Mapping[str, pa.Table],
        compiled: bool = False,
        threads: int | None = None,
    ) -> MemoryTables:
        """In-memory tables holding ``arrow_tables`` (typed as the store's, ``arrow_schema``).
        ``compiled``: runs compile each expression once and re-execute it (the simulator's
        day after day, ``compiled.CompiledBackend``); ``threads``: DuckDB's threads."""
        backend, tables = duckdb_from_arrow(arrow_tables, threads)
        return cls(CompiledBackend(backend) if compiled else backend, tables)

    def open(self, wanted: Callable[[], Wanted]) -> tuple[Any, Mapping[str, ir.Table]]:
        return self.backend, self.tables
