"""`kpibot survey …` end to end against the fake Slack (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner, Result

from bot.cli.main import app
from surveys.answers import load_delivery, record_comment, record_score
from surveys.campaigns import latest_campaign
from surveys.clock import SystemClock
from surveys.ids import delivery_id
from tests.bot.surveys.fake_survey_slack import SurveyFakeSlack

runner = CliRunner()


@pytest.fixture
def env(db_url: str, fake: SurveyFakeSlack) -> dict[str, Any]:
    fake.people("U0ANN", "U0BOB", "U0CAT")
    fake.emails["cat@example.com"] = "U0CAT"
    return {"DATABASE_URL": db_url, "KPI_TIMEZONE": "UTC", "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_API_URL": fake.api_url, "KPIBOT_SURVEY_QUIET_START": "00:00", "KPIBOT_SURVEY_QUIET_END": "00:00",
            "KPIBOT_SURVEY_MESSAGES_PER_SECOND": "100", "KPIBOT_PRODUCT_NAME": "Acme"}


def kpibot(env: dict[str, Any], *args: str) -> Result:
    result = runner.invoke(app, ["survey", *args], env=env, catch_exceptions=False)
    return result


def test_send_results_export_forget(env: dict[str, Any], engine: Engine, fake: SurveyFakeSlack,
                                    tmp_path: Path) -> None:
    sent = kpibot(env, "send", "nps", "to", "U0ANN", "U0BOB", "cat@example.com", "question",
                  "Would you recommend Acme?")
    assert sent.exit_code == 0, sent.output
    assert "3 people to ask" in sent.output and "Sending: 3 sent" in sent.output
    assert sorted(fake.surveys_per_user()) == ["D0ANN", "D0BOB", "D0CAT"]
    campaign = latest_campaign(engine)
    assert campaign is not None and campaign.question == "Would you recommend Acme?"
    now = SystemClock().now()
    for user, score in (("U0ANN", 10), ("U0BOB", 9), ("U0CAT", 2)):
        record_score(engine, load_delivery(engine, delivery_id(campaign.campaign_id, user)), score, now)
    record_comment(engine, load_delivery(engine, delivery_id(campaign.campaign_id, "U0CAT")), "Too slow")

    status = kpibot(env, "status")
    assert "3 people: 3 sent, 3 answered, 0 reminded" in status.output
    chart = tmp_path / "nps.png"
    results = kpibot(env, "results", "detractors", "--chart", str(chart))
    assert results.exit_code == 0, results.output
    # 2 promoters, 1 detractor of 3: NPS 33.3; 196 × sqrt((1 − 1/9) / 3) = 106.7
    assert "NPS 33.3 (n = 3, 95% interval -73.4 to 140)" in results.output
    assert "Response rate 100.0% (3 of 3 answered)" in results.output
    assert "1 plan(s) with fewer than 5 answers not shown" in results.output
    assert "2 · U0CAT" not in results.output and "2 · <@U0CAT> · (none)" in results.output
    assert chart.read_bytes()[:4] == b"\x89PNG"

    assert kpibot(env, "link", "<@U0ANN>", "acc-1").output.strip() == (
        "U0ANN now counts for account acc-1 (1 earlier answer(s) moved).")
    exported = tmp_path / "responses.csv"
    assert "3 response(s) written" in kpibot(env, "export", str(exported)).output
    with exported.open(newline="") as handle:
        rows = {r["respondent_id"]: r for r in csv.DictReader(handle)}
    assert (rows["U0ANN"]["account_id"], rows["U0CAT"]["comment"]) == ("acc-1", "Too slow")
    forgot = kpibot(env, "forget", "U0CAT")
    assert "Forgot U0CAT: 1 answer(s), 1 delivery(ies)" in forgot.output
    assert "2 response(s) written" in kpibot(env, "export", str(exported)).output
    assert "2 people: 2 sent, 2 answered" in kpibot(env, "status").output


def test_list_close_dispatch_and_mistakes(env: dict[str, Any]) -> None:
    assert "No survey campaigns yet." in kpibot(env, "list").output
    planned = kpibot(env, "send", "csat", "to", "U0ANN", "--plan-only")
    assert planned.exit_code == 0 and "Sending:" not in planned.output
    assert "Sending: 1 sent" in kpibot(env, "dispatch").output
    assert "Sending: nothing due now" in kpibot(env, "dispatch").output
    listed = kpibot(env, "list").output
    campaign_id = listed.split(":")[0].strip()
    assert "CSAT to <@U0ANN> — active" in listed
    assert f"Campaign {campaign_id} closed." in kpibot(env, "close", campaign_id).output
    assert kpibot(env, "close", "nope").exit_code == 1
    wrong = kpibot(env, "send", "nps", "to", "@ann")
    assert wrong.exit_code == 1 and "can't tell who" in wrong.output
    assert kpibot(env, "link", "ann", "acc").exit_code == 1
    no_token = kpibot({**env, "SLACK_BOT_TOKEN": ""}, "send", "nps", "to", "U0ANN")
    assert no_token.exit_code == 1 and "SLACK_BOT_TOKEN" in no_token.output
