"""Recording answers (one row per delivery, the latest click wins), who may answer, and what the KPI engine
then computes from them, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from kpi_engine.catalog import load_catalog
from kpi_engine.compute.runner import run_metric
from kpi_engine.db.models import SurveyDelivery, SurveyResponse
from kpi_engine.parser.core import parse_period
from kpi_engine.query import MetricQuery
from kpi_engine.settings import Settings
from surveys.answers import NOT_FOR_YOU, UNKNOWN, answer_of, load_delivery, record_comment, record_score, refusal_for
from surveys.campaigns import Campaign, close_campaign
from surveys.deliveries import SentDelivery, claim_delivery, mark_sent
from surveys.ids import delivery_id, pseudonym, response_id
from tests.surveys.support import new_campaign

T0 = datetime(2026, 3, 2, 10, 0)
AS_OF = date(2026, 3, 20)


def send(engine: Engine, campaign: Campaign, user: str, account: str | None = None) -> str:
    did = delivery_id(campaign.campaign_id, user)
    token = claim_delivery(engine, did, T0)
    respondent = pseudonym(campaign.campaign_id, user) if campaign.anonymous else user
    mark_sent(engine, SentDelivery(did, campaign.campaign_id, campaign.survey, respondent, account, "D" + user,
                                   "1.1", T0), token)
    return did


def engine_value(engine: Engine, settings: Settings, metric: str) -> tuple[float | None, int | None]:
    query = MetricQuery(metric=metric, as_of=AS_OF, period=parse_period("this month", AS_OF), comparison="none")
    with engine.connect() as conn:
        result = run_metric(conn, query, load_catalog(), settings)
    return result.value, result.n


def test_latest_click_wins_and_comment_survives(engine: Engine, settings: Settings) -> None:
    campaign = new_campaign(engine, ["U1"], T0)
    did = send(engine, campaign, "U1", "acc-1")
    view = load_delivery(engine, did)
    assert view is not None and view.account_id == "acc-1"
    assert record_score(engine, view, 9, T0 + timedelta(minutes=2)).score == 9
    assert record_score(engine, view, 3, T0 + timedelta(minutes=1)).score == 9  # an older click arriving late
    assert record_comment(engine, view, "  Fast and simple  ").comment == "Fast and simple"
    answer = record_score(engine, view, 10, T0 + timedelta(minutes=3))
    assert (answer.score, answer.comment, answer.responded_at) == (10, "Fast and simple", T0 + timedelta(minutes=3))
    with engine.connect() as conn:
        rows = conn.execute(select(SurveyResponse.__table__)).all()
        delivery = conn.execute(select(SurveyDelivery.__table__)).one()
    assert len(rows) == 1
    row = rows[0]
    assert (row.response_id, row.survey, row.score, row.respondent_id, row.account_id, row.campaign_id) == (
        response_id(did), "nps", 10, "U1", "acc-1", campaign.campaign_id)
    assert delivery.response_id == response_id(did)
    assert engine_value(engine, settings, "nps") == (100.0, 1)


def test_scores_outside_the_scale_are_refused(engine: Engine) -> None:
    campaign = new_campaign(engine, ["U1"], T0, survey="csat")
    view = load_delivery(engine, send(engine, campaign, "U1"))
    assert view is not None
    with pytest.raises(ValueError, match="outside the csat scale"):
        record_score(engine, view, 0, T0)
    assert answer_of(engine, view.delivery_id) is None
    assert record_comment(engine, view, "no score yet") is None


def test_who_may_answer(engine: Engine) -> None:
    campaign = new_campaign(engine, ["U1"], T0, expire_days=14)
    view = load_delivery(engine, send(engine, campaign, "U1"))
    assert refusal_for(view, "U1", T0 + timedelta(days=1)) is None
    assert refusal_for(view, "U2", T0 + timedelta(days=1)).message == NOT_FOR_YOU
    assert refusal_for(None, "U1", T0).message == UNKNOWN
    closed = refusal_for(view, "U1", T0 + timedelta(days=14))
    assert closed.reason == "closed" and "closed on March 16, 2026" in closed.message
    close_campaign(engine, campaign.campaign_id, T0)
    assert refusal_for(load_delivery(engine, view.delivery_id), "U1", T0).reason == "closed"


def test_anonymous_answers_keep_no_identity(engine: Engine, settings: Settings) -> None:
    campaign = new_campaign(engine, ["U1", "U2", "U3"], T0, anonymous=True)
    for user, score in (("U1", 10), ("U2", 3)):
        view = load_delivery(engine, send(engine, campaign, user, "acc-1"))
        record_score(engine, view, score, T0 + timedelta(hours=1))
    send(engine, campaign, "U3")  # sent, never answered
    with engine.connect() as conn:
        respondents = set(conn.scalars(select(SurveyResponse.__table__.c.respondent_id)))
        delivered_to = set(conn.scalars(select(SurveyDelivery.__table__.c.respondent_id)))
    assert respondents == {None}
    assert len(delivered_to) == 3 and all(r.startswith("anon-") and "U1" not in r for r in delivered_to)
    # one promoter, one detractor → NPS 0 from 2 answers; 2 of 3 deliveries answered
    assert engine_value(engine, settings, "nps") == (0.0, 2)
    rate, n = engine_value(engine, settings, "survey_response_rate")
    assert (round(rate, 4), n) == (0.6667, 3)
