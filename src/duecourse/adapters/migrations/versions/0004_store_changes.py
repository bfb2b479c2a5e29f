"""change generations for the batch engine's store mirror

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 12:20:00
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

#: The tables the batch engine reads (``batch.backend.ALL_TABLES``), as of this revision.
WATCHED = (
    "borrowers",
    "addresses",
    "contacts",
    "loans",
    "instalments",
    "payments",
    "contact_attempts",
    "promises",
    "arrangements",
    "flags",
    "allocations",
    "penalty_charges",
    "plans",
)


def upgrade() -> None:
    op.create_table(
        "store_changes",
        sa.Column("table_name", sa.String(), nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.Column("store_id", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("table_name"),
    )
    store_id = uuid.uuid4().hex
    changes = sa.table(
        "store_changes",
        sa.column("table_name", sa.String()),
        sa.column("generation", sa.BigInteger()),
        sa.column("store_id", sa.String()),
    )
    op.bulk_insert(
        changes, [{"table_name": t, "generation": 0, "store_id": store_id} for t in WATCHED]
    )
    if op.get_bind().dialect.name != "sqlite":
        return  # the mirror serves SQLite stores only
    for table in WATCHED:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f'CREATE TRIGGER "{table}_{event.lower()}_generation" AFTER {event} ON "{table}" '
                "BEGIN UPDATE store_changes SET generation = generation + 1 "
                f"WHERE table_name = '{table}'; END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in WATCHED:
            for event in ("update", "delete"):
                op.execute(f'DROP TRIGGER IF EXISTS "{table}_{event}_generation"')
    op.drop_table("store_changes")
