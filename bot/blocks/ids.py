"""Every action id and block id of the Block Kit we send, in one place (listeners match on these)."""

from __future__ import annotations

import re
from enum import StrEnum


class ActionId(StrEnum):
    SHARE_ANSWER = "answer.share"
    BREAKDOWN = "answer.breakdown"
    TREND = "answer.trend"
    HOW_COMPUTED = "answer.how_computed"
    PIN_TO_HOME = "answer.pin_home"
    ASK_SUGGESTION = "answer.suggestion"  # numbered: answer.suggestion.0, .1, … (ids are unique per block)


class BlockId(StrEnum):
    ANSWER_HEADLINE = "answer.headline"
    ANSWER_ACTIONS = "answer.actions"  # followed by ":" and the compact query (see payload.block_ref)
    ANSWER_CHART = "answer.chart"
    SUGGESTIONS = "answer.suggestions"


SUGGESTION_ACTION = re.compile(r"^answer\.suggestion\.\d+$")


def suggestion_action_id(index: int) -> str:
    return f"{ActionId.ASK_SUGGESTION}.{index}"
