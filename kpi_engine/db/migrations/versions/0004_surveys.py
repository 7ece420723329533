"""in-Slack survey campaigns: campaigns, delivery state, contacts (90-day rule), account links

Revision ID: 0004
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "survey_campaigns",
        sa.Column("campaign_id", sa.String(length=128), nullable=False),
        sa.Column("survey", sa.String(length=10), nullable=False),
        sa.Column("question", sa.String(length=500), nullable=False),
        sa.Column("follow_up", sa.String(length=500), nullable=True),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=True),
        sa.Column("team_id", sa.String(length=64), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("post_in_channel", sa.String(length=64), nullable=True),
        sa.Column("audience", sa.String(length=2000), nullable=False),
        sa.Column("unresolved", sa.String(length=2000), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("campaign_id", name=op.f("pk_survey_campaigns")),
    )
    with op.batch_alter_table("survey_campaigns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_campaigns_created_at"), ["created_at"], unique=False)

    op.create_table(
        "survey_delivery_state",
        sa.Column("delivery_id", sa.String(length=128), nullable=False),
        sa.Column("campaign_id", sa.String(length=128), nullable=False),
        sa.Column("slack_user_id", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("not_before", sa.DateTime(), nullable=False),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("channel_id", sa.String(length=64), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("error", sa.String(length=100), nullable=True),
        sa.Column("tz", sa.String(length=64), nullable=True),
        sa.Column("account_id", sa.String(length=128), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("reminder_status", sa.String(length=20), nullable=True),
        sa.Column("reminder_ts", sa.String(length=32), nullable=True),
        sa.Column("alert_status", sa.String(length=20), nullable=True),
        sa.Column("alert_ts", sa.String(length=80), nullable=True),
        sa.PrimaryKeyConstraint("delivery_id", name=op.f("pk_survey_delivery_state")),
        sa.UniqueConstraint("campaign_id", "slack_user_id",
                            name=op.f("uq_survey_delivery_state_campaign_id_slack_user_id")),
    )
    with op.batch_alter_table("survey_delivery_state", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_delivery_state_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_survey_delivery_state_slack_user_id"), ["slack_user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_survey_delivery_state_status_not_before"), ["status", "not_before"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_survey_delivery_state_status_sent_at"), ["status", "sent_at"],
                              unique=False)

    op.create_table(
        "survey_contacts",
        sa.Column("slack_user_id", sa.String(length=64), nullable=False),
        sa.Column("last_asked_at", sa.DateTime(), nullable=False),
        sa.Column("last_delivery_id", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("slack_user_id", name=op.f("pk_survey_contacts")),
    )
    op.create_table(
        "survey_account_links",
        sa.Column("slack_user_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=128), nullable=False),
        sa.Column("linked_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("slack_user_id", name=op.f("pk_survey_account_links")),
    )
    with op.batch_alter_table("survey_account_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_account_links_account_id"), ["account_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("survey_account_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_account_links_account_id"))
    op.drop_table("survey_account_links")
    op.drop_table("survey_contacts")
    with op.batch_alter_table("survey_delivery_state", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_delivery_state_status_sent_at"))
        batch_op.drop_index(batch_op.f("ix_survey_delivery_state_status_not_before"))
        batch_op.drop_index(batch_op.f("ix_survey_delivery_state_slack_user_id"))
        batch_op.drop_index(batch_op.f("ix_survey_delivery_state_campaign_id"))
    op.drop_table("survey_delivery_state")
    with op.batch_alter_table("survey_campaigns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_campaigns_created_at"))
    op.drop_table("survey_campaigns")
