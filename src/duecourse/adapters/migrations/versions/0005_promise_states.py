"""the promise journal (promise_states)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 01:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "promise_states",
        sa.Column("loan_id", sa.String(), nullable=False),
        sa.Column("promise_id", sa.String(), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("judged_on", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("matched_cents", sa.BigInteger(), nullable=False),
        sa.Column("kept_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("promise_id"),
    )
    op.create_index("ix_promise_states_loan_id", "promise_states", ["loan_id"])
    bind = op.get_bind()
    store_id = bind.execute(sa.text("SELECT store_id FROM store_changes LIMIT 1")).scalar()
    bind.execute(
        sa.text(
            "INSERT INTO store_changes (table_name, generation, store_id) "
            "VALUES ('promise_states', 0, :store_id)"
        ),
        {"store_id": store_id or "unknown"},
    )
    if bind.dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f'CREATE TRIGGER "promise_states_{event.lower()}_generation" AFTER {event} '
                'ON "promise_states" BEGIN UPDATE store_changes SET generation = generation + 1 '
                "WHERE table_name = 'promise_states'; END"
            )
    # Promises already in the store are matched to payments with the default grace.
    from duecourse.adapters import records
    from duecourse.adapters.schema import PROMISE_STATES, STORE_TABLES
    from duecourse.domain.promises import track_promises

    promises = [
        records.promise(r) for r in bind.execute(sa.select(STORE_TABLES["promises"])).mappings()
    ]
    if promises:
        loans = {p.loan_id for p in promises}
        paid = [
            records.payment(r)
            for r in bind.execute(sa.select(STORE_TABLES["payments"])).mappings()
            if r["loan_id"] in loans
        ]
        bind.execute(
            sa.insert(PROMISE_STATES), records.promise_state_rows(track_promises(promises, paid))
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for event in ("update", "delete"):
            op.execute(f'DROP TRIGGER IF EXISTS "promise_states_{event}_generation"')
    op.execute("DELETE FROM store_changes WHERE table_name = 'promise_states'")
    op.drop_index("ix_promise_states_loan_id", table_name="promise_states")
    op.drop_table("promise_states")
