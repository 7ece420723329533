"""Targets per metric and filters (value, optional due date), reported as attainment in answers.

`scope` is the filters in a canonical text form ("" company-wide, "plan=pro", "plan=basic,pro;segment=smb"), so
one metric can have a company-wide target and one per filtered slice; `filters` keeps them as given.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from kpi_engine.db.base import Base
from kpi_engine.db.types import Num, UtcTs


class Target(Base):
    __tablename__ = "targets"

    metric_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    scope: Mapped[str] = mapped_column(String(400), primary_key=True, default="", server_default="")
    filters: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=dict)
    value: Mapped[float] = mapped_column(Num)
    due: Mapped[date | None]
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcTs)
