"""The usage tables computed in DuckDB from the events in its table `ev` (those at or after the rebuild's start).

Every statement writes a temporary DuckDB table `out_<target table>` (or a helper table) with the target's columns
(written in the target's key order, so that the bulk writes append to its B-trees). Stored state that the
rebuild continues from (the previous active days of the users before the first rebuilt day) arrives as the
DuckDB tables `stored_prev` and `stored_feature_prev`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from kpi_engine.compute.dimensions import ACCOUNT_DIMENSIONS
from kpi_engine.compute.local_days import OffsetSpan

if TYPE_CHECKING:
    from kpi_engine.settings import Settings

FIRST_DAY_SQL = "DATE '0001-01-01'"  # "previous day" of a user's first day of an activity
PAGE_VIEW = "page_view"
SESSION_SUMS = ("sessions", "session_events", "bounces", "session_seconds")
DAY_SUMS = ("page_views", *SESSION_SUMS)
GAP_KEY_FORMAT = "%Y-%m-%d %H:%M:%S.%f"  # gap session keys 'g:<first event>' sort in time order


def plain_numbers(table: Any) -> Any:
    """DuckDB's sums of integers are HUGEINT (Arrow decimals): as 64-bit integers."""
    import pyarrow as pa

    fields = [pa.field(f.name, pa.int64()) if pa.types.is_decimal(f.type) else f for f in table.schema]
    return table.cast(pa.schema(fields))


def fetch(duck: Any, sql: str) -> Any:
    """A DuckDB query's result as one Arrow table with plain integer columns."""
    return plain_numbers(duck.sql(sql).to_arrow_table())


def quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def define_local_day(duck: Any, spans: list[OffsetSpan]) -> None:
    """The macro local_day(ts): the reporting zone's calendar day of a naive UTC timestamp."""
    micros = [round(span.minutes * 60_000_000) for span in spans]
    if len(spans) == 1:
        offset = str(micros[0])
    else:
        cases = " ".join(f"WHEN ts < TIMESTAMP '{span.e.isoformat(sep=' ')}' THEN {m}"
                         for span, m in zip(spans[:-1], micros[:-1], strict=True))
        offset = f"CASE {cases} ELSE {micros[-1]} END"
    duck.execute(f"CREATE OR REPLACE TEMP MACRO local_day(ts) AS CAST(ts + to_microseconds({offset}) AS DATE)")


def create_stored_state(duck: Any) -> None:
    """Empty stored state (a full build continues from nothing)."""
    duck.execute("CREATE OR REPLACE TEMP TABLE stored_prev (user_id VARCHAR, active DATE, feature DATE, session DATE)")
    duck.execute("CREATE OR REPLACE TEMP TABLE stored_feature_prev (user_id VARCHAR, feature VARCHAR, prev DATE)")


def conversion_names(settings: Settings) -> tuple[str, ...]:
    """The event names conversion_events keeps."""
    return tuple(dict.fromkeys((settings.kpi_conversion_from, settings.kpi_conversion_to)))


def build_event_tables(duck: Any, conversion_names: tuple[str, ...], gap_minutes: int) -> None:
    """out_feature_days, out_conversion_events and out_sessions from `ev`."""
    duck.execute(f"""
        CREATE OR REPLACE TEMP TABLE out_feature_days AS
        SELECT local_day(occurred_at) AS day, coalesce(feature, '') AS feature, user_id,
               count(*) AS events, count(*) FILTER (WHERE name = {quote(PAGE_VIEW)}) AS page_views
        FROM ev GROUP BY ALL""")
    names = ", ".join(quote(name) for name in conversion_names) or "NULL"
    duck.execute(f"""
        CREATE OR REPLACE TEMP TABLE out_conversion_events AS
        SELECT DISTINCT name, occurred_at, user_id FROM ev WHERE name IN ({names})""")
    gap_us = gap_minutes * 60_000_000
    duck.execute(f"""
        CREATE OR REPLACE TEMP TABLE out_sessions AS
        WITH gap_events AS (
            SELECT user_id, occurred_at,
                   lag(occurred_at) OVER (PARTITION BY user_id ORDER BY occurred_at) AS prev
            FROM ev WHERE coalesce(session_id, '') = ''),
        runs AS (
            SELECT user_id, occurred_at,
                   sum(CASE WHEN prev IS NULL OR epoch_us(occurred_at) - epoch_us(prev) > {gap_us} THEN 1 ELSE 0 END)
                       OVER (PARTITION BY user_id ORDER BY occurred_at ROWS UNBOUNDED PRECEDING) AS run
            FROM gap_events)
        SELECT user_id, session_key, started_at, ended_at, events FROM (
            SELECT user_id, 's:' || session_id AS session_key, min(occurred_at) AS started_at,
                   max(occurred_at) AS ended_at, count(*) AS events
            FROM ev WHERE coalesce(session_id, '') <> '' GROUP BY user_id, session_id
            UNION ALL
            SELECT user_id, 'g:' || strftime(min(occurred_at), '{GAP_KEY_FORMAT}'), min(occurred_at),
                   max(occurred_at), count(*)
            FROM runs GROUP BY user_id, run)""")


def build_usage_days(duck: Any) -> None:
    """out_usage_days from out_feature_days and out_sessions (and stored_prev)."""
    duck.execute(f"""
        CREATE OR REPLACE TEMP TABLE out_usage_days AS
        WITH days AS (
            SELECT user_id, day, sum(events) AS events,
                   sum(CASE WHEN feature <> '' THEN events ELSE 0 END) AS feature_events, sum(page_views) AS page_views
            FROM out_feature_days GROUP BY user_id, day),
        started AS (
            SELECT user_id, local_day(started_at) AS day, count(*) AS sessions, sum(events) AS session_events,
                   count(*) FILTER (WHERE events = 1) AS bounces,
                   sum((epoch_us(ended_at) - epoch_us(started_at)) / 1e6) AS session_seconds
            FROM out_sessions GROUP BY ALL)
        SELECT d.day, d.user_id,
               coalesce(lag(d.day) OVER (PARTITION BY d.user_id ORDER BY d.day), p.active, {FIRST_DAY_SQL}) AS prev_day,
               d.events, d.feature_events, d.page_views,
               coalesce(s.sessions, 0) AS sessions, coalesce(s.session_events, 0) AS session_events,
               coalesce(s.bounces, 0) AS bounces, coalesce(s.session_seconds, 0.0) AS session_seconds
        FROM days d LEFT JOIN started s USING (user_id, day) LEFT JOIN stored_prev p USING (user_id)""")


def build_returns(duck: Any) -> None:
    """out_daily_returns: users per kind of activity, day and previous day of that activity."""
    kinds = []
    for kind, condition in (("feature", "feature_events > 0"), ("session", "sessions > 0")):
        kinds.append(f"""
            SELECT '{kind}' AS kind, u.day,
                   coalesce(lag(u.day) OVER (PARTITION BY u.user_id ORDER BY u.day), p.{kind}, {FIRST_DAY_SQL}) AS prev
            FROM out_usage_days u LEFT JOIN stored_prev p USING (user_id) WHERE {condition}""")
    duck.execute(f"""
        CREATE OR REPLACE TEMP TABLE out_daily_returns AS
        SELECT kind, day, prev AS prev_day, count(*) AS users FROM (
            SELECT 'active' AS kind, day, prev_day AS prev FROM out_usage_days
            UNION ALL {' UNION ALL '.join(kinds)})
        GROUP BY ALL""")
    sums = ", ".join(f"sum({key}) AS {key}" for key in DAY_SUMS)
    duck.execute(f"CREATE OR REPLACE TEMP TABLE out_day_sums AS SELECT day, {sums} FROM out_usage_days GROUP BY day")


def build_feature_returns(duck: Any) -> None:
    """out_feature_returns: per feature, users with an event of it on `day` whose previous such day was prev_day."""
    duck.execute(f"""
        CREATE OR REPLACE TEMP TABLE out_feature_returns AS
        SELECT 'feature' AS dimension, feature AS value, day, prev AS prev_day, count(*) AS users FROM (
            SELECT f.feature, f.day,
                   coalesce(lag(f.day) OVER (PARTITION BY f.user_id, f.feature ORDER BY f.day), p.prev,
                            {FIRST_DAY_SQL}) AS prev
            FROM out_feature_days f LEFT JOIN stored_feature_prev p USING (user_id, feature)
            WHERE f.feature <> '')
        GROUP BY ALL""")


def build_group_pairs(duck: Any, usage_table: str) -> None:
    """out_group_pairs: per account dimension, value, day and previous active day: users and their day sums."""
    sums = ", ".join(f"sum(u.{key}) AS {key}" for key in DAY_SUMS)
    parts = [f"""SELECT '{dimension}' AS dimension, coalesce(g.{dimension}, '') AS value, u.day, u.prev_day,
                        count(*) AS users, {sums}
                 FROM {usage_table} u LEFT JOIN user_groups g USING (user_id) GROUP BY ALL"""
             for dimension in ACCOUNT_DIMENSIONS]
    duck.execute(f"CREATE OR REPLACE TEMP TABLE out_group_pairs AS {' UNION ALL '.join(parts)}")


def new_users(duck: Any) -> Any:
    """The users with events in `ev` (Arrow)."""
    return fetch(duck, "SELECT DISTINCT user_id FROM ev")


def feature_pairs(duck: Any) -> Any:
    """The (user_id, feature) pairs with feature rows in the build (Arrow): those whose previous day it needs."""
    return fetch(duck, "SELECT DISTINCT user_id, feature FROM out_feature_days WHERE feature <> ''")


def first_gap_events(duck: Any) -> Any:
    return fetch(duck, "SELECT user_id, min(occurred_at) AS first_at FROM ev WHERE coalesce(session_id, '') = '' "
                       "GROUP BY user_id")


def explicit_keys(duck: Any) -> Any:
    return fetch(duck, "SELECT DISTINCT user_id, 's:' || session_id AS session_key FROM ev "
                       "WHERE coalesce(session_id, '') <> ''")


def as_day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
