"""user_profiles and account_profiles: per user its account, signup instant and account attributes, and per account
its attributes, beside usage tables kept apart from a separate source (filled by `kpibot refresh`; empty otherwise)

Revision ID: 0012_user_profiles
Revises: 0011_feature_days_by_user
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_user_profiles"
down_revision = "0011_feature_days_by_user"
branch_labels = None
depends_on = None
ATTRIBUTES = ("plan", "segment", "channel", "country")


def upgrade() -> None:
    op.create_table(
        "user_profiles",
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("account_id", sa.String(length=128), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=False), nullable=True),
        *(sa.Column(name, sa.String(length=100), nullable=True) for name in ATTRIBUTES),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_user_profiles")),
    )
    op.create_index(op.f("ix_user_profiles_created_at"), "user_profiles", ["created_at"])
    op.create_table(
        "account_profiles",
        sa.Column("account_id", sa.String(length=128), nullable=False),
        *(sa.Column(name, sa.String(length=100), nullable=True) for name in ATTRIBUTES),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_account_profiles")),
    )


def downgrade() -> None:
    op.drop_table("account_profiles")
    op.drop_index(op.f("ix_user_profiles_created_at"), table_name="user_profiles")
    op.drop_table("user_profiles")
