"""user_days dropped: usage_days holds the same (user, local day, events) rows, which every reader now reads

Revision ID: 0013_drop_user_days
Revises: 0012_user_profiles
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_drop_user_days"
down_revision = "0012_user_profiles"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index(op.f("ix_user_days_day_user_id"), table_name="user_days")
    op.drop_table("user_days")


def downgrade() -> None:
    op.create_table(
        "user_days",
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "day", name=op.f("pk_user_days")),
    )
    op.create_index(op.f("ix_user_days_day_user_id"), "user_days", ["day", "user_id"])
    # created empty: the older code rebuilds every derived table when it finds no version of its own
    op.execute("DELETE FROM derived_state WHERE key = 'usage.version'")
