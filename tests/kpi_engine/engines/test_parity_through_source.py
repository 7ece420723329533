"""The parity question set asked the way the bot asks it with a source configured: on a DATABASE_URL connection
(the bot's state, holding the survey answers given in Slack), with KPI_SOURCE_URL pointing at a DuckDB copy of
the tiny demo whose derived usage tables sit in its `main` schema (KPI_SOURCE_SCRATCH_SCHEMA=main)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, insert, select

from kpi_engine.catalog import load_catalog
from kpi_engine.compute.dialect import prepare_engine
from kpi_engine.db.engine import make_engine
from kpi_engine.db.models import SurveyDelivery, SurveyResponse
from kpi_engine.engine import run_query
from kpi_engine.query import MetricQuery
from kpi_engine.settings import Settings
from kpi_engine.sources.source import current_source, forget_sources
from tests.conftest import make_settings
from tests.kpi_engine.engines.conftest import ParityDemo, Reference, parity_questions
from tests.kpi_engine.engines.copies import load_duckdb
from tests.kpi_engine.engines.questions import CUSTOM_IDS, Question, answer, differences

# ratio and derived custom metrics have no tables of their own (MetricDefinition.tables is empty), so routing sends
# them to DATABASE_URL instead of the source their parts read (kpi_engine/sources/routing.py tables_of; see NOTES.md)
ROUTING_GAP = {"custom_revenue_per_order by month", "custom_mrr_less_spend by month"}
QUESTIONS = [pytest.param(q, id=q.label, marks=pytest.mark.xfail(reason="combined custom metrics are routed to "
                                                                         "DATABASE_URL", strict=False))
             if q.label in ROUTING_GAP else pytest.param(q, id=q.label) for q in parity_questions()]


@dataclass(frozen=True)
class SourcedDemo:
    state: Engine
    settings: Settings


@pytest.fixture(scope="module")
def duckdb_source(parity_demo: ParityDemo, sqlite_template: Path) -> Iterator[SourcedDemo]:
    pytest.importorskip("duckdb_engine", reason="the DuckDB extra is not installed (pip install kpibot[duckdb])")
    directory = parity_demo.directory / "through_source"
    directory.mkdir(exist_ok=True)
    writer = create_engine(f"duckdb:///{directory / 'source.duckdb'}")
    with writer.connect() as conn:
        load_duckdb(conn, parity_demo.parquet)
    writer.dispose()  # the bot opens the file read-only
    shutil.copy(sqlite_template, directory / "state.sqlite3")
    state = make_engine(f"sqlite:///{directory / 'state.sqlite3'}")
    with parity_demo.sqlite.connect() as read, state.begin() as write:  # answers given in Slack: the bot's own
        for model in (SurveyResponse, SurveyDelivery):
            write.execute(insert(model.__table__), [dict(r) for r in read.execute(select(model.__table__)).mappings()])
    settings = make_settings(f"sqlite:///{directory / 'state.sqlite3'}", KPI_SOURCE_URL=f"duckdb:///{directory}/source.duckdb",
                             KPI_SOURCE_SCRATCH_SCHEMA="main",
                             KPI_CUSTOM_METRICS_FILE=str(parity_demo.settings.kpi_custom_metrics_file))
    forget_sources()
    yield SourcedDemo(state, settings)
    forget_sources()
    state.dispose()


@pytest.mark.parametrize("question", QUESTIONS)
def test_answers_through_the_source_equal_sqlite(duckdb_source: SourcedDemo, reference: Reference,
                                                 question: Question) -> None:
    settings = duckdb_source.settings
    # the source engine is made by kpi_engine.sources; it is to call prepare_engine itself (see NOTES.md): until
    # then the test prepares it (idempotent), which custom metrics' column reflection on DuckDB needs
    prepare_engine(current_source(settings).engine)  # type: ignore[arg-type]
    is_custom = isinstance(question.query, MetricQuery) and question.query.metric in CUSTOM_IDS
    catalog = load_catalog(settings, current_source(settings).engine) if is_custom else load_catalog()
    with duckdb_source.state.connect() as conn:
        actual = answer(run_query(conn, question.query, catalog, settings))
    problems = differences(reference.answers[question.label], actual)
    assert not problems, f"{question.label} through KPI_SOURCE_URL: " + "; ".join(problems[:5])
