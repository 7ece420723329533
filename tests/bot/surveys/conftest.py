"""Fixtures for the Slack side of surveys: the fake Slack, a fake clock, and a survey runtime on them."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.app import KpiBotApp, create_app
from bot.settings import ServerSettings
from bot.surveys.listeners import register
from bot.surveys.runtime import SurveyRuntime
from kpi_engine.settings import Settings
from tests.bot.support.served_app import served
from tests.bot.support.slack_requests import SlackSender
from tests.bot.surveys.fake_survey_slack import SurveyFakeSlack
from tests.conftest import make_app_settings
from tests.surveys.support import FakeClock, make_rules

# Monday 2 March 2026, 10:00 UTC = 11:00 in Paris: a good time to ask
MORNING = datetime(2026, 3, 2, 10, 0)


@pytest.fixture
def fake() -> Iterator[SurveyFakeSlack]:
    slack = SurveyFakeSlack().start()
    yield slack
    slack.stop()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MORNING)


@pytest.fixture
def make_runtime(engine: Engine, settings: Settings, fake: SurveyFakeSlack,
                 clock: FakeClock) -> Callable[..., SurveyRuntime]:
    def build(**rules: Any) -> SurveyRuntime:
        client = WebClient(token="xoxb-test", base_url=fake.api_url)
        values = {"KPIBOT_SURVEY_MESSAGES_PER_SECOND": 50, "KPIBOT_SURVEY_SENDER_THREADS": 1, **rules}
        return SurveyRuntime.build(engine, settings, client, rules=make_rules(**values), clock=clock)

    return build


SIGNING_SECRET = "survey-signing-secret-0123456789ab"


@dataclass
class ServedSurveys:
    app: KpiBotApp
    runtime: SurveyRuntime
    slack: SlackSender
    fake: SurveyFakeSlack

    def idle(self, timeout: float = 15.0) -> None:
        """Until the worker pools have nothing queued or running."""
        deadline = time.monotonic() + timeout
        while self.app.services.pool.pending or self.app.services.urgent.pending:
            assert time.monotonic() < deadline, "the workers are still busy"
            time.sleep(0.02)


@pytest.fixture
def served_surveys(db_url: str, engine: Engine, fake: SurveyFakeSlack) -> Iterator[ServedSurveys]:
    """The real app (factory + survey listeners) over HTTP; the sender is run by hand (`runtime.run_once()`).
    No quiet hours (the clock is real); detractors go to C0CX."""
    settings = make_app_settings(db_url, SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_BOT_TOKEN="xoxb-test",
                                 SLACK_API_URL=fake.api_url, KPIBOT_PRODUCT_NAME="Acme")
    config = ServerSettings(_env_file=None, KPIBOT_WORKERS=4)  # type: ignore[call-arg]
    app = create_app(settings, config=config, engine=engine)
    rules = make_rules(KPIBOT_SURVEY_QUIET_START="00:00", KPIBOT_SURVEY_QUIET_END="00:00",
                       KPIBOT_SURVEY_CX_CHANNEL="C0CX", KPIBOT_SURVEY_MESSAGES_PER_SECOND=200)
    runtime = register(app, runtime=SurveyRuntime.build(engine, settings.data, app.client, rules=rules),
                       start=False)
    fake.add_user("U0ADMIN", tz="Europe/Paris")
    with served(app) as url:
        sender = SlackSender(url, SIGNING_SECRET, response_url_base=f"{fake.url}/response")
        yield ServedSurveys(app, runtime, sender, fake)
        sender.close()
    runtime.stop()
    app.close()
