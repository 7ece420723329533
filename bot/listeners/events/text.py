"""What a person typed, without the bot's mention."""

from __future__ import annotations

import re

MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")


def question_text(text: str, bot_user_id: str | None) -> str:
    without_bot = MENTION.sub(lambda m: "" if bot_user_id is None or m.group(1) == bot_user_id else m.group(0), text)
    return " ".join(without_bot.split())
