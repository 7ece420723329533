"""The runtime's background thread sends a new campaign at once when woken, and stops cleanly."""

from __future__ import annotations

from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.app import create_app
from bot.settings import ServerSettings
from bot.surveys.campaign_service import start_campaign
from bot.surveys.listeners import register, start_survey_sender, stop_survey_sender, survey_runtime
from bot.surveys.runtime import SurveyRuntime
from kpi_engine.settings import Settings
from tests.bot.surveys.fake_survey_slack import SurveyFakeSlack
from tests.bot.surveys.helpers import send_command
from tests.conftest import make_app_settings
from tests.surveys.support import make_rules


def test_woken_thread_sends_and_stops(engine: Engine, settings: Settings, fake: SurveyFakeSlack) -> None:
    fake.people("U0ANN", "U0BOB")
    rules = make_rules(KPIBOT_SURVEY_QUIET_START="00:00", KPIBOT_SURVEY_QUIET_END="00:00",
                       KPIBOT_SURVEY_POLL_SECONDS=3600, KPIBOT_SURVEY_MESSAGES_PER_SECOND=100)
    runtime = SurveyRuntime.build(engine, settings, WebClient(token="xoxb-test", base_url=fake.api_url), rules=rules)
    runtime.start()
    try:
        assert runtime.running
        start_campaign(runtime, send_command("survey send nps to <@U0ANN> <@U0BOB>"), team_id=None,
                       created_by="U0ADMIN", bot_user_id=None)  # wakes the thread (the poll is an hour)
        fake.wait_for("chat.postMessage", 2)
    finally:
        runtime.stop()
    assert not runtime.running
    fake.settle(0.2)
    assert fake.surveys_per_user() == {"D0ANN": 1, "D0BOB": 1}


def test_app_runtime_starts_with_the_first_campaign_or_on_serve(engine: Engine, db_url: str,
                                                                 fake: SurveyFakeSlack) -> None:
    settings = make_app_settings(db_url, SLACK_SIGNING_SECRET="s", SLACK_BOT_TOKEN="xoxb-test",
                                 SLACK_API_URL=fake.api_url)
    config = ServerSettings(_env_file=None, KPIBOT_WORKERS=1)  # type: ignore[call-arg]
    app = create_app(settings, engine=engine, config=config)
    try:
        register(app)
        runtime = survey_runtime(app)
        assert runtime is not None and runtime.autostart and not runtime.running
        assert runtime.client.token == "xoxb-test" and runtime.client.retry_handlers == []
        runtime.wake()
        assert runtime.running
        stop_survey_sender(app)
        assert not runtime.running
        start_survey_sender(app)
        assert runtime.running
    finally:
        stop_survey_sender(app)
        app.close()
