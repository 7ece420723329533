"""Column types shared by the models.

Timestamps are stored as naive UTC datetimes on every dialect; local days (reporting zone) as dates.
"""

from __future__ import annotations

from typing import Annotated

from sqlalchemy import Date, DateTime, Double, String
from sqlalchemy.orm import mapped_column

ID_LENGTH = 128

Id = Annotated[str, mapped_column(String(ID_LENGTH))]
OptId = Annotated[str | None, mapped_column(String(ID_LENGTH), nullable=True)]
UtcTs = DateTime(timezone=False)
Num: Double[float] = Double()
Text = String(500)
LocalDate = Date()
