"""The "Pin a KPI" modal was submitted: close it at once, pin on a worker, refresh the App Home."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.conversation.asker import asker_from
from bot.handoff import hand_off
from bot.home.ids import PIN_METRIC_BLOCK, HomeActionId
from bot.jobs import PinWork


def selected_metric(view: dict[str, Any]) -> str | None:
    value = view.get("state", {}).get("values", {}).get(PIN_METRIC_BLOCK, {}).get(HomeActionId.PIN_METRIC_SELECT.value)
    option = (value or {}).get("selected_option") or {}
    return option.get("value")


def pin_modal_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    metric_id = selected_metric(view)
    if not metric_id:
        ack(response_action="errors", errors={PIN_METRIC_BLOCK: "Choose a metric to pin."})
        return
    ack()
    hand_off(context, PinWork(asker_from(context, body["user"]["id"], None), metric_id, metric_id))
