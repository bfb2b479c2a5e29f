"""A checksum of a SQLite store's whole content (schema and rows), to show an error left the
store exactly as it was."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path


def store_digest(path: Path) -> str:
    """SHA-256 of the store's SQL dump (``sqlite3`` ``iterdump``: every table, row by row)."""
    digest = hashlib.sha256()
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        for statement in connection.iterdump():
            digest.update(statement.encode("utf-8"))
            digest.update(b"\n")
    finally:
        connection.close()
    return digest.hexdigest()
