"""`/kpi alert …`: alert rules on a KPI (add, list, remove, …)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.alerts.commands import handle_alert_command
from bot.listeners.commands.common import hand_off_subcommand

WORDS = ("alert", "alerts")


def kpi_alert(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    hand_off_subcommand(ack, command, context, handle_alert_command)
