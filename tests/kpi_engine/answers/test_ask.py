"""The ask pipeline on real databases: results, and engine errors turned into messages (never raised)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kpi_engine.answers.ask import Answer, answer_question, run_safely
from kpi_engine.catalog import MetricDefinition, load_catalog
from kpi_engine.db import make_engine
from kpi_engine.periods import Period
from kpi_engine.query import MetricQuery, MovementsQuery
from kpi_engine.results import MetricResult, TableResult
from kpi_engine.settings import Settings
from tests.conftest import insert_small_mrr_company, make_settings

APRIL = Period.calendar(date(2026, 4, 1), "month")
AS_OF = date(2026, 6, 10)



@pytest.fixture
def subscriptions(engine: Engine) -> Engine:
    """MRR 157 at the end of April (a: 100 during April, b: 50, an unknown account: 7), 57 at the end of March."""
    insert_small_mrr_company(engine)
    return engine


def test_metric_query_runs(subscriptions: Engine, settings: Settings) -> None:
    query = MetricQuery(metric="mrr", as_of=AS_OF, period=APRIL, breakdown="plan")
    result, error = run_safely(query, engine=subscriptions, settings=settings, catalog=load_catalog())
    assert error is None and isinstance(result, MetricResult)
    assert (result.value, result.previous_value) == (157.0, 57.0)
    assert [(g.group, g.value) for g in result.breakdown or []] == [("pro", 100), ("basic", 50), ("(none)", 7)]


def test_movements_query_runs(subscriptions: Engine, settings: Settings) -> None:
    query = MovementsQuery(as_of=AS_OF, period=APRIL)
    result, error = run_safely(query, engine=subscriptions, settings=settings, catalog=load_catalog())
    assert error is None and isinstance(result, TableResult)
    assert [row[:2] for row in result.rows] == [
        ["Starting MRR", 57.0], ["New", 100.0], ["Reactivation", 0.0], ["Expansion", 0.0], ["Contraction", 0.0],
        ["Churned", 0.0], ["Ending MRR", 157.0],
    ]


def test_unsupported_dimension_becomes_a_message(subscriptions: Engine, settings: Settings) -> None:
    query = MetricQuery(metric="mrr", as_of=AS_OF, period=APRIL, breakdown="priority")
    result, error = run_safely(query, engine=subscriptions, settings=settings, catalog=load_catalog())
    assert result is None
    assert error is not None
    assert error.startswith("MRR cannot be broken down or filtered by “priority”. "
                            "It can be broken down by: plan, segment, channel, country")


def test_unknown_metrics_become_messages(subscriptions: Engine, settings: Settings) -> None:
    made_up = MetricDefinition(id="made_up", label="Made up", area="custom", unit="count", kind="flow",
                               description="d", formula="f")
    catalog = load_catalog().with_extra([made_up])
    known = MetricQuery(metric="made_up", as_of=AS_OF)
    assert run_safely(known, engine=subscriptions, settings=settings, catalog=catalog) == (
        None, "I know Made up but cannot compute it yet.")
    unknown = MetricQuery(metric="florp", as_of=AS_OF)
    assert run_safely(unknown, engine=subscriptions, settings=settings, catalog=catalog) == (
        None, "I do not know a metric called “florp”. Try “list metrics”.")


def test_database_errors_become_messages(tmp_path: Path) -> None:
    empty = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")  # no schema at all
    try:
        result, error = run_safely(MetricQuery(metric="mrr", as_of=AS_OF, period=APRIL), engine=empty,
                                   settings=make_settings(str(empty.url)), catalog=load_catalog())
    finally:
        empty.dispose()
    assert result is None
    # the user reads an error id, never the database's own words (issue 15); the log has the short line
    assert error is not None and error.startswith("Sorry, the database could not answer MRR (error id `")
    assert "no such table" not in error


def test_empty_question_needs_no_parser(subscriptions: Engine, settings: Settings) -> None:
    answer = answer_question("   ", engine=subscriptions, settings=settings, as_of=AS_OF)
    assert answer.intent == "empty" and answer.error and answer.result is None
    assert answer.as_of == AS_OF and answer.currency == "$"


def test_answer_question_end_to_end(subscriptions: Engine, settings: Settings) -> None:
    answer = answer_question("mrr by plan in April 2026", engine=subscriptions, settings=settings, as_of=AS_OF)
    assert answer.ok and answer.intent == "query"
    assert isinstance(answer.result, MetricResult)
    assert answer.result.period == APRIL and answer.result.value == 157.0
    assert answer.metric is not None and answer.metric.id == "mrr"


def test_answer_question_intents(subscriptions: Engine, settings: Settings) -> None:
    def ask(text: str) -> Answer:
        return answer_question(text, engine=subscriptions, settings=settings, as_of=AS_OF)

    assert ask("help").intent == "help"
    define = ask("define ltv")
    assert define.intent == "define" and define.error is None
    assert define.metric is not None and define.metric.id == "ltv"
    unknown = ask("how many florps did we glorp")
    assert unknown.result is None and unknown.error
