"""Opening the App Home refreshes it: pinned KPIs with today's values and sparklines."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot.conversation.asker import asker_from
from bot.handoff import hand_off
from bot.jobs import HomeWork


def app_home_opened(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
    if event.get("tab") != "home":
        return
    hand_off(context, HomeWork(asker_from(context, event["user"], None)), once_key=f"event:{body['event_id']}")
