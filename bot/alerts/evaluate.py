"""Is an alert rule's condition met right now? One engine query per check, on complete days only.

- threshold: the metric over the last `window_days` complete days (stocks: at the end of yesterday) vs the value.
- change: that window against the window just before it (stocks: end of yesterday vs `window_days` earlier).
- anomaly: the last complete ISO week against the 12 weeks before it (bot.shared.anomaly).
Days are cut in the reporting zone (KPI_TIMEZONE), like every answer. The message renders the answer's
Presentation (kpi_engine.answers.presentation): a value and its change read as in the answers and digests.
A window that only partly reaches past the newest data is judged as any other; one wholly after it is judged on the
value the engine summed (a threshold or change rule); an anomaly's week wholly after it has no value: not judged.
"""

from __future__ import annotations

import operator as op
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Engine

from bot.shared.anomaly import HISTORY_WEEKS, Anomaly, detect
from bot.shared.local_time import history_weeks, local_day
from bot.shared.metric_names import describe_filters, query_filters
from kpi_engine.answers.ask import answer_query
from kpi_engine.answers.format import period_label
from kpi_engine.answers.presentation import Presentation, last_bucket, present
from kpi_engine.catalog import Catalog, MetricDefinition
from kpi_engine.periods import Period, grain_start
from kpi_engine.query import MetricQuery
from kpi_engine.results import MetricResult
from kpi_engine.settings import Settings

COMPARE: dict[str, Callable[[float, float], bool]] = {">": op.gt, ">=": op.ge, "<": op.lt, "<=": op.le}
OPERATOR_WORDS = {">": "above", ">=": "at or above", "<": "below", "<=": "at or below"}


@dataclass(frozen=True)
class RuleView:
    """The parts of a rule evaluation needs (from the database row or a freshly parsed spec)."""

    kind: str
    metric_id: str
    filters: dict[str, list[str]]
    operator: str | None
    threshold: float | None
    change_ratio: float | None
    change_direction: str | None
    window_days: int


@dataclass(frozen=True)
class Evaluation:
    met: bool | None  # None: no data to judge by
    value: float | None
    summary: str  # "Customer churn rate is 5.6% over 2026-03-02 – 2026-03-08 (plan = pro)"
    condition: str  # "above 5.0%", "down 20% or more vs the 7 days before"
    error: str | None = None
    anomaly: Anomaly | None = None
    shown: Presentation | None = None  # the answer the summary renders (for an anomaly: the last week)


def windows(metric: MetricDefinition, day: date, days: int) -> tuple[Period, Period]:
    """(current, previous) windows of complete local days before `day`."""
    if metric.kind == "stock":
        end = day - timedelta(days=1)
        return Period(end, end, "day"), Period(end - timedelta(days=days), end - timedelta(days=days), "day")
    current = Period(day - timedelta(days=days), day - timedelta(days=1))
    return current, Period(current.start - timedelta(days=days), current.start - timedelta(days=1))


def _where(period: Period, filters: dict[str, list[str]], stock: bool) -> str:
    when = f"at the end of {period_label(period)}" if stock else f"over {period_label(period)}"
    return when + (f" ({describe_filters(filters)})" if filters else "")


def _summary(metric: MetricDefinition, shown: Presentation, where: str) -> str:
    """`Revenue is $1,200 over …`; a window wholly after the data has no value to judge (never a false 0):
    `Revenue over …: No data yet for Nov 23–29: the orders data ends on Fri Nov 20`."""
    if shown.no_data_yet:
        return f"{metric.label} {where}: {shown.value_text}"
    return f"{metric.label} is {shown.value_text} {where}"


def evaluate(rule: RuleView, engine: Engine, settings: Settings, catalog: Catalog, now: datetime) -> Evaluation:
    metric = catalog.get(rule.metric_id)
    today = local_day(now, settings.tz)
    if rule.kind == "anomaly":
        return _anomaly(rule, metric, engine, settings, catalog, today)
    current, previous = windows(metric, today, rule.window_days)
    query = MetricQuery(metric=metric.id, as_of=today, period=current, filters=query_filters(rule.filters),
                        comparison="none" if rule.kind == "threshold" else "previous",
                        compare_to=previous if rule.kind == "change" else None)
    answer = answer_query(query, engine=engine, settings=settings, catalog=catalog, as_of=today)
    shown = answer.presentation
    if shown is None:
        return Evaluation(None, None, f"{metric.label} could not be computed", "", answer.error or "no result")
    if shown.no_data_yet:
        # a window wholly after the data is judged on what the engine summed (0): the alert tests pin that a
        # week without rows fires (signups < 5); whether it should say "no data yet" instead is open
        shown = present(shown.result, currency=shown.currency, as_computed=True)
    summary = _summary(metric, shown, _where(current, rule.filters, metric.kind == 'stock'))
    if rule.kind == "threshold":
        assert rule.operator is not None and rule.threshold is not None
        condition = f"{OPERATOR_WORDS[rule.operator]} {shown.format(rule.threshold)}"
        met = None if shown.value is None else COMPARE[rule.operator](shown.value, rule.threshold)
        return Evaluation(met, shown.value, summary, condition, shown=shown)
    return _change(rule, shown, summary)


def _change(rule: RuleView, shown: Presentation, summary: str) -> Evaluation:
    ratio = rule.change_ratio or 0.0
    direction = rule.change_direction or "any"
    wording = {"down": "down", "up": "up", "any": "up or down"}[direction]
    span = {1: "the day before", 7: "the week before", 30: "the 30 days before"}.get(
        rule.window_days, f"the {rule.window_days} days before")
    condition = f"{wording} {ratio * 100:g}% or more vs {span}"
    result, value = shown.result, shown.value
    if value is None or not result.previous_value:
        return Evaluation(None, value, summary, condition, shown=shown)
    moved = (value - result.previous_value) / abs(result.previous_value)
    met = {"down": moved <= -ratio, "up": moved >= ratio, "any": abs(moved) >= ratio}[direction]
    summary += f", {moved_words(shown, moved)} from {shown.format(result.previous_value)}"
    return Evaluation(met, value, summary, condition, shown=shown)


def _moved_words(result: MetricResult, moved: float) -> str:
    return moved_words(present(result), moved)


def moved_words(shown: Presentation, moved: float) -> str:
    """The answers' change wording (a rate moves in percentage points), plus the relative change the rule is
    written in: "up 0.3 pp (+11.5%)", "down 60.0%". The rule compares the two windows whatever the data's
    first day, so this is the movement, not the answer's change (which says "no data before" instead)."""
    change = shown.movement
    if change is None or change.movement == "flat":
        return "no change"
    words = f"{change.movement} {change.amount}"
    return f"{words} ({moved * 100:+.1f}%)" if shown.unit == "percent" else words


def _anomaly(rule: RuleView, metric: MetricDefinition, engine: Engine, settings: Settings, catalog: Catalog,
             today: date) -> Evaluation:
    last_week = Period.calendar(grain_start(today, "week") - timedelta(days=1), "week")
    query = MetricQuery(metric=metric.id, as_of=last_week.end, period=history_weeks(last_week, HISTORY_WEEKS),
                        granularity="week", comparison="none", filters=query_filters(rule.filters))
    answer = answer_query(query, engine=engine, settings=settings, catalog=catalog, as_of=last_week.end)
    result = answer.result
    condition = f"unusual for the {HISTORY_WEEKS - 1} weeks before"
    if answer.error is not None or not isinstance(result, MetricResult) or not result.series:
        return Evaluation(None, None, f"{metric.label} could not be computed", condition,
                          answer.error or "no result")
    found = detect([p.value for p in result.series], metric.kind)
    shown = present(last_bucket(result), currency=settings.kpi_currency_symbol)
    summary = _summary(metric, shown, _where(last_week, rule.filters, metric.kind == 'stock'))
    if shown.value is None:
        return Evaluation(None, None, summary, condition, shown=shown)
    return Evaluation(found is not None, shown.value, summary, condition, anomaly=found, shown=shown)
