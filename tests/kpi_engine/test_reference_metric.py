"""The reference computation (MRR) through the runner, on both backends."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kpi_engine.catalog import load_catalog
from kpi_engine.compute.runner import run_metric
from kpi_engine.db.models import Account, Subscription
from kpi_engine.periods import Period
from kpi_engine.query import Filter, MetricQuery
from tests.conftest import insert_rows, insert_small_mrr_company


def test_mrr_stock_breakdown_series_and_filter(engine, settings) -> None:
    insert_small_mrr_company(engine)
    query = MetricQuery(metric="monthly recurring revenue", as_of=date(2026, 6, 10),
                        period=Period.calendar(date(2026, 4, 1), "month"), granularity="month",
                        breakdown="plan")
    with engine.connect() as conn:
        result = run_metric(conn, query, load_catalog(), settings)
    assert result.value == 157  # row 2026-04-01 .. 2026-05-01 counts at the end of April
    assert result.previous_period == Period.calendar(date(2026, 3, 1), "month")
    assert result.previous_value == 57  # not at the end of March
    assert [p.value for p in result.series] == [157]
    assert [(g.group, g.value) for g in result.breakdown] == [("pro", 100), ("basic", 50), ("(none)", 7)]
    filtered = query.model_copy(update={"filters": (Filter(dimension="plan", values=("basic",)),),
                                        "breakdown": None, "granularity": None})
    with engine.connect() as conn:
        assert run_metric(conn, filtered, load_catalog(), settings).value == 50


def test_survey_breakdown_hides_groups_under_five_responses(engine, settings) -> None:
    from kpi_engine.db.models import SurveyResponse

    insert_rows(engine, Account, [
        {"account_id": "big", "created_at": datetime(2026, 1, 1), "plan": "pro"},
        {"account_id": "small", "created_at": datetime(2026, 1, 1), "plan": "basic"},
    ])
    rows = [{"response_id": f"p{i}", "survey": "nps", "score": 10, "account_id": "big",
             "responded_at": datetime(2026, 6, 2, 12)} for i in range(5)]
    rows += [{"response_id": f"b{i}", "survey": "nps", "score": 0, "account_id": "small",
              "responded_at": datetime(2026, 6, 2, 12)} for i in range(4)]
    insert_rows(engine, SurveyResponse, rows)
    query = MetricQuery(metric="nps", as_of=date(2026, 7, 1), period=Period.calendar(date(2026, 6, 1), "month"),
                        breakdown="plan")
    with engine.connect() as conn:
        result = run_metric(conn, query, load_catalog(), settings)
    assert [(g.group, g.value, g.n) for g in result.breakdown] == [("pro", 100.0, 5)]
    assert result.hidden_groups == 1
    assert result.value == pytest.approx(100 * (5 - 4) / 9)  # the total still counts everyone
    assert result.to_json()["hidden_groups"] == 1


def test_account_dimension_filters_and_breaks_down_by_account(engine, settings) -> None:
    insert_rows(engine, Subscription, [
        {"subscription_id": "s1", "account_id": "a", "mrr": 100, "started_at": datetime(2026, 1, 1)},
        {"subscription_id": "s2", "account_id": "a", "mrr": 20, "started_at": datetime(2026, 1, 1)},
        {"subscription_id": "s3", "account_id": "b", "mrr": 50, "started_at": datetime(2026, 1, 1)},
    ])
    base = MetricQuery(metric="mrr", as_of=date(2026, 6, 1))
    with engine.connect() as conn:
        one = run_metric(conn, base.model_copy(update={"filters": (Filter(dimension="account", values=("a",)),)}),
                         load_catalog(), settings)
        split = run_metric(conn, base.model_copy(update={"breakdown": "account"}), load_catalog(), settings)
    assert one.value == 120
    assert [(g.group, g.value) for g in split.breakdown] == [("a", 120), ("b", 50)]
