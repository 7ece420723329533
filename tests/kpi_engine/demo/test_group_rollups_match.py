"""On the small demo, usage by one account dimension or by feature (read from the per-group rollups) equals the same
question answered from per-user rows: a filter on a second dimension that keeps every value forces that
path without changing the users counted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from kpi_engine.catalog import load_catalog
from kpi_engine.compute.dimensions import NONE_GROUP
from kpi_engine.compute.runner import run_metric
from kpi_engine.db.models import Account
from kpi_engine.periods import Period
from kpi_engine.query import Filter, MetricQuery
from kpi_engine.results import MetricResult
from kpi_engine.settings import Settings
from tests.kpi_engine.demo.conftest import DEMO_END

CATALOG = load_catalog()
LAST_QUARTER = Period.calendar(Period.calendar(DEMO_END, "quarter").start - timedelta(days=1), "quarter")
METRICS = ("dau", "wau", "mau", "stickiness", "active_users", "page_views", "sessions", "avg_session_duration",
           "bounce_rate", "actions_per_session", "sessions_per_user", "feature_adoption_rate")
OTHER = {"plan": "country", "country": "segment", "segment": "channel", "channel": "plan"}


def _keep_everyone(engine: Engine, dimension: str) -> Filter:
    with engine.connect() as conn:
        values = conn.execute(select(getattr(Account, dimension)).distinct()).scalars()
        return Filter(dimension=dimension, values=(*sorted({v for v in values if v}), NONE_GROUP))


def _run(engine: Engine, settings: Settings, metric: str, **query: object) -> MetricResult:
    metric_query = MetricQuery(metric=metric, as_of=DEMO_END, period=LAST_QUARTER, **query)  # type: ignore[arg-type]
    with engine.connect() as conn:
        return run_metric(conn, metric_query, CATALOG, settings)


def _rounded(result: MetricResult) -> tuple[object, ...]:
    def r(value: float | None) -> float | None:
        return None if value is None else round(value, 9)

    return (r(result.value), r(result.previous_value), sorted((g.group, r(g.value)) for g in result.breakdown or []),
            [r(p.value) for p in result.series or []])


@pytest.mark.parametrize("dimension", ["plan", "country", "segment", "channel"])
@pytest.mark.parametrize("metric", METRICS)
def test_breakdown_matches_per_user_rows(small_demo, metric: str, dimension: str) -> None:
    engine, settings = small_demo
    fast = _run(engine, settings, metric, breakdown=dimension)
    slow = _run(engine, settings, metric, breakdown=dimension, filters=(_keep_everyone(engine, OTHER[dimension]),))
    assert len(fast.breakdown or []) >= 2
    assert _rounded(fast) == _rounded(slow)


@pytest.mark.parametrize("metric", ["feature_users", "feature_adoption_rate"])
def test_by_feature_matches_per_user_rows(small_demo, metric: str) -> None:
    engine, settings = small_demo
    fast = _run(engine, settings, metric, breakdown="feature", granularity="month")
    slow = _run(engine, settings, metric, breakdown="feature", granularity="month",
                filters=(_keep_everyone(engine, "plan"),))
    assert len(fast.breakdown or []) >= 3
    assert _rounded(fast) == _rounded(slow)


@pytest.mark.parametrize("metric", ["mau", "stickiness", "active_users", "avg_session_duration"])
def test_filtered_monthly_series_matches_per_user_rows(small_demo, metric: str) -> None:
    engine, settings = small_demo
    plans = _keep_everyone(engine, "plan").values
    on_plan = Filter(dimension="plan", values=(plans[0],))
    fast = _run(engine, settings, metric, granularity="month", filters=(on_plan,))
    slow = _run(engine, settings, metric, granularity="month", filters=(on_plan, _keep_everyone(engine, "channel")))
    assert len(fast.series or []) == 3
    assert fast.value
    assert _rounded(fast) == _rounded(slow)
