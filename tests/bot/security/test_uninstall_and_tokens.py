"""Uninstalling (or revoking the tokens) removes the installation and pauses the workspace's digests, alerts and
campaigns; OAuth tokens are encrypted at rest (not one `xoxb-` byte in the database file)."""

from __future__ import annotations

import importlib.util
import logging
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.alerts import repository as alerts
from bot.app import ConfigurationError, create_app
from bot.digests import repository as digests
from bot.workspaces import workspace_status
from kpi_engine.db.models.survey_campaigns import SurveyCampaign
from tests.bot.conftest import SIGNING_SECRET
from tests.bot.support.oauth import ENCRYPTION_KEY, bot_settings, install, no_installations  # noqa: F401 (fixtures)
from tests.conftest import make_app_settings

MIGRATION = Path(__file__).parents[3] / "kpi_engine/db/migrations/versions/0009_security.py"
LATER = datetime(2030, 1, 1)


def workspace_things(engine) -> None:
    """A digest, an alert and an active campaign of T0TEAM."""
    from bot.alerts.rules import parse_alert_rule
    from bot.digests.schedule import Schedule
    from kpi_engine.catalog import load_catalog

    now = datetime(2026, 6, 1)
    digests.create_subscription(engine, team_id="T0TEAM", channel_id="C0GENERAL", dm_user_id=None,
                                created_by="U0ALICE", schedule=Schedule("UTC", 0, "09:00"), metrics=["signups"],
                                filters={}, now=now, next_run_at=now)
    alerts.create_rule(engine, parse_alert_rule("signups over 5", load_catalog(), now.date()), text="signups over 5",
                       team_id="T0TEAM", channel_id="C0GENERAL", created_by="U0ALICE", now=now)
    with engine.begin() as conn:
        conn.execute(SurveyCampaign.__table__.insert().values(
            campaign_id="camp1", survey="nps", question="q", follow_up=None, anonymous=False, topic=None,
            team_id="T0TEAM", created_by="U0ALICE", created_at=now, expires_at=LATER, post_in_channel=None,
            audience="<@U0ALICE>", unresolved=None, status="active"))


def campaign_status(engine) -> str:
    with engine.connect() as conn:
        return conn.scalar(text("SELECT status FROM survey_campaigns WHERE campaign_id = 'camp1'"))


def database_bytes(engine) -> bytes:
    path = Path(make_url(str(engine.url)).database or "")
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_tokens_at_rest_are_encrypted_and_uninstall_pauses_the_workspace(slack, fake_slack, engine, caplog) -> None:
    app_url = slack.events_url.removesuffix("/slack/events")
    assert install(app_url).status_code == 200
    if engine.dialect.name == "sqlite":
        assert b"xoxb-" not in database_bytes(engine)
    with engine.connect() as conn:
        [stored] = conn.execute(text("SELECT bot_token FROM slack_bots")).scalars()
    assert Fernet(ENCRYPTION_KEY).decrypt(stored.encode()) == b"xoxb-installed-token"

    workspace_things(engine)
    assert len(digests.due_subscriptions(engine, LATER)) == 1 and len(alerts.due_rules(engine, LATER)) == 1
    with caplog.at_level(logging.WARNING):
        response = slack.event({"type": "app_uninstalled", "event_ts": "1.0"})
    assert response.status_code == 200
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM slack_bots")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM slack_installations")).scalar() == 0
    assert workspace_status(engine, "T0TEAM") == "uninstalled"
    assert digests.due_subscriptions(engine, LATER) == [] and alerts.due_rules(engine, LATER) == []
    assert campaign_status(engine) == "paused"
    assert any("uninstalled from workspace T0TEAM" in r.getMessage() for r in caplog.records)
    assert any("paused" in r.getMessage() for r in caplog.records)

    assert install(app_url).status_code == 200  # reinstalled: everything goes on
    assert workspace_status(engine, "T0TEAM") == "active" and campaign_status(engine) == "active"
    assert len(digests.due_subscriptions(engine, LATER)) == 1


def test_revoked_bot_tokens_are_deleted_and_pause_the_workspace(slack, fake_slack, engine) -> None:
    assert install(slack.events_url.removesuffix("/slack/events")).status_code == 200
    workspace_things(engine)
    response = slack.event({"type": "tokens_revoked", "tokens": {"oauth": ["U0ALICE"], "bot": ["U0KPIBOT"]},
                            "event_ts": "1.0"})
    assert response.status_code == 200
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM slack_bots")).scalar() == 0
    assert workspace_status(engine, "T0TEAM") == "tokens_revoked"
    assert alerts.due_rules(engine, LATER) == [] and campaign_status(engine) == "paused"


def test_oauth_mode_refuses_to_start_without_a_key(db_url, fake_slack, engine) -> None:
    settings = make_app_settings(db_url, SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_CLIENT_ID="1111.2222",
                                 SLACK_CLIENT_SECRET="client-secret", SLACK_API_URL=fake_slack.api_url)
    with pytest.raises(ConfigurationError, match="KPIBOT_ENCRYPTION_KEY"):
        create_app(settings, engine=engine)
    bad = replace(settings, slack=settings.slack.model_copy(update={"encryption_key": "not-a-key"}))
    with pytest.raises(ConfigurationError, match="Fernet"):
        create_app(bad, engine=engine)


def _migration():
    spec = importlib.util.spec_from_file_location("migration_0009", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_the_migration_encrypts_plain_tokens_and_rotation_moves_them_to_the_new_key(engine, monkeypatch) -> None:
    from bot.installations import TokenCipher, rotate_tokens

    with engine.begin() as conn:
        conn.execute(text("INSERT INTO slack_bots (client_id, app_id, team_id, bot_token, is_enterprise_install, "
                          "installed_at) VALUES ('1111.2222', 'A1', 'T0TEAM', 'xoxb-plain-old', false, "
                          "CURRENT_TIMESTAMP)"))
    migration = _migration()
    monkeypatch.delenv("KPIBOT_ENCRYPTION_KEY", raising=False)
    with engine.begin() as conn, pytest.raises(RuntimeError, match="plain text"):
        migration.encrypt_plain_tokens(conn)
    monkeypatch.setenv("KPIBOT_ENCRYPTION_KEY", ENCRYPTION_KEY)
    with engine.begin() as conn:
        assert migration.encrypt_plain_tokens(conn) == 1
        assert migration.encrypt_plain_tokens(conn) == 0  # idempotent
        stored = conn.execute(text("SELECT bot_token FROM slack_bots")).scalar()
    assert Fernet(ENCRYPTION_KEY).decrypt(stored.encode()) == b"xoxb-plain-old"

    new_key = Fernet.generate_key().decode()
    assert rotate_tokens(engine, TokenCipher(f"{new_key},{ENCRYPTION_KEY}")) == 1
    with engine.connect() as conn:
        rotated = conn.execute(text("SELECT bot_token FROM slack_bots")).scalar()
    assert Fernet(new_key).decrypt(rotated.encode()) == b"xoxb-plain-old"
