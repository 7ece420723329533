"""Work items (features, stories, bugs, tasks) and releases."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from kpi_engine.db.base import Base
from kpi_engine.db.types import Id, Num, Text, UtcTs


class WorkItem(Base):
    __tablename__ = "work_items"

    item_id: Mapped[Id] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(Text)
    feature: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcTs, index=True)
    started_at: Mapped[datetime | None] = mapped_column(UtcTs)
    done_at: Mapped[datetime | None] = mapped_column(UtcTs, index=True)
    points: Mapped[float | None] = mapped_column(Num)
    found_in: Mapped[str | None] = mapped_column(String(20))


class Release(Base):
    __tablename__ = "releases"

    release_id: Mapped[Id] = mapped_column(primary_key=True)
    released_at: Mapped[datetime] = mapped_column(UtcTs, index=True)
    kloc: Mapped[float | None] = mapped_column(Num)
