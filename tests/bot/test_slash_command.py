"""`/kpi <question>`: acked at once, answered ephemerally with the Block Kit answer and its chart."""

from __future__ import annotations

import json
import time

from tests.bot.conftest import AS_OF
from tests.bot.support.block_check import message_blocks, texts, validate_blocks

UPLOAD_STEPS = ["files.getUploadURLExternal", "upload", "files.completeUploadExternal"]


def test_question_is_acked_at_once_then_answered_with_a_chart(audit, slack, fake_slack, mrr_data) -> None:
    started = time.perf_counter()
    response = slack.slash_command("mrr last month")
    ack_seconds = time.perf_counter() - started
    assert response.status_code == 200
    assert response.content == b""  # an empty ack: the answer follows through the response_url
    assert ack_seconds < 1.0
    [answer] = fake_slack.wait_for("response_url")

    steps = [m for m in fake_slack.methods() if m in (*UPLOAD_STEPS, "response_url")]
    assert steps == [*UPLOAD_STEPS, "response_url"]  # files_upload_v2's three steps, then the answer
    [upload] = fake_slack.calls("upload")
    assert upload.body.startswith(b"\x89PNG")
    [complete] = fake_slack.calls("files.completeUploadExternal")
    [uploaded] = json.loads(complete.params["files"])
    assert "channel_id" not in complete.params  # uploaded privately: the answer is ephemeral

    assert answer.params["response_type"] == "ephemeral"
    blocks = message_blocks(answer)
    validate_blocks(blocks)
    [image] = [b for b in blocks if b["type"] == "image"]
    assert image["slack_file"] == {"id": uploaded["id"]}
    words = texts(blocks)
    assert "$57" in words  # end of May 2026: 50 + 7
    assert "$157" in words  # end of April 2026: 100 + 50 + 7
    assert "MRR" in answer.params["text"]

    [row] = audit()
    assert (row["user_id"], row["channel_id"], row["source"], row["question"], row["outcome"], row["metric_id"]) == (
        "U0ALICE", "C0GENERAL", "command", "mrr last month", "answered", "mrr")
    assert row["team_id"] == "T0TEAM"


def test_when_slack_refuses_the_chart_block_the_answer_still_arrives(slack, fake_slack, mrr_data) -> None:
    fake_slack.fail("response_url", "invalid_blocks")
    slack.slash_command("mrr last month")
    first, second = fake_slack.wait_for("response_url", count=2)
    assert any(b["type"] == "image" for b in message_blocks(first))
    assert not any(b["type"] == "image" for b in message_blocks(second))
    assert "$57" in texts(message_blocks(second))


def test_list_and_define_are_answered_from_the_catalog(slack, fake_slack, data_queries) -> None:
    slack.slash_command("list metrics")
    [listing] = fake_slack.wait_for("response_url")
    slack.slash_command("define mrr")
    definition = fake_slack.wait_for("response_url", count=2)[1]
    assert "MRR" in texts(message_blocks(listing))
    assert "Monthly recurring revenue at the end of the period" in texts(message_blocks(definition))
    assert data_queries.statements == []  # the catalog is data in memory


def test_an_unknown_metric_gets_an_explanation_not_silence(audit, slack, fake_slack) -> None:
    slack.slash_command("frobnication rate yesterday")
    [answer] = fake_slack.wait_for("response_url")
    assert message_blocks(answer)[0]["type"] == "section"
    assert audit()[0]["outcome"] == "unknown"


def test_answers_use_the_reporting_day(slack, fake_slack, mrr_data) -> None:
    slack.slash_command("mrr")  # a stock metric now: at the end of the as-of day
    [answer] = fake_slack.wait_for("response_url")
    assert AS_OF.isoformat() in texts(message_blocks(answer))
