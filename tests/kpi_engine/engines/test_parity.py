"""Every question of the parity set answers the same on DuckDB and on ClickHouse (chDB) as on SQLite.

The computations run on a connection to the engine itself (`run_query`), over copies of the tiny demo's
tables; floats agree within a relative 1e-6 (sums in another order), everything else exactly.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from kpi_engine.catalog import load_catalog
from kpi_engine.engine import run_query
from kpi_engine.query import MetricQuery
from tests.kpi_engine.engines.conftest import Reference, parity_questions
from tests.kpi_engine.engines.questions import CUSTOM_IDS, Question, answer, differences

QUESTIONS = parity_questions()


def assert_same_answer(engine: Engine, reference: Reference, question: Question) -> None:
    expected = reference.answers[question.label]
    is_custom = isinstance(question.query, MetricQuery) and question.query.metric in CUSTOM_IDS
    # custom metrics are read from the engine's own tables (and registered for it)
    catalog = load_catalog(reference.demo.settings, engine) if is_custom else load_catalog()
    with engine.connect() as conn:
        actual = answer(run_query(conn, question.query, catalog, reference.demo.settings))
    problems = differences(expected, actual)
    assert not problems, f"{question.label} on {engine.dialect.name}: " + "; ".join(problems[:5])


def test_the_question_set_covers_every_kind_of_question() -> None:
    labels = [q.label for q in QUESTIONS]
    assert {"movements", "funnel", "funnel by plan", "retention by month", "retention by week"} <= set(labels)
    assert sum(" by week" in label for label in labels) >= 5
    assert sum(label.startswith("custom_") or label.startswith("one_off") for label in labels) >= 5
    assert len(labels) == len(set(labels))


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.label for q in QUESTIONS])
def test_duckdb_answers_as_sqlite(duckdb_copy: Engine, reference: Reference, question: Question) -> None:
    assert_same_answer(duckdb_copy, reference, question)


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.label for q in QUESTIONS])
def test_clickhouse_answers_as_sqlite(clickhouse_copy: Engine, reference: Reference, question: Question) -> None:
    assert_same_answer(clickhouse_copy, reference, question)
