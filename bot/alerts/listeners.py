"""Bolt registration for alerts: the Snooze buttons under an alert (the work: bot.alerts.snooze)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.alerts.ids import SNOOZE_PATTERN
from bot.conversation.asker import asker_from
from bot.handoff import hand_off
from bot.jobs import SnoozeWork


def register(app: App) -> None:
    app.action(SNOOZE_PATTERN)(snooze_alert)


def snooze_alert(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
    ack()
    channel_id = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    message_ts = (body.get("container") or {}).get("message_ts") or (body.get("message") or {}).get("ts")
    asker = asker_from(context, body["user"]["id"], channel_id)
    hand_off(context, SnoozeWork(asker, str(action.get("value") or ""), message_ts, body.get("response_url")))
