"""Users, events and features."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from kpi_engine.db.base import Base
from kpi_engine.db.types import Id, OptId, Text, UtcTs


class User(Base):
    __tablename__ = "users"

    user_id: Mapped[Id] = mapped_column(primary_key=True)
    account_id: Mapped[OptId] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(UtcTs, index=True)
    email: Mapped[str | None] = mapped_column(Text)
    slack_user_id: Mapped[str | None] = mapped_column(String(64), index=True)


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (
        Index(None, "user_id", "occurred_at"),
        Index(None, "name", "occurred_at"),
    )

    event_id: Mapped[Id] = mapped_column(primary_key=True)
    user_id: Mapped[Id]
    occurred_at: Mapped[datetime] = mapped_column(UtcTs, index=True)
    name: Mapped[str] = mapped_column(String(200))
    feature: Mapped[str | None] = mapped_column(String(200))
    session_id: Mapped[str | None] = mapped_column(String(200))


class Feature(Base):
    __tablename__ = "features"

    feature: Mapped[Id] = mapped_column(primary_key=True)
    name: Mapped[str | None] = mapped_column(Text)
    launched_at: Mapped[datetime | None] = mapped_column(UtcTs)
