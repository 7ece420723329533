"""Shared helpers for the product usage tests: hand-made users/events, loaded like an import would."""

from __future__ import annotations

from datetime import date, datetime
from itertools import count
from typing import Any

from sqlalchemy import Engine

from kpi_engine.catalog import load_catalog
from kpi_engine.compute.runner import run_metric
from kpi_engine.db.models import Account, Event, User
from kpi_engine.derived import refresh_after_import
from kpi_engine.periods import Period
from kpi_engine.query import Filter, MetricQuery
from kpi_engine.results import MetricResult
from kpi_engine.settings import Settings
from tests.conftest import insert_rows

AS_OF = date(2026, 6, 30)
_ids = count(1)


def ts(text: str) -> datetime:
    """'2026-03-01 10:00' → naive UTC datetime (how timestamps are stored)."""
    return datetime.fromisoformat(text)


def ev(user: str, at: str, name: str = "click", feature: str | None = None, session: str | None = None
       ) -> dict[str, Any]:
    return {"event_id": f"ev{next(_ids)}", "user_id": user, "occurred_at": ts(at), "name": name,
            "feature": feature, "session_id": session}


def user(user_id: str, created: str, account: str | None = None) -> dict[str, Any]:
    return {"user_id": user_id, "account_id": account, "created_at": ts(created)}


def load(engine: Engine, settings: Settings, users: list[dict[str, Any]] | None = None,
         events: list[dict[str, Any]] | None = None, plans: dict[str, str] | None = None) -> None:
    """Accounts (id → plan), users and events, then the derived tables refreshed as an import does."""
    insert_rows(engine, Account, [{"account_id": a, "created_at": ts("2025-01-01 00:00"), "plan": p}
                                  for a, p in (plans or {}).items()])
    insert_rows(engine, User, users or [])
    insert_rows(engine, Event, events or [])
    with engine.begin() as conn:
        refresh_after_import(conn, settings, "users")
        refresh_after_import(conn, settings, "events")


def ask(engine: Engine, settings: Settings, metric: str, period: Period, **query: Any) -> MetricResult:
    """Runs a metric query through the runner; `filters={"dim": ["v"]}` is accepted for brevity."""
    filters = tuple(Filter(dimension=d, values=tuple(v)) for d, v in query.pop("filters", {}).items())
    metric_query = MetricQuery(metric=metric, as_of=AS_OF, period=period, filters=filters, **query)
    with engine.connect() as conn:
        return run_metric(conn, metric_query, load_catalog(), settings)


def days(start: str, end: str) -> Period:
    return Period(date.fromisoformat(start), date.fromisoformat(end))


def groups(result: MetricResult) -> dict[str, float | None]:
    return {g.group: g.value for g in result.breakdown or []}


def series(result: MetricResult) -> list[float | None]:
    return [p.value for p in result.series or []]


def approx(values: Any, digits: int = 9) -> Any:
    """Rounds floats (and floats inside lists/dicts) so hand-worked fractions compare exactly."""
    if isinstance(values, float):
        return round(values, digits)
    if isinstance(values, list):
        return [approx(v, digits) for v in values]
    if isinstance(values, dict):
        return {k: approx(v, digits) for k, v in values.items()}
    return values
