"""Reading SQLite store rows as typed Arrow record batches with the stdlib ``sqlite3``.

The same SQLite library SQLAlchemy writes with, opened read-only, so it may share a process
with the store's engine (unlike DuckDB's SQLite reader, ``sqlite_copy``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

import pyarrow as pa


def sqlite_batches(
    path: str,
    table: str,
    schema: pa.Schema,
    rows: int,
    rowids: tuple[int, int] | None = None,
) -> Iterator[pa.RecordBatch]:
    """The columns of ``schema`` of store table ``table`` as typed record batches of ``rows``
    rows; with ``rowids`` (low, high) only rows with ``low < rowid <= high``."""
    quoted = ", ".join(f'"{name}"' for name in schema.names)  # names from our own schema
    query = f'SELECT {quoted} FROM "{table}"'
    params: tuple[int, ...] = ()
    if rowids is not None:
        query += " WHERE rowid > ? AND rowid <= ?"
        params = rowids
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        cursor = connection.execute(query, params)
        while chunk := cursor.fetchmany(rows):
            columns = zip(*chunk, strict=True)
            arrays = [
                typed_array(values, field.type)
                for values, field in zip(columns, schema, strict=True)
            ]
            yield pa.RecordBatch.from_arrays(arrays, schema=schema)
    finally:
        connection.close()


def typed_array(values: Sequence[Any], kind: pa.DataType) -> pa.Array:
    """SQLite hands back dates and times as text and booleans as 0/1; cast them."""
    if pa.types.is_date(kind) or pa.types.is_timestamp(kind):
        return pa.array(values, pa.string()).cast(kind)
    if pa.types.is_boolean(kind):
        return pa.array(values, pa.int64()).cast(kind)
    return pa.array(values, kind)
