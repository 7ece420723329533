"""`@KPI Bot <question>` is answered in its thread; a DM is answered in the DM; charts follow them there."""

from __future__ import annotations

from tests.bot.support.block_check import message_blocks, texts, validate_blocks


def test_mention_is_answered_in_its_thread_with_the_chart(audit, slack, fake_slack, mrr_data) -> None:
    response = slack.mention("mrr last month", channel_id="C0GENERAL", ts="1780000001.000100")
    assert response.status_code == 200
    [posted] = fake_slack.wait_for("chat.postMessage")
    assert posted.params["channel"] == "C0GENERAL"
    assert posted.params["thread_ts"] == "1780000001.000100"
    validate_blocks(message_blocks(posted))
    assert "$57" in texts(message_blocks(posted))
    [complete] = fake_slack.wait_for("files.completeUploadExternal")
    assert complete.params["channel_id"] == "C0GENERAL"
    assert complete.params["thread_ts"] == "1780000001.000100"
    [row] = audit()
    assert (row["source"], row["question"], row["outcome"]) == ("mention", "mrr last month", "answered")


def test_mention_inside_a_thread_answers_in_that_thread(slack, fake_slack, mrr_data) -> None:
    slack.mention("mrr", ts="1780000002.000200", thread_ts="1780000000.000009")
    [posted] = fake_slack.wait_for("chat.postMessage")
    assert posted.params["thread_ts"] == "1780000000.000009"


def test_a_bare_mention_gets_help(slack, fake_slack) -> None:
    slack.mention("")
    [posted] = fake_slack.wait_for("chat.postMessage")
    assert message_blocks(posted)[0]["type"] == "header"


def test_direct_message_is_answered_in_the_dm(audit, slack, fake_slack, mrr_data) -> None:
    slack.direct_message("mrr last month", channel_id="D0ALICE")
    [posted] = fake_slack.wait_for("chat.postMessage")
    assert posted.params["channel"] == "D0ALICE"
    assert "thread_ts" not in posted.params
    assert "$157" in texts(message_blocks(posted))
    [complete] = fake_slack.wait_for("files.completeUploadExternal")
    assert complete.params["channel_id"] == "D0ALICE"
    assert audit()[0]["source"] == "dm"


def test_edits_and_bot_messages_in_the_dm_are_ignored(audit, slack, fake_slack) -> None:
    slack.event({"type": "message", "subtype": "message_changed", "channel_type": "im", "channel": "D0ALICE",
                 "message": {"text": "mrr"}, "ts": "1.1", "event_ts": "1.1"})
    slack.event({"type": "message", "channel_type": "im", "channel": "D0ALICE", "bot_id": "B0OTHER",
                 "user": "U0OTHERBOT", "text": "mrr", "ts": "1.2", "event_ts": "1.2"})
    fake_slack.settle(0.5)
    assert fake_slack.calls("chat.postMessage") == []
    assert audit() == []
