"""The parity question set asked the way the bot asks it with a source configured: on a DATABASE_URL connection
(the bot's state, holding the survey answers given in Slack), with KPI_SOURCE_URL pointing at
- a DuckDB copy of the tiny demo whose derived usage tables sit in its `main` schema (KPI_SOURCE_SCRATCH_SCHEMA=main);
- a ClickHouse (chDB) copy, whose derived usage tables `kpibot refresh` builds into DATABASE_URL (ClickHouse has no
  transactions to rebuild them in place), with each user's account and attributes beside them (`user_profiles`):
  usage broken down by an account attribute, and signup cohorts, are answered there (never joined across the two
  databases)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, func, insert, select
from typer.testing import CliRunner

from bot.cli.main import build_app
from kpi_engine.catalog import load_catalog
from kpi_engine.compute.dialect import EngineLacks
from kpi_engine.db.engine import make_engine
from kpi_engine.db.models import SurveyDelivery, SurveyResponse
from kpi_engine.engine import run_query
from kpi_engine.query import MetricQuery
from kpi_engine.settings import Settings
from kpi_engine.sources.contract import CONTRACT_TABLES, freshness_column, model_table
from kpi_engine.sources.refresh import refresh
from kpi_engine.sources.source import SourceUnavailable, current_source, forget_sources
from tests.conftest import make_settings
from tests.kpi_engine.demo.conftest import DEMO_END
from tests.kpi_engine.engines.conftest import ParityDemo, Reference, parity_questions
from tests.kpi_engine.engines.copies import load_clickhouse_in_their_shape, load_duckdb
from tests.kpi_engine.engines.questions import Question, answer, differences, quarter_before
from tests.kpi_engine.sources.support import SQL_TABLE, source_name, write_mapping

QUESTIONS = [pytest.param(q, id=q.label) for q in parity_questions()]
MIXED_METRICS_YAML = """
metrics:
  - id: mrr_plus_nps
    label: MRR plus NPS
    type: derived
    expression: "mrr + nps"
"""


@dataclass(frozen=True)
class SourcedDemo:
    state: Engine
    settings: Settings


def state_with_survey_answers(parity_demo: ParityDemo, sqlite_template: Path, path: Path) -> Engine:
    """A migrated state database holding the survey answers given in Slack (the bot's own rows)."""
    shutil.copy(sqlite_template, path)
    state = make_engine(f"sqlite:///{path}")
    with parity_demo.sqlite.connect() as read, state.begin() as write:
        for model in (SurveyResponse, SurveyDelivery):
            write.execute(insert(model.__table__), [dict(r) for r in read.execute(select(model.__table__)).mappings()])
    return state


@pytest.fixture(scope="module")
def duckdb_source(parity_demo: ParityDemo, sqlite_template: Path) -> Iterator[SourcedDemo]:
    pytest.importorskip("duckdb_engine", reason="the DuckDB extra is not installed (pip install kpibot[duckdb])")
    directory = parity_demo.directory / "through_source"
    directory.mkdir(exist_ok=True)
    writer = create_engine(f"duckdb:///{directory / 'source.duckdb'}")
    with writer.connect() as conn:
        load_duckdb(conn, parity_demo.parquet)
    writer.dispose()  # the bot opens the file read-only
    state = state_with_survey_answers(parity_demo, sqlite_template, directory / "state.sqlite3")
    settings = make_settings(f"sqlite:///{directory / 'state.sqlite3'}", KPI_SOURCE_URL=f"duckdb:///{directory}/source.duckdb",
                             KPI_SOURCE_SCRATCH_SCHEMA="main",
                             KPI_CUSTOM_METRICS_FILE=str(parity_demo.settings.kpi_custom_metrics_file))
    forget_sources()
    yield SourcedDemo(state, settings)
    forget_sources()
    state.dispose()


@pytest.fixture(scope="module", params=["own names", "mapped"])
def clickhouse_source(request: pytest.FixtureRequest, parity_demo: ParityDemo, clickhouse_copy: Engine,
                      sqlite_template: Path) -> Iterator[SourcedDemo]:
    """The chDB copy as the source (chDB opens one data directory per process: the copy's), its usage tables
    built by `kpibot refresh` into DATABASE_URL. "mapped": the tables in someone else's shape (renamed tables and
    columns, subscriptions in Tokyo time, events through a whole SELECT) read through a mapping."""
    directory = parity_demo.directory / f"through_clickhouse_{request.param.replace(' ', '_')}"
    directory.mkdir(exist_ok=True)
    state = state_with_survey_answers(parity_demo, sqlite_template, directory / "state.sqlite3")
    where = {"KPI_SOURCE_URL": clickhouse_copy.url.render_as_string(hide_password=False)}
    if request.param == "mapped":
        with clickhouse_copy.connect() as conn:
            load_clickhouse_in_their_shape(conn, parity_demo.parquet, directory / "shaped")
        where["KPI_SOURCE_MAP"] = str(write_mapping(directory / "map.yaml"))
    settings = make_settings(f"sqlite:///{directory / 'state.sqlite3'}", **where,
                             KPI_CUSTOM_METRICS_FILE=str(parity_demo.settings.kpi_custom_metrics_file))
    forget_sources()
    outcome = refresh(settings)
    assert outcome.mode == "full" and outcome.where == "DATABASE_URL", outcome
    yield SourcedDemo(state, settings)
    forget_sources()
    state.dispose()


def ask(sourced: SourcedDemo, question: Question) -> Any:
    settings = sourced.settings
    is_custom = isinstance(question.query, MetricQuery) and load_catalog().find(question.query.metric) is None
    catalog = load_catalog(settings, current_source(settings).engine) if is_custom else load_catalog()
    with sourced.state.connect() as conn:
        return answer(run_query(conn, question.query, catalog, settings))


@pytest.mark.parametrize("question", QUESTIONS)
def test_answers_through_the_source_equal_sqlite(duckdb_source: SourcedDemo, reference: Reference,
                                                 question: Question) -> None:
    actual = ask(duckdb_source, question)
    problems = differences(reference.answers[question.label], actual)
    assert not problems, f"{question.label} through KPI_SOURCE_URL: " + "; ".join(problems[:5])


@pytest.mark.parametrize("question", QUESTIONS)
def test_answers_through_a_clickhouse_source_equal_sqlite(clickhouse_source: SourcedDemo, reference: Reference,
                                                          question: Question) -> None:
    actual = ask(clickhouse_source, question)
    problems = differences(reference.answers[question.label], actual)
    assert not problems, f"{question.label} through a ClickHouse KPI_SOURCE_URL: " + "; ".join(problems[:5])


@pytest.mark.parametrize("metric", ["nps", "survey_response_rate"])
def test_survey_answers_by_plan_through_a_clickhouse_source_equal_sqlite(clickhouse_source: SourcedDemo,
                                                                         parity_demo: ParityDemo, metric: str) -> None:
    """Answers given in Slack (DATABASE_URL) by plan, the plans in ClickHouse: read beside the accounts' attributes
    the refresh keeps in DATABASE_URL, equal to SQLite's."""
    query = MetricQuery(metric=metric, as_of=DEMO_END, period=quarter_before(DEMO_END), breakdown="plan")
    with parity_demo.sqlite.connect() as conn:
        expected = answer(run_query(conn, query, load_catalog(), parity_demo.settings))
    assert expected["breakdown"]
    assert not differences(expected, ask(clickhouse_source, Question(f"{metric} by plan", query)))


def with_metrics_file(sourced: SourcedDemo, path: Path, text: str) -> SourcedDemo:
    path.write_text(text, encoding="utf-8")
    return SourcedDemo(sourced.state, sourced.settings.model_copy(update={"kpi_custom_metrics_file": path}))


MIXED_QUERY = MetricQuery(metric="mrr_plus_nps", as_of=DEMO_END, period=quarter_before(DEMO_END))


def test_a_metric_combining_survey_answers_and_source_tables_is_refused_without_a_scratch_schema(
        clickhouse_source: SourcedDemo, parity_demo: ParityDemo) -> None:
    """NPS is kept in DATABASE_URL, MRR in the source: no join across them and no silent 0, a clear refusal."""
    sourced = with_metrics_file(clickhouse_source, parity_demo.directory / "mixed_ch.yaml", MIXED_METRICS_YAML)
    with pytest.raises(SourceUnavailable, match=r"mrr_plus_nps combines survey_responses \(answers given in Slack, "
                                                r"kept in DATABASE_URL\) with subscriptions of the source"):
        ask(sourced, Question("mixed", MIXED_QUERY))


def test_a_metric_combining_survey_answers_and_source_tables_reads_both_beside_each_other_in_scratch(
        duckdb_source: SourcedDemo, parity_demo: ParityDemo) -> None:
    """With the answers copied into the scratch schema the combination is computed there: MRR + NPS, each part as
    SQLite answers it alone."""
    sourced = with_metrics_file(duckdb_source, parity_demo.directory / "mixed_duck.yaml", MIXED_METRICS_YAML)
    got = ask(sourced, Question("mixed", MIXED_QUERY))
    with parity_demo.sqlite.connect() as conn:
        mrr, nps = (answer(run_query(conn, MIXED_QUERY.model_copy(update={"metric": m}), load_catalog(),
                                     parity_demo.settings))["value"] for m in ("mrr", "nps"))
    assert mrr and nps
    assert got["value"] == pytest.approx(mrr + nps)



def test_a_scratch_schema_on_clickhouse_is_refused_before_anything_is_written(clickhouse_source: SourcedDemo) -> None:
    settings = clickhouse_source.settings.model_copy(update={"kpi_source_scratch_schema": "kpi"})
    forget_sources()
    try:
        with pytest.raises(EngineLacks, match=r"keeping the derived tables in a scratch schema "
                                              r"\(KPI_SOURCE_SCRATCH_SCHEMA\) is not available on ClickHouse"):
            refresh(settings)
    finally:
        forget_sources()


def test_source_check_on_clickhouse_names_rows_and_newest_per_table(clickhouse_source: SourcedDemo,
                                                                    parity_demo: ParityDemo) -> None:
    """`kpibot source check` over chDB: each contract table ok, with SQLite's row count and newest timestamp (the
    mapped subscriptions, stored in Tokyo time, read back as UTC)."""
    settings = clickhouse_source.settings
    env = {"DATABASE_URL": settings.database_url, "KPI_SOURCE_URL": settings.kpi_source_url, "KPI_TIMEZONE": "UTC",
           "COLUMNS": "200", **({"KPI_SOURCE_MAP": str(settings.kpi_source_map)} if settings.kpi_source_map else {})}
    result = CliRunner().invoke(build_app("source"), ["source", "check"], env=env)
    assert result.exit_code == 0, result.output
    lines = {line.split()[1]: line for line in result.output.splitlines() if line.startswith("ok ")}
    with parity_demo.sqlite.connect() as conn:
        for table in CONTRACT_TABLES:
            rows, newest = conn.execute(select(func.count(), func.max(model_table(table).c[freshness_column(table)]))
                                        ).one()
            origin = ("sql" if table == SQL_TABLE else source_name(table)) if settings.kpi_source_map else table
            assert f"{rows:,} rows, newest {str(newest)[:19]}  ({origin})" in lines[table], lines.get(table)


def test_a_clickhouse_source_is_opened_read_only(clickhouse_source: SourcedDemo) -> None:
    from sqlalchemy.exc import DatabaseError

    with current_source(clickhouse_source.settings).connect() as conn, \
            pytest.raises(DatabaseError, match="Cannot execute query in readonly mode"):
        conn.exec_driver_sql("CREATE TABLE kpibot_write_probe (x Int64) ENGINE = Memory")
