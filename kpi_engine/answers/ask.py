"""From a question in words to an answer: parse, run, and turn every failure into a message people read.

`answer_question` never raises for anything a user can type; the renderers (terminal, Block Kit) take
the `Answer` it returns. A question naming several metrics gets one Answer per metric: `answer.answers`
(the first is the answer itself, the others are `answer.others`); `answer_json` prints them all.
`answer_query` is the one path from a query to an Answer (questions, follow-ups, digests, Home cards, alerts):
it runs the query once (`run_safely`); `Answer.presentation` is how its metric result reads, worked out once
(kpi_engine.answers.presentation) for every surface to render from.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cached_property
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from kpi_engine import limits
from kpi_engine.answers.presentation import Presentation, present
from kpi_engine.answers.summary import summary_text
from kpi_engine.catalog import Catalog, MetricDefinition, load_catalog
from kpi_engine.compute.dimensions import UnsupportedDimension
from kpi_engine.engine import run_query
from kpi_engine.parser import ParseResult, parse_question
from kpi_engine.parser.value_index import Vocabulary
from kpi_engine.query import FunnelQuery, MetricQuery, MovementsQuery, RetentionQuery
from kpi_engine.results import MetricResult, TableResult
from kpi_engine.settings import Settings
from kpi_engine.values import values_for

log = logging.getLogger(__name__)

AnyQuery = MetricQuery | MovementsQuery | FunnelQuery | RetentionQuery
EMPTY_MESSAGE = "Ask me about a KPI, for example “mrr last month”, “nps by plan this quarter” or “help”."
UNKNOWN_MESSAGE = "I did not understand which metric you mean."
UNREADABLE_MESSAGE = "Sorry, I could not read that question. Try “help” for examples."


@dataclass(frozen=True)
class Answer:
    question: str
    parse: ParseResult | None
    result: MetricResult | TableResult | None = None
    error: str | None = None
    catalog: Catalog | None = field(default=None, repr=False)
    currency: str = "$"
    as_of: date | None = None
    others: tuple[Answer, ...] = ()  # the answers for the other metrics of the question
    summary: str | None = None  # groups compared, the winner of a ranking, a trend's verdict, in words

    @property
    def answers(self) -> list[Answer]:
        """One answer per metric asked for (this one first)."""
        return [self, *self.others]

    @property
    def intent(self) -> str:
        """query | help | list | define | unknown | empty (an answer with an error reads as unknown)."""
        if self.parse is None:
            return "empty" if not self.question.strip() else "unknown"
        return self.parse.intent

    @property
    def ok(self) -> bool:
        return self.result is not None and self.error is None

    @property
    def query(self) -> AnyQuery | None:
        return None if self.parse is None else self.parse.query

    @property
    def metric(self) -> MetricDefinition | None:
        """The metric the question is about, when there is one."""
        name = self.result.metric if isinstance(self.result, MetricResult) else None
        if name is None and self.parse is not None:
            name = self.parse.metric_id or (self.query.metric if isinstance(self.query, MetricQuery) else None)
        if name is None or self.catalog is None:
            return None
        return self.catalog.find(name)

    @property
    def suggestions(self) -> list[MetricDefinition]:
        if self.parse is None or self.catalog is None:
            return []
        found = (self.catalog.find(name) for name in self.parse.suggestions)
        return [metric for metric in found if metric is not None]

    @property
    def notes(self) -> list[str]:
        notes = list(self.parse.notes) if self.parse is not None and self.parse.notes else []
        if isinstance(self.result, TableResult):
            notes += self.result.notes
        return notes

    @cached_property
    def presentation(self) -> Presentation | None:
        """How the metric result reads (title, value, change, target, notes, chart); None without one."""
        if self.error is not None or not isinstance(self.result, MetricResult):
            return None
        return present(self.result, currency=self.currency)


def data_values(engine: Engine, settings: Settings) -> Vocabulary:
    """The values the parser matches (plans, countries, event names…), read where the data lives."""
    if not settings.uses_source:
        return values_for(engine)
    from kpi_engine.sources.routing import data_values as source_values

    return source_values(engine, settings)

def resolve_catalog(engine: Engine, settings: Settings) -> Catalog:
    """The built-in catalog, with the custom metrics file merged when one is configured."""
    path = settings.kpi_custom_metrics_file
    if path is None:
        catalog = load_catalog()
    else:
        from kpi_engine.custom.registry import catalog_with_custom

        catalog = catalog_with_custom(path, engine)
    if settings.uses_source:  # metrics whose tables the source lacks leave the lists
        from kpi_engine.sources.routing import listed_catalog

        catalog = listed_catalog(catalog, settings)
    return catalog


def answer_question(
    text: str,
    *,
    engine: Engine,
    settings: Settings,
    catalog: Catalog | None = None,
    as_of: date | None = None,
) -> Answer:
    """Parse the question, run its query, and return an Answer (with an error message instead of raising)."""
    day = as_of or datetime.now(settings.tz).date()
    resolved = _catalog_or_error(text, engine, settings, catalog, day)
    if isinstance(resolved, Answer):
        return resolved
    read = read_question(text, engine=engine, settings=settings, catalog=resolved, as_of=day)
    if isinstance(read, Answer):
        return read
    return answer_parsed(text, read, engine=engine, settings=settings, catalog=resolved, as_of=day)


def _catalog_or_error(text: str, engine: Engine, settings: Settings, catalog: Catalog | None,
                      day: date) -> Catalog | Answer:
    if catalog is not None:
        return catalog
    try:
        return resolve_catalog(engine, settings)
    except ValueError as exc:  # a broken custom metrics file: say what is wrong with it
        return Answer(text, None, None, f"The metric catalog could not be loaded: {exc}", None,
                      settings.kpi_currency_symbol, day)


def read_question(text: str, *, engine: Engine, settings: Settings, catalog: Catalog | None = None,
                  as_of: date | None = None, with_values: bool = True) -> ParseResult | Answer:
    """The question parsed (with the data's values for a query), or the Answer that says why it cannot be: no
    text, an as-of day out of range, a parser crash. `answer_parsed` answers the parse without parsing again.
    `with_values=False`: the first parse only, which reads no data (the bot decides access on it, then calls
    `with_data_values`)."""
    day = as_of or datetime.now(settings.tz).date()
    resolved = _catalog_or_error(text, engine, settings, catalog, day)
    if isinstance(resolved, Answer):
        return resolved

    def failed(error: str) -> Answer:
        return Answer(text, None, None, error, resolved, settings.kpi_currency_symbol, day)

    if not text.strip():
        return failed(EMPTY_MESSAGE)
    if limits.as_of_problem(day):
        return failed(limits.as_of_problem(day) or "")
    try:
        parsed = parse_question(text, as_of=day, catalog=resolved)  # help, list, define: no data read
    except Exception:  # noqa: BLE001  (a parser bug must not reach the user as a crash)
        log.exception("parsing %r failed", text)
        return failed(UNREADABLE_MESSAGE)
    if not with_values:
        return parsed
    return with_data_values(text, parsed, engine=engine, settings=settings, catalog=resolved, as_of=day)


def with_data_values(text: str, parsed: ParseResult, *, engine: Engine, settings: Settings, catalog: Catalog,
                     as_of: date) -> ParseResult | Answer:
    """A query (or an unknown question) parsed again with the data's values; help, list and define as they are."""
    if parsed.intent not in ("query", "unknown"):
        return parsed
    try:
        return parse_question(text, as_of=as_of, catalog=catalog, values=data_values(engine, settings))
    except Exception:  # noqa: BLE001  (a parser bug must not reach the user as a crash)
        log.exception("parsing %r failed", text)
        return Answer(text, None, None, UNREADABLE_MESSAGE, catalog, settings.kpi_currency_symbol, as_of)


def answer_parsed(text: str, parsed: ParseResult, *, engine: Engine, settings: Settings, catalog: Catalog,
                  as_of: date | None = None) -> Answer:
    """The Answer to a parse from `read_question`: help, list and define as they are, each query run once."""
    day = as_of or datetime.now(settings.tz).date()

    def reply(error: str | None = None) -> Answer:
        return Answer(text, parsed, None, error, catalog, settings.kpi_currency_symbol, day)

    if parsed.intent in ("help", "list") or (parsed.intent == "define" and parsed.metric_id):
        return reply()
    if parsed.intent != "query" or parsed.query is None:
        return reply(parsed.message or (EMPTY_MESSAGE if parsed.intent == "empty" else UNKNOWN_MESSAGE))
    answers = []
    for number, query in enumerate(parsed.all_queries):
        part = parsed if number == 0 else replace(parsed, query=query, queries=(), suggestions=(), notes=(),
                                                  metric_id=getattr(query, "metric", None))
        answer = answer_query(query, engine=engine, settings=settings, catalog=catalog, as_of=day, question=text)
        answers.append(_with_words(replace(answer, parse=part), catalog))
    return replace(answers[0], others=tuple(answers[1:]))


def answer_query(query: AnyQuery, *, engine: Engine, settings: Settings, catalog: Catalog, as_of: date | None = None,
                 question: str = "") -> Answer:
    """The query run once (engine errors as the Answer's error), as an Answer whose `presentation` every surface
    renders from."""
    result, error = run_safely(query, engine=engine, settings=settings, catalog=catalog)
    metric_id = query.metric if isinstance(query, MetricQuery) else None
    parse = ParseResult(intent="query", query=query, metric_id=metric_id)
    return Answer(question, parse, result, error, catalog, settings.kpi_currency_symbol, as_of or query.as_of)


def _with_words(answer: Answer, catalog: Catalog) -> Answer:
    """The summary in words and, for "what's churn", the definition, put first among the notes."""
    parse, query, result = answer.parse, answer.query, answer.result
    if parse is None:
        return answer
    words: list[str] = []
    summary = None
    if isinstance(query, MetricQuery) and isinstance(result, MetricResult):
        summary = summary_text(query, result, currency=answer.currency, verdict=parse.verdict, today=answer.as_of)
        if summary:
            words.append(summary)
    metric = answer.metric
    if parse.show_definition and metric is not None:
        words.append(f"{metric.label}: {metric.description.strip()}")
    if not words:
        return answer
    return replace(answer, parse=replace(parse, notes=(*words, *parse.notes)), summary=summary)


def answer_json(answer: Answer) -> dict[str, Any]:
    """The DESIGN.md contract: one object, or `{"answers": [...]}` when the question named several metrics."""
    if len(answer.answers) > 1:
        return {"answers": [one_answer_json(a) for a in answer.answers]}
    return one_answer_json(answer)


def one_answer_json(answer: Answer) -> dict[str, Any]:
    """One answer: the result's JSON (with the second dimension and the words), or `{"error", "suggestions"}`."""
    if answer.error is not None:
        return {"error": answer.error, "suggestions": [m.id for m in answer.suggestions]}
    if isinstance(answer.result, MetricResult | TableResult):
        out = answer.result.to_json()
        if isinstance(answer.result, MetricResult):
            _add_words(out, answer, answer.result)
        return out
    if answer.intent == "define" and answer.metric is not None:
        return {"definition": answer.metric.model_dump(mode="json")}
    if answer.intent == "list" and answer.catalog is not None:
        return {"metrics": [{"id": m.id, "label": m.label, "area": m.area, "unit": m.unit, "kind": m.kind}
                            for m in answer.catalog]}
    return {"help": True}


def _add_words(out: dict[str, Any], answer: Answer, result: MetricResult) -> None:
    if result.subgroup_dimension and result.breakdown is not None:
        out["subgroup_dimension"] = result.subgroup_dimension
        out["breakdown"] = [{"group": g.group, "subgroup": g.subgroup, "value": g.value,
                             **({"n": g.n} if g.n is not None else {})} for g in result.breakdown]
    if answer.summary:
        out["summary"] = answer.summary
    if answer.parse is not None and answer.parse.show_definition:
        out["definition"] = result.definition
    notes = [note for note in answer.notes if note != answer.summary]
    if notes:
        out["notes"] = notes


def run_safely(
    query: AnyQuery, *, engine: Engine, settings: Settings, catalog: Catalog
) -> tuple[MetricResult | TableResult | None, str | None]:
    """Runs a query; engine errors become (None, message). Called by `answer_query` only (tests call it too)."""
    try:
        limits.check_query(query)
        with engine.connect() as conn:
            return run_query(conn, query, catalog, settings), None
    except UnsupportedDimension as exc:
        return None, _dimension_message(exc, query, catalog)
    except KeyError as exc:  # UnknownMetric (no computation yet) or a name the catalog does not know
        return None, _unknown_metric_message(query, catalog, exc)
    except ModuleNotFoundError as exc:  # a query type whose computation is not installed
        log.warning("query type not available: %s", exc)
        return None, f"{_query_title(query, catalog)} is not available yet."
    except (SQLAlchemyError, RecursionError, MemoryError) as exc:
        return None, limits.database_failure(exc, _query_title(query, catalog))
    except OverflowError:  # a date arithmetic past year 9999
        return None, limits.DATE_RANGE
    except ValueError as exc:
        return None, str(exc)


def _query_title(query: AnyQuery, catalog: Catalog) -> str:
    if isinstance(query, MetricQuery):
        metric = catalog.find(query.metric)
        return metric.label if metric else query.metric
    return {"movements": "the MRR bridge", "funnel": "the funnel", "retention": "retention"}[query.kind]


def _dimension_message(exc: UnsupportedDimension, query: AnyQuery, catalog: Catalog) -> str:
    allowed = ", ".join(exc.allowed) if exc.allowed else "nothing"
    return (f"{_query_title(query, catalog)} cannot be broken down or filtered by “{exc.dimension}”. "
            f"It can be broken down by: {allowed}.")


def _unknown_metric_message(query: AnyQuery, catalog: Catalog, exc: KeyError) -> str:
    if isinstance(query, MetricQuery) and catalog.find(query.metric) is not None:
        return f"I know {_query_title(query, catalog)} but cannot compute it yet."
    name = query.metric if isinstance(query, MetricQuery) else str(exc)
    return f"I do not know a metric called “{name}”. Try “list metrics”."
