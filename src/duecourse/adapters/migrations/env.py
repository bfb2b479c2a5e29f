"""Alembic environment: run with a connection handed in by ``duecourse.adapters.store``."""

from __future__ import annotations

from alembic import context

from duecourse.adapters.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("duecourse migrations run through duecourse.adapters.store.migrate()")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
