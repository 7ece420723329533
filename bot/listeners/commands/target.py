"""`/kpi target …`: the targets digests and answers compare against (set, list, remove), guarded by access."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.listeners.commands.common import hand_off_subcommand
from bot.targets.access import guarded_target_command

WORDS = ("target", "targets")


def kpi_target(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    hand_off_subcommand(ack, command, context, guarded_target_command)
