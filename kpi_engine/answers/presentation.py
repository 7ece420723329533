"""One metric answer as it reads: the result plus its presentation, worked out once per answer.

`present(result)` gives the title, the value, the change (KPI_SPEC §1 wording), what is compared, the target,
the sample, the notes and the chart to draw. Every surface renders from a `Presentation`: the terminal and
Block Kit answers, a digest line, a Home card and an alert message; none formats a number itself.
A digest line (and an anomaly alert) reports the last bucket of a weekly series: `last_bucket(result)` is the
result narrowed to that bucket, compared with the bucket before, with the target the result already carries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kpi_engine.answers.format import (
    Change,
    change_line,
    comparison_line,
    describe_change,
    format_value,
    result_change,
    result_period_label,
    sample_line,
    target_line,
)
from kpi_engine.comparisons import change_interval, day_words, period_words
from kpi_engine.periods import Period
from kpi_engine.results import MetricResult, table_words

ChartKind = Literal["group_series", "grid", "bars", "line", "nps_or_comparison"]


@dataclass(frozen=True)
class ChartSpec:
    """The chart that fits the result (kpi_engine.charts.render_chart draws it) and its words for screen readers."""

    kind: ChartKind
    alt_text: str


@dataclass(frozen=True)
class Presentation:
    result: MetricResult
    currency: str
    title: str  # "MRR — April 2026"
    filters_text: str  # "plan: pro; country: DE" ("" without filters)
    period_text: str  # "April 2026", "last 30 days (Nov 2 – Dec 1) so far"
    value_text: str  # "$12,500", "5.3%", "no data"
    movement: Change | None  # value against previous, whatever the comparison period (None without both)
    change: Change | None  # the movement an answer tells: None without a comparison or before the data
    change_text: str | None  # "up 4.2% (+$500) — good vs $11,900", "no data before Mar 3, 2025 to compare with"
    comparison_text: str | None  # "Dec 1–2 vs Nov 1–2"
    target_text: str | None  # "Target $15,000 by 2026-12-31: 83% of target, not met yet"
    sample_text: str | None  # "n = 100 · 95% interval ± 14.5 (30.5 to 59.5)"
    notes: tuple[str, ...]
    chart: ChartSpec | None
    no_data_yet: bool = False  # the whole period lies after the newest data: value_text says so, no change

    @property
    def label(self) -> str:
        return self.result.label

    @property
    def unit(self) -> str:
        return self.result.unit

    @property
    def value(self) -> float | None:
        """The value an answer tells: None for a period wholly after the data (whatever the engine summed)."""
        return None if self.no_data_yet else self.result.value

    def format(self, value: float | None, *, compact: bool = False) -> str:
        """Another number of this answer (a threshold, a previous value) in the answer's unit and currency."""
        return format_value(value, self.result.unit, currency=self.currency, compact=compact)


def no_data_yet_text(result: MetricResult) -> str | None:
    """`No data yet for Nov 30 – Dec 2: the orders data ends on Fri Nov 27` when the whole period lies after the
    newest data of the metric's table (None otherwise): no value, no change, never a 0 called a drop (KPI_SPEC §1)."""
    if not result.no_data_yet or result.data_last_day is None:
        return None
    ref = result.period.end.year
    last = result.data_last_day
    return (f"No data yet for {period_words(result.period, ref)}: the {table_words(result.data_table)} data ends "
            f"on {last.strftime('%a')} {day_words(last, ref)}")


def present(result: MetricResult, *, currency: str = "$", as_computed: bool = False) -> Presentation:
    """`as_computed`: a period wholly after the data reads the value the engine summed (0) instead of
    "no data yet" (alert rules over such windows, bot.alerts.evaluate)."""
    period = result_period_label(result)
    no_data = None if as_computed else no_data_yet_text(result)
    value_text = no_data or format_value(result.value, result.unit, currency=currency)
    told = no_data is None  # a period after the data tells no change, comparison or sample
    return Presentation(
        result=result,
        currency=currency,
        title=f"{result.label} — {period}",
        filters_text="; ".join(f"{dim}: {', '.join(values)}" for dim, values in result.filters.items()),
        period_text=period,
        value_text=value_text,
        movement=describe_change(result.value, result.previous_value, result.unit, result.direction,
                                 currency=currency, partial=result.partial, interval=result.change_ci95)
        if told else None,
        change=result_change(result, currency=currency) if told else None,
        change_text=change_line(result, currency=currency) if told else None,
        comparison_text=comparison_line(result) if told else None,
        target_text=target_line(result, currency=currency),
        sample_text=sample_line(result) if told else None,
        notes=tuple(result.notes),
        chart=_chart(result, period, value_text) if told or result.series else None,
        no_data_yet=not told,
    )


def _chart(result: MetricResult, period: str, value_text: str) -> ChartSpec | None:
    kind: ChartKind
    if result.group_series:
        kind = "group_series"
    elif result.breakdown and any(g.subgroup is not None for g in result.breakdown):
        kind = "grid"
    elif result.breakdown:
        kind = "bars"
    elif result.series:
        kind = "line"
    elif result.value is None and result.previous_value is None:
        return None
    else:
        kind = "nps_or_comparison"
    shape = "breakdown" if result.breakdown else "trend" if result.series else "comparison"
    return ChartSpec(kind, f"Chart: {result.label} {shape}, {period}: {value_text}")


def last_bucket(result: MetricResult) -> MetricResult:
    """The result narrowed to its last series bucket against the bucket before (a digest's week). The bucket is
    reported once it is over, so it is complete; its change carries the two buckets' 95% interval (survey
    scores); the target is the result's own, its attainment taken for the bucket's value."""
    from kpi_engine.compute.runner import attained

    series = result.series or []
    last = series[-1] if series else None
    before = series[-2] if len(series) > 1 else None
    value = last.value if last is not None else None
    interval = None
    if last is not None and before is not None:
        interval = change_interval(last.value, last.ci95, before.value, before.ci95)
    return result.model_copy(update={
        "period": Period(last.start, last.end) if last is not None else result.period,
        "value": value,
        "n": last.n if last is not None else None,
        "ci95": last.ci95 if last is not None else None,
        "previous_period": Period(before.start, before.end) if before is not None else None,
        "previous_value": before.value if before is not None else None,
        "change_ci95": interval,
        "partial": False,
        "data_from": None,
        "period_text": None,
        "comparison_text": None,
        "series": None,
        "previous_series": None,
        "granularity": None,
        "target": attained(result.target, value, result.direction),
    })
