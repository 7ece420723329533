"""slack app tables: audit log, processed events, App Home pins, slack_sdk OAuth stores

Revision ID: 0003
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _oauth_metadata() -> sa.MetaData:
    """The tables slack_sdk's SQLAlchemyInstallationStore / SQLAlchemyOAuthStateStore read and write
    (same names, columns and indexes as slack_sdk 3.x builds; written out so kpi_engine never imports Slack)."""
    metadata = sa.MetaData()
    s32, s200, s1000 = sa.String(32), sa.String(200), sa.String(1000)
    sa.Table(
        "slack_installations", metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("client_id", s32, nullable=False), sa.Column("app_id", s32, nullable=False),
        sa.Column("enterprise_id", s32), sa.Column("enterprise_name", s200), sa.Column("enterprise_url", s200),
        sa.Column("team_id", s32), sa.Column("team_name", s200),
        sa.Column("bot_token", s200), sa.Column("bot_id", s32), sa.Column("bot_user_id", s32),
        sa.Column("bot_scopes", s1000), sa.Column("bot_refresh_token", s200),
        sa.Column("bot_token_expires_at", sa.DateTime),
        sa.Column("user_id", s32, nullable=False), sa.Column("user_token", s200), sa.Column("user_scopes", s1000),
        sa.Column("user_refresh_token", s200), sa.Column("user_token_expires_at", sa.DateTime),
        sa.Column("incoming_webhook_url", s200), sa.Column("incoming_webhook_channel", s200),
        sa.Column("incoming_webhook_channel_id", s200), sa.Column("incoming_webhook_configuration_url", s200),
        sa.Column("is_enterprise_install", sa.Boolean, default=False, nullable=False),
        sa.Column("token_type", s32),
        sa.Column("installed_at", sa.DateTime, nullable=False, server_default=sa.func.now()),
        sa.Index("slack_installations_idx", "client_id", "enterprise_id", "team_id", "user_id", "installed_at"),
    )
    sa.Table(
        "slack_bots", metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("client_id", s32, nullable=False), sa.Column("app_id", s32, nullable=False),
        sa.Column("enterprise_id", s32), sa.Column("enterprise_name", s200),
        sa.Column("team_id", s32), sa.Column("team_name", s200),
        sa.Column("bot_token", s200), sa.Column("bot_id", s32), sa.Column("bot_user_id", s32),
        sa.Column("bot_scopes", s1000), sa.Column("bot_refresh_token", s200),
        sa.Column("bot_token_expires_at", sa.DateTime),
        sa.Column("is_enterprise_install", sa.Boolean, default=False, nullable=False),
        sa.Column("installed_at", sa.DateTime, nullable=False, server_default=sa.func.now()),
        sa.Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
    )
    sa.Table(
        "slack_oauth_states", metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("state", s200, nullable=False),
        sa.Column("expire_at", sa.DateTime, nullable=False),
    )
    return metadata


def upgrade() -> None:
    op.create_table(
        "slack_audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        sa.Column("team_id", sa.String(length=64), nullable=True),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("question", sa.String(length=4000), nullable=False),
        sa.Column("metric_id", sa.String(length=100), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slack_audit_log")),
    )
    with op.batch_alter_table("slack_audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_slack_audit_log_asked_at"), ["asked_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_slack_audit_log_user_id_asked_at"), ["user_id", "asked_at"], unique=False)

    op.create_table(
        "slack_processed_events",
        sa.Column("event_key", sa.String(length=200), nullable=False),
        sa.Column("team_id", sa.String(length=64), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("event_key", name=op.f("pk_slack_processed_events")),
    )
    with op.batch_alter_table("slack_processed_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_slack_processed_events_received_at"), ["received_at"], unique=False)

    op.create_table(
        "slack_pins",
        sa.Column("team_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("metric_id", sa.String(length=100), nullable=False),
        sa.Column("question", sa.String(length=500), nullable=False),
        sa.Column("pinned_at", sa.DateTime(), nullable=False),
        sa.Column("sparkline_file_id", sa.String(length=64), nullable=True),
        sa.Column("sparkline_digest", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("team_id", "user_id", "metric_id", name=op.f("pk_slack_pins")),
    )

    _oauth_metadata().create_all(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    _oauth_metadata().drop_all(op.get_bind(), checkfirst=True)
    op.drop_table("slack_pins")
    with op.batch_alter_table("slack_processed_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_slack_processed_events_received_at"))
    op.drop_table("slack_processed_events")
    with op.batch_alter_table("slack_audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_slack_audit_log_user_id_asked_at"))
        batch_op.drop_index(batch_op.f("ix_slack_audit_log_asked_at"))
    op.drop_table("slack_audit_log")
