"""Retries from Slack answered once; 429 retried after Retry-After; errors become instructions or an error id."""

from __future__ import annotations

import logging
import re
import time

from sqlalchemy import func, select

from bot.dedupe import claim
from kpi_engine.db.models.slack_app import SlackProcessedEvent
from tests.bot.support.block_check import message_blocks, texts


def test_claim_lets_the_first_caller_through_only(engine) -> None:
    assert claim(engine, "event:Ev1", "T0TEAM") is True
    assert claim(engine, "event:Ev1", "T0TEAM") is False
    assert claim(engine, "event:Ev2", "T0TEAM") is True


def test_the_same_event_delivered_four_times_is_answered_once(audit, slack, fake_slack, engine, mrr_data) -> None:
    for retry in (None, 1, 2, 3):
        response = slack.mention("mrr last month", event_id="Ev0RETRIED01", retry_num=retry)
        assert response.status_code == 200
    fake_slack.wait_for("chat.postMessage")
    fake_slack.settle(0.5)
    assert len(fake_slack.calls("chat.postMessage")) == 1
    assert len(audit()) == 1
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(SlackProcessedEvent.__table__)).scalar_one() == 1


def test_rate_limited_post_is_retried_after_retry_after(slack, fake_slack, mrr_data) -> None:
    fake_slack.rate_limit("chat.postMessage", retry_after=1)
    slack.mention("mrr last month")
    first, second = fake_slack.wait_for("chat.postMessage", count=2)
    assert first.params == second.params
    assert second.at - first.at >= 1.0  # Retry-After: 1
    fake_slack.settle(0.3)
    assert len(fake_slack.calls("chat.postMessage")) == 2


def test_rate_limited_upload_is_retried_and_the_answer_keeps_its_chart(slack, fake_slack, mrr_data) -> None:
    fake_slack.rate_limit("files.getUploadURLExternal", retry_after=1)
    started = time.monotonic()
    slack.slash_command("mrr last month")
    [answer] = fake_slack.wait_for("response_url")
    assert time.monotonic() - started >= 1.0
    assert len(fake_slack.calls("files.getUploadURLExternal")) == 2
    assert any(b["type"] == "image" for b in message_blocks(answer))


def test_not_in_channel_is_answered_with_an_instruction(slack, fake_slack, mrr_data) -> None:
    from bot.blocks.payload import encode_ref

    fake_slack.fail("chat.postMessage", "not_in_channel")
    slack.block_action({"action_id": "answer.share", "type": "button", "value": encode_ref("mrr last month", None)},
                       channel_id="C0GENERAL")
    [notice] = fake_slack.wait_for("response_url")
    assert "/invite @KPI Bot" in notice.params["text"]
    assert notice.params["response_type"] == "ephemeral"


def test_channel_not_found_is_answered_with_an_instruction(slack, fake_slack, data_queries, mrr_data) -> None:
    from bot.blocks.payload import encode_ref

    slack.block_action({"action_id": "answer.share", "type": "button", "value": encode_ref("mrr last month", None)},
                       channel_id="G0SECRET")  # conversations.info: channel_not_found
    [notice] = fake_slack.wait_for("response_url")
    assert "Invite me with `/invite @KPI Bot`" in notice.params["text"]
    assert data_queries.statements == []


def test_a_failure_in_the_worker_becomes_a_friendly_message_with_an_error_id(audit, slack, fake_slack,
                                                                              caplog) -> None:
    fake_slack.override("users.info", {"ok": True})  # no "user": the access check fails
    with caplog.at_level(logging.ERROR, logger="bot.errors"):
        slack.slash_command("mrr last month")
        [answer] = fake_slack.wait_for("response_url")
    error_id = re.search(r"error id[^`]*`([0-9a-f]+)`", answer.params["text"]).group(1)
    assert any(error_id in record.getMessage() for record in caplog.records)
    [row] = audit()
    assert (row["outcome"], row["detail"]) == ("error", f"error_id={error_id}")


def test_a_failure_while_acking_becomes_a_friendly_ack(slack, fake_slack, caplog, monkeypatch) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("a bug on the ack path")

    import sys

    monkeypatch.setattr(sys.modules["bot.listeners.commands.kpi_command"], "asker_from", broken)
    with caplog.at_level(logging.ERROR, logger="bot.errors"):
        response = slack.slash_command("mrr")
    assert response.status_code == 200
    text = response.json()["text"]
    error_id = re.search(r"`([0-9a-f]+)`", text).group(1)
    assert "Sorry, something went wrong" in text
    assert any(error_id in record.getMessage() for record in caplog.records)


def test_a_slash_command_without_a_user_is_refused_as_malformed(slack, fake_slack) -> None:
    body = slack.command_body("mrr", user_id="U0ALICE", channel_id="C0GENERAL").replace("user_id=U0ALICE&", "")
    before = fake_slack.methods()
    assert slack.post(body, "application/x-www-form-urlencoded").status_code == 400  # the sender's fault, not 5xx
    fake_slack.settle(0.2)
    assert fake_slack.methods() == before


def test_a_mention_that_fails_is_answered_in_the_thread(slack, fake_slack) -> None:
    fake_slack.override("users.info", {"ok": True})
    slack.mention("mrr", ts="1780000005.000500")
    [notice] = fake_slack.wait_for("chat.postEphemeral")
    assert "error id" in notice.params["text"]
    assert notice.params["thread_ts"] == "1780000005.000500"
    assert texts([notice.params])  # the person hears back: never silence


def test_old_event_ids_are_forgotten(engine) -> None:
    from datetime import timedelta

    from sqlalchemy import insert

    from bot.audit import utc_now
    from bot.dedupe import forget_older_than

    table = SlackProcessedEvent.__table__
    with engine.begin() as conn:
        conn.execute(insert(table), [
            {"event_key": "event:old", "team_id": "T0TEAM", "received_at": utc_now() - timedelta(days=8)},
            {"event_key": "event:new", "team_id": "T0TEAM", "received_at": utc_now() - timedelta(days=6)},
        ])
    assert forget_older_than(engine, 7) == 1
    with engine.connect() as conn:
        assert conn.execute(select(table.c.event_key)).scalars().all() == ["event:new"]
