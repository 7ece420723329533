"""Conversation state for follow-up questions in DMs and threads: slack_conversations

Revision ID: 0008_conversations
Revises: 0007_group_usage
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_conversations"
down_revision = "0007_group_usage"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "slack_conversations",
        sa.Column("team_id", sa.String(length=64), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("thread_ts", sa.String(length=32), nullable=False),
        sa.Column("query_json", sa.Text(), nullable=False),
        sa.Column("question", sa.String(length=4000), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=False), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "channel_id", "thread_ts", name=op.f("pk_slack_conversations")),
    )
    op.create_index(op.f("ix_slack_conversations_updated_at"), "slack_conversations", ["updated_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_slack_conversations_updated_at"), table_name="slack_conversations")
    op.drop_table("slack_conversations")
