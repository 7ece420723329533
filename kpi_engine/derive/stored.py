"""What a rebuild from a local day on reads of the derived tables already stored in the target.

Only the target's own tables (and temporary key tables pushed to it) are read: nothing joins the source.
SQL is plain text over `qualified_name`s, so a target in a scratch schema (schema translation) works too.
`CROSS JOIN ... WHERE` keeps the small pushed key table outer on SQLite (its planner keeps that order), so the
stored tables are probed through their keys instead of scanned. The columnar store has no index to probe: there
each read is one grouped scan (`_seeks`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pyarrow as pa
from sqlalchemy import Connection, Date, DateTime, String, bindparam, text

from kpi_engine.compute.dimensions import ACCOUNT_DIMENSIONS
from kpi_engine.db.dialect import KEYS_ONLY, qualified_name
from kpi_engine.db.dialect_bulk import create_temp_keys
from kpi_engine.db.dialect_reads import fetch_table
from kpi_engine.db.models import Session
from kpi_engine.db.models.derived import (
    DailyReturn,
    DailyUsage,
    FeatureDay,
    GroupDailyReturn,
    GroupDailyUsage,
    UsageDay,
)
from kpi_engine.derive.build import DAY_SUMS, GAP_KEY_FORMAT, as_day

USERS_TEMP = "kpibot_derive_users"
KEYS_TEMP = "kpibot_derive_keys"
FEATURE_KEYS_TEMP = "kpibot_derive_feature_keys"
DAY, TS, TEXT, INT, NUM = pa.date32(), pa.timestamp("us"), pa.string(), pa.int64(), pa.float64()


def _names(conn: Connection) -> dict[str, str]:
    tables = {"sessions": Session, "usage_days": UsageDay, "feature_days": FeatureDay, "daily_usage": DailyUsage,
              "daily_returns": DailyReturn, "group_daily_usage": GroupDailyUsage,
              "group_daily_returns": GroupDailyReturn}
    return {name: qualified_name(conn, model.__table__) for name, model in tables.items()}


def _query(sql: str, **types: Any) -> Any:
    return text(sql).bindparams(*(bindparam(name, type_=kind) for name, kind in types.items()))


def _seeks(conn: Connection) -> bool:
    """The target's tables have indexes to seek (SQLite, PostgreSQL), rather than only scans (the columnar store)."""
    return conn.dialect.name not in KEYS_ONLY


def push_users(target: Connection, users: pa.Table) -> str:
    return create_temp_keys(target, USERS_TEMP, users.select(["user_id"]))


def continuing_sessions(target: Connection, start: datetime, first_gap: pa.Table, keys: pa.Table,
                        gap_minutes: int) -> datetime | None:
    """The earliest start of a stored session (ending before `start`) that new events continue: the same
    explicit session id, or the user's latest gap session when the user's first gap event is within the gap."""
    names = _names(target)
    users = create_temp_keys(target, USERS_TEMP, first_gap.select(["user_id"]))
    below = "g:" + start.strftime(GAP_KEY_FORMAT)
    latest_gap_session = (
        f"SELECT s.user_id, s.started_at, s.ended_at FROM {users} t CROSS JOIN {names['sessions']} s "
        f"WHERE s.user_id = t.user_id AND s.session_key = (SELECT max(x.session_key) FROM {names['sessions']} x "
        "WHERE x.user_id = t.user_id AND x.session_key > 'g:' AND x.session_key < :below)"
    ) if _seeks(target) else (
        "SELECT s.user_id, arg_max(s.started_at, s.session_key) AS started_at, "
        f"arg_max(s.ended_at, s.session_key) AS ended_at FROM {names['sessions']} s "
        f"WHERE s.user_id IN (SELECT user_id FROM {users}) AND s.session_key > 'g:' AND s.session_key < :below "
        "GROUP BY s.user_id")
    tails = fetch_table(target, _query(latest_gap_session, below=String).bindparams(below=below),
                        {"user_id": TEXT, "started_at": TS, "ended_at": TS})
    earliest: list[datetime] = []
    if tails.num_rows:
        first_at = dict(zip(first_gap.column("user_id").to_pylist(), first_gap.column("first_at").to_pylist(),
                            strict=True))
        for user, started, ended in zip(*(tails.column(c).to_pylist() for c in tails.column_names), strict=True):
            started, ended = _instant(started), _instant(ended)
            if (first_at[user] - ended).total_seconds() <= gap_minutes * 60:
                earliest.append(started)
    quoted = create_temp_keys(target, KEYS_TEMP, keys)
    explicit = target.execute(_query(
        f"SELECT min(s.started_at) FROM {quoted} k CROSS JOIN {names['sessions']} s "
        "WHERE s.user_id = k.user_id AND s.session_key = k.session_key AND s.started_at < :start",
        start=DateTime).bindparams(start=start)).scalar()
    if explicit is not None:
        earliest.append(_instant(explicit))
    return min(earliest, default=None)


def _instant(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def previous_days(target: Connection, users: str, first_day: date) -> pa.Table:
    """Per pushed user with a day before `first_day`: the last such day with an event, with a feature event, with
    a session (each one backward seek of the usage_days index by user)."""
    ud = _names(target)["usage_days"]
    last = f"SELECT max(u.day) FROM {ud} u WHERE u.user_id = t.user_id AND u.day < :first"
    sql = (f"SELECT * FROM (SELECT t.user_id, ({last}) AS active, ({last} AND u.feature_events > 0) AS feature, "
           f"({last} AND u.sessions > 0) AS session FROM {users} t) days WHERE active IS NOT NULL") \
        if _seeks(target) else \
        ("SELECT u.user_id, max(u.day) AS active, max(u.day) FILTER (WHERE u.feature_events > 0) AS feature, "
         f"max(u.day) FILTER (WHERE u.sessions > 0) AS session FROM {ud} u "
         f"WHERE u.day < :first AND u.user_id IN (SELECT user_id FROM {users}) GROUP BY u.user_id")
    return fetch_table(target, _query(sql, first=Date).bindparams(first=first_day),
                       {"user_id": TEXT, "active": DAY, "feature": DAY, "session": DAY})


def previous_feature_days(target: Connection, pairs: pa.Table, first_day: date) -> pa.Table:
    """Per (user_id, feature) pair of `pairs` (those the rebuild has rows of) with a day before `first_day`: the
    last such day with an event of the feature (one seek of the feature_days index by user and feature each)."""
    fd = _names(target)["feature_days"]
    keys = create_temp_keys(target, FEATURE_KEYS_TEMP, pairs.select(["user_id", "feature"]))
    last = f"SELECT max(f.day) FROM {fd} f WHERE f.user_id = k.user_id AND f.feature = k.feature AND f.day < :first"
    sql = f"SELECT * FROM (SELECT k.user_id, k.feature, ({last}) AS prev FROM {keys} k) days WHERE prev IS NOT NULL" \
        if _seeks(target) else \
        (f"SELECT f.user_id, f.feature, max(f.day) AS prev FROM {fd} f JOIN {keys} k "
         "ON f.user_id = k.user_id AND f.feature = k.feature WHERE f.day < :first GROUP BY f.user_id, f.feature")
    return fetch_table(target, _query(sql, first=Date).bindparams(first=first_day),
                       {"user_id": TEXT, "feature": TEXT, "prev": DAY})


def stored_pairs(target: Connection, lo: date, first_day: date) -> pa.Table:
    """The `active` (day, previous day) pairs of daily_returns with lo <= day < first_day."""
    dr = _names(target)["daily_returns"]
    return fetch_table(target, _query(
        f"SELECT day, prev_day, users FROM {dr} WHERE kind = 'active' AND day >= :lo AND day < :first",
        lo=Date, first=Date).bindparams(lo=lo, first=first_day), {"day": DAY, "prev_day": DAY, "users": INT})


def stored_group_pairs(target: Connection, lo: date, first_day: date) -> pa.Table:
    """The account-dimension pairs of group_daily_returns with lo <= day < first_day."""
    gdr = _names(target)["group_daily_returns"]
    dims = ", ".join(f"'{d}'" for d in ACCOUNT_DIMENSIONS)
    return fetch_table(target, _query(
        f"SELECT dimension, value, day, prev_day, users FROM {gdr} WHERE dimension IN ({dims}) "
        "AND day >= :lo AND day < :first", lo=Date, first=Date).bindparams(lo=lo, first=first_day),
        {"dimension": TEXT, "value": TEXT, "day": DAY, "prev_day": DAY, "users": INT})


def last_rows(target: Connection, first_day: date) -> dict[tuple[str, str], tuple[date | None, date | None]]:
    """Per group ('', '' for daily_usage): the last stored day row before `first_day` and the last of all."""
    names = _names(target)
    out: dict[tuple[str, str], tuple[date | None, date | None]] = {}
    queries = (f"SELECT '', '', max(CASE WHEN day < :first THEN day END), max(day) FROM {names['daily_usage']}",
               f"SELECT dimension, value, max(CASE WHEN day < :first THEN day END), max(day) "
               f"FROM {names['group_daily_usage']} GROUP BY dimension, value")
    for sql in queries:
        found = fetch_table(target, _query(sql, first=Date).bindparams(first=first_day),
                            {"dimension": TEXT, "value": TEXT, "before": DAY, "last": DAY})
        for dimension, value, before, last in zip(*(found.column(c).to_pylist() for c in found.column_names),
                                                  strict=True):
            if last is not None:
                out[(dimension, value)] = (None if before is None else as_day(before), as_day(last))
    return out


USAGE_DAY_TYPES = {"day": DAY, "user_id": TEXT, "prev_day": DAY, **{k: (NUM if k == "session_seconds" else INT)
                                                                     for k in DAY_SUMS}}
