"""Follow-ups: the Trend and Break down buttons' queries, and follow-up questions typed in a conversation."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Engine

from kpi_engine.answers.ask import Answer, AnyQuery, answer_query, answer_question
from kpi_engine.answers.format import format_signed, period_label
from kpi_engine.answers.summary import summary_text
from kpi_engine.catalog import Catalog
from kpi_engine.parser.followups import MOVEMENTS_METRIC, FollowUp, Previous, read_followup
from kpi_engine.parser.result import ParseResult
from kpi_engine.query import MetricQuery, MovementsQuery
from kpi_engine.results import MetricResult, TableResult
from kpi_engine.settings import Settings
from kpi_engine.values import values_for


def trend_query(query: MetricQuery, result: MetricResult) -> MetricQuery:
    """The same metric and filters as a series over the answer's period, at the `trend` grain. An answer
    with no time phrase, or about one day, trends like `trend` with no period (KPI_SPEC §1): the last 12
    months to date by month, ending on that day."""
    period = result.period
    if query.period is None or period.days == 1:
        return query.model_copy(update={"period": None, "as_of": period.end, "granularity": "month",
                                        "breakdown": None})
    return query.model_copy(update={"period": period, "granularity": period.trend_grain(), "breakdown": None})


def breakdown_query(query: MetricQuery, dimension: str) -> MetricQuery:
    """The same question broken down by `dimension` (a series is dropped: one table at a time)."""
    update: dict[str, object] = {"breakdown": dimension, "granularity": None}
    if dimension != query.breakdown:  # groups, a ranking and a second dimension belonged to the old one
        update.update(groups=(), top=None, order=None, subgroup=None)
    return query.model_copy(update=update)


# --- follow-ups typed in a conversation ("and by plan?", "why?") -----------------------------------------

EXPLAIN_DIMENSIONS = 8  # "why?" tries at most this many breakdowns (one query each)
ADDITIVE_KINDS = ("stock", "flow")  # a group's values add up to the total
GRAIN_WORDS = {"day": "daily", "week": "weekly", "month": "monthly", "quarter": "quarterly", "year": "yearly"}


@dataclass(frozen=True)
class Explanation:
    """The breakdown whose groups changed most between the period and the one it is compared with."""

    query: MetricQuery
    answer: Answer  # the query's answer (its result or error)
    note: str | None

    @property
    def result(self) -> MetricResult | TableResult | None:
        return self.answer.result

    @property
    def error(self) -> str | None:
        return self.answer.error


def answer_in_conversation(text: str, previous: Previous, *, engine: Engine, settings: Settings,
                           catalog: Catalog, as_of: date) -> Answer:
    """A follow-up of `previous` (the queries of the last answer) when `text` reads as one, else `text` as a
    question of its own."""
    followup = read_followup(text, previous, as_of=as_of, catalog=catalog, values=values_for(engine))
    if followup is None:
        return answer_question(text, engine=engine, settings=settings, catalog=catalog, as_of=as_of)
    return answer_followup(text, followup, engine=engine, settings=settings, catalog=catalog, as_of=as_of)


def answer_followup(text: str, followup: FollowUp, *, engine: Engine, settings: Settings, catalog: Catalog,
                    as_of: date) -> Answer:
    """Runs the merged queries (or, for "why?", the breakdown that explains the change), one answer per
    metric; the first answer's first note says how the follow-up was read."""
    if followup.question is not None:
        parse = ParseResult(intent="unknown", message=followup.question, confidence=0.0)
        return Answer(text, parse, None, followup.question, catalog, settings.kpi_currency_symbol, as_of)
    runs: list[tuple[AnyQuery, Answer, list[str]]] = []
    for number, query in enumerate(followup.queries):
        notes = list(followup.notes) if number == 0 else []
        if followup.explain and isinstance(query, MetricQuery):
            explanation = explain_change(query, engine=engine, settings=settings, catalog=catalog)
            query, answer = explanation.query, explanation.answer
            notes = [explanation.note, *notes] if explanation.note else notes
        else:
            answer = answer_query(query, engine=engine, settings=settings, catalog=catalog, as_of=as_of)
        runs.append((query, answer, notes))
    read_as = "; ".join(describe_query(query, answer.result, catalog) for query, answer, _ in runs)
    runs[0][2].insert(0, f"I read “{' '.join(text.split())[:200]}” as {read_as}")
    answers = [_with_notes(text, query, answer, notes, as_of) for query, answer, notes in runs]
    return replace(answers[0], others=tuple(answers[1:]))


def _with_notes(text: str, query: AnyQuery, answer: Answer, notes: list[str], as_of: date) -> Answer:
    """The answer to a follow-up's query as the follow-up's: its text, how it was read, the summary in words."""
    summary = None
    if isinstance(query, MetricQuery) and isinstance(answer.result, MetricResult):
        summary = summary_text(query, answer.result, currency=answer.currency, verdict=False, today=as_of)
    if summary:
        notes = [*notes[:1], summary, *notes[1:]]
    metric_id = query.metric if isinstance(query, MetricQuery) else (
        MOVEMENTS_METRIC if isinstance(query, MovementsQuery) else None)
    parse = ParseResult(intent="query", query=query, metric_id=metric_id, notes=tuple(dict.fromkeys(notes)))
    return replace(answer, question=text, parse=parse, as_of=as_of, summary=summary)


def explain_change(query: MetricQuery, *, engine: Engine, settings: Settings, catalog: Catalog) -> Explanation:
    """Breaks `query` down by each of its metric's dimensions and keeps the one with the group whose value
    moved most against the previous period. Without dimensions or any change, the plain answer."""
    metric = catalog.get(query.metric)
    best: tuple[float, MetricQuery, Answer, MetricResult, str] | None = None
    for dimension in [d for d in metric.dimensions if not _filtered_to_one(query, d)][:EXPLAIN_DIMENSIONS]:
        candidate = breakdown_query(query, dimension).model_copy(update={"comparison": "previous"})
        answer = answer_query(candidate, engine=engine, settings=settings, catalog=catalog)
        broken_down = answer.result
        if answer.error is not None or not isinstance(broken_down, MetricResult):
            continue
        moved = _biggest_move(broken_down, absent_is_zero=metric.kind in ADDITIVE_KINDS)
        if moved is not None and (best is None or abs(moved[1]) > abs(best[0])):
            best = (moved[1], candidate, answer, broken_down, moved[0])
    if best is None:
        plain = answer_query(query, engine=engine, settings=settings, catalog=catalog)
        return Explanation(query, plain, _nothing_to_explain(metric.label, plain.result))
    change, best_query, best_answer, best_result, group = best
    dimension = best_query.breakdown or "group"
    moved_by = format_signed(change, best_result.unit, currency=settings.kpi_currency_symbol)
    note = f"Of all {metric.label} breakdowns, the {dimension} groups changed most: {group} {moved_by}"
    return Explanation(best_query, best_answer, note)


def describe_query(query: AnyQuery, result: MetricResult | TableResult | None, catalog: Catalog) -> str:
    """`MRR by plan, May 2026`, `Signups for segment enterprise, weekly, May 2026`, `the MRR bridge, March 2026`."""
    if isinstance(query, MetricQuery):
        metric = catalog.find(query.metric)
        words = [metric.label if metric is not None else query.metric]
        if query.breakdown:
            words.append(_breakdown_words(query))
    elif isinstance(query, MovementsQuery):
        words = ["the MRR bridge"]
    else:
        words = [query.kind]
    text = " ".join(words)
    if query.filters:
        text += " for " + "; ".join(f"{f.dimension} {', '.join(f.values)}" for f in query.filters)
    if isinstance(query, MetricQuery) and query.granularity:
        text += f", {GRAIN_WORDS.get(query.granularity, query.granularity)}"
    period = result.period if result is not None else query.period
    if period is not None:
        text += f", {period_label(period)}"
    if isinstance(query, MetricQuery) and query.comparison == "previous_year":
        text += ", against the year before"
    return text


def _breakdown_words(query: MetricQuery) -> str:
    """`by plan`, `by plan and segment`, `by plan (team vs business)`, `by country, top 3`."""
    dimension = (query.breakdown or "group").replace("_", " ")
    text = f"by {dimension}" + (f" and {query.subgroup.replace('_', ' ')}" if query.subgroup else "")
    if query.groups:
        text += f" ({' vs '.join(query.groups)})"
    if query.top:
        text += f", {'top' if query.order in (None, 'best', 'highest') else 'bottom'} {query.top}"
    return text


def _nothing_to_explain(label: str, result: MetricResult | TableResult | None) -> str:
    if isinstance(result, MetricResult) and result.change == 0 and result.previous_period is not None:
        return f"{label} did not change against {period_label(result.previous_period)}: nothing to explain"
    return f"No breakdown of {label} shows where the change came from"


def _biggest_move(result: MetricResult, *, absent_is_zero: bool) -> tuple[str, float] | None:
    """The group that moved most; a sum (stock, flow) of a group absent from the previous period was 0."""
    moves = []
    for g in result.breakdown or []:
        previous = 0.0 if g.previous is None and absent_is_zero else g.previous
        if g.value is not None and previous is not None and g.value != previous:
            moves.append((g.group, g.value - previous))
    return max(moves, key=lambda m: abs(m[1])) if moves else None


def _filtered_to_one(query: MetricQuery, dimension: str) -> bool:
    return any(f.dimension == dimension and len(f.values) == 1 for f in query.filters)
