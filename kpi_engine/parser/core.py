"""From plain words to a query: the order in which the pieces of a question are taken apart."""

from __future__ import annotations

from datetime import date

from kpi_engine.catalog import Catalog, MetricDefinition
from kpi_engine.parser import special_queries as sq
from kpi_engine.parser.comparisons import take_comparison
from kpi_engine.parser.dimensions import DIMENSIONS, Series, take_breakdown, take_series
from kpi_engine.parser.filters import take_filters
from kpi_engine.parser.intents import match_define, match_help_or_list, unknown_metric
from kpi_engine.parser.metric_index import MetricIndex, index_for
from kpi_engine.parser.metric_resolver import closest, protect_misspelt_adverb_names, resolve_metric
from kpi_engine.parser.result import EMPTY, EXAMPLE, FAILED, HELP, ParseResult
from kpi_engine.parser.text import Scratch, clean
from kpi_engine.parser.time_scan import only_fillers, take_period
from kpi_engine.periods import Grain, Period
from kpi_engine.query import FunnelQuery, MetricQuery, MovementsQuery, RetentionQuery


def parse_question(text: str, *, as_of: date, catalog: Catalog) -> ParseResult:
    """Never raises: anything it cannot read becomes intent "unknown"."""
    try:
        return _parse(text if isinstance(text, str) else str(text), as_of, catalog)
    except Exception:  # noqa: BLE001  (a chat bot must answer every message)
        return FAILED


def parse_period(text: str, as_of: date) -> Period | None:
    """A time phrase alone (`last month`, `2026-Q1`, `since May`), or None."""
    try:
        scratch = Scratch(clean(text if isinstance(text, str) else str(text)))
        period, others = take_period(scratch, as_of)
        if period is None or others or not only_fillers(scratch.remaining()):
            return None
        return period
    except Exception:  # noqa: BLE001
        return None


def _parse(text: str, as_of: date, catalog: Catalog) -> ParseResult:
    cleaned = clean(text)
    if not cleaned:
        return HELP if "?" in text else EMPTY
    scratch = Scratch(cleaned)
    low = scratch.lower
    index = index_for(catalog)
    simple = match_help_or_list(low) or match_define(low, index)
    if simple is not None:
        return simple
    if sq.funnel_requested(low):
        return _funnel(scratch, as_of)
    if sq.retention_requested(low):
        return _retention(scratch, as_of)
    if sq.movements_requested(low):
        return _movements(scratch, as_of)
    return _metric(scratch, as_of, index)


def _metric(scratch: Scratch, as_of: date, index: MetricIndex) -> ParseResult:
    for span in index.find_names(scratch.text):
        scratch.protect(span.start, span.end)
    protect_misspelt_adverb_names(scratch, index)
    comparison, notes = take_comparison(scratch, as_of)
    period, other_periods = take_period(scratch, as_of)
    if period is not None and other_periods:
        notes.append(f"One period at a time: {period.label()}")
    series = take_series(scratch)
    breakdown, breakdown_notes = take_breakdown(scratch)
    filters, filter_notes = take_filters(scratch)
    scratch.unprotect()
    resolution = resolve_metric(scratch.text, index)
    if resolution.metric_id is None:
        if resolution.typed:
            return unknown_metric(resolution.typed, index, resolution.suggestions)
        message = f"Which metric? For example `{EXAMPLE}`, or say `list` to see them all."
        return ParseResult(intent="unknown", suggestions=closest("", index), message=message, confidence=0.0)
    metric = index.catalog.get(resolution.metric_id)
    breakdown = breakdown or _implied_breakdown(resolution.typed, metric)
    period, granularity = _series(series, period, metric, as_of)
    query = MetricQuery(
        metric=metric.id,
        as_of=as_of,
        period=period,
        granularity=granularity,
        breakdown=breakdown,
        filters=filters,
        comparison=comparison.comparison if comparison else "previous",
        compare_to=comparison.compare_to if comparison else None,
    )
    notes = [*resolution.notes, *notes, *breakdown_notes, *filter_notes, *_dimension_notes(metric, query)]
    return ParseResult(
        intent="query",
        query=query,
        suggestions=resolution.suggestions,
        metric_id=metric.id,
        notes=tuple(dict.fromkeys(notes)),
        confidence=resolution.confidence,
    )


def _series(
    series: Series | None, period: Period | None, metric: MetricDefinition, as_of: date
) -> tuple[Period | None, Grain | None]:
    """The granularity (`trend` picks it from the period length). With no time phrase the period stays
    unset: the engine covers the last few buckets of the grain to date, and a `trend` is by month
    (KPI_SPEC §1, kpi_engine.comparisons.series_period)."""
    if series is None:
        return period, None
    if series == "trend":
        return period, "month" if period is None else period.trend_grain()
    return period, series


def _implied_breakdown(name: str, metric: MetricDefinition) -> str | None:
    """A metric named `users per feature` is broken down by feature."""
    head, _, tail = name.rpartition(" per ")
    dimension = DIMENSIONS.get(tail) if head else None
    return dimension if dimension in metric.dimensions else None


def _dimension_notes(metric: MetricDefinition, query: MetricQuery) -> list[str]:
    if not metric.dimensions:
        return []
    wanted = [query.breakdown] if query.breakdown else []
    wanted += [f.dimension for f in query.filters]
    missing = [d for d in dict.fromkeys(wanted) if d not in metric.dimensions]
    possible = ", ".join(metric.dimensions)
    return [f"{metric.label} has no '{d}' dimension (possible: {possible})" for d in missing]


def _funnel(scratch: Scratch, as_of: date) -> ParseResult:
    window, match = sq.take_window(scratch.text)
    if match is not None:
        scratch.consume(match.start(), match.end())
    period, _ = take_period(scratch, as_of)
    breakdown, notes = take_breakdown(scratch)
    filters, _ = take_filters(scratch, known_words=False)
    steps = sq.funnel_steps(scratch.remaining())
    if len(steps) < 2:
        return ParseResult(
            intent="unknown",
            message="A funnel needs at least two steps, e.g. `funnel signup > activated > purchase last month`.",
            confidence=0.0,
        )
    query = FunnelQuery(
        as_of=as_of, period=period, filters=filters, steps=tuple(steps), window_days=window or 30, breakdown=breakdown
    )
    return ParseResult(intent="query", query=query, notes=tuple(notes))


def _retention(scratch: Scratch, as_of: date) -> ParseResult:
    notes: list[str] = []
    grain = sq.retention_grain(scratch.lower)
    offsets, offset_grain, match = sq.take_offsets(scratch.text)
    if match is not None:
        scratch.consume(match.start(), match.end())
    grain = grain or offset_grain or "month"
    if "daily" in scratch.lower.split():
        notes.append("Cohorts are weekly or monthly: showing weekly")
    if offsets is not None and not 1 <= offsets <= 52:
        offsets = min(max(offsets, 1), 52)
        notes.append(f"Showing {offsets} periods after signup (the most I can)")
    for word in sq.retention_words(scratch.text):
        scratch.consume(word.start(), word.end())
    period, _ = take_period(scratch, as_of)
    breakdown, _ = take_breakdown(scratch)
    if breakdown is not None:
        notes.append("Retention cohorts have no breakdown; filters (e.g. 'for plan pro') work")
    filters, filter_notes = take_filters(scratch)
    query = RetentionQuery(
        as_of=as_of, period=period, filters=filters, cohort_grain=grain, offsets=offsets or 6  # type: ignore[arg-type]
    )
    return ParseResult(intent="query", query=query, notes=tuple([*notes, *filter_notes]))


def _movements(scratch: Scratch, as_of: date) -> ParseResult:
    period, _ = take_period(scratch, as_of)
    breakdown, _ = take_breakdown(scratch)
    notes = ["The MRR bridge has no breakdown; filters (e.g. 'for plan pro') work"] if breakdown else []
    for word in sq.movement_words(scratch.text):
        scratch.consume(word.start(), word.end())
    filters, filter_notes = take_filters(scratch)
    query = MovementsQuery(as_of=as_of, period=period, filters=filters)
    return ParseResult(intent="query", query=query, metric_id="mrr", notes=tuple([*notes, *filter_notes]))
