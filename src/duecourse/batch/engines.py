"""Where batch expressions run (kept apart so the CLI can name it without importing ibis)."""

from __future__ import annotations

from enum import StrEnum


class Engine(StrEnum):
    """Where the batch expressions run."""

    DUCKDB = "duckdb"
    STORE = "store"
