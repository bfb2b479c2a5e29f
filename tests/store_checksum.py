"""A checksum of a SQLite store's whole content (schema and rows), to show an error or a
what-if run left the store exactly as it was. One definition, read by every test that needs it."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path


def store_checksum(path: Path) -> str:
    """SHA-256 of a dump of the store: its schema, then every table's rows in a fixed order."""
    digest = hashlib.sha256()
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        schema = connection.execute(
            "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        digest.update(repr(schema).encode("utf-8"))
        for kind, name, _ in schema:
            if kind != "table":
                continue
            width = len(connection.execute(f'SELECT * FROM "{name}" LIMIT 0').description)
            order = ", ".join(str(i) for i in range(1, width + 1))
            rows = connection.execute(f'SELECT * FROM "{name}" ORDER BY {order}').fetchall()
            digest.update(f"{name}: {rows!r}\n".encode())
    finally:
        connection.close()
    return digest.hexdigest()
