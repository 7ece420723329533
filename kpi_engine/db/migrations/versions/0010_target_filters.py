"""Targets that carry filters (placeholder: filled by the charts and messages work)

Revision ID: 0010_target_filters
Revises: 0009_security
"""

from __future__ import annotations

revision = "0010_target_filters"
down_revision = "0009_security"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
