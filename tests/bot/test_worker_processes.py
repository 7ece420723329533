"""With worker processes (the production default), answers are computed outside the server process."""

from __future__ import annotations

import logging
import re
import time

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


def _error_lines(caplog: pytest.LogCaptureFixture, error_id: str, timeout: float = 15.0) -> list[str]:
    """The server's ERROR lines naming `error_id` (a worker's lines arrive through the log queue)."""
    deadline = time.monotonic() + timeout
    while True:
        lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR and error_id in r.getMessage()]
        if lines or time.monotonic() > deadline:
            return lines
        time.sleep(0.1)


def test_a_subcommand_runs_in_a_worker_process_and_a_survey_command_in_the_server(
        slack, fake_slack, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    for _ in range(2):  # no "user" in the next two answers: the runner's access check fails, wherever it runs
        fake_slack.override("users.info", {"ok": True})
    slack.slash_command("digest list", response_url=fake_slack.response_url("digest"))
    slack.slash_command("survey list", response_url=fake_slack.response_url("survey"))
    told = {c.path.rsplit("/", 1)[-1]: c.params["text"] for c in fake_slack.wait_for("response_url", count=2,
                                                                                    timeout=90)}
    ids = {name: re.search(r"error id[^`]*`([0-9a-f]{10})`", text).group(1) for name, text in told.items()}
    [digest_line] = _error_lines(caplog, ids["digest"])
    assert digest_line.startswith("[worker ") and "CommandWork" in digest_line
    [survey_line] = _error_lines(caplog, ids["survey"])
    assert not survey_line.startswith("[worker ") and "SurveyCommandWork" in survey_line
