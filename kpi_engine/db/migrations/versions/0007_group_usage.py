"""group_daily_usage and group_daily_returns: usage rollups per value of one account dimension

Derived tables: created empty, filled from usage_days on the next usage query (derived_state has no
`usage.groups` key yet).

Revision ID: 0007_group_usage
Revises: 0006_usage_days
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_group_usage"
down_revision = "0006_usage_days"
branch_labels = None
depends_on = None


def _group_key() -> list[sa.Column]:
    return [
        sa.Column("dimension", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
    ]


def upgrade() -> None:
    counts = ("dau", "wau", "mau", "page_views", "sessions", "session_events", "bounces")
    op.create_table(
        "group_daily_usage",
        *_group_key(),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in counts),
        sa.Column("session_seconds", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("dimension", "value", "day", name=op.f("pk_group_daily_usage")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "group_daily_returns",
        *_group_key(),
        sa.Column("prev_day", sa.Date(), nullable=False),
        sa.Column("users", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("dimension", "value", "day", "prev_day", name=op.f("pk_group_daily_returns")),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("group_daily_returns")
    op.drop_table("group_daily_usage")
