"""usage_days clustered by day, with each user's previous active day and page views; conversion_events

Derived tables (rebuilt from events when `usage.version` in derived_state changes), so usage_days is
recreated empty rather than altered.

Revision ID: 0006_usage_days
Revises: 0005
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006_usage_days"
down_revision = "0005"
branch_labels = None
depends_on = None

NEW_INDEX = "ix_usage_days_user_id_day_prev_day_feature_events_sessions"
OLD_INDEX = "ix_usage_days_day_user_id"


def _create(by_day: bool) -> None:
    columns: list[sa.Column[Any]] = [
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("user_id", sa.String(length=128), nullable=False),
        *([sa.Column("prev_day", sa.Date(), nullable=False)] if by_day else []),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("feature_events", sa.Integer(), nullable=False),
        *([sa.Column("page_views", sa.Integer(), nullable=False)] if by_day else []),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("session_events", sa.Integer(), nullable=False),
        sa.Column("bounces", sa.Integer(), nullable=False),
        sa.Column("session_seconds", sa.Double(), nullable=False),
    ]
    key = ("day", "user_id") if by_day else ("user_id", "day")
    op.create_table(
        "usage_days", *columns, sa.PrimaryKeyConstraint(*key, name=op.f("pk_usage_days")), sqlite_with_rowid=False
    )
    with op.batch_alter_table("usage_days", schema=None) as batch_op:
        if by_day:
            batch_op.create_index(
                batch_op.f(NEW_INDEX), ["user_id", "day", "prev_day", "feature_events", "sessions"], unique=False
            )
        else:
            batch_op.create_index(batch_op.f(OLD_INDEX), ["day", "user_id"], unique=False)


def _drop(index: str) -> None:
    with op.batch_alter_table("usage_days", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f(index))
    op.drop_table("usage_days")


def upgrade() -> None:
    _drop(OLD_INDEX)
    _create(by_day=True)
    op.create_table(
        "conversion_events",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("name", "occurred_at", "user_id", name=op.f("pk_conversion_events")),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("conversion_events")
    _drop(NEW_INDEX)
    _create(by_day=False)
