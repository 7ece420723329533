"""What each engine's dialect forms promise: the standard meaning on ClickHouse, reflection on DuckDB, and a clear
error (never guessed SQL) on an engine the dialect module does not know."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import DateTime, Engine, Integer, MetaData, String, column, literal, select, text
from sqlalchemy.dialects import mssql

from kpi_engine.compute.dialect import EngineLacks, distinct_values, reflect_table, seconds_between
from kpi_engine.db.models import Event, Order

EVENTS = Event.__table__


def test_an_unknown_engine_gets_a_clear_error_instead_of_postgresql_sql() -> None:
    stmt = select(seconds_between(column("a", DateTime), column("b", DateTime)))
    with pytest.raises(EngineLacks, match=r"seconds_between is not available on the SQLAlchemy dialect 'mssql'"):
        stmt.compile(dialect=mssql.dialect())
    with pytest.raises(EngineLacks, match=r"distinct_values .*engines KPI Bot knows: SQLite, PostgreSQL, DuckDB"):
        distinct_values(EVENTS.c.name).compile(dialect=mssql.dialect())


def test_clickhouse_outer_joins_and_empty_aggregates_mean_what_they_mean_in_sql(clickhouse_copy: Engine) -> None:
    with clickhouse_copy.connect() as conn:
        joined = conn.execute(text("select t.a, u.b from (select 2 as a) t left join (select 1 as a, 5 as b) u"
                                   " on u.a = t.a")).one()
        empty = conn.execute(text("select sum(x), avg(x), count(x) from (select 1 as x) where x > 5")).one()
        missing = conn.execute(text("select CAST(NULL AS Nullable(String)) AS s, CAST(s AS VARCHAR)")).one()
        day = conn.execute(text("select toDate(CAST('2026-03-31 23:30:00' AS DateTime64(6)))")).scalar_one()
    assert tuple(joined) == (2, None)  # not (2, 0)
    assert tuple(empty) == (None, None, 0)  # not (0, nan, 0)
    assert tuple(missing) == (None, None)  # not an error
    assert str(day) == "2026-03-31"  # naive timestamps are UTC, whatever the machine's zone


def test_clickhouse_floor_division_of_integers_is_whole(clickhouse_copy: Engine) -> None:
    n = select(literal(15, Integer).label("v")).subquery("n")
    stmt = select((n.c.v // 7).label("weeks"), (n.c.v / 4).label("exact"))
    with clickhouse_copy.connect() as conn:
        weeks, exact = conn.execute(stmt).one()
    assert (weeks, exact) == (2, 3.75)


def test_a_failed_chdb_query_leaves_nothing_behind_for_the_next_one(clickhouse_copy: Engine) -> None:
    """chdb 4.4 handed part of a failed query's output to the next query on its session; the prepared engine
    renews the session after an error (seen with this recursive query, which chDB cannot run)."""
    from kpi_engine.compute.dialect.functions import index_hopping_select

    with clickhouse_copy.connect() as conn:
        expected = conn.execute(select(EVENTS.c.name).distinct().order_by(EVENTS.c.name)).scalars().all()
        for _ in range(5):
            with pytest.raises(Exception, match="NOT_IMPLEMENTED|not supported"):
                conn.execute(index_hopping_select(EVENTS.c.name)).all()
            conn.rollback()
            assert conn.execute(distinct_values(EVENTS.c.name)).scalars().all() == expected
    assert len(expected) > 3


def test_duckdb_tables_are_read_back_with_their_columns(duckdb_copy: Engine) -> None:
    table = reflect_table(duckdb_copy, "orders", MetaData())
    assert [c.name for c in table.columns] == [c.name for c in Order.__table__.columns]
    assert isinstance(table.c.ordered_at.type, DateTime)
    assert isinstance(table.c.product.type, String)
    with duckdb_copy.connect() as conn:
        first = conn.execute(select(table.c.ordered_at).order_by(table.c.ordered_at).limit(1)).scalar_one()
    assert isinstance(first, datetime)


def test_an_upsert_on_an_engine_without_on_conflict_is_refused_not_emulated() -> None:
    from kpi_engine.compute.dialect import conflict_insert
    from kpi_engine.db.models import SurveyContact

    with pytest.raises(EngineLacks, match=r"an upsert \(INSERT ... ON CONFLICT\) is not available on ClickHouse"):
        conflict_insert("clickhousedb", SurveyContact.__table__)
    assert conflict_insert("duckdb", SurveyContact.__table__) is not None


def test_emptying_a_table_inside_a_transaction_is_refused_on_clickhouse(clickhouse_copy: Engine) -> None:
    from kpi_engine.compute.dialect import clear_table
    from kpi_engine.db.models import SurveyContact

    with pytest.raises(EngineLacks, match="clearing a table inside a transaction is not available on ClickHouse"):
        clear_table(SurveyContact.__table__).compile(dialect=clickhouse_copy.dialect)


def test_clickhouse_source_timestamps_read_as_naive_utc(clickhouse_copy: Engine) -> None:
    """For a ClickHouse source: naive wall-clock times in a table's zone, times with a zone, dates and text."""
    from kpi_engine.compute.dialect.clickhouse import naive_utc_sql, source_type_family

    cases = [
        ("toDateTime64('2026-01-01 09:00:00', 6)", "Asia/Tokyo", "2026-01-01 00:00:00"),
        ("toDateTime64('2026-07-01 09:00:00', 6)", "Europe/Berlin", "2026-07-01 07:00:00"),
        ("toDateTime64('2026-01-01 09:00:00', 6)", "UTC", "2026-01-01 09:00:00"),
        ("toDateTime64('2026-01-01 09:00:00', 6, 'America/New_York')", "Asia/Tokyo", "2026-01-01 14:00:00"),
        ("toDate('2026-03-02')", "Asia/Tokyo", "2026-03-01 15:00:00"),
        ("'2026-01-01T09:00:00'", "Asia/Tokyo", "2026-01-01 00:00:00"),
    ]
    with clickhouse_copy.connect() as conn:
        for expr, zone, expected in cases:
            type_name = conn.execute(text(f"select toTypeName({expr})")).scalar_one()
            converted = naive_utc_sql(expr, source_type_family(type_name), zone)
            got = conn.execute(text(f"select toString(toDateTime64({converted}, 0, 'UTC'))")).scalar_one()
            assert got == expected, (expr, zone, type_name)
    assert source_type_family("Nullable(LowCardinality(String))") == "text"
    assert source_type_family("Decimal(18, 2)") == "num"
    with pytest.raises(EngineLacks, match="reading timestamps of type unknown"):
        naive_utc_sql("x", None, "UTC")
