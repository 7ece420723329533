"""Custom metrics from YAML: simple aggregates, ratios, derived expressions, and their validation errors."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from kpi_engine.catalog import load_catalog
from kpi_engine.compute.runner import run_metric
from kpi_engine.custom import CustomMetricError
from kpi_engine.db.models import Account, Order, Subscription
from kpi_engine.periods import Period
from kpi_engine.query import Filter, MetricQuery
from tests.conftest import insert_rows, make_settings

METRICS_YAML = """
metrics:
  - id: big_order_revenue
    label: Big order revenue
    type: simple
    table: orders
    aggregate: sum
    column: amount
    time_column: ordered_at
    filter: {product: [widget, gadget]}
    dimensions: [product]
    unit: currency
  - id: custom_order_count
    label: Custom order count
    type: simple
    table: orders
    aggregate: count
    time_column: ordered_at
  - id: revenue_per_order_custom
    label: Revenue per order (custom)
    type: ratio
    numerator: big_order_revenue
    denominator: custom_order_count
    unit: currency
  - id: doubled_mrr_minus_ten
    label: Doubled MRR minus ten
    type: derived
    expression: "2 * mrr - 10"
    unit: currency
"""

JUNE = Period.calendar(date(2026, 6, 1), "month")


@pytest.fixture
def custom_settings(db_url: str, tmp_path: Path):
    path = tmp_path / "custom.yaml"
    path.write_text(METRICS_YAML)
    return make_settings(db_url, KPI_CUSTOM_METRICS_FILE=str(path))


def _fixture(engine) -> None:
    insert_rows(engine, Account, [
        {"account_id": "a", "created_at": datetime(2026, 1, 1), "plan": "pro"},
        {"account_id": "b", "created_at": datetime(2026, 1, 1), "plan": "basic"},
    ])
    insert_rows(engine, Order, [
        {"order_id": "1", "account_id": "a", "ordered_at": datetime(2026, 6, 1), "amount": 100, "product": "widget"},
        {"order_id": "2", "account_id": "b", "ordered_at": datetime(2026, 6, 15), "amount": 50, "product": "gadget"},
        {"order_id": "3", "account_id": "b", "ordered_at": datetime(2026, 6, 20), "amount": 999, "product": "other"},
        {"order_id": "4", "account_id": None, "ordered_at": datetime(2026, 6, 30, 23, 59), "amount": 10,
         "product": "widget"},
        {"order_id": "5", "account_id": "a", "ordered_at": datetime(2026, 7, 1), "amount": 7, "product": "widget"},
        {"order_id": "6", "account_id": "a", "ordered_at": datetime(2026, 5, 31, 23), "amount": 3, "product": "widget"},
    ])
    insert_rows(engine, Subscription, [
        {"subscription_id": "s", "account_id": "a", "mrr": 40, "started_at": datetime(2026, 1, 1)},
    ])


def _run(engine, settings, metric: str, **kw):
    catalog = load_catalog(settings, engine)
    query = MetricQuery(metric=metric, as_of=date(2026, 7, 10), period=JUNE, **kw)
    with engine.connect() as conn:
        return run_metric(conn, query, catalog, settings)


def test_simple_metric_with_filter_breakdown_and_series(engine, custom_settings) -> None:
    _fixture(engine)
    result = _run(engine, custom_settings, "big_order_revenue", granularity="month")
    assert result.value == 160  # 100 + 50 + 10 (not 'other', not July 1st 00:00, not May)
    assert result.previous_value == 3
    assert [p.value for p in result.series] == [160]
    by_product = _run(engine, custom_settings, "big_order_revenue", breakdown="product")
    assert [(g.group, g.value) for g in by_product.breakdown] == [("widget", 110), ("gadget", 50)]
    by_plan = _run(engine, custom_settings, "big_order_revenue", breakdown="plan")
    assert [(g.group, g.value) for g in by_plan.breakdown] == [("pro", 100), ("basic", 50), ("(none)", 10)]
    only_pro = _run(engine, custom_settings, "big_order_revenue", filters=(Filter(dimension="plan", values=("pro",)),))
    assert only_pro.value == 100


def test_ratio_and_derived_metrics(engine, custom_settings) -> None:
    _fixture(engine)
    ratio = _run(engine, custom_settings, "revenue_per_order_custom")
    assert ratio.value == pytest.approx(160 / 4)
    derived = _run(engine, custom_settings, "doubled_mrr_minus_ten")
    assert derived.value == 70
    definition = load_catalog(custom_settings, engine).get("revenue per order (custom)")
    assert definition.area == "custom" and definition.unit == "currency"


def test_ratio_with_zero_denominator_has_no_value(engine, custom_settings) -> None:
    result = _run(engine, custom_settings, "revenue_per_order_custom")
    assert result.value is None


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("metrics:\n  - {id: x, label: X, type: simple, table: nope, aggregate: count, time_column: t}",
         "unknown table 'nope'"),
        ("metrics:\n  - {id: x, label: X, type: simple, table: orders, aggregate: sum, column: price,"
         " time_column: ordered_at}", "column 'price' is not a column of 'orders'"),
        ("metrics:\n  - {id: x, label: X, type: simple, table: orders, aggregate: sum, time_column: ordered_at}",
         "needs a column"),
        ("metrics:\n  - {id: a, label: A, type: derived, expression: 'b + 1'}\n"
         "  - {id: b, label: B, type: derived, expression: 'a * 2'}", "cycle: a → b → a"),
        ("metrics:\n  - {id: x, label: X, type: derived, expression: 'mrr ** 2'}", "may only use"),
        ("metrics:\n  - {id: x, label: X, type: derived, expression: '__import__(\"os\")'}", "may only use"),
        ("metrics:\n  - {id: x, label: X, type: derived, expression: 'mrr +'}", "cannot read expression"),
        ("metrics:\n  - {id: x, label: X, type: ratio, numerator: mrr, denominator: ghost}",
         "unknown metric 'ghost'"),
        ("metrics:\n  - {id: mrr, label: Mine, type: derived, expression: '1'}", "already used"),
        ("metrics:\n  - {id: x, label: X, type: median}", "custom.yaml"),
        ("metrics: [", "not valid YAML"),
        ("metrics:\n  - {id: x, label: Order count, type: derived, expression: '1'}",
         "'Order count' of 'x' is already used by 'orders'"),
    ],
)
def test_invalid_custom_metrics_are_reported(sqlite_engine, sqlite_url, tmp_path, yaml_text, message) -> None:
    path = tmp_path / "custom.yaml"
    path.write_text(yaml_text)
    settings = make_settings(sqlite_url, KPI_CUSTOM_METRICS_FILE=str(path))
    with pytest.raises(CustomMetricError, match=message.replace("(", r"\(")):
        load_catalog(settings, sqlite_engine)


def test_missing_file_is_reported(sqlite_engine, sqlite_url, tmp_path) -> None:
    settings = make_settings(sqlite_url, KPI_CUSTOM_METRICS_FILE=str(tmp_path / "absent.yaml"))
    with pytest.raises(CustomMetricError, match="does not exist"):
        load_catalog(settings, sqlite_engine)
