"""Adapters: the store (SQLAlchemy + Alembic), file readers and the batch backends."""
