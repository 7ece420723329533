"""Periods are cut in KPI_TIMEZONE: a start or end a few hours after midnight UTC moves to the previous month."""

from __future__ import annotations

from datetime import datetime

import pytest

from kpi_engine.db.models import Subscription
from tests.conftest import insert_rows, make_settings
from tests.kpi_engine.compute.subscriptions.helpers import month, sub, value

MARCH, APRIL, MAY = month(2026, 3), month(2026, 4), month(2026, 5)


@pytest.fixture
def boundary_rows(engine):
    insert_rows(engine, Subscription, [
        sub("k", "K", 100, datetime(2026, 4, 1, 2)),  # 2026-03-31 22:00 in New York
        sub("l", "L", 50, datetime(2026, 1, 1), datetime(2026, 5, 1, 2)),  # ends 2026-04-30 22:00 in New York
    ])
    return engine


def test_utc(boundary_rows, settings) -> None:
    assert value(boundary_rows, settings, "mrr", MARCH) == 50
    assert value(boundary_rows, settings, "new_mrr", MARCH) == 0
    assert value(boundary_rows, settings, "new_mrr", APRIL) == 100
    assert value(boundary_rows, settings, "mrr", APRIL) == 150
    assert value(boundary_rows, settings, "churned_mrr", APRIL) == 0
    assert value(boundary_rows, settings, "churned_mrr", MAY) == 50


def test_new_york(boundary_rows, db_url) -> None:
    new_york = make_settings(db_url, KPI_TIMEZONE="America/New_York")
    assert value(boundary_rows, new_york, "mrr", MARCH) == 150
    assert value(boundary_rows, new_york, "new_mrr", MARCH) == 100
    assert value(boundary_rows, new_york, "new_customers", APRIL) == 0
    assert value(boundary_rows, new_york, "mrr", APRIL) == 100
    assert value(boundary_rows, new_york, "churned_mrr", APRIL) == 50
    assert value(boundary_rows, new_york, "customer_churn_rate", APRIL) == 0.5
    assert value(boundary_rows, new_york, "churned_mrr", MAY) == 0
