"""The app factory's modes and configuration errors."""

from __future__ import annotations

import pytest

from bot.app import ConfigurationError, create_app
from tests.bot.conftest import bot_config
from tests.conftest import make_app_settings


def test_http_mode_needs_the_signing_secret(sqlite_engine, sqlite_url) -> None:
    with pytest.raises(ConfigurationError, match="SLACK_SIGNING_SECRET"):
        create_app(make_app_settings(sqlite_url, SLACK_BOT_TOKEN="xoxb-1"), config=bot_config(), engine=sqlite_engine)


def test_a_token_or_oauth_credentials_are_needed(sqlite_engine, sqlite_url) -> None:
    with pytest.raises(ConfigurationError, match="SLACK_BOT_TOKEN"):
        create_app(make_app_settings(sqlite_url, SLACK_SIGNING_SECRET="s"), config=bot_config(), engine=sqlite_engine)


def test_socket_mode_needs_no_signing_secret_and_retries_rate_limits(sqlite_engine, sqlite_url, fake_slack) -> None:
    from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

    settings = make_app_settings(sqlite_url, SLACK_BOT_TOKEN="xoxb-1", SLACK_API_URL=fake_slack.api_url)
    app = create_app(settings, config=bot_config(), engine=sqlite_engine, socket_mode=True)
    try:
        assert app.client.base_url == fake_slack.api_url
        assert any(isinstance(h, RateLimitErrorRetryHandler) for h in app.client.retry_handlers)
        assert app.oauth_flow is None
        assert fake_slack.methods() == ["auth.test"]  # the token is checked once at start
    finally:
        app.close()
