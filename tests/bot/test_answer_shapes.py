"""The richer answers in Slack, over signed HTTP on the second company (tests/support/second_company.py: plans
basic/team/business, segments smb/mid/ent; MRR at the end of 2026-06-17 = 600, ARR 7,200): several metrics in
one message, a two-dimension table, groups compared in words, the winner of a ranking, and follow-ups that
read values from the data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine

from bot.app import create_app
from kpi_engine.settings import Settings
from kpi_engine.values import invalidate_values
from tests.bot.conftest import SIGNING_SECRET, bot_config
from tests.bot.support.block_check import message_blocks, texts, validate_blocks
from tests.bot.support.fake_slack import FakeSlack
from tests.bot.support.served_app import served
from tests.bot.support.slack_requests import SlackSender
from tests.support.second_company import AS_OF, write_second_company


@pytest.fixture
def second_slack(bot_settings: Settings, engine: Engine, fake_slack: FakeSlack) -> Iterator[SlackSender]:
    invalidate_values(engine)
    write_second_company(engine)
    app = create_app(bot_settings, config=bot_config(), engine=engine, as_of=AS_OF)
    try:
        with served(app) as url:
            sender = SlackSender(url, SIGNING_SECRET, response_url_base=f"{fake_slack.url}/response")
            yield sender
            sender.close()
    finally:
        app.close()


def dm(slack: SlackSender, fake_slack: FakeSlack, text: str, number: int) -> list[dict[str, Any]]:
    slack.direct_message(text, ts=f"1780000100.{number:06d}")
    call = fake_slack.wait_for("chat.postMessage", count=number)[number - 1]
    blocks = message_blocks(call)
    validate_blocks(blocks)
    return blocks


def test_several_metrics_come_in_one_message_each_with_its_value(second_slack, fake_slack) -> None:
    blocks = dm(second_slack, fake_slack, "mrr and arr", 1)
    headers = [b["text"]["text"] for b in blocks if b["type"] == "header"]
    assert [h.split(" — ")[0] for h in headers] == ["MRR", "ARR"]
    words = texts(blocks)
    assert "$600" in words and "$7,200" in words
    assert len({b["block_id"] for b in blocks if "block_id" in b}) == len([b for b in blocks if "block_id" in b])
    [call] = fake_slack.calls("chat.postMessage")
    assert call.params["text"].count("·") == 1  # the notification names both


def test_two_dimensions_are_a_small_table(second_slack, fake_slack) -> None:
    words = texts(dm(second_slack, fake_slack, "mrr by plan and segment", 1))
    assert "MRR by plan and segment" in words
    table = next(line for line in words.split("\\n") if line.startswith("business"))
    assert table.split() == ["business", "$300", "$150", "–"]  # columns ent, mid, smb in the order found


def test_groups_compared_state_the_difference_in_words(second_slack, fake_slack) -> None:
    words = texts(dm(second_slack, fake_slack, "team vs business arr", 1))
    assert "business is $3,840 (246.2%) higher than team" in words
    assert words.count("business is $3,840") == 1  # in the section, not repeated in the context line


def test_a_ranking_names_the_winner(second_slack, fake_slack) -> None:
    words = texts(dm(second_slack, fake_slack, "top 2 segments by mrr", 1))
    assert ":trophy:" in words and "ent" in words and "$300" in words and "$230" in words
    assert "$70" not in words  # smb is third: cut


def test_a_follow_up_reads_a_value_from_the_data(second_slack, fake_slack) -> None:
    dm(second_slack, fake_slack, "mrr", 1)
    words = texts(dm(second_slack, fake_slack, "for enterprise", 2))  # the segment is stored as `ent`
    assert "$300" in words and "I read “for enterprise” as MRR for segment ent" in words


def test_groups_compared_as_a_follow_up_then_another_metric_for_the_same_groups(second_slack, fake_slack) -> None:
    """MRR team 130, business 450: business is 320 (246.2%) higher; ARR twelve times that."""
    dm(second_slack, fake_slack, "mrr", 1)
    words = texts(dm(second_slack, fake_slack, "team vs business?", 2))
    assert "business is $320 (246.2%) higher than team" in words
    words = texts(dm(second_slack, fake_slack, "and arr?", 3))
    assert "business is $3,840 (246.2%) higher than team" in words
    assert "I read “and arr?” as ARR by plan (team vs business)" in words
