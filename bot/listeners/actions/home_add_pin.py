""""Pin a KPI" on the App Home opens a modal listing the catalog (the runner's "now" lane: views.open must
happen within 3 s of the click)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.handoff import hand_off
from bot.jobs import PinModalWork


def home_add_pin(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    hand_off(context, PinModalWork(body["trigger_id"]))
