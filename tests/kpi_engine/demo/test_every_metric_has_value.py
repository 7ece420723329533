"""Every metric of the catalog has a real value (not missing, not 0) over last quarter on the small demo."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kpi_engine.catalog import load_catalog
from kpi_engine.compute.runner import run_metric
from kpi_engine.periods import Period
from kpi_engine.query import MetricQuery
from tests.kpi_engine.demo.conftest import DEMO_END

CATALOG = load_catalog()
# "last quarter" as of DEMO_END: the calendar quarter before the one containing it
LAST_QUARTER = Period.calendar(Period.calendar(DEMO_END, "quarter").start - timedelta(days=1), "quarter")


def test_last_quarter_is_the_previous_calendar_quarter() -> None:
    assert (LAST_QUARTER.start, LAST_QUARTER.end, LAST_QUARTER.kind) == (DEMO_END.replace(month=1, day=1),
                                                                          DEMO_END.replace(month=3, day=31), "quarter")


@pytest.mark.parametrize("metric_id", [metric.id for metric in CATALOG])
def test_metric_has_a_value_last_quarter(small_demo, metric_id: str) -> None:
    engine, settings = small_demo
    query = MetricQuery(metric=metric_id, as_of=DEMO_END, period=LAST_QUARTER)
    with engine.connect() as conn:
        result = run_metric(conn, query, CATALOG, settings)
    assert result.value is not None, f"{metric_id} has no value over {LAST_QUARTER.label()}"
    assert result.value != 0, f"{metric_id} is 0 over {LAST_QUARTER.label()}"
