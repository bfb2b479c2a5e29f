"""plan rows carry the guard's rules and next_allowed_at

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 01:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("rules", sa.String(), nullable=False, server_default=""))
        batch.add_column(sa.Column("next_allowed_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("next_allowed_at")
        batch.drop_column("rules")
