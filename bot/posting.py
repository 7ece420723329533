"""Posting, uploading and publishing, with Slack's errors translated into instructions for people.

Charts: a message in a conversation gets its chart uploaded into that conversation (files_upload_v2 with
channel and thread). An ephemeral answer gets the chart uploaded without a channel and shown through an
image block with `slack_file`; if Slack refuses that block, the answer goes out without the picture.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

logger = logging.getLogger(__name__)

Blocks = Sequence[dict[str, Any]]

ADVICE: dict[str, str] = {
    "not_in_channel": "I'm not a member of this channel yet. Invite me with `/invite @KPI Bot` and try again.",
    "channel_not_found": (
        "I can't see this channel (it may be private). Invite me with `/invite @KPI Bot`, "
        "or ask me in a direct message."
    ),
    "is_archived": "This channel is archived, so I can't post in it.",
    "restricted_action": "Posting in this channel is restricted by a workspace admin.",
    "cannot_dm_bot": "I can't send direct messages to other bots.",
    "invalid_user_combination": (
        "I can't message this person directly because we don't share a channel. Invite me to a channel you share."
    ),
    "msg_too_long": "The answer was too long for one Slack message. Try a narrower question.",
}


class PostRefused(Exception):
    """Slack refused a post for a reason the person can fix; `advice` says how."""

    def __init__(self, code: str, advice: str) -> None:
        super().__init__(code)
        self.code = code
        self.advice = advice


def error_code(error: Exception) -> str:
    """Slack's error code (`not_in_channel`, `ratelimited`, ...) or the exception's name."""
    if isinstance(error, PostRefused):
        return error.code
    if isinstance(error, SlackApiError):
        return str(error.response.get("error") or "slack_api_error")
    return type(error).__name__


def translate(error: SlackApiError) -> Exception:
    code = str(error.response.get("error") or "")
    if code in ADVICE:
        return PostRefused(code, ADVICE[code])
    return error


def post_message(client: WebClient, channel: str, *, text: str, blocks: Blocks | None = None,
                 thread_ts: str | None = None, metadata: dict[str, Any] | None = None) -> str:
    """Returns the message ts. `metadata` (event_type, event_payload) lets a restart find the message again."""
    try:
        response = client.chat_postMessage(channel=channel, text=text, blocks=list(blocks) if blocks else None,
                                           thread_ts=thread_ts, unfurl_links=False, unfurl_media=False,
                                           metadata=metadata)
    except SlackApiError as exc:
        raise translate(exc) from exc
    return str(response["ts"])


def post_ephemeral(client: WebClient, channel: str, user: str, *, text: str, blocks: Blocks | None = None,
                   thread_ts: str | None = None) -> None:
    try:
        client.chat_postEphemeral(channel=channel, user=user, text=text, blocks=list(blocks) if blocks else None,
                                  thread_ts=thread_ts)
    except SlackApiError as exc:
        raise translate(exc) from exc


def upload_png(client: WebClient, png: bytes, *, title: str, alt_text: str, channel: str | None = None,
               thread_ts: str | None = None) -> str:
    """files_upload_v2 (getUploadURLExternal → POST bytes → completeUploadExternal); returns the file id."""
    try:
        response = client.files_upload_v2(content=png, filename="chart.png", title=title[:250], alt_txt=alt_text[:1000],
                                          channel=channel, thread_ts=thread_ts)
    except SlackApiError as exc:
        raise translate(exc) from exc
    return str(response["files"][0]["id"])


def respond_with(respond: Respond, *, text: str, blocks: Blocks | None = None, in_channel: bool = False,
                 replace_original: bool = False) -> bool:
    """Through the response_url (works even where the bot is not a member). True when Slack accepted it."""
    response = respond(text=text, blocks=list(blocks) if blocks else None,
                       response_type="in_channel" if in_channel else "ephemeral",
                       replace_original=replace_original)
    if response.status_code != 200:
        logger.info("response_url refused the message (%s): %s", response.status_code, response.body)
        return False
    return True


def publish_home(client: WebClient, user_id: str, view: dict[str, Any]) -> None:
    client.views_publish(user_id=user_id, view=view)
