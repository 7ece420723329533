"""The bridge to kpi_engine: a question read once, the metric groups it touches, answers, charts, plain-text
summaries."""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import Engine

from bot.conversation.reply import Chart
from bot.rendering import ChartRenderer
from kpi_engine.answers.ask import Answer, AnyQuery, answer_parsed, read_question, with_data_values
from kpi_engine.answers.followups import answer_followup
from kpi_engine.answers.format import format_value, period_label
from kpi_engine.catalog import Catalog
from kpi_engine.parser.followups import MOVEMENTS_METRIC, FollowUp
from kpi_engine.parser.result import ParseResult
from kpi_engine.query import MetricQuery, MovementsQuery
from kpi_engine.results import MetricResult, TableResult
from kpi_engine.settings import Settings

logger = logging.getLogger(__name__)


def group_of_query(query: AnyQuery | None, catalog: Catalog) -> str | None:
    if isinstance(query, MetricQuery):
        metric = catalog.find(query.metric)
    elif isinstance(query, MovementsQuery):
        metric = catalog.find(MOVEMENTS_METRIC)
    else:
        return None
    return metric.group if metric is not None else None


Read = ParseResult | Answer  # a question as read, or the Answer saying why it cannot be (no text, parser crash)


def read_words(text: str, *, engine: Engine, settings: Settings, catalog: Catalog, day: date) -> Read:
    """The question read without touching the data, so access is decided before anything reads it."""
    return read_question(text, engine=engine, settings=settings, catalog=catalog, as_of=day, with_values=False)


def with_values(text: str, read: Read, *, engine: Engine, settings: Settings, catalog: Catalog, day: date) -> Read:
    """The same read with the data's values (plans, countries…) for a query; help, list and define stay."""
    if isinstance(read, Answer):
        return read
    return with_data_values(text, read, engine=engine, settings=settings, catalog=catalog, as_of=day)


def groups_of_read(read: Read, catalog: Catalog) -> list[str | None]:
    """The metric group of each metric the question asks about ([None]: none, or metrics in no group)."""
    if isinstance(read, Answer):
        return [None]
    if read.all_queries:
        return list(dict.fromkeys(group_of_query(query, catalog) for query in read.all_queries))
    metric = catalog.find(read.metric_id) if read.metric_id else None
    return [metric.group if metric is not None else None]


def reads_as_query(read: Read) -> bool:
    return isinstance(read, ParseResult) and read.intent == "query"


def answer_read(text: str, read: Read, *, engine: Engine, settings: Settings, catalog: Catalog, day: date) -> Answer:
    """The answer to the read question (parsed once: nothing here parses it again)."""
    if isinstance(read, Answer):
        return read
    return answer_parsed(text, read, engine=engine, settings=settings, catalog=catalog, as_of=day)


def answer_follow_up(question: str, followup: FollowUp, *, engine: Engine, settings: Settings, catalog: Catalog,
                     day: date) -> Answer:
    """The conversation's previous queries as the follow-up changed them, answered as of `day`."""
    return answer_followup(question, followup, engine=engine, settings=settings, catalog=catalog, as_of=day)


def chart_of(answer: Answer, renderer: ChartRenderer) -> Chart | None:
    """The answer's chart, or None (a chart that fails to draw is logged, the answer still goes out)."""
    if not answer.ok or answer.result is None:
        return None
    try:
        png = renderer.chart(answer.result, answer.currency)
    except Exception:
        logger.exception("chart for %r failed", answer.question)
        return None
    if png is None:
        return None
    title = _title(answer.result)
    return Chart(png=png, title=title, alt_text=f"Chart: {title}")


def summary_text(answer: Answer) -> str:
    """The notification text of a message (what shows in alerts and screen readers), each metric's."""
    if len(answer.answers) > 1:
        return " · ".join(_one_summary(one) for one in answer.answers)
    return _one_summary(answer)


def _one_summary(answer: Answer) -> str:
    result = answer.result
    if answer.error is not None or result is None:
        return answer.error or "KPI Bot"
    if isinstance(result, MetricResult):
        shown = answer.presentation
        value = shown.value_text if shown is not None else format_value(result.value, result.unit,
                                                                          currency=answer.currency)
        return f"{_title(result)}: {value}"
    return _title(result)


def metric_id_of(answer: Answer) -> str | None:
    metric = answer.metric
    return metric.id if metric is not None else None


def _title(result: MetricResult | TableResult) -> str:
    if isinstance(result, MetricResult):
        return f"{result.label}, {period_label(result.period)}"
    return f"{result.title}, {period_label(result.period)}"
