"""What buttons carry: the question and its query, compactly, so a click can be answered without state.

Button values hold up to 2,000 characters; a select's option values only 150, so the "Break down by"
select carries the dimension and the actions block's id (255) carries the query.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

from bot.blocks.ids import BlockId
from kpi_engine.query import FunnelQuery, MetricQuery, MovementsQuery, Query, RetentionQuery

AnyQuery = MetricQuery | MovementsQuery | FunnelQuery | RetentionQuery
BUTTON_VALUE_LIMIT = 2000
BLOCK_ID_LIMIT = 255
_QUERY = TypeAdapter(Query)


@dataclass(frozen=True)
class AnswerRef:
    question: str
    query: AnyQuery | None


def query_json(query: AnyQuery) -> dict[str, Any]:
    return {"kind": query.kind, **query.model_dump(mode="json", exclude_defaults=True)}


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def encode_ref(question: str, query: AnyQuery | None, *, limit: int = BUTTON_VALUE_LIMIT) -> str:
    """`{"q": question, "query": {...}}` within `limit` characters: the question is cut first, then the query."""
    data: dict[str, Any] = {"q": question}
    if query is not None:
        data["query"] = query_json(query)
    text = _dumps(data)
    if len(text) <= limit:
        return text
    overflow = len(text) - limit
    data["q"] = question[: max(len(question) - overflow, 0)]
    text = _dumps(data)
    if len(text) <= limit:
        return text
    return _dumps({"q": question[: max(limit - 10, 0)]})[:limit]


def decode_ref(value: str) -> AnswerRef:
    """Never raises: anything unreadable comes back as a question to re-ask."""
    try:
        data = json.loads(value)
    except ValueError:
        return AnswerRef(value, None)
    if not isinstance(data, dict):
        return AnswerRef(value, None)
    query = None
    if isinstance(data.get("query"), dict):
        try:
            query = _QUERY.validate_python(data["query"])
        except ValidationError:
            query = None
    return AnswerRef(str(data.get("q", "")), query)


def block_ref(query: AnyQuery | None) -> str:
    """The actions block id: `answer.actions:{query}` when the query fits in 255 characters."""
    prefix = f"{BlockId.ANSWER_ACTIONS}:"
    if query is None:
        return str(BlockId.ANSWER_ACTIONS)
    text = _dumps(query_json(query))
    return prefix + text if len(prefix) + len(text) <= BLOCK_ID_LIMIT else str(BlockId.ANSWER_ACTIONS)


def decode_block_ref(block_id: str) -> AnyQuery | None:
    prefix = f"{BlockId.ANSWER_ACTIONS}:"
    if not block_id.startswith(prefix):
        return None
    try:
        return _QUERY.validate_json(block_id[len(prefix):])
    except ValidationError:
        return None
