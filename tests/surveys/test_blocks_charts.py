"""Survey Block Kit (validated against slack_sdk's models and Slack's limits), the modal, and the chart."""

from __future__ import annotations

import io
from datetime import datetime

from PIL import Image
from slack_sdk.models.views import View

from surveys.account_context import AccountContext
from surveys.answers import Answer
from surveys.block_ids import SCORE_ACTION, SurveyActionId, score_of
from surveys.blocks import (
    comment_from_view,
    comment_modal,
    message_metadata,
    survey_blocks,
    survey_text,
    thanks_blocks,
)
from surveys.campaigns import Campaign
from surveys.charts import distribution_chart, distribution_data
from surveys.kinds import NPS
from surveys.result_blocks import alert_blocks, results_blocks
from surveys.results import CampaignResults, summarize
from tests.bot.blocks.validation import assert_valid_blocks

T0 = datetime(2026, 3, 2, 10, 0)


def campaign(**overrides: object) -> Campaign:
    values = dict(campaign_id="nps-20260302-abcdef", survey="nps", question="How likely are you to recommend Acme?",
                  follow_up="What's the main reason for your score?", anonymous=False, topic=None, team_id="T1",
                  created_by="U0ADMIN", created_at=T0, expires_at=datetime(2026, 3, 16, 10), post_in_channel=None,
                  audience="<@U1>", unresolved=None, status="active")
    values.update(overrides)
    return Campaign(**values)  # type: ignore[arg-type]


def test_survey_message_has_one_bound_button_per_score() -> None:
    blocks = survey_blocks(campaign(), "nps-20260302-abcdef.0123")
    assert_valid_blocks(blocks)
    buttons = blocks[1]["elements"]
    assert [b["text"]["text"] for b in buttons] == [str(s) for s in range(11)]
    assert all(SCORE_ACTION.match(b["action_id"]) and b["value"] == "nps-20260302-abcdef.0123" for b in buttons)
    assert [score_of(b["action_id"]) for b in buttons] == list(range(11))
    assert blocks[2]["elements"][0]["text"] == "0 = Not at all likely · 10 = Extremely likely"
    assert blocks[3]["elements"][0]["text"] == "Open until Mar 16."
    anonymous = survey_blocks(campaign(anonymous=True, survey="ces"), "d", addressee="U1", reminder=True)
    assert_valid_blocks(anonymous)
    assert anonymous[0]["text"]["text"].startswith("<@U1>, A gentle reminder")
    assert len(anonymous[1]["elements"]) == 7 and "not stored" in anonymous[3]["elements"][0]["text"]
    assert survey_text(campaign(), reminder=True) == "Reminder: How likely are you to recommend Acme?"
    assert message_metadata(campaign(), "d1") == {"event_type": "kpibot_survey", "event_payload": {
        "delivery_id": "d1", "campaign_id": "nps-20260302-abcdef"}}


def test_thanks_replaces_the_buttons() -> None:
    answer = Answer(9, "Great\nsupport", T0)
    blocks = thanks_blocks(campaign(), "d1", answer)
    assert_valid_blocks(blocks)
    assert "You answered *9*" in blocks[0]["text"]["text"] and "> Great\n> support" in blocks[0]["text"]["text"]
    assert [e["action_id"] for e in blocks[1]["elements"]] == [SurveyActionId.COMMENT, SurveyActionId.CHANGE]
    assert blocks[1]["elements"][0]["text"]["text"] == "Edit your comment"
    hidden = thanks_blocks(campaign(follow_up=None), "d1", answer, show_score=False, addressee="U1")
    assert_valid_blocks(hidden)
    assert "9" not in hidden[0]["text"]["text"] and len(hidden[1]["elements"]) == 1


def test_comment_modal_round_trip() -> None:
    modal = comment_modal(campaign(), "d1", "before")
    View(**modal).validate_json()
    assert modal["private_metadata"] == "d1" and len(modal["title"]["text"]) <= 24
    assert modal["blocks"][0]["element"]["initial_value"] == "before"
    state = {"state": {"values": {"survey.comment": {"survey.comment_text": {"type": "plain_text_input",
                                                                               "value": "Because"}}}}}
    assert comment_from_view(state) == "Because"
    assert comment_from_view({}) == ""


def results() -> CampaignResults:
    return CampaignResults(campaign(), summarize(NPS, {10: 6, 9: 2, 7: 1, 3: 1}), 20, 10, [], 0, [])


def test_results_and_alert_blocks() -> None:
    assert_valid_blocks(results_blocks(results(), min_group_size=5, file_id="F1"))
    context = AccountContext("acc-1", "Acme", "pro", 1200.0, 2)
    blocks = alert_blocks(campaign(), Answer(3, "Slow", T0), "U1", context, "$")
    assert_valid_blocks(blocks)
    assert "Account: *Acme* (acc-1) · plan *pro* · MRR *$1,200* · open tickets *2*" in blocks[1]["text"]["text"]
    anonymous = alert_blocks(campaign(), Answer(3, None, T0), None, None, "$")
    assert "anonymous respondent" in anonymous[0]["text"]["text"] and "not linked" in anonymous[1]["text"]["text"]


def test_distribution_chart() -> None:
    data = distribution_data(results(), NPS)
    assert data.scores == list(range(11))
    assert data.counts == [0, 0, 0, 1, 0, 0, 0, 1, 0, 2, 6]
    assert data.colours[:7] == ["#D55E00"] * 7 and data.colours[7:9] == ["#9E9E9E"] * 2
    # p = 0.8, d = 0.1: 196 × sqrt((0.9 − 0.49) / 10) = 39.7 (KPI_SPEC §6 does not clip at 100)
    assert data.title == "NPS 70 (n = 10, 95% interval 30.3 to 109.7)"
    assert data.subtitle == "nps-20260302-abcdef · Response rate 50.0% (10 of 20 answered)"
    image = Image.open(io.BytesIO(distribution_chart(results(), NPS)))
    assert image.format == "PNG" and image.size == (1200, 675)
