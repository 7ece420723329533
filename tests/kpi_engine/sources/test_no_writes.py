"""The bot never writes into a source outside its scratch schema: rows of every source table, and on
PostgreSQL the tuple writes pg_stat counts, are the same before and after a check, a refresh and a round of
questions."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from kpi_engine.answers.ask import answer_question
from kpi_engine.sources.check import check_source
from kpi_engine.sources.refresh import refresh
from kpi_engine.sources.source import current_source, forget_sources
from tests.kpi_engine.sources.conftest import SCRATCH, Sourced

QUESTIONS = ["mrr by plan", "active users last month by plan", "nps last quarter", "revenue last month",
             "funnel signup -> purchase last quarter", "tickets last month", "churn rate last quarter"]


def source_rows(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            names = inspect(conn).get_table_names()
            return {name: conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one() for name in names}
    finally:
        engine.dispose()


def postgres_writes(url: str) -> dict[str, Any]:
    """Tuple writes per table outside the scratch schema (the statistics collector, flushed first)."""
    engine = create_engine(url)
    try:
        time.sleep(0.6)  # pg_stat counters are flushed at most every 500 ms by each backend
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_stat_force_next_flush()"))
            rows = conn.execute(text(
                "SELECT schemaname || '.' || relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_all_tables "
                "WHERE schemaname NOT IN (:scratch, 'pg_catalog', 'information_schema', 'pg_toast')"),
                {"scratch": SCRATCH}).all()
            return dict(rows)  # type: ignore[arg-type]
    finally:
        engine.dispose()


def test_check_refresh_and_questions_write_nothing_outside_scratch(sourced: Sourced) -> None:
    if not sourced.refreshed:
        pytest.skip(f"no refresh on {sourced.backend} yet")
    forget_sources()
    rows_before = source_rows(sourced.source_url)
    writes_before = postgres_writes(sourced.source_url) if sourced.backend == "postgres" else {}
    assert check_source(current_source(sourced.settings)).ok
    assert refresh(sourced.settings).mode == "current"
    assert refresh(sourced.settings, full=True).mode == "full"
    forget_sources()
    for question in QUESTIONS:
        got = answer_question(question, engine=sourced.state, settings=sourced.settings)
        assert got.error is None, (question, got.error)
    forget_sources()
    assert source_rows(sourced.source_url) == rows_before
    if sourced.backend == "postgres":
        assert postgres_writes(sourced.source_url) == writes_before


def test_queries_run_read_only(sourced: Sourced) -> None:
    """The query engine refuses writes by itself (read-only connection), whatever a statement would do."""
    forget_sources()
    source = current_source(sourced.settings)
    assert source.engine is not None
    with source.engine.connect() as conn, pytest.raises(Exception, match="(?i)read.?only|readonly"):
        conn.execute(text("CREATE TABLE kpibot_should_not_exist (x integer)"))
