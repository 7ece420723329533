"""Action, block and callback ids of the survey messages and modal (the bot's listeners match on these)."""

from __future__ import annotations

import re
from enum import StrEnum

SCORE_ACTION_PREFIX = "survey.score."
SCORE_ACTION = re.compile(r"^survey\.score\.\d+$")
MESSAGE_EVENT_TYPE = "kpibot_survey"  # message metadata: finds a posted survey again after a crash


class SurveyActionId(StrEnum):
    COMMENT = "survey.comment"
    CHANGE = "survey.change"
    COMMENT_TEXT = "survey.comment_text"


class SurveyBlockId(StrEnum):
    QUESTION = "survey.question"
    SCORES = "survey.scores"
    ANCHORS = "survey.anchors"
    FOOTER = "survey.footer"
    THANKS = "survey.thanks"
    THANKS_ACTIONS = "survey.thanks_actions"
    COMMENT = "survey.comment"


class SurveyCallbackId(StrEnum):
    COMMENT_MODAL = "survey.comment_modal"


def score_action_id(score: int) -> str:
    return f"{SCORE_ACTION_PREFIX}{score}"


def score_of(action_id: str) -> int:
    return int(action_id.removeprefix(SCORE_ACTION_PREFIX))
