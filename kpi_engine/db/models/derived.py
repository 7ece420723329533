"""Tables derived from `events` at import time so usage KPIs never scan raw events.

`user_days`: one row per user and local day (reporting zone) with at least one event.
`sessions`: one row per session (explicit session_id, or split by the inactivity gap).
`derived_state`: what the derived tables were built with (time zone, gap), to know when to rebuild.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from kpi_engine.db.base import Base
from kpi_engine.db.types import Id, UtcTs


class UserDay(Base):
    __tablename__ = "user_days"
    __table_args__ = (Index(None, "day", "user_id"),)

    user_id: Mapped[Id] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    events: Mapped[int] = mapped_column(default=0)


class Session(Base):
    __tablename__ = "sessions"
    __table_args__ = (Index(None, "started_at"), Index(None, "user_id", "started_at"))

    user_id: Mapped[Id] = mapped_column(primary_key=True)
    session_key: Mapped[str] = mapped_column(String(240), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UtcTs)
    ended_at: Mapped[datetime] = mapped_column(UtcTs)
    events: Mapped[int]


class DerivedState(Base):
    __tablename__ = "derived_state"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(String(500))
