"""The OAuth install flow as a test drives it: settings for OAuth mode, no installation left from another test,
and `install(app_url)` walking Slack's redirect with the state cookie."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import text

from tests.bot.conftest import SIGNING_SECRET
from tests.conftest import make_app_settings

ENCRYPTION_KEY = "x8fM1ehdf7SWFbfuxdf-Wh7r4bR4z6Jfc2D6uLSrD7I="


@pytest.fixture(autouse=True)
def no_installations(engine) -> None:
    """slack_sdk's tables are not on our metadata, so the shared test database does not empty them."""
    with engine.begin() as conn:
        for table in ("slack_installations", "slack_bots", "slack_oauth_states"):
            conn.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def bot_settings(db_url, fake_slack):
    return make_app_settings(db_url, SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_CLIENT_ID="1111.2222",
                             SLACK_CLIENT_SECRET="client-secret", SLACK_API_URL=fake_slack.api_url,
                             KPIBOT_ENCRYPTION_KEY=ENCRYPTION_KEY)


def install(app_url: str) -> httpx.Response:
    page = httpx.get(f"{app_url}/slack/install")
    assert page.status_code == 200
    state = re.search(r"state=([0-9a-f-]+)", page.text).group(1)
    cookie = page.headers["set-cookie"].split(";")[0]
    return httpx.get(f"{app_url}/slack/oauth_redirect", params={"code": "c0de", "state": state},
                     headers={"Cookie": cookie})
