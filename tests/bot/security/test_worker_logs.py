"""A failing answer job in a worker process leaves its line, with the error id, in the server's own log."""

from __future__ import annotations

import logging
import time

import pytest
from sqlalchemy import text

from tests.bot.conftest import bot_config


@pytest.fixture
def config():
    return bot_config(KPIBOT_WORKER_PROCESSES=1, KPIBOT_WORKERS=1)


def test_worker_errors_reach_the_server_log(slack, fake_slack, bot_app, engine, caplog) -> None:
    caplog.set_level(logging.INFO)
    with engine.begin() as conn:  # the worker's query fails: a database error inside the job
        conn.execute(text("DROP TABLE subscriptions"))
    slack.slash_command("mrr last month")
    [told] = fake_slack.wait_for("response_url", timeout=90)
    assert "error id" in told.params["text"]
    error_id = told.params["text"].rsplit("`", 2)[-2]
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
        if any(error_id in line and "[worker " in line for line in lines):
            break
        time.sleep(0.1)
    assert any(error_id in line and "[worker " in line for line in lines), lines
