"""The migrations build exactly the schema the code declares (nothing for autogenerate to add)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from duecourse.adapters.schema import metadata
from duecourse.adapters.store import open_store


def test_the_migrated_store_matches_the_declared_tables(tmp_path):
    engine = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert diff == []
