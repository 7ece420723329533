"""The numbers on a pinned KPI's card: its value now, the change, and the trend for the sparkline."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from bot.home.pins import Pin
from bot.home.view import PinCard
from kpi_engine.answers.ask import answer_query
from kpi_engine.answers.followups import trend_query
from kpi_engine.answers.presentation import Presentation
from kpi_engine.catalog import Catalog
from kpi_engine.query import MetricQuery
from kpi_engine.results import MetricResult
from kpi_engine.settings import Settings


def pin_card(pin: Pin, *, engine: Engine, settings: Settings, catalog: Catalog, day: date) -> PinCard:
    metric = catalog.find(pin.metric_id)
    if metric is None:
        return PinCard(pin.metric_id, pin.metric_id, problem="This metric is no longer in the catalog. Unpin it.")
    query = MetricQuery(metric=metric.id, as_of=day)
    answer = answer_query(query, engine=engine, settings=settings, catalog=catalog, as_of=day)
    shown = answer.presentation
    if shown is None:
        return PinCard(metric.id, metric.label, problem=answer.error or "No value available.")
    trend = answer_query(trend_query(query, shown.result), engine=engine, settings=settings, catalog=catalog,
                         as_of=day).result
    spark = [p.value for p in trend.series] if isinstance(trend, MetricResult) and trend.series else []
    return card_of(metric.id, shown, spark)


def card_of(metric_id: str, shown: Presentation, spark: list[float | None]) -> PinCard:
    """A card renders its answer's Presentation: the value, the period, the change with what it compares."""
    return PinCard(
        metric_id=metric_id,
        label=shown.label,
        value_text=shown.value_text,
        period_text=shown.period_text,
        change_text=card_change(shown),
        spark_values=spark,
    )


def card_change(shown: Presentation) -> str | None:
    """The change and what it compares, on one line: `up 4.2% (+$500) — good vs $11,900 · November vs October`."""
    change, compared = shown.change_text, shown.comparison_text
    return f"{change} · {compared}" if change and compared else change
