"""The MRR bridge ("why did mrr change") on the April story of conftest."""

from __future__ import annotations

from datetime import date

from kpi_engine.catalog import load_catalog
from kpi_engine.compute.movements import run_movements
from kpi_engine.engine import run_query
from kpi_engine.periods import Period
from kpi_engine.query import Filter, MovementsQuery
from tests.kpi_engine.compute.subscriptions.helpers import month


def test_april_bridge(story, settings) -> None:
    query = MovementsQuery(as_of=date(2026, 6, 1), period=month(2026, 4))
    with story.connect() as conn:
        table = run_query(conn, query, load_catalog(), settings)
    assert table.kind == "movements"
    assert table.columns == ["movement", "mrr", "customers"]
    assert table.rows == [
        ["Starting MRR", 295, 5],
        ["New", 220, 2],
        ["Reactivation", 25, 1],
        ["Expansion", 30, 1],
        ["Contraction", -30, 1],
        ["Churned", -60, 1],
        ["Ending MRR", 480, 7],
    ]
    assert sum(row[1] for row in table.rows[:-1]) == table.rows[-1][1]
    assert table.period == month(2026, 4)
    assert table.unit == "currency"
    assert table.notes[0].startswith("Net new MRR: +$185 ")  # the format of every other amount
    assert "account_mrr" in table.sql[0]
    assert table.to_json()["rows"][0] == ["Starting MRR", 295, 5]


def test_filtered_bridge_and_default_period(story, settings) -> None:
    basic = (Filter(dimension="plan", values=("basic",)),)
    query = MovementsQuery(as_of=date(2026, 5, 1), filters=basic)  # default: the last 30 days, April 1..30
    with story.connect() as conn:
        table = run_movements(conn, query, settings)
    assert table.period == Period(date(2026, 4, 1), date(2026, 4, 30))
    assert table.rows == [
        ["Starting MRR", 100, 2],
        ["New", 20, 1],
        ["Reactivation", 0, 0],
        ["Expansion", 30, 1],
        ["Contraction", 0, 0],
        ["Churned", -60, 1],
        ["Ending MRR", 90, 2],
    ]
    assert table.notes[0].startswith("Net new MRR: -$10 ")


def test_empty_bridge(engine, settings) -> None:
    with engine.connect() as conn:
        table = run_movements(conn, MovementsQuery(as_of=date(2026, 6, 1), period=month(2026, 4)), settings)
    assert [row[1:] for row in table.rows] == [[0, 0]] * 7
