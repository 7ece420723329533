"""The Slack Web API calls the survey sender makes, with 429 handling and the sending pace.

Reads (users.info, lookups, member lists) wait out a 429 and retry. A post that Slack answered with 429 was not
posted: `RateLimited` tells the sender to pause and try later. The client has no automatic retries, so a
message is never re-posted behind our back (a lost connection leaves the delivery claimed, checked later).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.surveys.pacing import Pacer
from surveys.block_ids import MESSAGE_EVENT_TYPE

logger = logging.getLogger(__name__)
MAX_READ_RETRIES = 6
PAGE = 200


class RateLimited(Exception):
    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited for {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class PersonFacts:
    user_id: str
    tz: str | None
    is_bot: bool
    deleted: bool


def retry_after_of(error: SlackApiError) -> float | None:
    if error.response is None or error.response.status_code != 429:
        return None
    headers = error.response.headers or {}
    value = headers.get("Retry-After") or headers.get("retry-after") or 1
    if isinstance(value, list):
        value = value[0]
    try:
        return float(value)
    except (TypeError, ValueError):
        return 1.0


def error_code(error: SlackApiError) -> str:
    return str((error.response or {}).get("error") or f"http_{getattr(error.response, 'status_code', '?')}")


def sending_client(client: WebClient) -> WebClient:
    """A copy of the app's client without retry handlers (Bolt's 429 handler would sleep outside our pacer)."""
    return WebClient(token=client.token, base_url=client.base_url, timeout=client.timeout, retry_handlers=[])


class SurveySlack:
    def __init__(self, client: WebClient, pacer: Pacer) -> None:
        self.client = client
        self.pacer = pacer

    def _read(self, call: Callable[..., SlackResponse], **kwargs: Any) -> SlackResponse:
        for _ in range(MAX_READ_RETRIES):
            self.pacer.wait_pause()
            try:
                return call(**kwargs)
            except SlackApiError as exc:
                retry_after = retry_after_of(exc)
                if retry_after is None:
                    raise
                logger.info("429 on %s: waiting %s s", getattr(call, "__name__", "call"), retry_after)
                self.pacer.pause(retry_after)
        return call(**kwargs)

    # people and audiences ------------------------------------------------------------------------------
    def person(self, user_id: str) -> PersonFacts | None:
        """None when Slack will not describe the person (e.g. some Slack Connect users)."""
        try:
            user = self._read(self.client.users_info, user=user_id)["user"]
        except SlackApiError as exc:
            logger.info("users.info %s: %s", user_id, error_code(exc))
            return None
        return PersonFacts(user_id, user.get("tz"), bool(user.get("is_bot") or user.get("is_app_user")),
                           bool(user.get("deleted")))

    def user_by_email(self, email: str) -> str | None:
        try:
            return str(self._read(self.client.users_lookupByEmail, email=email)["user"]["id"])
        except SlackApiError as exc:
            logger.info("users.lookupByEmail %s: %s", email, error_code(exc))
            return None

    def group_members(self, group_id: str) -> list[str]:
        return [str(u) for u in self._read(self.client.usergroups_users_list, usergroup=group_id)["users"]]

    def channel_members(self, channel_id: str) -> list[str]:
        members: list[str] = []
        cursor: str | None = None
        while True:
            page = self._read(self.client.conversations_members, channel=channel_id, limit=PAGE, cursor=cursor)
            members += [str(m) for m in page["members"]]
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                return members

    # messages -------------------------------------------------------------------------------------------
    def open_dm(self, user_id: str) -> str:
        return str(self._read(self.client.conversations_open, users=user_id)["channel"]["id"])

    def post(self, channel: str, *, text: str, blocks: list[dict[str, Any]], metadata: dict[str, Any]) -> str:
        self.pacer.wait_turn(channel)
        try:
            response = self.client.chat_postMessage(channel=channel, text=text, blocks=blocks, metadata=metadata,
                                                    unfurl_links=False, unfurl_media=False)
        except SlackApiError as exc:
            retry_after = retry_after_of(exc)
            if retry_after is not None:
                self.pacer.pause(retry_after)
                raise RateLimited(retry_after) from exc
            raise
        return str(response["ts"])

    def update(self, channel: str, ts: str, *, text: str, blocks: list[dict[str, Any]]) -> None:
        self._read(self.client.chat_update, channel=channel, ts=ts, text=text, blocks=blocks)

    def find_posted(self, channel: str, delivery_id: str, oldest: float) -> str | None:
        """The ts of a survey message for this delivery posted since `oldest` (epoch seconds), if Slack has one."""
        cursor: str | None = None
        while True:
            page = self._read(self.client.conversations_history, channel=channel, oldest=f"{oldest:.6f}",
                              include_all_metadata=True, limit=PAGE, cursor=cursor)
            for message in page.get("messages") or []:
                metadata = message.get("metadata") or {}
                payload = metadata.get("event_payload") or {}
                if metadata.get("event_type") == MESSAGE_EVENT_TYPE and payload.get("delivery_id") == delivery_id:
                    return str(message["ts"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                return None
