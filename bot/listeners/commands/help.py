"""`/kpi` alone, `/kpi help` or `/kpi ?`: answered in the ack itself (neither the database nor Slack's API)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack

from bot.blocks import help_blocks

TEXTS = ("", "help", "?")


def is_help(command: dict[str, Any]) -> bool:
    return " ".join(str(command.get("text") or "").split()).lower() in TEXTS


def kpi_help(ack: Ack) -> None:
    ack(text="How to ask KPI Bot", blocks=help_blocks(), response_type="ephemeral")
