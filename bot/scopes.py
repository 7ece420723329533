"""The bot token scopes the app needs (least privilege); manifest.yml lists exactly these (a test checks)."""

from __future__ import annotations

BOT_SCOPES: tuple[str, ...] = (
    "app_mentions:read",  # app_mention events
    "channels:history",  # message.channels events: follow-ups replied in the thread of an answer (public channels)
    "channels:read",  # conversations.info: is a public channel shared with another organisation?
    "chat:write",  # answers, shares, notices
    "commands",  # /kpi
    "files:write",  # charts and sparklines (files_upload_v2)
    "groups:history",  # message.groups events: the same in private channels the bot is in
    "groups:read",  # conversations.info for private channels the bot is in
    "im:history",  # message.im events: questions in the bot's DMs
    "im:write",  # conversations.open: surveys by DM, DM digests, notices to digest creators
    "usergroups:read",  # usergroups.users.list: send a survey to a user group
    "users:read",  # users.info: workspace member, guest or stranger? (and time zones for quiet hours)
    "users:read.email",  # users.lookupByEmail: send a survey to an email address
)
