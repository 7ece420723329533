""""Unpin" on the App Home."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.handoff import hand_off
from bot.jobs import UnpinWork
from bot.listeners.actions.common import clicker


def home_unpin(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
    ack()
    hand_off(context, UnpinWork(clicker(body, context), str(action.get("value") or "")))
