"""Small Block Kit helpers: escaped, length-capped text objects and the blocks we use most."""

from __future__ import annotations

import re
from typing import Any

Block = dict[str, Any]

SECTION_TEXT_LIMIT = 3000
HEADER_LIMIT = 150
CONTEXT_TEXT_LIMIT = 2000
BUTTON_TEXT_LIMIT = 75
OPTION_TEXT_LIMIT = 75
ALT_TEXT_LIMIT = 2000
MESSAGE_BLOCK_LIMIT = 50


def escape(text: str) -> str:
    """Slack mrkdwn control characters: &, <, > (anything else is literal)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain(text: str, limit: int = SECTION_TEXT_LIMIT) -> dict[str, Any]:
    return {"type": "plain_text", "text": cut(text, limit) or " ", "emoji": True}


def mrkdwn(text: str, limit: int = SECTION_TEXT_LIMIT) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": cut(text, limit) or " "}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, HEADER_LIMIT)}


def section(text: str, *, block_id: str | None = None) -> Block:
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if block_id:
        block["block_id"] = str(block_id)
    return block


def context(*texts: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(t, CONTEXT_TEXT_LIMIT) for t in texts if t][:10]}


def divider() -> Block:
    return {"type": "divider"}


def code_block(text: str, limit: int = SECTION_TEXT_LIMIT, *, title: str = "") -> str:
    """Raw `text` escaped in ``` fences, the whole (with the mrkdwn `title`) within `limit` characters."""
    prefix = f"{title}\n" if title else ""
    room = limit - len(prefix) - 8
    body = escape(text)
    if len(body) > room:
        body = re.sub(r"&[a-z]*$", "", body[: room - 2]) + "\n…"
    return f"{prefix}```{body}```"


def button(text: str, action_id: str, value: str, *, style: str | None = None) -> Block:
    element: Block = {"type": "button", "text": plain(text, BUTTON_TEXT_LIMIT), "action_id": str(action_id),
                      "value": value}
    if style:
        element["style"] = style
    return element


def option(text: str, value: str) -> Block:
    return {"text": plain(text, OPTION_TEXT_LIMIT), "value": value[:150]}
