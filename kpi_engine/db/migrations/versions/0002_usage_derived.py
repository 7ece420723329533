"""usage rollups derived from events: feature_days, usage_days, daily_usage, daily_returns

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feature_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("feature", sa.String(length=200), nullable=False),
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("page_views", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "feature", "user_id", name=op.f("pk_feature_days")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "usage_days",
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("feature_events", sa.Integer(), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("session_events", sa.Integer(), nullable=False),
        sa.Column("bounces", sa.Integer(), nullable=False),
        sa.Column("session_seconds", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "day", name=op.f("pk_usage_days")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("usage_days", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_usage_days_day_user_id"), ["day", "user_id"], unique=False)

    op.create_table(
        "daily_usage",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("dau", sa.Integer(), nullable=False),
        sa.Column("wau", sa.Integer(), nullable=False),
        sa.Column("mau", sa.Integer(), nullable=False),
        sa.Column("page_views", sa.Integer(), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("session_events", sa.Integer(), nullable=False),
        sa.Column("bounces", sa.Integer(), nullable=False),
        sa.Column("session_seconds", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_daily_usage")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "daily_returns",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("prev_day", sa.Date(), nullable=False),
        sa.Column("users", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "day", "prev_day", name=op.f("pk_daily_returns")),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("daily_returns")
    op.drop_table("daily_usage")
    with op.batch_alter_table("usage_days", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_usage_days_day_user_id"))
    op.drop_table("usage_days")
    op.drop_table("feature_days")
