"""Each Select of an answer is built once: the plan that "how is this computed?" shows is the statement run."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, Select, event

from kpi_engine.answers.ask import run_safely
from kpi_engine.catalog import load_catalog
from kpi_engine.compute.base import SqlComputation
from kpi_engine.compute.registry import computation_for
from kpi_engine.periods import Period
from kpi_engine.query import MetricQuery
from kpi_engine.results import MetricResult
from kpi_engine.settings import Settings
from tests.conftest import insert_small_mrr_company

APRIL = Period.calendar(date(2026, 4, 1), "month")


def _counting(monkeypatch: pytest.MonkeyPatch, computation: SqlComputation) -> list[int]:
    calls: list[int] = []
    build: Callable[[Any], Select[Any]] = computation.build

    def counted(ctx: Any) -> Select[Any]:
        calls.append(len(ctx.windows))
        return build(ctx)

    monkeypatch.setattr(computation, "build", counted)
    return calls


def test_each_select_is_built_once_and_is_the_one_run(engine: Engine, settings: Settings,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    insert_small_mrr_company(engine)
    catalog = load_catalog()
    computation = computation_for("mrr", catalog)
    assert isinstance(computation, SqlComputation)
    calls = _counting(monkeypatch, computation)
    executed: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        executed.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    query = MetricQuery(metric="mrr", as_of=date(2026, 6, 10), period=APRIL, breakdown="plan")
    result, error = run_safely(query, engine=engine, settings=settings, catalog=catalog)
    event.remove(engine, "before_cursor_execute", record)

    assert error is None and isinstance(result, MetricResult)
    assert (result.value, result.previous_value) == (157.0, 57.0)
    # two contexts (April and March; then the same two by plan), each Select built once, not once to plan
    # and once to run
    assert calls == [2, 2]
    assert len(result.sql) == 2
    windows = [s for s in executed if "windows" in s.lower()]
    assert len(windows) == 2  # the two planned Selects are the two run
