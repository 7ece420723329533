"""What Slack says about a user or a channel (users.info, conversations.info), cached for a while."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

logger = logging.getLogger(__name__)

Value = TypeVar("Value")


@dataclass(frozen=True)
class UserFacts:
    user_id: str
    team_id: str | None
    enterprise_id: str | None
    is_guest: bool  # is_restricted (multi-channel) or is_ultra_restricted (single-channel)
    is_stranger: bool  # from another organisation (Slack Connect)
    is_bot: bool
    deleted: bool


@dataclass(frozen=True)
class ChannelFacts:
    channel_id: str
    externally_shared: bool  # is_ext_shared, or an invitation to share is pending


def is_shared_externally(channel: dict[str, Any]) -> bool:
    """A conversations.info `channel`: shared with another organisation, or an invitation to share is pending."""
    return bool(channel.get("is_ext_shared") or channel.get("is_pending_ext_shared"))


class TtlCache(Generic[Value]):
    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._seconds = seconds
        self._clock = clock
        self._items: dict[tuple[str, ...], tuple[float, Value]] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple[str, ...]) -> Value | None:
        with self._lock:
            item = self._items.get(key)
            if item is None or item[0] < self._clock():
                return None
            return item[1]

    def put(self, key: tuple[str, ...], value: Value) -> None:
        with self._lock:
            self._items[key] = (self._clock() + self._seconds, value)


class SlackDirectory:
    """users.info and conversations.info answers per installing team. Failures are not cached."""

    def __init__(self, cache_seconds: float) -> None:
        self._users: TtlCache[UserFacts | None] = TtlCache(cache_seconds)
        self._channels: TtlCache[ChannelFacts | None] = TtlCache(cache_seconds)

    def user(self, client: WebClient, team_id: str | None, user_id: str) -> UserFacts | None:
        """None when Slack will not describe the user to us (e.g. user_not_found for strangers)."""
        key = (team_id or "", user_id)
        cached = self._users.get(key)
        if cached is not None:
            return cached
        try:
            user = client.users_info(user=user_id)["user"]
        except SlackApiError as exc:
            logger.info("users.info %s failed: %s", user_id, exc.response.get("error"))
            return None
        facts = UserFacts(
            user_id=user_id,
            team_id=user.get("team_id"),
            enterprise_id=(user.get("enterprise_user") or {}).get("enterprise_id"),
            is_guest=bool(user.get("is_restricted") or user.get("is_ultra_restricted")),
            is_stranger=bool(user.get("is_stranger")),
            is_bot=bool(user.get("is_bot") or user.get("is_app_user")),
            deleted=bool(user.get("deleted")),
        )
        self._users.put(key, facts)
        return facts

    def channel(self, client: WebClient, team_id: str | None, channel_id: str) -> ChannelFacts | None:
        """None when the channel cannot be looked up (private and the bot is not in it, missing scope)."""
        key = (team_id or "", channel_id)
        cached = self._channels.get(key)
        if cached is not None:
            return cached
        try:
            channel = client.conversations_info(channel=channel_id)["channel"]
        except SlackApiError as exc:
            logger.info("conversations.info %s failed: %s", channel_id, exc.response.get("error"))
            return None
        facts = ChannelFacts(
            channel_id=channel_id,
            externally_shared=is_shared_externally(channel),
        )
        self._channels.put(key, facts)
        return facts
