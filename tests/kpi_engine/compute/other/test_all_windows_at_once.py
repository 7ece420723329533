"""Every computation of this area evaluates all the windows of a context in one statement."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import event

from kpi_engine.compute.base import ComputeContext
from kpi_engine.compute.registry import computation_for
from kpi_engine.compute.windows import make_windows
from kpi_engine.db.models import Order, Ticket
from kpi_engine.periods import Period
from tests.conftest import insert_rows, make_settings
from tests.kpi_engine.compute.other.helpers import APRIL, MARCH, ts

METRICS = [
    "revenue", "orders", "aov", "revenue_per_customer", "gross_margin", "new_feature_revenue_share",
    "marketing_spend", "impressions", "clicks", "ctr", "cpc", "roas",
    "trial_starts", "trial_conversion_rate", "trial_dropoff_rate",
    "nps", "csat", "ces", "survey_responses", "survey_response_rate",
    "tickets", "escalated_tickets", "escalation_rate", "first_response_time", "resolution_time", "open_tickets",
    "features_released", "time_to_market", "velocity", "cycle_time", "production_bugs",
    "defect_removal_efficiency", "defect_density",
]


@pytest.mark.parametrize("metric", METRICS)
def test_one_statement_for_current_previous_and_buckets(sqlite_engine, metric: str) -> None:
    periods = [APRIL, MARCH, Period(date(2026, 4, 1), date(2026, 4, 15)), Period(date(2026, 4, 16), date(2026, 4, 30))]
    settings = make_settings("sqlite://")
    ctx = ComputeContext(make_windows(periods, settings.tz), settings)
    statements: list[Any] = []
    event.listen(sqlite_engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with sqlite_engine.connect() as conn:
        cells = computation_for(metric).evaluate(conn, ctx)
    assert len(statements) == 1
    assert sorted(c.window for c in cells) == [0, 1, 2, 3]


def test_flow_buckets_add_up_to_the_period(engine, settings) -> None:
    insert_rows(engine, Order, [
        {"order_id": f"o{day}", "ordered_at": ts(f"2026-04-{day:02d} 23:59"), "amount": day} for day in range(1, 31)
    ])
    insert_rows(engine, Ticket, [{"ticket_id": f"k{day}", "opened_at": ts(f"2026-04-{day:02d} 00:00")}
                                 for day in range(1, 31, 3)])
    ctx = ComputeContext(make_windows([APRIL, *APRIL.buckets("week")], settings.tz), settings)
    with engine.connect() as conn:
        for metric, total in (("revenue", 465), ("orders", 30), ("tickets", 10)):
            values = {c.window: c.value for c in computation_for(metric).evaluate(conn, ctx)}
            assert values[0] == total
            assert sum(values[i] for i in range(1, len(ctx.windows))) == total, metric
