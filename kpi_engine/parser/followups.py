"""Follow-ups: a message that is not a complete question changes the conversation's previous query.

"and by plan?" adds a breakdown, "for <a value>" a filter, "what about february?" / "last year?" change the
period, "weekly" the grain, "and arr?" the metric, "why?" asks what drove the change. The pieces are found by
the parser's own scanners (time phrases, series, breakdowns, filters, comparisons, metric names), so every
word the parser knows works here too. A message that names a metric without a follow-up lead ("arr last
year") is a complete question and starts afresh; so is anything the scanners cannot read as a change.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from kpi_engine.catalog import Catalog
from kpi_engine.parser import special_queries as sq
from kpi_engine.parser.comparisons import ComparisonSpec, take_comparison
from kpi_engine.parser.dimensions import Series, take_breakdowns, take_series
from kpi_engine.parser.filters import take_filters
from kpi_engine.parser.groups import take_groups, take_ranking
from kpi_engine.parser.intent_words import MAX_METRICS, growth_of_stock, several_metrics
from kpi_engine.parser.intents import match_define, match_help_or_list
from kpi_engine.parser.metric_index import MetricIndex, index_for
from kpi_engine.parser.metric_resolver import resolve_metric
from kpi_engine.parser.pieces import Pieces, Settled, settle_dimensions
from kpi_engine.parser.result import AnyQuery
from kpi_engine.parser.text import Scratch, clean
from kpi_engine.parser.time_scan import take_period
from kpi_engine.parser.value_index import EMPTY_VOCABULARY, ValueIndex, Vocabulary
from kpi_engine.parser.vocabulary import STOP_WORDS, words
from kpi_engine.periods import Grain, Period
from kpi_engine.query import Filter, FunnelQuery, MetricQuery, MovementsQuery, RetentionQuery

MOVEMENTS_METRIC = "mrr"  # the MRR bridge shows the movements of this catalog metric
Change = Literal["metric", "period", "granularity", "breakdown", "filters", "comparison", "why"]

# "and arr?", "what about churn", "same for nps": a metric named after one of these changes the metric only
_LEAD = re.compile(
    r"^(?:(?:ok(?:ay)?|so|hmm+|right|cool|thanks)\s+)*"
    r"(?:and|also|now|then|plus|what\s+about|how\s+about|what\s+of|and\s+what\s+about|same\s+(?:for|with)"
    r"|(?:and\s+)?(?:the\s+)?same\s+(?:for|with)|instead)(?!\w)"
)
_WHY = re.compile(
    r"^(?:(?:and|but|so|ok(?:ay)?|hmm+)\s+)*(?:why|how\s+come|what\s+(?:happened|changed|drove|caused|explains)"
    r"|explain)(?!\w)"
)
_CHANGE_WORDS = words(
    "change changed changes drop dropped drops fall fell falls grow grew grown grows go goes went up down rise rose "
    "rises increase increased increases decrease decreased decreases decline declined declines jump jumped dip "
    "dipped move moved moves low high big small lower higher bad good worse better happen happened drove caused "
    "explains behind driving cause reason"
)
_FOLLOW_UP_WORDS = words("instead same only just show again too either else hmm ok okay cool right thanks vs versus")


@dataclass(frozen=True)
class FollowUp:
    """The previous queries as the follow-up changed them (one per metric: a question may name several).
    `explain`: "why?" after a metric other than the one the MRR bridge explains: the answer finds the
    breakdown whose groups changed most (several queries). `question`: a value of two dimensions that the
    metric cannot settle; the answer asks which (as a full question does)."""

    queries: tuple[AnyQuery, ...]
    changes: tuple[Change, ...]
    explain: bool = False
    notes: tuple[str, ...] = ()
    question: str | None = None

    @property
    def query(self) -> AnyQuery:
        return self.queries[0]


@dataclass
class _Parts:
    pieces: Pieces = field(default_factory=Pieces)
    period: Period | None = None
    series: Series | None = None
    comparison: ComparisonSpec | None = None
    metric_ids: list[str] = field(default_factory=list)  # the metrics named ("and arr and nps?")
    unread: list[str] = field(default_factory=list)  # words no scanner took and that are not fillers

    @property
    def empty(self) -> bool:
        pieces = self.pieces
        return not (self.period or self.series or self.comparison or self.metric_ids or pieces.groups
                    or pieces.ranking or pieces.breakdowns or pieces.filters.filters or pieces.filters.ambiguous)


Previous = AnyQuery | Sequence[AnyQuery] | None


def read_followup(text: str, previous: Previous, *, as_of: date, catalog: Catalog,
                  values: Vocabulary | None = None) -> FollowUp | None:
    """The follow-up, or None when `text` is a question of its own (or there is nothing to follow). `values`:
    the data's values (kpi_engine.values.values_for), as for parse_question. Never raises."""
    queries = _previous_queries(previous)
    if not queries or not isinstance(text, str):
        return None
    vocabulary = values if isinstance(values, Vocabulary) else EMPTY_VOCABULARY
    try:
        return _read(text, queries, as_of, catalog, vocabulary.index)
    except Exception:  # noqa: BLE001  (a follow-up that cannot be read is asked as a new question)
        return None


def _previous_queries(previous: Previous) -> tuple[AnyQuery, ...]:
    if previous is None:
        return ()
    if isinstance(previous, (MetricQuery, MovementsQuery, FunnelQuery, RetentionQuery)):
        return (previous,)
    return tuple(previous)


def _read(text: str, queries: tuple[AnyQuery, ...], as_of: date, catalog: Catalog,
          values: ValueIndex) -> FollowUp | None:
    cleaned = clean(text)
    low = Scratch(cleaned).lower
    index = index_for(catalog)
    if not cleaned or match_help_or_list(low) or match_define(low, index):
        return None
    if sq.funnel_requested(low) or sq.retention_requested(low) or sq.movements_requested(low):
        return None
    why = _WHY.match(low)
    parts = _scan(cleaned, as_of, index, values, skip=why.end() if why else 0)
    if parts.unread:
        return None
    if why is not None:
        return _why(queries[0], parts, as_of, catalog)
    if parts.empty or (parts.metric_ids and not _LEAD.match(low)):
        return None
    if parts.metric_ids:  # "and arr?" after "mrr and nps": the metrics named, as the first query asked
        merged = [_merged(queries[0], parts, as_of, catalog, metric_id=m) for m in parts.metric_ids]
    else:
        merged = [_merged(query, parts, as_of, catalog) for query in queries]
    changed = [one for one in merged if one.changes or one.question]
    if not changed:  # "weekly" after a funnel: nothing it could change
        return None
    question = next((one.question for one in merged if one.question), None)
    return FollowUp(tuple(one.query for one in merged), changed[0].changes,
                    notes=tuple(dict.fromkeys(n for one in merged for n in one.notes)), question=question)


def _scan(cleaned: str, as_of: date, index: MetricIndex, values: ValueIndex, *, skip: int) -> _Parts:
    """The parser's own scanners, in the order of a full question (parser.core)."""
    scratch = Scratch(cleaned)
    if skip:
        scratch.consume(0, skip)
    parts = _Parts()
    pieces = parts.pieces
    spans, pieces.notes = growth_of_stock(scratch, index.find_names(scratch.text), index.catalog)
    named, joiners = several_metrics(scratch.text, spans)
    for span in spans:
        scratch.protect(span.start, span.end)
    for start, end in joiners:
        scratch.consume(start, end)
    pieces.groups = take_groups(scratch, values)
    parts.comparison, notes = take_comparison(scratch, as_of)
    pieces.ranking = take_ranking(scratch)
    parts.period, _ = take_period(scratch, as_of)
    parts.series = take_series(scratch)
    pieces.breakdowns, breakdown_notes = take_breakdowns(scratch, values)
    pieces.filters = take_filters(scratch, values)
    scratch.unprotect()
    pieces.notes += [*notes, *breakdown_notes, *pieces.filters.notes]
    leftover = scratch.remaining()
    if named:
        parts.metric_ids = list(dict.fromkeys(span.metric_id for span in named))[:MAX_METRICS]
    elif index.find_names(leftover):
        resolution = resolve_metric(leftover, index)
        parts.metric_ids = [resolution.metric_id] if resolution.metric_id else []
        pieces.notes += resolution.notes
        parts.unread = [w for w in resolution.ignored if w not in _FOLLOW_UP_WORDS | _CHANGE_WORDS]
    else:
        known = STOP_WORDS | _FOLLOW_UP_WORDS | _CHANGE_WORDS
        parts.unread = [w for w in re.findall(r"[a-z0-9][a-z0-9'_-]*", leftover) if w not in known]
    if breakdown_notes and not pieces.breakdowns:  # "by region": a breakdown the parser could not read
        parts.unread.append("breakdown")
    return parts


def _merged(previous: AnyQuery, parts: _Parts, as_of: date, catalog: Catalog, *,
            metric_id: str | None = None) -> FollowUp:
    changes: list[Change] = []
    notes = list(parts.pieces.notes)
    query = previous
    pieces = parts.pieces
    wants_metric = bool(metric_id or pieces.breakdowns or pieces.groups or pieces.ranking or parts.series)
    if isinstance(query, MovementsQuery) and wants_metric:  # "and by plan?" after the bridge: MRR by plan
        query = MetricQuery(metric=MOVEMENTS_METRIC, as_of=query.as_of, period=query.period, filters=query.filters)
    if isinstance(query, (FunnelQuery, RetentionQuery)) and metric_id is not None:
        query = MetricQuery(metric=metric_id, as_of=query.as_of, period=query.period, filters=query.filters)
        changes.append("metric")
    elif isinstance(query, MetricQuery) and metric_id is not None and metric_id != query.metric:
        query, dropped = _other_metric(query, metric_id, catalog)
        changes.append("metric")
        notes += dropped
    metric = catalog.find(query.metric) if isinstance(query, MetricQuery) else catalog.find(MOVEMENTS_METRIC)
    settled = settle_dimensions(pieces, [metric]) if metric is not None else Settled(
        filters=pieces.filters.filters)
    if settled.question is not None:
        return FollowUp((_as_of(query, as_of),), tuple(changes), notes=tuple(notes), question=settled.question)
    notes += settled.notes
    if parts.period is not None:
        query = query.model_copy(update={"period": parts.period})
        changes.append("period")
    if settled.filters:
        query = query.model_copy(update={"filters": _with_filters(query.filters, settled.filters)})
        changes.append("filters")
    if settled.breakdown is not None and isinstance(query, MetricQuery):
        query = query.model_copy(update={
            "breakdown": settled.breakdown, "subgroup": settled.subgroup, "groups": settled.groups,
            "top": settled.top, "order": settled.order, "granularity": None,  # one table at a time
        })
        changes.append("breakdown")
    elif settled.breakdown is not None and isinstance(query, FunnelQuery):
        query = query.model_copy(update={"breakdown": settled.breakdown})
        changes.append("breakdown")
    if parts.series is not None and isinstance(query, MetricQuery):
        query = _with_series(query, parts.series)
        changes.append("granularity")
    if parts.comparison is not None and isinstance(query, MetricQuery):
        query = query.model_copy(update={"comparison": parts.comparison.comparison,
                                         "compare_to": parts.comparison.compare_to})
        changes.append("comparison")
    return FollowUp((_as_of(query, as_of),), tuple(changes), notes=tuple(dict.fromkeys(notes)))


def _why(previous: AnyQuery, parts: _Parts, as_of: date, catalog: Catalog) -> FollowUp | None:
    """After MRR (or the bridge): its movements over the same period; after another metric: `explain`."""
    metric_id = parts.metric_ids[0] if parts.metric_ids else None  # "why did signups drop?": that one
    base = (_merged(previous, parts, as_of, catalog, metric_id=metric_id) if not parts.empty
            else FollowUp((_as_of(previous, as_of),), ()))
    if base.question is not None:
        return base
    query = base.query
    changes: tuple[Change, ...] = (*base.changes, "why")
    if isinstance(query, MetricQuery) and query.metric == MOVEMENTS_METRIC:
        period = query.period if query.period is not None and query.period.days > 1 else None
        return FollowUp((MovementsQuery(as_of=query.as_of, period=period, filters=query.filters),), changes,
                        notes=base.notes)
    if isinstance(query, MovementsQuery):  # "why?" again after the bridge: which groups moved MRR most
        query = MetricQuery(metric=MOVEMENTS_METRIC, as_of=query.as_of, period=query.period, filters=query.filters)
    if not isinstance(query, MetricQuery) or catalog.find(query.metric) is None:
        return None
    steady = query.model_copy(update={"granularity": None, "breakdown": None, "subgroup": None, "groups": (),
                                      "top": None, "order": None})
    return FollowUp((steady,), changes, explain=True, notes=base.notes)


def _other_metric(query: MetricQuery, metric_id: str, catalog: Catalog) -> tuple[MetricQuery, list[str]]:
    """The same question about another metric; a breakdown or filter the new metric lacks is dropped (noted)."""
    metric = catalog.get(metric_id)
    allowed = set(metric.dimensions)
    notes: list[str] = []
    breakdown = query.breakdown
    if breakdown is not None and breakdown not in allowed:
        notes.append(f"{metric.label} has no '{breakdown}' breakdown: showing the total")
        breakdown = None
    filters = tuple(f for f in query.filters if f.dimension in allowed)
    notes += [f"{metric.label} cannot be filtered by '{f.dimension}': filter dropped"
              for f in query.filters if f.dimension not in allowed]
    update: dict[str, object] = {"metric": metric_id, "breakdown": breakdown, "filters": filters}
    if breakdown is None:
        update.update(subgroup=None, groups=(), top=None, order=None)
    elif query.subgroup is not None and query.subgroup not in allowed:
        update["subgroup"] = None
    return query.model_copy(update=update), notes


def _with_filters(old: tuple[Filter, ...], new: tuple[Filter, ...]) -> tuple[Filter, ...]:
    """A value of a dimension already filtered replaces it ("for <b>" after "for <a>")."""
    replaced = {f.dimension for f in new}
    merged = [f for f in old if f.dimension not in replaced] + list(new)
    return tuple(sorted(merged, key=lambda f: f.dimension))


def _with_series(query: MetricQuery, series: Series) -> MetricQuery:
    """"weekly": the same period by week; with no period the engine covers the last few buckets to date, and a
    `trend` is by month (as for a full question). A series replaces a breakdown (one table at a time)."""
    period = query.period
    if series == "trend":
        grain: Grain = "month" if period is None else period.trend_grain()
    else:
        grain = series
    return query.model_copy(update={"granularity": grain, "breakdown": None})


def _as_of(query: AnyQuery, as_of: date) -> AnyQuery:
    """A follow-up asked on a later day answers as of that day; an explicit period stays as it was."""
    return query if query.as_of == as_of else query.model_copy(update={"as_of": as_of})
