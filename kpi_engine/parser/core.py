"""From plain words to a query: the order in which the pieces of a question are taken apart."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from kpi_engine.catalog import Catalog, MetricDefinition
from kpi_engine.parser import special_queries as sq
from kpi_engine.parser.comparisons import take_comparison
from kpi_engine.parser.dimensions import DIMENSIONS, Series, take_breakdown, take_breakdowns, take_series
from kpi_engine.parser.filters import Filters, take_filters
from kpi_engine.parser.groups import Ranking, take_groups, take_ranking, take_superlative
from kpi_engine.parser.intent_words import MAX_METRICS, growth_of_stock, several_metrics, take_intent
from kpi_engine.parser.intents import asks_what_is, match_define, match_help_or_list, unknown_metric
from kpi_engine.parser.metric_index import MetricIndex, NameSpan, index_for
from kpi_engine.parser.metric_resolver import Resolution, closest, protect_misspelt_adverb_names, resolve_metric
from kpi_engine.parser.pieces import Pieces, settle_dimensions, which_dimension
from kpi_engine.parser.result import EMPTY, EXAMPLE, FAILED, HELP, ParseResult
from kpi_engine.parser.text import Scratch, clean
from kpi_engine.parser.time_scan import only_fillers, take_period
from kpi_engine.parser.value_index import EMPTY_VOCABULARY, ValueIndex, Vocabulary
from kpi_engine.periods import Grain, Period
from kpi_engine.query import FunnelQuery, MetricQuery, MovementsQuery, RetentionQuery


def parse_question(text: str, *, as_of: date, catalog: Catalog, values: Vocabulary | None = None) -> ParseResult:
    """Never raises: anything it cannot read becomes intent "unknown". `values`: the data's values
    (kpi_engine.values.values_for); without them only explicit filters ("plan = pro") are read."""
    try:
        vocabulary = values if isinstance(values, Vocabulary) else EMPTY_VOCABULARY
        return _parse(text if isinstance(text, str) else str(text), as_of, catalog, vocabulary.index)
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


def _parse(text: str, as_of: date, catalog: Catalog, values: ValueIndex) -> ParseResult:
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
        return _funnel(scratch, as_of, values)
    if sq.retention_requested(low):
        return _retention(scratch, as_of, values)
    if sq.movements_requested(low):
        return _movements(scratch, as_of, values)
    result = _metric(scratch, as_of, index, values)
    if result.intent == "query" and asks_what_is(low, index):
        return replace(result, show_definition=True)
    return result


def _metric(scratch: Scratch, as_of: date, index: MetricIndex, values: ValueIndex) -> ParseResult:
    pieces = Pieces()
    spans, pieces.notes = growth_of_stock(scratch, index.find_names(scratch.text), index.catalog)
    named, joiners = several_metrics(scratch.text, spans)
    for span in spans:
        scratch.protect(span.start, span.end)
    for start, end in joiners:
        scratch.consume(start, end)
    protect_misspelt_adverb_names(scratch, index)
    intent = take_intent(scratch, index.catalog)
    pieces.groups = take_groups(scratch, values)
    comparison, notes = take_comparison(scratch, as_of)
    pieces.notes += notes
    pieces.ranking = take_ranking(scratch)
    period, other_periods = take_period(scratch, as_of)
    if period is not None and other_periods:
        pieces.notes.append(f"One period at a time: {period.label()}")
    series = take_series(scratch)
    pieces.breakdowns, notes = take_breakdowns(scratch, values)
    pieces.notes += notes
    if pieces.ranking is None and pieces.breakdowns and (sort := take_superlative(scratch)) is not None:
        pieces.ranking = Ranking(sort[0], sort[1], pieces.breakdowns[0])
    pieces.filters = take_filters(scratch, values)
    scratch.unprotect()
    metric_ids, resolution = _metric_ids(scratch, index, named, intent.metric, pieces)
    if not metric_ids:
        return _no_metric(resolution, index, pieces, period)
    metrics = [index.catalog.get(m) for m in metric_ids]
    settled = settle_dimensions(pieces, metrics)
    if settled.question is not None:
        return ParseResult(intent="unknown", message=settled.question, metric_id=metrics[0].id, confidence=0.0)
    if intent.trend_question and series is None:
        series = "month"  # no time phrase: the last 12 months to date (KPI_SPEC §1, the engine's series rule)
    queries = []
    for metric in metrics:
        metric_period, granularity = _series(series, period, metric, as_of)
        breakdown = settled.breakdown or _implied_breakdown(resolution.typed if resolution else "", metric)
        queries.append(MetricQuery(
            metric=metric.id, as_of=as_of, period=metric_period, granularity=granularity, breakdown=breakdown,
            filters=settled.filters, comparison=comparison.comparison if comparison else "previous",
            compare_to=comparison.compare_to if comparison else None, groups=settled.groups, top=settled.top,
            order=settled.order, subgroup=settled.subgroup,
        ))
    notes = [*(resolution.notes if resolution else []), *pieces.notes, *pieces.filters.notes, *settled.notes]
    for metric, query in zip(metrics, queries, strict=True):
        notes += _dimension_notes(metric, query)
    return ParseResult(
        intent="query",
        query=queries[0],
        queries=tuple(queries) if len(queries) > 1 else (),
        suggestions=resolution.suggestions if resolution else (),
        metric_id=metrics[0].id,
        notes=tuple(dict.fromkeys(notes)),
        confidence=resolution.confidence if resolution else 1.0,
        verdict=intent.trend_question,
    )


def _metric_ids(
    scratch: Scratch, index: MetricIndex, named: list[NameSpan], forced: str | None, pieces: Pieces
) -> tuple[list[str], Resolution | None]:
    """The metrics asked for, and the resolution of the leftover words when one metric is named."""
    if named:
        ids = list(dict.fromkeys(span.metric_id for span in named))
        if len(ids) > MAX_METRICS:
            pieces.notes.append(f"Up to {MAX_METRICS} metrics at a time: showing the first {MAX_METRICS}")
        return ids[:MAX_METRICS], None
    if forced is not None:
        return [forced], None
    resolution = resolve_metric(scratch.text, index)
    implied = pieces.ranking.metric if pieces.ranking is not None else None
    if resolution.metric_id is None and implied is not None and implied in index.catalog:
        return [implied], None
    return ([resolution.metric_id] if resolution.metric_id else []), resolution


def _no_metric(resolution: Resolution | None, index: MetricIndex, pieces: Pieces, period: Period | None) -> ParseResult:
    """Says what was understood and what was not."""
    understood = pieces.understood(period)
    if resolution is not None and resolution.did_you_mean:
        shown = " or ".join(f"{index.label(m)} (`{m}`)" for m in resolution.suggestions)
        message = f"Did you mean {shown}? I could not tell from '{resolution.typed}'."
        if understood:
            message += f" I understood {understood}."
        return ParseResult(intent="unknown", suggestions=resolution.suggestions, message=message, confidence=0.0)
    if resolution is not None and resolution.typed:
        result = unknown_metric(resolution.typed, index, resolution.suggestions)
        if understood and result.message:
            result = replace(result, message=result.message.replace(
                ". Closest:", f" (I understood {understood}, but not which metric that is). Closest:", 1))
        return result
    message = f"Which metric? For example `{EXAMPLE}`, or say `list` to see them all."
    if understood:
        message = f"I understood {understood}, but not which metric. " + message
    return ParseResult(intent="unknown", suggestions=closest("", index), message=message, confidence=0.0)


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
    wanted = [d for d in (query.breakdown, query.subgroup) if d]
    wanted += [f.dimension for f in query.filters]
    missing = [d for d in dict.fromkeys(wanted) if d not in metric.dimensions]
    possible = ", ".join(metric.dimensions)
    return [f"{metric.label} has no '{d}' dimension (possible: {possible})" for d in missing]


def _funnel(scratch: Scratch, as_of: date, values: ValueIndex) -> ParseResult:
    window, match = sq.take_window(scratch.text)
    if match is not None:
        scratch.consume(match.start(), match.end())
    period, _ = take_period(scratch, as_of)
    breakdown, notes = take_breakdown(scratch)
    filters = take_filters(scratch, values, known_words=False).filters
    steps = sq.funnel_steps(scratch.remaining())
    if len(steps) < 2:
        return ParseResult(
            intent="unknown",
            message=_funnel_help(values.events),
            confidence=0.0,
        )
    query = FunnelQuery(
        as_of=as_of, period=period, filters=filters, steps=tuple(steps), window_days=window or 30, breakdown=breakdown
    )
    return ParseResult(intent="query", query=query, notes=tuple(notes))


def _retention(scratch: Scratch, as_of: date, values: ValueIndex) -> ParseResult:
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
        notes.append("Retention cohorts have no breakdown; filters (e.g. 'in Germany', 'plan = <name>') work")
    found = take_filters(scratch, values)
    filters, filter_notes = found.filters, found.notes
    if found.ambiguous:
        return _which_value(found)
    query = RetentionQuery(
        as_of=as_of, period=period, filters=filters, cohort_grain=grain, offsets=offsets or 6  # type: ignore[arg-type]
    )
    return ParseResult(intent="query", query=query, notes=tuple([*notes, *filter_notes]))


def _movements(scratch: Scratch, as_of: date, values: ValueIndex) -> ParseResult:
    period, _ = take_period(scratch, as_of)
    breakdown, _ = take_breakdown(scratch)
    notes = ["The MRR bridge has no breakdown; filters (e.g. 'in Germany', 'plan = <name>') work"] if breakdown else []
    for word in sq.movement_words(scratch.text):
        scratch.consume(word.start(), word.end())
    found = take_filters(scratch, values)
    filters, filter_notes = found.filters, found.notes
    if found.ambiguous:
        return _which_value(found)
    query = MovementsQuery(as_of=as_of, period=period, filters=filters)
    return ParseResult(intent="query", query=query, metric_id="mrr", notes=tuple([*notes, *filter_notes]))


def _which_value(found: Filters) -> ParseResult:
    value = found.ambiguous[0]
    dims = list(value.dimensions)
    message = which_dimension(value.typed, dims, [value.value_in(d) or value.typed for d in dims])
    return ParseResult(intent="unknown", message=message, confidence=0.0)


def _funnel_help(events: tuple[str, ...]) -> str:
    """The funnel example, with the data's own event names when they are known."""
    if len(events) < 2:
        return "A funnel needs at least two steps, e.g. `funnel signup > activated > purchase last month`."
    shown = ", ".join(events[:12]) + (", ..." if len(events) > 12 else "")
    return (f"A funnel needs at least two steps, e.g. `funnel {events[0]} > {events[1]} last month`. "
            f"Your events: {shown}.")
