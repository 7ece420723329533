""""Refresh" on the App Home."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.handoff import hand_off
from bot.jobs import HomeWork
from bot.listeners.actions.common import clicker


def home_refresh(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    hand_off(context, HomeWork(clicker(body, context)))
