"""feature_days read by user: each user's last day per feature before a day, for an append (no table scan)

Revision ID: 0011_feature_days_by_user
Revises: 0010_target_filters
"""

from __future__ import annotations

from alembic import op

revision = "0011_feature_days_by_user"
down_revision = "0010_target_filters"
branch_labels = None
depends_on = None

INDEX = "ix_feature_days_user_id_feature_day"


def upgrade() -> None:
    op.create_index(INDEX, "feature_days", ["user_id", "feature", "day"])


def downgrade() -> None:
    op.drop_index(INDEX, table_name="feature_days")
