"""The numbers on a pinned KPI's card: its value now, the change, and the trend for the sparkline."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from bot.home.pins import Pin
from bot.home.view import PinCard
from kpi_engine.answers.ask import run_safely
from kpi_engine.answers.followups import trend_query
from kpi_engine.answers.format import change_line, comparison_line, format_value, result_period_label
from kpi_engine.catalog import Catalog
from kpi_engine.query import MetricQuery
from kpi_engine.results import MetricResult
from kpi_engine.settings import Settings


def pin_card(pin: Pin, *, engine: Engine, settings: Settings, catalog: Catalog, day: date) -> PinCard:
    metric = catalog.find(pin.metric_id)
    if metric is None:
        return PinCard(pin.metric_id, pin.metric_id, problem="This metric is no longer in the catalog. Unpin it.")
    query = MetricQuery(metric=metric.id, as_of=day)
    result, error = run_safely(query, engine=engine, settings=settings, catalog=catalog)
    if error is not None or not isinstance(result, MetricResult):
        return PinCard(metric.id, metric.label, problem=error or "No value available.")
    trend, _ = run_safely(trend_query(query, result), engine=engine, settings=settings, catalog=catalog)
    spark = [p.value for p in trend.series] if isinstance(trend, MetricResult) and trend.series else []
    currency = settings.kpi_currency_symbol
    return PinCard(
        metric_id=metric.id,
        label=metric.label,
        value_text=format_value(result.value, result.unit, currency=currency),
        period_text=result_period_label(result),
        change_text=card_change(result, currency),
        spark_values=spark,
    )


def card_change(result: MetricResult, currency: str) -> str | None:
    """The change and what it compares, on one line: `up 4.2% (+$500) — good vs $11,900 · November vs October`."""
    change = change_line(result, currency=currency)
    compared = comparison_line(result)
    return f"{change} · {compared}" if change and compared else change
