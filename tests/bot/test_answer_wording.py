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
    assert "no change so far vs $57" in words and "end of today vs a month ago" in words
    assert "data up to May 1, 00:00; nothing newer as of Jun 10" in words
    assert "compared with 2026-05-10 – 2026-05-10" in words


def test_a_month_the_data_does_not_reach_is_never_a_drop(slack, fake_slack, mrr_data) -> None:
    slack.slash_command("mrr last month")
    [answer] = fake_slack.wait_for("response_url")
    blocks = message_blocks(answer)
    headline = next(b["text"]["text"] for b in blocks if b.get("block_id") == "answer.headline")
    # a stock is never clipped: the end of May (57) against the end of April (157), partial: never called worse
    assert headline.split("\n")[1:3] == ["63.7% lower so far (-$100) vs $157", "end of May vs end of April"]
    assert "down" not in headline and "drop" not in headline and "worse" not in headline
    assert "compared with 2026-04-01 – 2026-04-30" in texts(blocks)
