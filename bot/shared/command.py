"""What the digest, alert and target commands share: who asks from where, the reply, and small helpers.

The same handlers serve `/kpi digest|alert|target ...` (Slack) and `kpibot digest|alert ...` (CLI, no client).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from bot.access_groups import GroupRules
from bot.conversation.reply import Chart
from bot.shared.channels import externally_shared
from bot.shared.slack_clients import channel_id_by_name
from kpi_engine.catalog import Catalog
from kpi_engine.settings import Settings

Block = dict[str, Any]


@dataclass(frozen=True)
class CommandContext:
    engine: Engine
    settings: Settings
    catalog: Catalog
    user_id: str
    channel_id: str | None
    team_id: str | None
    now: datetime  # naive UTC
    client: WebClient | None = None  # None from the CLI
    rules: GroupRules = field(default_factory=GroupRules)

    @property
    def in_dm(self) -> bool:
        return self.channel_id is not None and self.channel_id.startswith("D")


@dataclass(frozen=True)
class CommandReply:
    text: str  # mrkdwn; also what the CLI prints
    blocks: list[Block] | None = None
    chart: Chart | None = None  # shown in the blocks through `build(file_id)`
    build: Callable[[str | None], list[Block]] | None = None  # blocks showing the uploaded chart (file id)

    def blocks_for(self, file_id: str | None) -> list[Block]:
        if self.build is not None:
            return list(self.build(file_id))
        return list(self.blocks or [{"type": "section", "text": {"type": "mrkdwn", "text": self.text[:3000]}}])


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def split_first(text: str) -> tuple[str, str]:
    """`add in #growth mrr` → ("add", "in #growth mrr")."""
    parts = text.strip().split(None, 1)
    if not parts:
        return "", ""
    return parts[0].lower(), parts[1] if len(parts) > 1 else ""


def parse_id(text: str) -> int | None:
    token = text.strip().lstrip("#")
    return int(token) if token.isdigit() else None


def where(channel_id: str | None) -> str:
    if channel_id is None or channel_id.startswith("D"):
        return "a DM"
    return f"<#{channel_id}>"


def postable_channel(ctx: CommandContext, channel_id: str | None, channel_name: str | None, missing: str,
                     error: type[ValueError]) -> str:
    """Where a digest or alert goes: the channel given by id or by name, else the one the command came from.

    Raises `error` with what to do instead: `missing` when there is none, or when the channel cannot be
    found, is shared with another organisation (no KPIs there) or is out of the bot's sight. DMs pass.
    """
    if channel_id is None and channel_name is not None:
        channel_id = channel_id_by_name(ctx.client, channel_name) if ctx.client is not None else None
        if channel_id is None:
            raise error(f"I can't find #{channel_name}. Pick the channel from Slack's autocomplete.")
    channel_id = channel_id or ctx.channel_id
    if channel_id is None:
        raise error(missing)
    if ctx.client is not None and not channel_id.startswith("D"):
        try:
            if externally_shared(ctx.client, channel_id):
                raise error(f"{where(channel_id)} is shared with another organisation; I don't post KPIs there.")
        except SlackApiError as exc:
            raise error(f"I can't see {where(channel_id)}. Invite me with `/invite @KPI Bot` first.") from exc
    return channel_id
