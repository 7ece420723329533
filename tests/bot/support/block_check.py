"""Everything the bot sent, validated with slack_sdk's Block Kit models (limits included)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from tests.bot.support.fake_slack import Call, FakeSlack

MESSAGE_METHODS = ("chat.postMessage", "chat.postEphemeral", "chat.update", "response_url")
VIEW_METHODS = ("views.publish", "views.open", "views.update")


def _decoded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def message_blocks(call: Call) -> list[dict[str, Any]]:
    return _decoded(call.params.get("blocks")) or []


def view_of(call: Call) -> dict[str, Any]:
    return _decoded(call.params.get("view")) or {}


def validate_blocks(blocks: list[dict[str, Any]], *, limit: int = 50) -> None:
    assert len(blocks) <= limit, f"{len(blocks)} blocks, Slack allows {limit}"
    for raw in blocks:
        block = Block.parse(raw)
        assert block is not None, f"unknown block type: {raw.get('type')}"
        block.validate_json()


def validate_view(view: dict[str, Any]) -> None:
    View(**view).validate_json()
    validate_blocks(view.get("blocks", []), limit=100)
    assert len(json.dumps(view)) < 250_000


def validate_everything_sent(fake: FakeSlack) -> int:
    """Validates every message and view the fake received; returns how many there were."""
    count = 0
    for call in fake.calls():
        if call.method in MESSAGE_METHODS and call.params.get("blocks"):
            validate_blocks(message_blocks(call))
            count += 1
        elif call.method in VIEW_METHODS:
            validate_view(view_of(call))
            count += 1
    return count


def action_ids(blocks: list[dict[str, Any]]) -> Iterator[str]:
    for block in blocks:
        for element in [block.get("accessory"), *(block.get("elements") or []), block.get("element")]:
            if isinstance(element, dict) and element.get("action_id"):
                yield element["action_id"]


def texts(blocks: list[dict[str, Any]]) -> str:
    """All the words in the blocks, for asserting what a person reads."""
    return json.dumps(blocks, ensure_ascii=False)
