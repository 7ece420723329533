"""With worker processes (the production default), answers are computed outside the server process."""

from __future__ import annotations

import pytest

from tests.bot.conftest import bot_config
from tests.bot.support.block_check import message_blocks, texts


@pytest.fixture
def config():
    return bot_config(KPIBOT_WORKER_PROCESSES=1, KPIBOT_WORKERS=2)


def test_a_worker_process_answers_commands_and_mentions_once(slack, fake_slack, mrr_data) -> None:
    response = slack.slash_command("mrr last month")
    assert response.status_code == 200 and response.content == b""
    [answer] = fake_slack.wait_for("response_url", timeout=90)
    blocks = message_blocks(answer)
    assert "$57" in texts(blocks)
    assert any(b["type"] == "image" for b in blocks)
    for retry in (None, 1, 2):
        slack.mention("mrr last month", event_id="Ev0PROCESS01", retry_num=retry)
    fake_slack.wait_for("chat.postMessage", timeout=60)
    fake_slack.settle(0.5)
    assert len(fake_slack.calls("chat.postMessage")) == 1
