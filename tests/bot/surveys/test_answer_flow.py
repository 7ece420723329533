"""Answering surveys through the real app over signed HTTP, against the fake Slack (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select

from bot.surveys.campaign_service import start_campaign
from kpi_engine.catalog import load_catalog
from kpi_engine.compute.runner import run_metric
from kpi_engine.db.models import Account, Subscription, SurveyResponse, Ticket
from kpi_engine.parser.core import parse_period
from kpi_engine.query import MetricQuery
from surveys.answers import NOT_FOR_YOU
from surveys.campaigns import close_campaign
from surveys.links import link_account
from tests.bot.surveys.conftest import ServedSurveys
from tests.bot.surveys.helpers import send_command
from tests.conftest import insert_rows

RESPONSES = SurveyResponse.__table__


def send(s: ServedSurveys, text: str, *people: str) -> str:
    s.fake.people(*people)
    started = start_campaign(s.runtime, send_command(text), team_id="T0TEAM", created_by="U0ADMIN",
                             bot_user_id="U0KPIBOT")
    assert s.runtime.run_once()["sent"] == len(people)
    return started.campaign.campaign_id


def survey_for(s: ServedSurveys, user: str) -> dict[str, Any]:
    for message in s.fake.surveys_posted():
        if message["channel"] == "D" + user[1:] or f"<@{user}>" in message["blocks"][0]["text"]["text"]:
            return message
    raise AssertionError(f"no survey for {user}")


def click(s: ServedSurveys, message: dict[str, Any], action_id: str, *, user: str,
          action_ts: str | None = None) -> None:
    button = next(e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
                  if e["action_id"] == action_id)
    action = {"type": "button", "block_id": "survey.scores", "action_id": action_id, "value": button["value"]}
    if action_ts is not None:
        action["action_ts"] = action_ts
    container = {"type": "message", "message_ts": message["ts"], "channel_id": message["channel"],
                 "is_ephemeral": False}
    response = s.slack.block_action(action, user_id=user, channel_id=message["channel"], container=container)
    assert response.status_code == 200


def responses(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        return conn.execute(select(RESPONSES)).all()


def nps_this_month(s: ServedSurveys) -> tuple[float | None, int | None]:
    today = datetime.now(UTC).date()
    query = MetricQuery(metric="nps", as_of=today, period=parse_period("this month", today), comparison="none")
    with s.runtime.engine.connect() as conn:
        result = run_metric(conn, query, load_catalog(), s.runtime.settings)
    return result.value, result.n


def test_full_nps_flow_send_click_comment_engine(served_surveys: ServedSurveys) -> None:
    s = served_surveys
    send(s, "survey send nps to <@U0ANN>", "U0ANN")
    message = survey_for(s, "U0ANN")
    assert message["text"] == "How likely are you to recommend Acme to a friend or colleague?"

    click(s, message, "survey.score.9", user="U0ANN")
    update = s.fake.wait_for("chat.update")[0].params
    assert (update["channel"], update["ts"]) == ("D0ANN", message["ts"])
    assert "You answered *9*" in update["blocks"][0]["text"]["text"]
    thanks = {"ts": message["ts"], "channel": "D0ANN", "blocks": update["blocks"]}
    assert all(not e["action_id"].startswith("survey.score.") for e in update["blocks"][1]["elements"])

    click(s, thanks, "survey.comment", user="U0ANN")
    modal = s.fake.wait_for("views.open")[0].params["view"]
    modal = modal if isinstance(modal, dict) else json.loads(modal)
    assert modal["blocks"][0]["label"]["text"] == "What's the main reason for your score?"
    state = {"values": {"survey.comment": {"survey.comment_text": {"type": "plain_text_input",
                                                                   "value": "Setup took minutes"}}}}
    submitted = s.slack.view_submission({"callback_id": modal["callback_id"],
                                         "private_metadata": modal["private_metadata"], "state": state},
                                        user_id="U0ANN")
    assert submitted.status_code == 200
    s.fake.wait_for("chat.update", 2)
    s.idle()
    assert "Setup took minutes" in s.fake.calls("chat.update")[-1].params["blocks"][0]["text"]["text"]
    [row] = responses(s.runtime.engine)
    assert (row.survey, row.score, row.comment, row.respondent_id) == ("nps", 9, "Setup took minutes", "U0ANN")
    assert nps_this_month(s) == (100.0, 1)
    assert s.fake.calls("chat.postMessage") and all(c.params["channel"] != "C0CX"
                                                    for c in s.fake.calls("chat.postMessage"))  # a promoter


def test_double_concurrent_and_retried_clicks_give_one_response(served_surveys: ServedSurveys) -> None:
    s = served_surveys
    send(s, "survey send nps to <@U0ANN>", "U0ANN")
    message = survey_for(s, "U0ANN")
    base = time.time()
    click(s, message, "survey.score.4", user="U0ANN", action_ts=f"{base:.6f}")
    click(s, message, "survey.score.4", user="U0ANN", action_ts=f"{base:.6f}")  # retried delivery
    clicks = [(score, f"{base + 1 + score / 100:.6f}") for score in range(11)]  # score 10 is the latest click
    with ThreadPoolExecutor(6) as pool:
        list(pool.map(lambda c: click(s, message, f"survey.score.{c[0]}", user="U0ANN", action_ts=c[1]),
                      reversed(clicks)))
    s.idle()
    [row] = responses(s.runtime.engine)
    assert row.score == 10
    assert nps_this_month(s) == (100.0, 1)


def test_someone_else_is_refused_and_nothing_is_recorded(served_surveys: ServedSurveys) -> None:
    s = served_surveys
    s.fake.members["C0SHARED"] = ["U0ANN", "U0BOB"]
    send(s, "survey send csat to <#C0SHARED|acme-shared> in channel", "U0ANN", "U0BOB")
    anns = survey_for(s, "U0ANN")
    assert anns["channel"] == "C0SHARED"
    click(s, anns, "survey.score.1", user="U0BOB")
    refusal = s.fake.wait_for("chat.postEphemeral")[0].params
    assert (refusal["user"], refusal["channel"], refusal["text"]) == ("U0BOB", "C0SHARED", NOT_FOR_YOU)
    s.idle()
    assert responses(s.runtime.engine) == [] and s.fake.calls("chat.update") == []
    click(s, anns, "survey.score.5", user="U0ANN")
    update = s.fake.wait_for("chat.update")[0].params
    assert "Your answer is recorded" in update["blocks"][0]["text"]["text"] and "5" not in update["text"]
    private = s.fake.wait_for("chat.postEphemeral", 2)[1].params
    assert (private["user"], private["text"]) == ("U0ANN", "Thank you! You answered 5 on a scale of 1 to 5.")


def test_closed_survey_answers_politely(served_surveys: ServedSurveys) -> None:
    s = served_surveys
    campaign_id = send(s, "survey send nps to <@U0ANN>", "U0ANN")
    close_campaign(s.runtime.engine, campaign_id, s.runtime.clock.now())
    click(s, survey_for(s, "U0ANN"), "survey.score.8", user="U0ANN")
    notice = s.fake.wait_for("chat.postEphemeral")[0].params["text"]
    assert notice.startswith("Thank you for wanting to answer! This survey has been closed")
    s.fake.wait_for("chat.update")
    assert responses(s.runtime.engine) == []


def test_detractor_goes_to_the_cx_channel_once_with_account_context(served_surveys: ServedSurveys) -> None:
    s = served_surveys
    now = datetime.now(UTC).replace(tzinfo=None)
    insert_rows(s.runtime.engine, Account, [{"account_id": "acc-9", "name": "Globex", "created_at": now,
                                             "plan": "pro"}])
    insert_rows(s.runtime.engine, Subscription, [{"subscription_id": "s9", "account_id": "acc-9", "mrr": 1200,
                                                  "started_at": datetime(2020, 1, 1)}])
    insert_rows(s.runtime.engine, Ticket, [{"ticket_id": "t9", "account_id": "acc-9",
                                            "opened_at": datetime(2020, 1, 2)}])
    link_account(s.runtime.engine, "U0ANN", "acc-9", now)
    send(s, "survey send nps to <@U0ANN>", "U0ANN")
    message = survey_for(s, "U0ANN")
    base = time.time()
    click(s, message, "survey.score.3", user="U0ANN", action_ts=f"{base:.6f}")
    click(s, message, "survey.score.2", user="U0ANN", action_ts=f"{base + 0.5:.6f}")
    s.idle()
    alerts = [c.params for c in s.fake.calls("chat.postMessage") if c.params["channel"] == "C0CX"]
    assert len(alerts) == 1
    text = alerts[0]["blocks"][1]["text"]["text"]
    assert "Account: *Globex* (acc-9) · plan *pro* · MRR *$1,200* · open tickets *1*" in text
    assert "<@U0ANN>" in alerts[0]["blocks"][0]["text"]["text"]
    modal_click = {"ts": message["ts"], "channel": "D0ANN", "blocks": [
        {"type": "actions", "elements": [{"action_id": "survey.comment", "value": message["blocks"][1]["elements"][0]
                                          ["value"]}]}]}
    click(s, modal_click, "survey.comment", user="U0ANN")
    modal = s.fake.wait_for("views.open")[0].params["view"]
    modal = modal if isinstance(modal, dict) else json.loads(modal)
    state = {"values": {"survey.comment": {"survey.comment_text": {"type": "plain_text_input",
                                                                   "value": "Exports keep failing"}}}}
    s.slack.view_submission({"callback_id": modal["callback_id"], "private_metadata": modal["private_metadata"],
                             "state": state}, user_id="U0ANN")
    s.fake.wait_for("chat.update", where=lambda c: c.params.get("channel") == "C0CX")
    s.idle()
    alert_update = [c.params for c in s.fake.calls("chat.update") if c.params["channel"] == "C0CX"][-1]
    assert "> Exports keep failing" in alert_update["blocks"][1]["text"]["text"]
    assert "2 on 0–10" in alert_update["text"]
