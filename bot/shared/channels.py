"""Conversations as commands name them and as posts check them: mentions, DMs, channels shared with other
organisations."""

from __future__ import annotations

import re

from slack_sdk import WebClient

from bot.directory import is_shared_externally

CHANNEL = re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^>]*)?>")  # a mention Slack escaped: <#C0123|growth>
PLAIN_CHANNEL = re.compile(r"(?:^|\s)#([a-z0-9_\-]+)")  # #growth typed where Slack did not escape it


def is_dm(channel_id: str | None) -> bool:
    return channel_id is None or channel_id.startswith("D")


def externally_shared(client: WebClient, channel_id: str) -> bool:
    """KPIs never go where other organisations read. Raises SlackApiError when the channel cannot be looked up."""
    return is_shared_externally(client.conversations_info(channel=channel_id)["channel"])
