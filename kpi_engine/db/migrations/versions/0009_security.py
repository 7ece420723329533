"""Installation tokens encrypted at rest, paused workspaces, shared Retry-After pauses

Token columns of slack_sdk's installation tables widen to 1000 characters (a Fernet token of a 200-character
secret is about 360) and every plain-text token is encrypted with the first key of KPIBOT_ENCRYPTION_KEY.
Without that key the upgrade stops if there is a plain-text token to encrypt (and passes when there is none).

Revision ID: 0009_security
Revises: 0008_conversations
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from alembic import op

revision = "0009_security"
down_revision = "0008_conversations"
branch_labels = None
depends_on = None

TOKEN_COLUMNS = {
    "slack_installations": ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token"),
    "slack_bots": ("bot_token", "bot_refresh_token"),
}
FERNET_PREFIX = "gAAAAA"


def upgrade() -> None:
    op.create_table(
        "slack_workspace_state",
        sa.Column("team_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("team_id", name=op.f("pk_slack_workspace_state")),
    )
    op.create_table(
        "slack_rate_pauses",
        sa.Column("scope", sa.String(length=100), nullable=False),
        sa.Column("paused_until", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_slack_rate_pauses")),
    )
    for table, columns in TOKEN_COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(column, existing_type=sa.String(length=200), type_=sa.String(length=1000),
                                      existing_nullable=True)
    encrypt_plain_tokens(op.get_bind())


def encrypt_plain_tokens(conn: sa.Connection) -> int:
    """Encrypts every stored token that is not encrypted yet; returns how many."""
    metadata = sa.MetaData()
    found: list[tuple[sa.Table, int, str, str]] = []
    for name, columns in TOKEN_COLUMNS.items():
        table = sa.Table(name, metadata, autoload_with=conn)
        for row in conn.execute(sa.select(table.c.id, *(table.c[c] for c in columns))):
            for column in columns:
                value = row._mapping[column]
                if value and not str(value).startswith(FERNET_PREFIX):
                    found.append((table, row.id, column, str(value)))
    if not found:
        return 0
    key = (os.environ.get("KPIBOT_ENCRYPTION_KEY") or "").split(",")[0].strip()
    if not key:
        raise RuntimeError(f"{len(found)} Slack token(s) are stored in plain text: set KPIBOT_ENCRYPTION_KEY "
                           "(see docs/slack-install.md, 'Tokens at rest') and run the upgrade again")
    from cryptography.fernet import Fernet

    fernet = Fernet(key.encode())
    for table, row_id, column, value in found:
        conn.execute(sa.update(table).where(table.c.id == row_id)
                     .values({column: fernet.encrypt(value.encode()).decode()}))
    return len(found)


def downgrade() -> None:
    op.drop_table("slack_rate_pauses")
    op.drop_table("slack_workspace_state")
