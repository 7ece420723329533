"""Delivery and quality metrics (KPI_SPEC §8, §10) on both backends, with hand-worked numbers."""

from __future__ import annotations

import pytest

from kpi_engine.compute.dimensions import UnsupportedDimension
from kpi_engine.db.models import Release, WorkItem
from tests.conftest import insert_rows
from tests.kpi_engine.compute.other.helpers import FEBRUARY, MARCH, ask, groups, series, ts


def item(item_id: str, kind: str, created: str, started: str | None = None, done: str | None = None,
         **extra: object) -> dict[str, object]:
    return {"item_id": item_id, "kind": kind, "created_at": ts(created), "started_at": started and ts(started),
            "done_at": done and ts(done), **extra}


ITEMS = [
    # time to market 35 days, cycle 26 days
    item("f1", "feature", "2026-03-01 00:00", "2026-03-10 00:00", "2026-04-05 00:00", feature="search", points=5),
    # time to market 10 days, cycle 9 days
    item("f2", "feature", "2026-04-01 00:00", "2026-04-02 00:00", "2026-04-11 00:00", feature="billing", points=3),
    # time to market 78 days, never started, no points
    item("f3", "feature", "2026-02-01 00:00", None, "2026-04-20 00:00", feature="search"),
    item("f4", "feature", "2026-04-01 00:00", None, "2026-05-01 00:00"),  # done in May
    item("s1", "story", "2026-04-01 00:00", "2026-04-03 00:00", "2026-04-04 00:00", feature="search", points=2),
    # bugs created in April: 3 found in testing, 1 in production, 1 unknown
    item("b1", "bug", "2026-04-10 00:00", "2026-04-11 00:00", "2026-04-12 00:00", found_in="testing", points=1),
    item("b2", "bug", "2026-04-11 00:00", found_in="testing", feature="search"),
    item("b3", "bug", "2026-04-12 00:00", found_in="testing"),
    item("b4", "bug", "2026-04-13 00:00", found_in="production", feature="search"),
    item("b5", "bug", "2026-04-14 00:00"),
    item("b6", "bug", "2026-03-15 00:00", found_in="production"),
    item("t1", "task", "2026-04-15 00:00", found_in="production"),  # not a bug
]


@pytest.fixture
def board(engine):
    insert_rows(engine, WorkItem, ITEMS)
    insert_rows(engine, Release, [
        {"release_id": "v1", "released_at": ts("2026-04-02 00:00"), "kloc": 2.0},
        {"release_id": "v2", "released_at": ts("2026-04-30 12:00"), "kloc": 0.5},
        {"release_id": "v3", "released_at": ts("2026-04-15 00:00"), "kloc": None},
        {"release_id": "v4", "released_at": ts("2026-05-01 00:00"), "kloc": 100.0},
    ])
    return engine


def test_features_released_and_time_to_market(board, settings) -> None:
    released = ask(board, settings, "features shipped", granularity="week")
    assert released.value == 3  # f1, f2, f3
    assert series(released) == [1, 1, 0, 1, 0]  # weeks 1-5 (f1), 6-12 (f2), 13-19, 20-26 (f3), 27-30
    ttm = ask(board, settings, "time to ship")
    assert (ttm.value, ttm.n) == (pytest.approx(35.0), 3)  # median of 35, 10, 78 days


def test_velocity_and_cycle_time(board, settings) -> None:
    velocity = ask(board, settings, "velocity", granularity="week")
    assert velocity.value == 11  # f1 5 + f2 3 + s1 2 + b1 1
    assert sum(series(velocity)) == velocity.value
    assert groups(ask(board, settings, "velocity", breakdown="kind")) == [("feature", 8), ("story", 2), ("bug", 1)]
    cycle = ask(board, settings, "cycle_time")
    assert (cycle.value, cycle.n) == (pytest.approx(5.0), 4)  # median of 26, 9, 1, 1 days (f3 never started)


def test_production_bugs_and_defect_removal_efficiency(board, settings) -> None:
    bugs = ask(board, settings, "bugs in production")
    assert (bugs.value, bugs.previous_value) == (1, 1)  # b4; b6 in March; t1 is a task
    dre = ask(board, settings, "test effectiveness")
    assert dre.metric == "defect_removal_efficiency"
    assert (dre.value, dre.n) == (pytest.approx(0.75), 4)
    assert dre.previous_value == pytest.approx(0.0)  # b6 only
    assert groups(ask(board, settings, "production_bugs", breakdown="feature")) == [("search", 1)]
    assert groups(ask(board, settings, "dre", breakdown="feature")) == [("(none)", 1.0), ("search", 0.5)]


def test_published_defect_removal_efficiency_example(engine, settings) -> None:
    """Defects: 90 found in testing, 10 in production → defect removal efficiency 90%."""
    insert_rows(engine, WorkItem, [
        item(f"b{i}", "bug", "2026-04-10 00:00", found_in="testing" if i < 90 else "production") for i in range(100)
    ])
    assert ask(engine, settings, "defect_removal_efficiency").value == pytest.approx(0.9)


def test_defect_density_per_kloc_released(board, settings) -> None:
    density = ask(board, settings, "defect density")
    assert density.value == pytest.approx(1 / 2.5)  # b4 over v1 2.0 + v2 0.5 kloc
    assert density.previous_value is None  # b6 but no release in March
    with pytest.raises(UnsupportedDimension):
        ask(board, settings, "defect_density", breakdown="feature")


def test_empty_period(board, settings) -> None:
    for metric in ("features_released", "velocity", "production_bugs"):
        assert ask(board, settings, metric, period=FEBRUARY).value == 0, metric
    for metric in ("time_to_market", "cycle_time", "defect_removal_efficiency", "defect_density"):
        assert ask(board, settings, metric, period=FEBRUARY).value is None, metric
    assert ask(board, settings, "features_released", period=MARCH).value == 0
