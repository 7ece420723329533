"""Small builders shared by the subscription metric tests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine

from kpi_engine.catalog import load_catalog
from kpi_engine.compute.runner import run_metric
from kpi_engine.periods import Period
from kpi_engine.query import MetricQuery
from kpi_engine.results import MetricResult
from kpi_engine.settings import Settings

AS_OF = date(2026, 12, 31)


def month(year: int, number: int) -> Period:
    return Period.calendar(date(year, number, 1), "month")


def account(account_id: str, **attributes: Any) -> dict[str, Any]:
    return {"account_id": account_id, "created_at": datetime(2025, 1, 1), **attributes}


def sub(subscription_id: str, account_id: str, mrr: float, started: datetime,
        ended: datetime | None = None) -> dict[str, Any]:
    return {"subscription_id": subscription_id, "account_id": account_id, "mrr": mrr, "started_at": started,
            "ended_at": ended}


def ask(engine: Engine, settings: Settings, metric: str, period: Period | None, **fields: Any) -> MetricResult:
    query = MetricQuery(metric=metric, as_of=fields.pop("as_of", AS_OF), period=period, **fields)
    with engine.connect() as conn:
        return run_metric(conn, query, load_catalog(), settings)


def value(engine: Engine, settings: Settings, metric: str, period: Period, **fields: Any) -> float | None:
    return ask(engine, settings, metric, period, comparison="none", **fields).value


def groups(result: MetricResult) -> dict[str, float | None]:
    return {g.group: g.value for g in result.breakdown or []}
