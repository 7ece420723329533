"""Follow-ups typed in Slack, over signed HTTP against the fake Slack: in the thread of an answer (a mention or a
plain reply) and in a DM; the state lives in the database, per thread or DM, for a day, across app instances."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, update

from bot.app import create_app
from kpi_engine.db.models import Account, Subscription
from kpi_engine.db.models.conversations import SlackConversation
from tests.bot.conftest import AS_OF, SIGNING_SECRET, bot_config, wait_until_idle
from tests.bot.support.block_check import message_blocks, texts, validate_blocks
from tests.bot.support.fake_slack import BOT_USER_ID, FakeSlack
from tests.bot.support.served_app import served
from tests.bot.support.slack_requests import SlackSender
from tests.conftest import insert_rows

THREAD = "1780000001.000100"


@pytest.fixture
def february_account(engine: Engine, mrr_data: None) -> None:
    """One more account, on MRR 30 from 2026-02-10 to 2026-03-20: MRR at the end of February = 30 (it alone),
    at the end of March = 50 + 7 = 57 (it has ended, the basic 50 and the account-less 7 have started)."""
    insert_rows(engine, Account, [{"account_id": "c", "created_at": datetime(2026, 2, 1), "plan": "pro"}])
    insert_rows(engine, Subscription, [{"subscription_id": "s4", "account_id": "c", "mrr": 30,
                                        "started_at": datetime(2026, 2, 10), "ended_at": datetime(2026, 3, 20)}])


def posted(fake_slack: FakeSlack, count: int) -> list[str]:
    """The words of the first `count` chat.postMessage calls (each checked against Block Kit's limits)."""
    calls = fake_slack.wait_for("chat.postMessage", count=count)
    for call in calls:
        validate_blocks(message_blocks(call))
    return [texts(message_blocks(call)) for call in calls]


def thread_reply(slack: SlackSender, text: str, *, ts: str, thread_ts: str = THREAD, channel_type: str = "channel",
                 **fields: str) -> None:
    """A plain message in a channel thread (the message.channels / message.groups event)."""
    slack.event({"type": "message", "channel_type": channel_type, "channel": "C0GENERAL", "user": "U0ALICE",
                 "text": text, "ts": ts, "thread_ts": thread_ts, "event_ts": ts, "team": "T0TEAM", **fields})


def age_conversations(engine: Engine, hours: float) -> None:
    table = SlackConversation.__table__
    with engine.begin() as conn:
        conn.execute(update(table).values(updated_at=table.c.updated_at - timedelta(hours=hours)))


def test_and_by_plan_mentioned_in_the_thread_of_an_answer_breaks_it_down_there(audit, slack, fake_slack,
                                                                                mrr_data) -> None:
    slack.mention("mrr last month", ts=THREAD)
    [first] = posted(fake_slack, 1)
    assert "$57" in first
    slack.mention("and by plan?", ts="1780000001.000200", thread_ts=THREAD)
    second = fake_slack.wait_for("chat.postMessage", count=2)[1]
    assert second.params["thread_ts"] == THREAD
    words = texts(message_blocks(second))
    assert "By plan" in words and "basic" in words and "$50" in words and "(none)" in words and "$7" in words
    first_block = message_blocks(second)[0]  # how it was read comes first
    assert first_block["type"] == "context"
    assert first_block["elements"][0]["text"] == "I read “and by plan?” as MRR by plan, May 2026"
    assert words.count("I read") == 1
    assert [(r["source"], r["question"], r["outcome"]) for r in audit()] == [
        ("mention", "mrr last month", "answered"), ("mention", "and by plan?", "answered")]


def test_a_plain_reply_in_the_thread_follows_up_and_chatter_is_left_alone(slack, fake_slack, mrr_data) -> None:
    slack.mention("mrr last month", ts=THREAD)
    posted(fake_slack, 1)
    thread_reply(slack, "thanks, nice", ts="1780000001.000300")
    thread_reply(slack, "and by plan?", ts="1780000001.000400", subtype="thread_broadcast")
    second = fake_slack.wait_for("chat.postMessage", count=2)[1]
    assert second.params["thread_ts"] == THREAD and "basic" in texts(message_blocks(second))
    fake_slack.settle(0.5)
    assert len(fake_slack.calls("chat.postMessage")) == 2  # nothing for "thanks, nice"


def test_replies_in_a_thread_the_bot_never_answered_are_ignored(slack, fake_slack, mrr_data) -> None:
    thread_reply(slack, "mrr last month", ts="1780000009.000200", thread_ts="1780000009.000100")
    thread_reply(slack, "and by plan?", ts="1780000009.000300", thread_ts="1780000009.000100", channel_type="group")
    fake_slack.settle(0.5)
    assert fake_slack.calls("chat.postMessage") == []


def test_a_mention_in_the_thread_is_answered_once_not_also_as_a_reply(slack, fake_slack, mrr_data) -> None:
    slack.mention("mrr last month", ts=THREAD)
    posted(fake_slack, 1)
    slack.mention("and by plan?", ts="1780000001.000500", thread_ts=THREAD)
    thread_reply(slack, f"<@{BOT_USER_ID}> and by plan?", ts="1780000001.000500")  # the same message, as an event
    fake_slack.wait_for("chat.postMessage", count=2)
    fake_slack.settle(0.5)
    assert len(fake_slack.calls("chat.postMessage")) == 2


def test_a_dm_follows_mrr_in_march_to_february_then_asks_why(slack, fake_slack, february_account) -> None:
    slack.direct_message("mrr in March", ts="1780000002.000100")
    [march] = posted(fake_slack, 1)
    assert "$57" in march and "MRR — end of March" in march
    slack.direct_message("what about february?", ts="1780000002.000200")
    february = posted(fake_slack, 2)[1]
    assert "$30" in february and "February 2026" in february
    assert "I read “what about february?” as MRR, February 2026" in february
    slack.direct_message("why?", ts="1780000002.000300")
    why = fake_slack.wait_for("chat.postMessage", count=3)[2]
    assert "thread_ts" not in why.params
    words = texts(message_blocks(why))
    assert "MRR movements" in words or "bridge" in words.lower()
    assert "I read “why?” as the MRR bridge, February 2026" in words
    assert "30" in words  # new MRR 30: from 0 at the end of January to 30 at the end of February


def test_a_state_older_than_a_day_is_forgotten(slack, fake_slack, engine, february_account) -> None:
    slack.direct_message("mrr in March", ts="1780000003.000100")
    posted(fake_slack, 1)
    age_conversations(engine, hours=25)
    slack.direct_message("what about february?", ts="1780000003.000200")
    second = posted(fake_slack, 2)[1]
    assert "$30" not in second and "I read" not in second  # a new question, without a metric
    assert "metric" in second.lower()


def test_the_state_survives_a_new_app_instance_on_the_same_database(bot_settings, engine, fake_slack, slack,
                                                                    bot_app, february_account) -> None:
    slack.direct_message("mrr in March", ts="1780000004.000100")
    posted(fake_slack, 1)
    wait_until_idle(bot_app)
    replica = create_app(bot_settings, config=bot_config(), engine=engine, as_of=AS_OF)
    try:
        with served(replica) as url:
            other = SlackSender(url, SIGNING_SECRET, response_url_base=f"{fake_slack.url}/response")
            other.direct_message("what about february?", ts="1780000004.000200")
            second = posted(fake_slack, 2)[1]
            other.close()
    finally:
        replica.close()
    assert "$30" in second and "I read “what about february?”" in second


def test_a_complete_question_in_the_dm_starts_afresh_and_is_followed_up_in_turn(slack, fake_slack,
                                                                                 february_account) -> None:
    slack.direct_message("mrr in March", ts="1780000005.000100")
    posted(fake_slack, 1)
    slack.direct_message("arr last month", ts="1780000005.000200")
    arr = posted(fake_slack, 2)[1]
    assert "ARR" in arr and "$684" in arr and "I read" not in arr  # 12 × 57 at the end of May
    slack.direct_message("and by plan?", ts="1780000005.000300")
    by_plan = posted(fake_slack, 3)[2]
    assert "I read “and by plan?” as ARR by plan, May 2026" in by_plan and "$600" in by_plan  # basic 12 × 50


def test_a_thread_in_the_dm_follows_the_dm(slack, fake_slack, february_account) -> None:
    slack.direct_message("mrr in March", ts="1780000006.000100")
    posted(fake_slack, 1)
    slack.event({"type": "message", "channel_type": "im", "user": "U0ALICE", "text": "what about february?",
                 "ts": "1780000006.000300", "thread_ts": "1780000006.000200", "channel": "D0ALICE",
                 "event_ts": "1780000006.000300", "team": "T0TEAM"})
    reply = fake_slack.wait_for("chat.postMessage", count=2)[1]
    assert reply.params["thread_ts"] == "1780000006.000200"
    assert "$30" in texts(message_blocks(reply))
