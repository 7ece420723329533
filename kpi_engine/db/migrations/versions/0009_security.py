"""Installation tokens encrypted at rest, paused workspaces (placeholder: filled by the security work)

Revision ID: 0009_security
Revises: 0008_conversations
"""

from __future__ import annotations

revision = "0009_security"
down_revision = "0008_conversations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
