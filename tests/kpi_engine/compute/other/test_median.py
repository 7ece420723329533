"""The dialect-neutral median helper, on both backends, plus its golden SQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import literal, select
from sqlalchemy.dialects import sqlite

from kpi_engine.compute.median import median_select
from kpi_engine.db.models import WorkItem
from tests.conftest import insert_rows
from tests.kpi_engine.compute.other.helpers import ts

items = WorkItem.__table__
POINTS = {"feature": [1, 3, 2], "bug": [4, 1, 10, 2], "story": [7], "task": [5, 5]}


@pytest.fixture
def pointed(engine):
    rows = [{"item_id": f"{kind}{i}", "kind": kind, "created_at": ts("2026-04-01 00:00"), "points": points}
            for kind, values in POINTS.items() for i, points in enumerate(values)]
    rows.append({"item_id": "unpointed", "kind": "feature", "created_at": ts("2026-04-01 00:00"), "points": None})
    insert_rows(engine, WorkItem, rows)
    return engine


def _rows(engine: Any, stmt: Any) -> dict[Any, tuple[float, int]]:
    with engine.connect() as conn:
        return {row.g if "g" in row._fields else row.w: (float(row.value), int(row.n)) for row in conn.execute(stmt)}


def test_median_per_group_with_odd_even_single_and_tied_counts(pointed) -> None:
    per_kind = select(literal(0).label("w"), items.c.kind.label("g"), items.c.points.label("x")).where(
        items.c.points.is_not(None))
    assert _rows(pointed, median_select(per_kind)) == {
        "feature": (2.0, 3),  # 1 2 3 → the middle one
        "bug": (3.0, 4),  # 1 2 4 10 → mean of 2 and 4
        "story": (7.0, 1),
        "task": (5.0, 2),  # ties
    }


def test_median_per_window_without_groups(pointed) -> None:
    everything = select(literal(0).label("w"), items.c.points.label("x")).where(items.c.points.is_not(None))
    assert _rows(pointed, median_select(everything)) == {0: (3.5, 10)}  # 1 1 2 2 3 | 4 5 5 7 10


def test_empty_input_has_no_rows(engine) -> None:
    nothing = select(literal(0).label("w"), items.c.points.label("x"))
    assert _rows(engine, median_select(nothing)) == {}


GOLDEN_MEDIAN_SQL = (
    "SELECT items_ranked.w, avg(items_ranked.x) AS value, max(items_ranked.cnt) AS n \n"
    "FROM (SELECT items.w AS w, items.x AS x, row_number() OVER (PARTITION BY items.w ORDER BY items.x) AS rn, "
    "count(*) OVER (PARTITION BY items.w) AS cnt \n"
    "FROM (SELECT work_items.kind AS w, work_items.points AS x \n"
    "FROM work_items \n"
    "WHERE work_items.points IS NOT NULL) AS items) AS items_ranked \n"
    "WHERE 2 * items_ranked.rn >= items_ranked.cnt AND 2 * items_ranked.rn <= items_ranked.cnt + 2 "
    "GROUP BY items_ranked.w"
)


def test_golden_median_sql() -> None:
    stmt = median_select(select(items.c.kind.label("w"), items.c.points.label("x")).where(items.c.points.is_not(None)))
    compiled = str(stmt.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    assert compiled == GOLDEN_MEDIAN_SQL
