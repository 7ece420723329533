""""Pin a KPI" on the App Home opens a modal listing the catalog (no database: the catalog is in memory)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.home.view import pin_modal
from bot.services import services_of


def home_add_pin(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    ack()
    services = services_of(context)
    trigger_id = body["trigger_id"]
    # views.open must happen within 3 s of the click (trigger_id): its own pool, not behind answers.
    services.urgent.submit(lambda: client.views_open(trigger_id=trigger_id, view=pin_modal(services.catalog())))
