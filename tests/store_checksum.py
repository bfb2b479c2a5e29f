"""A checksum of a whole SQLite store (every table's schema and rows, as ``.dump`` writes them)."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path


def store_checksum(path: Path) -> str:
    """SHA-256 of the store's SQL dump: equal checksums, equal stores."""
    connection = sqlite3.connect(path)
    try:
        return hashlib.sha256("\n".join(connection.iterdump()).encode()).hexdigest()
    finally:
        connection.close()
