"""Survey metrics (KPI_SPEC §6, §10) on both backends, with hand-worked numbers."""

from __future__ import annotations

import pytest

from kpi_engine.db.models import Account, SurveyDelivery, SurveyResponse
from kpi_engine.settings import Settings
from tests.conftest import insert_rows
from tests.kpi_engine.compute.other.helpers import FEBRUARY, MARCH, ask, groups, ts


def response(response_id: str, survey: str, score: int, at: str, **extra: object) -> dict[str, object]:
    return {"response_id": response_id, "survey": survey, "score": score, "responded_at": ts(at), **extra}


def test_published_nps_example(engine, settings) -> None:
    """100 responses: 60 promoters, 25 passives, 15 detractors → NPS 45, 95% interval ± 14.5."""
    scores = [9, 10] * 30 + [7, 8] * 12 + [8] + [0, 3, 6] * 5
    insert_rows(engine, SurveyResponse, [
        response(f"r{i}", "nps", score, f"2026-04-{1 + i % 30:02d} 12:00") for i, score in enumerate(scores)
    ])
    nps = ask(engine, settings, "net promoter score")
    assert nps.value == pytest.approx(45.0)
    assert nps.n == 100
    low, high = nps.ci95
    assert low == pytest.approx(30.5, abs=0.05)
    assert high == pytest.approx(59.5, abs=0.05)
    assert nps.parts == pytest.approx({"promoters": 0.6, "passives": 0.25, "detractors": 0.15})
    assert nps.to_json()["ci95"] == [low, high]


@pytest.fixture
def answers(engine):
    insert_rows(engine, Account, [{"account_id": "a", "created_at": ts("2025-01-01 00:00"), "plan": "pro"}])
    insert_rows(engine, SurveyResponse, [
        # r1 answered campaign c1 twice: only the later 10 counts
        response("x1", "nps", 0, "2026-04-02 00:00", respondent_id="r1", campaign_id="c1", account_id="a"),
        response("x2", "nps", 10, "2026-04-05 00:00", respondent_id="r1", campaign_id="c1", account_id="a",
                 topic="onboarding"),
        # no campaign / no respondent: always counts
        response("x3", "nps", 3, "2026-04-06 00:00", respondent_id="r1", topic="pricing"),
        response("x4", "nps", 9, "2026-04-07 00:00", campaign_id="c1", topic="pricing"),
        # r2's March answer to c1 is replaced by the April one
        response("x5", "nps", 2, "2026-03-10 00:00", respondent_id="r2", campaign_id="c1"),
        response("x6", "nps", 9, "2026-04-09 00:00", respondent_id="r2", campaign_id="c1", account_id="a"),
        response("x7", "nps", 8, "2026-03-15 00:00", respondent_id="r3", campaign_id="c2"),
        # same instant twice: the larger response_id counts
        response("x8a", "nps", 0, "2026-03-20 00:00", respondent_id="r4", campaign_id="c2"),
        response("x8b", "nps", 10, "2026-03-20 00:00", respondent_id="r4", campaign_id="c2"),
        # csat: 3 of 5 score 4-5; ces: 7, 5, 6
        *[response(f"c{i}", "csat", s, "2026-04-10 00:00") for i, s in enumerate([5, 4, 3, 1, 5])],
        *[response(f"e{i}", "ces", s, "2026-04-11 00:00", topic="billing") for i, s in enumerate([7, 5, 6])],
    ])
    return engine


def test_latest_response_of_a_respondent_to_a_campaign_counts(answers, settings) -> None:
    nps = ask(answers, settings, "nps")
    assert nps.n == 4  # x2, x3, x4, x6
    assert nps.value == pytest.approx(50.0)  # 3 promoters (10, 9, 9), 1 detractor (3)
    # the answers end on Apr 11: April is compared with Mar 1–11 (KPI_SPEC §1), where r2's x5 is replaced by x6
    assert nps.previous_value is None and nps.comparison_text == "Apr 1–11 vs Mar 1–11 (data to Apr 11)"
    responses = ask(answers, settings, "survey responses")
    assert (responses.value, responses.previous_value) == (12, 0)  # 4 nps + 5 csat + 3 ces; none kept Mar 1–11
    march = ask(answers, settings, "nps", period=MARCH)
    assert march.value == pytest.approx(50.0)  # all of March: x7 passive, x8b promoter (x5, x8a replaced)


def test_nps_breakdowns_put_responses_without_account_or_topic_in_none(answers, settings) -> None:
    by_plan = ask(answers, settings, "nps", breakdown="plan")
    assert [(g.group, g.value, g.n) for g in by_plan.breakdown] == [("pro", 100.0, 2), ("(none)", 0.0, 2)]
    assert groups(ask(answers, settings, "nps", breakdown="topic")) == [
        ("(none)", 100.0), ("onboarding", 100.0), ("pricing", 0.0)]
    assert groups(ask(answers, settings, "survey_responses", breakdown="survey")) == [
        ("csat", 5), ("nps", 4), ("ces", 3)]


def test_csat_share_of_4_and_5(answers, settings) -> None:
    csat = ask(answers, settings, "customer satisfaction")
    assert (csat.value, csat.n) == (pytest.approx(0.6), 5)
    half_width = 1.96 * (0.6 * 0.4 / 5) ** 0.5
    assert csat.ci95 == pytest.approx((0.6 - half_width, 0.6 + half_width))


def test_ces_mean_score(answers, settings) -> None:
    ces = ask(answers, settings, "customer effort score")
    assert (ces.value, ces.n) == (pytest.approx(6.0), 3)
    half_width = 1.96 * 1.0 / 3**0.5  # sample standard deviation of 7, 5, 6 is 1
    assert ces.ci95 == pytest.approx((6.0 - half_width, 6.0 + half_width))
    assert ask(answers, settings, "ces", filters={"topic": ["billing"]}).value == pytest.approx(6.0)


def test_no_responses_no_score(answers, settings) -> None:
    for metric in ("nps", "csat", "ces"):
        result = ask(answers, settings, metric, period=FEBRUARY)
        assert (result.value, result.n, result.ci95) == (None, None, None), metric
    assert ask(answers, settings, "survey_responses", period=FEBRUARY).value == 0


def test_response_rate_over_deliveries_sent_in_the_period(answers, settings) -> None:
    def delivery(delivery_id: str, at: str, response_id: str | None, survey: str = "nps") -> dict[str, object]:
        return {"delivery_id": delivery_id, "campaign_id": "c1", "survey": survey, "respondent_id": delivery_id,
                "sent_at": ts(at), "response_id": response_id}

    insert_rows(answers, SurveyDelivery, [
        delivery("d1", "2026-04-01 00:00", "x2"),
        delivery("d2", "2026-04-03 00:00", None),
        delivery("d3", "2026-04-04 00:00", "ghost"),  # no such response: not answered
        delivery("d4", "2026-03-30 00:00", "x6"),  # sent in March, answered in April
        delivery("d5", "2026-04-10 00:00", "c0", survey="csat"),
    ])
    rate = ask(answers, settings, "response rate")
    assert (rate.value, rate.n) == (0.5, 4)  # d1, d5 of d1, d2, d3, d5
    assert rate.previous_value is None  # deliveries end Apr 10: Mar 1–10 has none (d4 was sent Mar 30)
    assert ask(answers, settings, "survey_response_rate", period=MARCH).value == 1.0  # d4, answered by x6
    assert groups(ask(answers, settings, "survey_response_rate", breakdown="survey")) == [
        ("csat", 1.0), ("nps", 1 / 3)]
    assert ask(answers, settings, "survey_response_rate", period=FEBRUARY).value is None


def test_imported_responses_alone_have_no_response_rate(answers, settings) -> None:
    assert ask(answers, settings, "survey_response_rate").value is None


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """These tests check grouping on a handful of responses: show every group (privacy rule tested elsewhere)."""
    return settings.model_copy(update={"survey_min_group_size": 1})
