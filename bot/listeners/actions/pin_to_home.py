""""Pin to Home" under an answer: the metric joins the person's App Home (after the same access checks)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.blocks.payload import decode_ref
from bot.handoff import hand_off
from bot.jobs import PinWork
from bot.listeners.actions.common import clicker
from kpi_engine.query import MetricQuery


def pin_to_home(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
    ack()
    ref = decode_ref(action.get("value") or "")
    metric_id = ref.query.metric if isinstance(ref.query, MetricQuery) else None
    hand_off(context, PinWork(clicker(body, context), metric_id or ref.question, ref.question,
                              response_url=body.get("response_url")))
