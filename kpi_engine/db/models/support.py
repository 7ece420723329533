"""Support tickets."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from kpi_engine.db.base import Base
from kpi_engine.db.types import Id, OptId, UtcTs


class Ticket(Base):
    __tablename__ = "tickets"

    ticket_id: Mapped[Id] = mapped_column(primary_key=True)
    account_id: Mapped[OptId] = mapped_column(index=True)
    opened_at: Mapped[datetime] = mapped_column(UtcTs, index=True)
    first_response_at: Mapped[datetime | None] = mapped_column(UtcTs)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcTs, index=True)
    escalated: Mapped[bool | None]
    priority: Mapped[str | None] = mapped_column(String(100))
    category: Mapped[str | None] = mapped_column(String(100))
