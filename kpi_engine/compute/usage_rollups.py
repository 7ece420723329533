"""Shared constants of the per-day usage rollups (built by `kpi_engine.derive`, read by the usage metrics)."""

from __future__ import annotations

from datetime import date
from typing import Any

PAGE_VIEW = "page_view"
FIRST_DAY = date(1, 1, 1)  # "previous day" of a user's first day of an activity


def as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
