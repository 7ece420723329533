"""`/kpi survey …` through `handle_survey_command` (replies through a response_url on the fake Slack), and the
Bolt-style `survey_command` entry on a signed slash command (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.respond import Respond
from sqlalchemy import select

from bot.access import Asker
from bot.listeners.commands.survey import handle_survey_command, survey_command
from kpi_engine.db.models.survey_campaigns import SurveyAccountLink
from surveys.answers import load_delivery, record_score
from surveys.campaigns import latest_campaign
from surveys.ids import delivery_id
from tests.bot.support.fake_slack import TEAM_ID
from tests.bot.surveys.conftest import ServedSurveys


def run(s: ServedSurveys, text: str, user: str = "U0ADMIN") -> dict[str, Any]:
    """Runs the command and returns what it answered through the response_url."""
    before = len(s.fake.calls("response_url"))
    respond = Respond(response_url=s.fake.response_url(f"r{before}"))
    handle_survey_command(text, services=s.app.services, runtime=s.runtime, client=s.app.client,
                          asker=Asker(user, "C0GENERAL", TEAM_ID), respond=respond, bot_user_id="U0KPIBOT")
    calls = s.fake.calls("response_url")
    assert len(calls) == before + 1
    return calls[-1].params


def section_text(reply: dict[str, Any]) -> str:
    return "\n".join(b["text"]["text"] for b in reply.get("blocks") or [] if b["type"] == "section")


def test_send_status_results_list_close(served_surveys: ServedSurveys) -> None:
    s = served_surveys
    s.fake.people("U0ANN", "U0BOB")
    s.fake.emails["bob@example.com"] = "U0BOB"
    reply = run(s, 'survey send csat to <@U0ANN> bob@example.com question "How was your onboarding?" '
                   "expires in 7 days topic onboarding")
    assert reply["response_type"] == "ephemeral"
    campaign = latest_campaign(s.runtime.engine)
    assert campaign is not None and campaign.question == "How was your onboarding?" and campaign.topic == "onboarding"
    assert f"CSAT survey {campaign.campaign_id} started: 2 people to ask." in section_text(reply)
    s.runtime.run_once()

    status = section_text(run(s, "survey status"))
    assert "2 people: 2 sent, 0 answered, 0 reminded" in status

    empty = section_text(run(s, f"survey results {campaign.campaign_id}"))
    assert "CSAT: no answers yet" in empty and "Response rate 0.0% (0 of 2 answered)" in empty
    assert s.fake.calls("upload") == []  # no chart without answers

    for user, score in (("U0ANN", 5), ("U0BOB", 2)):
        record_score(s.runtime.engine, load_delivery(s.runtime.engine, delivery_id(campaign.campaign_id, user)),
                     score, s.runtime.clock.now())
    results = run(s, "survey results csat")
    assert "*CSAT 50.0% (n = 2, 95% interval -19.3% to 119.3%)*" in section_text(results)
    images = [b for b in results["blocks"] if b["type"] == "image"]
    assert len(images) == 1 and images[0]["slack_file"]["id"].startswith("F")
    assert s.fake.calls("upload")[0].body[:8] == b"\x89PNG\r\n\x1a\n"

    listing = section_text(run(s, "survey list"))
    assert f"{campaign.campaign_id}: CSAT to <@U0ANN> bob@example.com — active" in listing
    assert run(s, f"survey close {campaign.campaign_id}")["text"] == f"Campaign `{campaign.campaign_id}` closed."
    assert run(s, f"survey close {campaign.campaign_id}")["text"] == f"Campaign `{campaign.campaign_id}` was not open."


def test_link_help_mistakes_and_refusals(served_surveys: ServedSurveys) -> None:
    s = served_surveys
    assert "now counts for account `acc-1`" in run(s, "survey link <@U0ANN|ann> acc-1")["text"]
    with s.runtime.engine.connect() as conn:
        assert conn.scalar(select(SurveyAccountLink.__table__.c.account_id)) == "acc-1"
    assert "Surveys in Slack" in section_text(run(s, "survey help"))
    assert run(s, "survey status")["text"].startswith("No survey campaign yet")
    assert run(s, "survey results nope-1")["text"] == "I don't know the campaign `nope-1`. See `/kpi survey list`."
    assert "Say whom to ask" in run(s, "survey send nps")["text"]
    assert "Nobody to ask: <#C0EMPTY>" in run(s, "survey send nps to <#C0EMPTY|empty>")["text"]
    s.fake.add_user("U0GUEST", is_restricted=True)
    assert run(s, "survey list", user="U0GUEST")["text"].startswith("Sorry, KPIs are only available")


def test_bolt_entry_acks_then_answers(served_surveys: ServedSurveys) -> None:
    s = served_surveys
    s.app.command("/survey-test")(survey_command)
    body = s.slack.command_body("survey list", user_id="U0ADMIN", channel_id="C0GENERAL", command="/survey-test",
                                response_url=s.fake.response_url("bolt"))
    response = s.slack.post(body, "application/x-www-form-urlencoded")
    assert response.status_code == 200
    reply = s.fake.wait_for("response_url")[0].params
    assert "No survey campaigns yet." in section_text(reply)
