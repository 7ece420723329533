"""Several workspaces: the OAuth install flow stores the installation (slack_sdk's SQLAlchemy stores, in our
database), and requests from that workspace are then answered with its own token."""

from __future__ import annotations

import httpx
from cryptography.fernet import Fernet
from sqlalchemy import text

from tests.bot.support.block_check import message_blocks, texts
from tests.bot.support.oauth import ENCRYPTION_KEY, bot_settings, install, no_installations  # noqa: F401 (fixtures)


def test_install_then_answer_with_the_installed_token(slack, fake_slack, engine, bot_app, mrr_data) -> None:
    app_url = slack.events_url.removesuffix("/slack/events")
    page = httpx.get(f"{app_url}/slack/install")
    assert f"{fake_slack.url}/oauth/v2/authorize?state=" in page.text  # SLACK_API_URL's host (GovSlack too)
    assert "scope=app_mentions:read,channels:history,channels:read,chat:write,commands" in page.text

    done = install(app_url)
    assert done.status_code == 200
    [exchange] = fake_slack.calls("oauth.v2.access")
    assert exchange.params["code"] == "c0de"
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT team_id, bot_token FROM slack_bots")).all()
    assert [r.team_id for r in rows] == ["T0TEAM"]
    assert rows[0].bot_token.startswith("gAAAAA")  # encrypted at rest (bot.installations)
    assert Fernet(ENCRYPTION_KEY).decrypt(rows[0].bot_token.encode()) == b"xoxb-installed-token"

    slack.slash_command("mrr last month")
    [answer] = fake_slack.wait_for("response_url")
    assert "$57" in texts(message_blocks(answer))
    [lookup] = fake_slack.calls("users.info")
    assert lookup.headers["authorization"] == "Bearer xoxb-installed-token"


def test_a_forged_state_is_refused(slack, fake_slack) -> None:
    app_url = slack.events_url.removesuffix("/slack/events")
    response = httpx.get(f"{app_url}/slack/oauth_redirect", params={"code": "c0de", "state": "forged"})
    assert response.status_code == 400
    assert fake_slack.calls("oauth.v2.access") == []


def test_a_workspace_that_never_installed_is_not_answered(slack, fake_slack) -> None:
    response = slack.slash_command("mrr last month")
    assert response.status_code == 200
    [told] = fake_slack.wait_for("response_url")  # Bolt tells the person the app is not installed there
    assert "install" in told.params["text"].lower()
    fake_slack.settle(0.3)
    assert fake_slack.calls("users.info") == []
