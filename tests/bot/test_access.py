"""Deny by default: guests and other organisations' people are refused before any query runs; KPI data never
goes into a channel shared with another organisation; metric groups can be limited to people or channels."""

from __future__ import annotations

import pytest

from bot.access import EXTERNAL_CHANNEL, NOT_A_MEMBER
from tests.bot.conftest import GUEST, OTHER_TEAM, SHARED, SINGLE_CHANNEL_GUEST, STRANGER, bot_config
from tests.bot.support.block_check import message_blocks, texts


@pytest.mark.parametrize(("user_id", "reason"), [
    (STRANGER, "external"), (OTHER_TEAM, "external"), (GUEST, "guest"), (SINGLE_CHANNEL_GUEST, "guest"),
    ("U0NOBODY", "unknown_user"),
])
def test_people_who_are_not_full_members_are_refused_and_no_query_runs(audit,
        slack, fake_slack, mrr_data, data_queries, user_id, reason) -> None:
    slack.slash_command("mrr last month", user_id=user_id)
    [answer] = fake_slack.wait_for("response_url")
    assert answer.params["text"] == NOT_A_MEMBER
    assert "blocks" not in answer.params
    assert data_queries.statements == []
    assert fake_slack.calls("files.getUploadURLExternal") == []
    [row] = audit()
    assert (row["user_id"], row["outcome"], row["detail"], row["question"]) == (
        user_id, "refused", reason, "mrr last month")


def test_a_stranger_mentioning_the_bot_is_refused_privately(slack, fake_slack, data_queries, mrr_data) -> None:
    slack.mention("mrr", user_id=STRANGER, channel_id=SHARED, is_ext_shared_channel=True)
    [notice] = fake_slack.wait_for("chat.postEphemeral")
    assert notice.params["user"] == STRANGER
    assert notice.params["text"] == NOT_A_MEMBER
    assert fake_slack.calls("chat.postMessage") == []
    assert data_queries.statements == []


def test_no_kpis_in_a_channel_shared_with_another_organisation(audit, slack, fake_slack, data_queries,
                                                               mrr_data) -> None:
    slack.mention("mrr", channel_id=SHARED, is_ext_shared_channel=True)  # Slack's own flag on the event
    [notice] = fake_slack.wait_for("chat.postEphemeral")
    assert notice.params["text"] == EXTERNAL_CHANNEL
    assert fake_slack.calls("chat.postMessage") == []
    assert data_queries.statements == []
    assert audit()[0]["detail"] == "externally_shared_channel"


def test_a_shared_channel_is_recognised_through_conversations_info_too(slack, fake_slack, data_queries) -> None:
    slack.mention("mrr", channel_id=SHARED, is_ext_shared_channel=False)
    [notice] = fake_slack.wait_for("chat.postEphemeral")
    assert notice.params["text"] == EXTERNAL_CHANNEL
    assert [c.params["channel"] for c in fake_slack.calls("conversations.info")] == [SHARED]
    assert data_queries.statements == []


def test_users_info_answers_are_cached(slack, fake_slack, mrr_data) -> None:
    slack.slash_command("mrr last month")
    fake_slack.wait_for("response_url")
    slack.slash_command("mrr this month")
    fake_slack.wait_for("response_url", count=2)
    assert len(fake_slack.calls("users.info")) == 1


@pytest.fixture
def finance_access_file(tmp_path):
    path = tmp_path / "access.yaml"
    path.write_text("groups:\n  finance:\n    users: [U0BOB]\n    channels: [C0FINANCE]\n", encoding="utf-8")
    return path


@pytest.fixture
def config(finance_access_file):
    return bot_config(KPIBOT_ACCESS_FILE=str(finance_access_file))


def test_a_limited_group_is_refused_to_others_before_any_query(audit, slack, fake_slack, data_queries,
                                                               mrr_data) -> None:
    slack.slash_command("mrr last month", user_id="U0ALICE")
    [answer] = fake_slack.wait_for("response_url")
    assert "*finance* metrics are limited" in answer.params["text"]
    assert data_queries.statements == []
    assert audit()[0]["detail"] == "group:finance"


def test_a_limited_metric_named_second_is_refused_before_any_query(audit, slack, fake_slack, data_queries,
                                                                  mrr_data) -> None:
    """Every metric a question names is checked (signups is open, mrr is finance's), on the reading answered."""
    slack.slash_command("signups and mrr last month", user_id="U0ALICE")
    [answer] = fake_slack.wait_for("response_url")
    assert "*finance* metrics are limited" in answer.params["text"]
    assert data_queries.statements == []
    assert audit()[0]["detail"] == "group:finance"


def test_a_listed_user_reads_the_group_privately_but_not_into_other_channels(slack, fake_slack, mrr_data) -> None:
    slack.slash_command("mrr last month", user_id="U0BOB")
    [answer] = fake_slack.wait_for("response_url")
    assert "$57" in texts(message_blocks(answer))
    slack.mention("mrr last month", user_id="U0BOB", channel_id="C0GENERAL")
    [notice] = fake_slack.wait_for("chat.postEphemeral")
    assert "can't be posted in this channel" in notice.params["text"]
    assert fake_slack.calls("chat.postMessage") == []


def test_anyone_in_a_listed_channel_reads_the_group_there(slack, fake_slack, mrr_data) -> None:
    fake_slack.add_channel("C0FINANCE")
    slack.mention("mrr last month", user_id="U0ALICE", channel_id="C0FINANCE")
    [posted] = fake_slack.wait_for("chat.postMessage")
    assert "$57" in texts(message_blocks(posted))


def test_metrics_outside_limited_groups_stay_open(slack, fake_slack, data_queries) -> None:
    slack.slash_command("define churn rate", user_id="U0ALICE")
    [answer] = fake_slack.wait_for("response_url")
    assert "limited" not in answer.params.get("text", "")
