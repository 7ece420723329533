"""Tables derived from `events` at import time so usage KPIs never scan raw events.

`sessions`: one row per session (explicit session_id, or split by the inactivity gap).
`derived_state`: what the derived tables were built with (time zone, gap), to know when to rebuild.
`usage_days`: one row per user and local day (reporting zone) with at least one event; `feature_days`,
`daily_usage`, `daily_returns`: finer rollups so usage KPIs read small tables.
`group_daily_usage`, `group_daily_returns`: the same per value of one account dimension (plan, segment,
channel, country), so a breakdown or filter on one of them reads small tables too.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from kpi_engine.db.base import Base
from kpi_engine.db.types import Id, Num, UtcTs


class Session(Base):
    __tablename__ = "sessions"
    __table_args__ = (Index(None, "started_at"), Index(None, "user_id", "started_at"), {"sqlite_with_rowid": False})

    user_id: Mapped[Id] = mapped_column(primary_key=True)
    session_key: Mapped[str] = mapped_column(String(240), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UtcTs)
    ended_at: Mapped[datetime] = mapped_column(UtcTs)
    events: Mapped[int]


class DerivedState(Base):
    __tablename__ = "derived_state"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(String(500))


class FeatureDay(Base):
    """Events per local day, feature ('' when the event has none) and user, with the page views among them."""

    __tablename__ = "feature_days"
    __table_args__ = (  # clustered by day: built and read by day; by user: the last day of a feature before a day
        Index(None, "user_id", "feature", "day"), {"sqlite_with_rowid": False},
    )

    day: Mapped[date] = mapped_column(primary_key=True)
    feature: Mapped[str] = mapped_column(String(200), primary_key=True, default="")
    user_id: Mapped[Id] = mapped_column(primary_key=True)
    events: Mapped[int]
    page_views: Mapped[int]


class UsageDay(Base):
    """Per local day and user with events: the user's previous active day (0001-01-01: none), events, events
    with a feature, page views, and the sessions whose first event is that day (count, events, one-event
    sessions, seconds).
    Clustered by day (queries read ranges of days); the index serves per-user reads."""

    __tablename__ = "usage_days"
    __table_args__ = (
        Index(None, "user_id", "day", "prev_day", "feature_events", "sessions"),
        {"sqlite_with_rowid": False},
    )

    day: Mapped[date] = mapped_column(primary_key=True)
    user_id: Mapped[Id] = mapped_column(primary_key=True)
    prev_day: Mapped[date]
    events: Mapped[int]
    feature_events: Mapped[int]
    page_views: Mapped[int]
    sessions: Mapped[int]
    session_events: Mapped[int]
    bounces: Mapped[int]
    session_seconds: Mapped[float] = mapped_column(Num)


class DayTotalsColumns:
    """The columns of a day of usage: users active in the 1/7/30-day window ending that day, page views and
    the sums over the sessions started that day."""

    dau: Mapped[int]
    wau: Mapped[int]
    mau: Mapped[int]
    page_views: Mapped[int]
    sessions: Mapped[int]
    session_events: Mapped[int]
    bounces: Mapped[int]
    session_seconds: Mapped[float] = mapped_column(Num)


class DailyUsage(DayTotalsColumns, Base):
    """Per local day, over all users: users active in the 1/7/30-day window ending that day, and day totals.

    Serves the unfiltered, unbroken-down usage metrics without touching per-user rows.
    """

    __tablename__ = "daily_usage"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012

    day: Mapped[date] = mapped_column(primary_key=True)


class DailyReturn(Base):
    """Users per kind of activity, day and the previous day they had that activity (0001-01-01: none before).

    The distinct users with the activity in days [d0, d1] are those of rows with d0 <= day <= d1 and
    prev_day < d0 (each user once, on its first such day), so a sum replaces a distinct count over users.
    Kinds: `active` (an event), `feature` (an event with a feature), `session` (a session started).
    """

    __tablename__ = "daily_returns"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    prev_day: Mapped[date] = mapped_column(primary_key=True)
    users: Mapped[int]


class ConversionEvent(Base):
    """The events named KPI_CONVERSION_FROM or KPI_CONVERSION_TO (one row per name, instant and user), read
    in time order by conversion_rate without touching `events`."""

    __tablename__ = "conversion_events"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcTs, primary_key=True)
    user_id: Mapped[Id] = mapped_column(primary_key=True)


class GroupDailyUsage(DayTotalsColumns, Base):
    """`daily_usage` per value of one account dimension ('' for users without one): the users of accounts
    with that value active in the 1/7/30-day window ending that day, and their day totals."""

    __tablename__ = "group_daily_usage"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012

    dimension: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)


class GroupDailyReturn(Base):
    """`daily_returns` per value of one dimension: for an account dimension (kind `active`), users active on
    `day` whose previous active day was `prev_day`; for dimension `feature`, users with an event of that
    feature on `day` whose previous day with one was `prev_day`."""

    __tablename__ = "group_daily_returns"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012

    dimension: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    prev_day: Mapped[date] = mapped_column(primary_key=True)
    users: Mapped[int]


class UserProfile(Base):
    """Per user, what breakdowns and signup cohorts read: its account, signup instant and that account's
    attributes. Kept only where the usage tables live apart from a separate source (DATABASE_URL without a
    scratch schema), so no query joins the usage tables to the source's users and accounts; rebuilt wholly by
    every `kpibot refresh` (a plan that changed is seen at the next refresh)."""

    __tablename__ = "user_profiles"
    __table_args__ = (Index(None, "created_at"),)

    user_id: Mapped[Id] = mapped_column(primary_key=True)
    account_id: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime | None] = mapped_column(UtcTs)
    plan: Mapped[str | None] = mapped_column(String(100))
    segment: Mapped[str | None] = mapped_column(String(100))
    channel: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(100))


class AccountProfile(Base):
    """Per account, its attributes, beside `user_profiles` (same placement and refresh): survey answers given in
    Slack, kept in DATABASE_URL, are broken down by them without joining the source's accounts."""

    __tablename__ = "account_profiles"

    account_id: Mapped[Id] = mapped_column(primary_key=True)
    plan: Mapped[str | None] = mapped_column(String(100))
    segment: Mapped[str | None] = mapped_column(String(100))
    channel: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(100))
