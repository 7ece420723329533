"""KPI_SPEC §1 wording through real Bolt HTTP: a `/kpi` answer says what it compares and how fresh it is.

The small MRR company (tests/conftest.py) as of 2026-06-10: MRR 57 at the end of May and of June 10, 157 at the
end of April; the subscriptions table's newest timestamp is 2026-05-01 00:00 (the pro row's end).
"""

from __future__ import annotations

from tests.bot.support.block_check import message_blocks, texts, validate_blocks


def test_a_stock_with_no_period_is_compared_with_a_month_ago(slack, fake_slack, mrr_data) -> None:
    slack.slash_command("mrr")
    [answer] = fake_slack.wait_for("response_url")
    blocks = message_blocks(answer)
    validate_blocks(blocks)
    words = texts(blocks)
    assert "MRR — end of today (Jun 10)" in words
    # the data ends on May 1: its state then (57) against a month before (157), never called worse
    assert "63.7% lower so far (-$100) vs $157" in words
    assert "end of May 1 vs end of Apr 1 (data to May 1)" in words
    assert "data up to May 1, 00:00; nothing newer as of Jun 10" in words
    assert "compared with 2026-04-01 – 2026-04-01" in words


def test_a_month_the_data_does_not_reach_is_never_a_drop(slack, fake_slack, mrr_data) -> None:
    slack.slash_command("mrr last month")
    [answer] = fake_slack.wait_for("response_url")
    blocks = message_blocks(answer)
    headline = next(b["text"]["text"] for b in blocks if b.get("block_id") == "answer.headline")
    # May 1 (the data's last day) 57 against Apr 1 (the same offset in April) 157
    assert headline.split("\n")[1:3] == ["63.7% lower so far (-$100) vs $157",
                                         "end of May 1 vs end of Apr 1 (data to May 1)"]
    assert "down" not in headline and "drop" not in headline and "worse" not in headline
    assert "compared with 2026-04-01 – 2026-04-01" in texts(blocks)
