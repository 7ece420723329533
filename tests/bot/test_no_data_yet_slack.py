"""A period wholly after the newest data through real Bolt HTTP: `/kpi` says "no data yet" and when the data ends,
never a value of 0 called worse (KPI_SPEC §1).

The small MRR company (tests/conftest.py) as of Wed 2026-06-10: the subscriptions table's newest timestamp is
Fri 2026-05-01 00:00, so "this week" (Mon Jun 8 – Wed Jun 10) has no new MRR to know yet.
"""

from __future__ import annotations

from tests.bot.support.block_check import message_blocks, texts, validate_blocks


def test_a_week_after_the_data_says_no_data_yet(slack, fake_slack, mrr_data) -> None:
    slack.slash_command("new mrr this week")
    [answer] = fake_slack.wait_for("response_url")
    blocks = message_blocks(answer)
    validate_blocks(blocks)
    headline = next(b["text"]["text"] for b in blocks if b.get("block_id") == "answer.headline")
    assert headline.split("\n")[0] == "*No data yet for Jun 8–10: the subscriptions data ends on Fri May 1*"
    words = " ".join(texts(blocks))
    assert "$0" not in words and "lower" not in words and "worse" not in words


def test_the_notification_text_says_no_data_yet_too(slack, fake_slack, mrr_data) -> None:
    """The message's `text` (what a notification and a screen reader show) reads like its headline."""
    slack.slash_command("new mrr this week")
    [answer] = fake_slack.wait_for("response_url")
    notification = answer.params["text"]
    assert notification == ("New MRR, week of 2026-06-08 to 2026-06-10: "
                            "No data yet for Jun 8–10: the subscriptions data ends on Fri May 1")
