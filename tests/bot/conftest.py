"""The Slack app over real HTTP against a fake Slack Web API, on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, event, select

from bot.app import KpiBotApp, create_app
from bot.settings import AppSettings, ServerSettings
from kpi_engine.db.models.slack_app import SlackAuditEntry
from tests.bot.support.fake_slack import FakeSlack
from tests.bot.support.served_app import served
from tests.bot.support.slack_requests import SlackSender
from tests.conftest import insert_small_mrr_company, make_app_settings

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
AS_OF = date(2026, 6, 10)
MEMBER, GUEST, SINGLE_CHANNEL_GUEST, STRANGER, OTHER_TEAM = "U0ALICE", "U0GUEST", "U0ULTRA", "U0EXT", "U0OTHER"
GENERAL, SHARED, PRIVATE_UNKNOWN = "C0GENERAL", "C0SHARED", "G0SECRET"


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    fake.add_user(MEMBER)
    fake.add_user("U0BOB")
    fake.add_user(GUEST, is_restricted=True)
    fake.add_user(SINGLE_CHANNEL_GUEST, is_restricted=True, is_ultra_restricted=True)
    fake.add_user(STRANGER, team_id="T0PARTNER", is_stranger=True)
    fake.add_user(OTHER_TEAM, team_id="T0PARTNER")
    fake.add_channel(GENERAL)
    fake.add_channel(SHARED, is_ext_shared=True, is_shared=True)
    yield fake
    fake.stop()


@pytest.fixture
def bot_settings(db_url: str, fake_slack: FakeSlack) -> AppSettings:
    return make_app_settings(db_url, SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_BOT_TOKEN="xoxb-test-token",
                             SLACK_API_URL=fake_slack.api_url)


def bot_config(**overrides: Any) -> ServerSettings:
    """Jobs on the server's threads (one test runs worker processes), charts in the thread."""
    values = {"KPIBOT_WORKER_PROCESSES": 0, "KPIBOT_WORKERS": 4, "KPIBOT_CHART_PROCESSES": 0,
              **{k.upper(): v for k, v in overrides.items()}}
    return ServerSettings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def config() -> ServerSettings:
    return bot_config()


@pytest.fixture
def bot_app(bot_settings: AppSettings, engine: Engine, config: ServerSettings) -> Iterator[KpiBotApp]:
    app = create_app(bot_settings, config=config, engine=engine, as_of=AS_OF)
    yield app
    app.close()


@pytest.fixture
def slack(bot_app: KpiBotApp, fake_slack: FakeSlack) -> Iterator[SlackSender]:
    with served(bot_app) as url:
        sender = SlackSender(url, SIGNING_SECRET, response_url_base=f"{fake_slack.url}/response")
        yield sender
        sender.close()


@pytest.fixture
def mrr_data(engine: Engine) -> None:
    """MRR at the end of May 2026 = 50 + 7 = 57; at the end of April = 100 + 50 + 7 = 157."""
    insert_small_mrr_company(engine)


class DataQueries:
    """Records the queries that read KPI data (reads of anything but the bot's own slack_* bookkeeping tables)."""

    def __init__(self, engine: Engine) -> None:
        self.statements: list[str] = []
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        lowered = statement.lower().strip()
        if not lowered.startswith(("select", "with")) or "slack_" in lowered or lowered.startswith("select 1"):
            return
        self.statements.append(statement)


@pytest.fixture
def data_queries(engine: Engine) -> DataQueries:
    return DataQueries(engine)


def wait_until_idle(app: KpiBotApp, timeout: float = 15.0) -> None:
    """Until the worker pools have nothing queued or running."""
    deadline = time.monotonic() + timeout
    while app.services.pool.pending or app.services.urgent.pending:
        assert time.monotonic() < deadline, "the workers are still busy"
        time.sleep(0.02)


@pytest.fixture
def audit(bot_app: KpiBotApp, engine: Engine) -> Callable[[], list[dict[str, Any]]]:
    """The audit log, read once the workers are done."""
    table = SlackAuditEntry.__table__

    def rows() -> list[dict[str, Any]]:
        wait_until_idle(bot_app)
        with engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(select(table).order_by(table.c.id))]

    return rows
