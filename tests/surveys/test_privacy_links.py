"""Account links (NPS by plan), the account context of alerts, forgetting a respondent and the CSV export."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select

from kpi_engine.catalog import load_catalog
from kpi_engine.compute.runner import run_metric
from kpi_engine.db.models import Account, Subscription, SurveyDelivery, SurveyResponse, Ticket, User
from kpi_engine.db.models.survey_campaigns import SurveyAccountLink, SurveyContact, SurveyDeliveryState
from kpi_engine.periods import Period
from kpi_engine.query import MetricQuery
from kpi_engine.settings import Settings
from surveys.account_context import account_context
from surveys.answers import load_delivery, record_comment, record_score
from surveys.deliveries import SentDelivery, claim_delivery, mark_sent, reserve_contact
from surveys.ids import delivery_id, response_id
from surveys.links import account_for, link_account, unlink_account
from surveys.privacy import EXPORT_COLUMNS, export_responses, forget_respondent
from tests.conftest import insert_rows, make_settings
from tests.surveys.support import new_campaign

T0 = datetime(2026, 3, 2, 10, 0)


def answered(engine: Engine, users: list[str], scores: list[int], account: str | None = None) -> str:
    campaign = new_campaign(engine, users, T0)
    for user, score in zip(users, scores, strict=True):
        did = delivery_id(campaign.campaign_id, user)
        reserve_contact(engine, did, user, T0, 90)
        token = claim_delivery(engine, did, T0)
        with engine.connect() as conn:
            linked = account_for(conn, user) or account
        mark_sent(engine, SentDelivery(did, campaign.campaign_id, "nps", user, linked, "D" + user, "1.1", T0), token)
        record_score(engine, load_delivery(engine, did), score, T0 + timedelta(minutes=1))
    return campaign.campaign_id


def count(engine: Engine, model: type) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(model.__table__)))


def test_account_comes_from_a_link_else_the_users_table(engine: Engine) -> None:
    insert_rows(engine, User, [{"user_id": "u-1", "account_id": "acc-users", "created_at": T0,
                                "slack_user_id": "U1"}])
    with engine.connect() as conn:
        assert account_for(conn, "U1") == "acc-users"
        assert account_for(conn, "U2") is None
    link_account(engine, "U1", "acc-linked", T0)
    with engine.connect() as conn:
        assert account_for(conn, "U1") == "acc-linked"
    assert unlink_account(engine, "U1")
    with engine.connect() as conn:
        assert account_for(conn, "U1") == "acc-users"


def test_linking_moves_earlier_answers_so_nps_by_plan_counts_them(engine: Engine, settings: Settings) -> None:
    insert_rows(engine, Account, [{"account_id": "acc-pro", "created_at": T0, "plan": "pro"}])
    answered(engine, ["U1", "U2"], [10, 4])
    assert link_account(engine, "U1", "acc-pro", T0) == 1
    query = MetricQuery(metric="nps", as_of=date(2026, 3, 31), period=Period.calendar(date(2026, 3, 1), "month"),
                        breakdown="plan", comparison="none")
    show_all = settings.model_copy(update={"survey_min_group_size": 1})  # two answers: privacy rule off
    with engine.connect() as conn:
        result = run_metric(conn, query, load_catalog(), show_all)
    assert [(g.group, g.value) for g in result.breakdown] == [("pro", 100.0), ("(none)", -100.0)]
    with engine.connect() as conn:
        assert conn.scalar(select(SurveyDelivery.__table__.c.account_id).where(
            SurveyDelivery.__table__.c.respondent_id == "U1")) == "acc-pro"


def test_account_context_uses_the_engine_definitions(engine: Engine) -> None:
    settings = make_settings(str(engine.url.render_as_string(hide_password=False)))
    day = date(2026, 4, 30)  # stock values at its end: the instant 2026-05-01 00:00 UTC
    insert_rows(engine, Account, [{"account_id": "a", "name": "Acme", "created_at": T0, "plan": "pro"}])
    insert_rows(engine, Subscription, [
        {"subscription_id": "s1", "account_id": "a", "mrr": 100, "started_at": datetime(2026, 4, 1),
         "ended_at": datetime(2026, 5, 1)},  # still active at the instant its end
        {"subscription_id": "s2", "account_id": "a", "mrr": 50, "started_at": datetime(2026, 3, 1)},
        {"subscription_id": "s3", "account_id": "a", "mrr": 7, "started_at": datetime(2026, 5, 1)},  # not yet
    ])
    insert_rows(engine, Ticket, [
        {"ticket_id": "t1", "account_id": "a", "opened_at": datetime(2026, 4, 2)},
        {"ticket_id": "t2", "account_id": "a", "opened_at": datetime(2026, 4, 2), "resolved_at": datetime(2026, 4, 3)},
        {"ticket_id": "t3", "account_id": "a", "opened_at": datetime(2026, 4, 2), "resolved_at": datetime(2026, 6, 1)},
        {"ticket_id": "t4", "account_id": "b", "opened_at": datetime(2026, 4, 2)},
    ])
    context = account_context(engine, settings, "a", day)
    assert (context.name, context.plan, context.mrr, context.open_tickets) == ("Acme", "pro", 150.0, 2)
    assert account_context(engine, settings, "missing", day).mrr == 0.0


def test_forget_removes_a_respondent_everywhere(engine: Engine) -> None:
    insert_rows(engine, User, [{"user_id": "u-1", "account_id": None, "created_at": T0, "slack_user_id": "U1",
                                "email": "ann@example.com"}])
    insert_rows(engine, SurveyResponse, [  # an imported answer under the product user id, and someone else's
        {"response_id": "imp-1", "survey": "csat", "score": 5, "respondent_id": "u-1", "responded_at": T0},
        {"response_id": "imp-2", "survey": "csat", "score": 4, "respondent_id": "u-2", "responded_at": T0}])
    campaign_id = answered(engine, ["U1", "U2"], [9, 3])
    link_account(engine, "U1", "acc", T0)
    forgotten = forget_respondent(engine, "ann@example.com")
    assert forgotten.slack_user_ids == ("U1",)
    assert (forgotten.responses, forgotten.deliveries, forgotten.delivery_states, forgotten.contacts,
            forgotten.links) == (2, 1, 1, 1, 1)
    with engine.connect() as conn:
        assert set(conn.scalars(select(SurveyResponse.__table__.c.response_id))) == {
            "imp-2", response_id(delivery_id(campaign_id, "U2"))}
    assert (count(engine, SurveyDelivery), count(engine, SurveyDeliveryState), count(engine, SurveyContact),
            count(engine, SurveyAccountLink)) == (1, 1, 1, 0)
    assert forget_respondent(engine, "<@U2|bob>").responses == 1


def test_export_writes_the_data_contract_columns(engine: Engine, tmp_path: Path) -> None:
    campaign_id = answered(engine, ["U1", "U2"], [9, 3])
    record_comment(engine, load_delivery(engine, delivery_id(campaign_id, "U2")), 'Slow, "really"\nslow')
    insert_rows(engine, SurveyResponse, [{"response_id": "imp-1", "survey": "csat", "score": 5,
                                          "responded_at": T0, "campaign_id": "other"}])
    path = tmp_path / "out" / "responses.csv"
    assert export_responses(engine, path) == 3
    assert export_responses(engine, tmp_path / "one.csv", campaign_id) == 2
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    assert (rows[0]["score"], rows[0]["respondent_id"]) == ("5", "")  # the oldest first
    assert sorted((r["score"], r["respondent_id"], r["comment"]) for r in rows[1:]) == [
        ("3", "U2", 'Slow, "really"\nslow'), ("9", "U1", "")]
    assert rows[1]["responded_at"] == "2026-03-02T10:01:00Z"
