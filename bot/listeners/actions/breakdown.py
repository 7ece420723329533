""""Break down by": the dimension comes in the selected option, the query in the actions block's id."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot.blocks.payload import decode_block_ref
from bot.jobs import Ask
from bot.listeners.actions.common import answer_privately, clicker
from bot.posting import respond_with
from kpi_engine.answers.followups import breakdown_query
from kpi_engine.query import MetricQuery


def breakdown(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
              respond: Respond) -> None:
    ack()
    dimension = str((action.get("selected_option") or {}).get("value") or "")
    query = decode_block_ref(action.get("block_id") or "")
    if not isinstance(query, MetricQuery) or not dimension:
        respond_with(respond, text=f"Please ask again with “by {dimension or 'plan'}” at the end of your question.")
        return
    question = f"{query.metric} by {dimension.replace('_', ' ')}"
    answer_privately(Ask(question=question, source="action", asker=clicker(body, context),
                         query=breakdown_query(query, dimension)), body, context)
