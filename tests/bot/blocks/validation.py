"""Checks a list of Block Kit dicts against slack_sdk's models and Slack's limits (SLACK_NOTES)."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.blocks import Block


def _texts(node: Any, path: str = "") -> list[tuple[str, str]]:
    """Every (path, text) of text objects, recursively."""
    out: list[tuple[str, str]] = []
    if isinstance(node, dict):
        if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str):
            out.append((path, node["text"]))
        for key, value in node.items():
            out += _texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _texts(value, f"{path}[{i}]")
    return out


def assert_valid_blocks(blocks: list[dict[str, Any]], *, max_blocks: int = 50) -> None:
    assert 0 < len(blocks) <= max_blocks
    json.dumps(blocks)  # plain JSON: no enums or dates left in
    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    assert len(block_ids) == len(set(block_ids)), "block ids must be unique in a message"
    for block in blocks:
        model = Block.parse(block)
        assert model is not None, f"unknown block {block}"
        model.validate_json()
        model.to_dict()  # validates nested elements too
        assert len(block.get("block_id", "")) <= 255
        kind = block["type"]
        if kind == "header":
            assert len(block["text"]["text"]) <= 150
        if kind == "section":
            assert len(block.get("text", {}).get("text", "")) <= 3000
            assert len(block.get("fields", [])) <= 10
            assert all(len(f["text"]) <= 2000 for f in block.get("fields", []))
        if kind == "context":
            assert 1 <= len(block["elements"]) <= 10
        if kind == "actions":
            assert len(block["elements"]) <= 25
            action_ids = [e["action_id"] for e in block["elements"]]
            assert len(action_ids) == len(set(action_ids))
            for element in block["elements"]:
                assert len(element["action_id"]) <= 255
                if element["type"] == "button":
                    assert len(element["text"]["text"]) <= 75
                    assert len(element["value"]) <= 2000
                if element["type"] == "static_select":
                    assert 1 <= len(element["options"]) <= 100
                    assert all(len(o["value"]) <= 150 and len(o["text"]["text"]) <= 75 for o in element["options"])
        for path, text in _texts(block):
            assert text.strip(), f"empty text at {path}"
