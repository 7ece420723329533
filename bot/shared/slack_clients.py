"""Which Web API client posts for a workspace: the one bot token, or (OAuth installs) that team's bot token."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from sqlalchemy import Engine

from bot.settings import SlackSettings

logger = logging.getLogger(__name__)

ClientSource = Callable[[str | None], WebClient]
RATE_LIMIT_RETRIES = 3


class NoInstallation(LookupError):
    pass


def with_retries(client: WebClient) -> WebClient:
    """429 answers are retried after their Retry-After."""
    if not any(isinstance(h, RateLimitErrorRetryHandler) for h in client.retry_handlers):
        client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES))
    return client


def client_source(slack: SlackSettings, engine: Engine, client: WebClient) -> ClientSource:
    """With OAuth (SLACK_CLIENT_ID set and `client` without a token) each team's bot token is looked up once."""
    if client.token or not slack.client_id:
        return lambda _team_id: client
    from bot.installations import encrypted_store

    store = encrypted_store(slack.client_id, slack.encryption_key, engine)
    cache: dict[str | None, WebClient] = {}
    lock = threading.Lock()

    def for_team(team_id: str | None) -> WebClient:
        with lock:
            if team_id in cache:
                return cache[team_id]
        bot = store.find_bot(enterprise_id=None, team_id=team_id)
        if bot is None or not bot.bot_token:
            raise NoInstallation(f"KPI Bot is not installed in workspace {team_id}")
        team_client = with_retries(WebClient(token=bot.bot_token, base_url=client.base_url))
        with lock:
            cache[team_id] = team_client
        return team_client

    return for_team


def user_timezone(client: WebClient, user_id: str) -> str | None:
    """The person's Slack time zone (users.info `tz`), or None when Slack does not say."""
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as exc:
        logger.info("users.info %s failed: %s", user_id, exc.response.get("error"))
        return None
    tz = user.get("tz")
    return str(tz) if tz else None


def open_dm(client: WebClient, user_id: str) -> str:
    """The DM channel id with one person (conversations.open)."""
    return str(client.conversations_open(users=user_id)["channel"]["id"])


def channel_id_by_name(client: WebClient, name: str, max_pages: int = 20) -> str | None:
    """`growth` → its id, for `#growth` typed where Slack did not escape it (conversations.list, public channels)."""
    cursor: str | None = None
    wanted = name.lstrip("#").lower()
    for _ in range(max_pages):
        try:
            page = client.conversations_list(types="public_channel", exclude_archived=True, limit=1000,
                                             cursor=cursor)
        except SlackApiError as exc:
            logger.info("conversations.list failed: %s", exc.response.get("error"))
            return None
        for channel in page.get("channels") or []:
            if str(channel.get("name", "")).lower() == wanted:
                return str(channel["id"])
        cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return None
    return None
