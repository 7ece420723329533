"""`/kpi digest …`: weekly KPI digests in a channel or DM (add, list, preview, send, remove)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.digests.commands import handle_digest_command
from bot.listeners.commands.common import hand_off_subcommand

WORDS = ("digest", "digests")


def kpi_digest(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    hand_off_subcommand(ack, command, context, handle_digest_command)
