"""`group_daily_usage` and `group_daily_returns`: the usage rollups per value of each account dimension,
and (`group_daily_returns` only) the returns of users to each feature.

A user belongs to at most one account (`users.account_id`), so to one value of each dimension ('' when the
user, its account or the attribute is missing: the "(none)" group). The distinct users of a value are then
counted per value exactly as `daily_usage` and `daily_returns` count them over everyone, from the same
per-user (day, previous active day) pairs of `usage_days`, read once per dimension.

The account rollups depend on users and accounts as well as events: rebuilt after an import of any of them,
and when the row counts of users or accounts differ from those they were built with (`groups_fingerprint`).
The feature rows depend on events only: rebuilt with the other derived tables.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import Connection, String, delete, func, insert, literal, literal_column, select

from kpi_engine.compute.dimensions import ACCOUNT_DIMENSIONS
from kpi_engine.compute.rolling_counts import DAY_SUMS, daily_rows
from kpi_engine.compute.usage_rollups import FIRST_DAY, as_date
from kpi_engine.db.bulk import insert_rows
from kpi_engine.db.models import Account, User
from kpi_engine.db.models.derived import FeatureDay, GroupDailyReturn, GroupDailyUsage, UsageDay

GROUPS_VERSION = "1"  # bump when the way the tables are built changes
FEATURE = "feature"  # the dimension of the feature rows
users = User.__table__
accounts = Account.__table__
usage_days = UsageDay.__table__
feature_days = FeatureDay.__table__
group_daily_usage = GroupDailyUsage.__table__
group_daily_returns = GroupDailyReturn.__table__


def groups_fingerprint(conn: Connection) -> str:
    n_users = conn.execute(select(func.count()).select_from(users)).scalar()
    n_accounts = conn.execute(select(func.count()).select_from(accounts)).scalar()
    return f"v{GROUPS_VERSION} users={n_users} accounts={n_accounts}"


def rebuild_feature_returns(conn: Connection, first_day: date | None = None) -> None:
    """Per feature: users with an event of it on `day` whose previous day with one was `prev_day` (the days
    from `first_day` on, when given: only the users with a feature event since then are read again)."""
    gdr, fd = group_daily_returns, feature_days
    conn.execute(delete(gdr).where(gdr.c.dimension == FEATURE, *_since(gdr, first_day)))
    previous = func.lag(fd.c.day).over(partition_by=(fd.c.user_id, fd.c.feature), order_by=fd.c.day)
    read = select(fd.c.feature, fd.c.day, func.coalesce(previous, FIRST_DAY).label("prev_day"))
    read = read.where(fd.c.feature != literal_column("''"))
    if first_day is not None:
        read = read.where(fd.c.user_id.in_(select(fd.c.user_id).where(fd.c.day >= first_day).distinct()))
    user_days = read.subquery("feature_user_days")
    keys = (user_days.c.feature, user_days.c.day, user_days.c.prev_day)
    rows = select(literal(FEATURE, String), *keys, func.count()).where(*_since(user_days, first_day)).group_by(*keys)
    conn.execute(insert(gdr).from_select(["dimension", "value", "day", "prev_day", "users"], rows))


def rebuild_group_rollups(conn: Connection, first_day: date | None = None) -> None:
    """The account-dimension rows, wholly or (with `first_day`) keeping what they hold for earlier days."""
    gdu, gdr = group_daily_usage, group_daily_returns
    for dimension in ACCOUNT_DIMENSIONS:
        pairs: dict[str, dict[tuple[date, date], int]] = defaultdict(dict)
        sums: dict[str, dict[str, dict[date, float]]] = defaultdict(lambda: defaultdict(dict))
        if first_day is not None:
            _read_stored(conn, dimension, first_day, pairs, sums)
        new_pairs: list[dict[str, Any]] = []
        for row in conn.execute(_pairs_of(dimension, first_day)).mappings():
            value, day, prev = row["value"], as_date(row["day"]), as_date(row["prev_day"])
            pairs[value][(day, prev)] = int(row["users"])
            new_pairs.append({"dimension": dimension, "value": value, "day": day, "prev_day": prev,
                              "users": int(row["users"])})
            for key in DAY_SUMS:
                by_day = sums[value][key]
                by_day[day] = by_day.get(day, 0) + float(row[key] or 0)
        conn.execute(delete(gdr).where(gdr.c.dimension == dimension, *_since(gdr, first_day)))
        insert_rows(conn, gdr, new_pairs)
        conn.execute(delete(gdu).where(gdu.c.dimension == dimension))
        usage = [
            {"dimension": dimension, "value": value, **row}
            for value, by_pair in pairs.items()
            for row in daily_rows(by_pair, sums[value])
        ]
        insert_rows(conn, gdu, usage)


def _read_stored(conn: Connection, dimension: str, first_day: date, pairs: dict[str, dict[tuple[date, date], int]],
                 sums: dict[str, dict[str, dict[date, float]]]) -> None:
    """What the tables hold for the days before `first_day`: pairs and day sums per value."""
    gdu, gdr = group_daily_usage, group_daily_returns
    stored = select(gdr.c.value, gdr.c.day, gdr.c.prev_day, gdr.c.users)
    for value, day, prev, n in conn.execute(stored.where(gdr.c.dimension == dimension, gdr.c.day < first_day)):
        pairs[value][(as_date(day), as_date(prev))] = int(n)
    totals = select(gdu.c.value, gdu.c.day, *(gdu.c[key] for key in DAY_SUMS))
    for row in conn.execute(totals.where(gdu.c.dimension == dimension, gdu.c.day < first_day)).mappings():
        for key in DAY_SUMS:
            sums[row["value"]][key][as_date(row["day"])] = float(row[key] or 0)


def _since(rows: Any, first_day: date | None) -> list[Any]:
    return [] if first_day is None else [rows.c.day >= first_day]


def _pairs_of(dimension: str, first_day: date | None) -> Any:
    """Per value, day and previous active day: the users, and the sums of their day totals."""
    ud = usage_days
    value = func.coalesce(accounts.c[dimension], literal_column("''")).label("value")
    joined = ud.outerjoin(users, users.c.user_id == ud.c.user_id).outerjoin(
        accounts, accounts.c.account_id == users.c.account_id
    )
    return (
        select(value, ud.c.day, ud.c.prev_day, func.count().label("users"),
               *(func.sum(ud.c[key]).label(key) for key in DAY_SUMS))
        .select_from(joined)
        .where(*_since(ud, first_day))
        .group_by(value, ud.c.day, ud.c.prev_day)
    )
