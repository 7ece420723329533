"""The buttons under an answer: Share in channel, Break down by, Trend, How is this computed?, Did you mean."""

from __future__ import annotations

from typing import Any

import pytest

from bot.access import EXTERNAL_CHANNEL
from bot.blocks.ids import ActionId
from tests.bot.conftest import SHARED
from tests.bot.support.block_check import message_blocks, texts, validate_blocks
from tests.bot.support.fake_slack import FakeSlack
from tests.bot.support.slack_requests import SlackSender


@pytest.fixture
def answer_actions(slack: SlackSender, fake_slack: FakeSlack, mrr_data: None) -> dict[str, Any]:
    """The actions block under a real answer to `/kpi mrr last month`."""
    slack.slash_command("mrr last month")
    [answer] = fake_slack.wait_for("response_url")
    [actions] = [b for b in message_blocks(answer) if b["type"] == "actions"]
    return actions


def element(actions: dict[str, Any], action_id: str) -> dict[str, Any]:
    return next(e for e in actions["elements"] if e["action_id"] == action_id)


def click(slack: SlackSender, actions: dict[str, Any], action_id: str, **kwargs: Any) -> None:
    button = element(actions, action_id)
    slack.block_action({"action_id": action_id, "type": "button", "value": button["value"],
                        "block_id": actions["block_id"]}, **kwargs)


def test_share_posts_the_answer_for_everyone_with_its_chart(audit, slack, fake_slack, answer_actions) -> None:
    click(slack, answer_actions, ActionId.SHARE_ANSWER, channel_id="C0GENERAL")
    [posted] = fake_slack.wait_for("chat.postMessage")
    assert posted.params["channel"] == "C0GENERAL"
    assert "thread_ts" not in posted.params
    blocks = message_blocks(posted)
    validate_blocks(blocks)
    assert "$57" in texts(blocks)
    assert not any(b["type"] == "actions" for b in blocks)  # nobody else's buttons on a shared answer
    complete = fake_slack.wait_for("files.completeUploadExternal", count=2)[1]
    assert complete.params["channel_id"] == "C0GENERAL"
    assert complete.params["thread_ts"].startswith("17800")  # under the shared answer
    assert [r["source"] for r in audit()] == ["command", "action"]


def test_a_double_click_shares_once(slack, fake_slack, answer_actions) -> None:
    click(slack, answer_actions, ActionId.SHARE_ANSWER, channel_id="C0GENERAL")
    click(slack, answer_actions, ActionId.SHARE_ANSWER, channel_id="C0GENERAL")
    fake_slack.wait_for("chat.postMessage")
    fake_slack.settle(0.5)
    assert len(fake_slack.calls("chat.postMessage")) == 1


def test_share_into_a_channel_shared_with_another_organisation_is_refused(slack, fake_slack,
                                                                          answer_actions) -> None:
    click(slack, answer_actions, ActionId.SHARE_ANSWER, channel_id=SHARED)
    notice = fake_slack.wait_for("response_url", count=2)[1]
    assert notice.params["text"] == EXTERNAL_CHANNEL
    assert notice.params["response_type"] == "ephemeral"
    assert fake_slack.calls("chat.postMessage") == []


def test_trend_answers_with_a_daily_series_over_the_same_period(slack, fake_slack, answer_actions) -> None:
    click(slack, answer_actions, ActionId.TREND)
    trend = fake_slack.wait_for("response_url", count=2)[1]
    blocks = message_blocks(trend)
    validate_blocks(blocks)
    assert any(b["type"] == "image" for b in blocks)
    assert "2026-05-01 – 2026-05-31" in texts(blocks)
    assert "$57" in texts(blocks)


def test_break_down_by_plan(slack, fake_slack, answer_actions) -> None:
    select = element(answer_actions, ActionId.BREAKDOWN)
    assert "plan" in [o["value"] for o in select["options"]]
    slack.block_action({"action_id": ActionId.BREAKDOWN.value, "type": "static_select",
                        "block_id": answer_actions["block_id"],
                        "selected_option": {"text": {"type": "plain_text", "text": "plan"}, "value": "plan"}})
    broken_down = fake_slack.wait_for("response_url", count=2)[1]
    words = texts(message_blocks(broken_down))
    assert "basic" in words and "$50" in words  # end of May: basic 50, the account-less 7 under (none)
    assert "(none)" in words and "$7" in words


def test_how_is_this_computed_shows_the_formula_and_the_sql(slack, fake_slack, answer_actions) -> None:
    click(slack, answer_actions, ActionId.HOW_COMPUTED)
    how = fake_slack.wait_for("response_url", count=2)[1]
    blocks = message_blocks(how)
    validate_blocks(blocks)
    words = texts(blocks).lower()
    assert "formula" in words and "subscriptions" in words and "select" in words


def test_did_you_mean_asks_again_with_the_suggested_metric(slack, fake_slack, mrr_data) -> None:
    slack.block_action({"action_id": "answer.suggestion.0", "type": "button", "value": "mrr"})
    [answer] = fake_slack.wait_for("response_url")
    assert "MRR" in texts(message_blocks(answer))
