"""Conversation state for follow-up questions in DMs and threads (placeholder: filled by the follow-ups work)

Revision ID: 0008_conversations
Revises: 0007_group_usage
"""

from __future__ import annotations

revision = "0008_conversations"
down_revision = "0007_group_usage"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
