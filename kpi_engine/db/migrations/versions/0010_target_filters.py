"""Targets that carry filters: a target per metric and filtered slice (`mrr 20k for plan pro`)

Revision ID: 0010_target_filters
Revises: 0009_security
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_target_filters"
down_revision = "0009_security"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("targets", recreate="always") as batch_op:
        batch_op.add_column(sa.Column("scope", sa.String(length=400), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("filters", sa.JSON(), nullable=True))
        batch_op.drop_constraint("pk_targets", type_="primary")
        batch_op.create_primary_key("pk_targets", ["metric_id", "scope"])


def downgrade() -> None:
    op.execute("DELETE FROM targets WHERE scope <> ''")
    with op.batch_alter_table("targets", recreate="always") as batch_op:
        batch_op.drop_constraint("pk_targets", type_="primary")
        batch_op.create_primary_key("pk_targets", ["metric_id"])
        batch_op.drop_column("filters")
        batch_op.drop_column("scope")
