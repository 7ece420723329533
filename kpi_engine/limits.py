"""The limits a question must keep to, each refused with one line that names it, and database failures told
without the database's own words (the log keeps a short line with an error id, never the whole SQL).

Hooks: `answer_question` checks the as-of day first (`as_of_problem`); `run_safely` runs `check_query` before
any SQL, and turns a database error into `database_failure(...)`.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date
from typing import Any

logger = logging.getLogger("kpi_engine.limits")

EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
MAX_DAILY_DAYS = 3653  # ten years of daily buckets
MAX_FUNNEL_STEPS = 10
MAX_COHORTS = 104
DATE_RANGE = "That reaches dates outside what I answer for (1900-01-01 to 2199-12-31)."


class LimitExceeded(ValueError):
    """A question beyond a limit; str() is the one line to show."""


def as_of_problem(day: date) -> str | None:
    if EARLIEST <= day <= LATEST:
        return None
    return f"The date {day.isoformat()} is outside what I answer for (1900-01-01 to 2199-12-31)."


def check_day(day: date | None, what: str) -> None:
    if day is not None and not EARLIEST <= day <= LATEST:
        raise LimitExceeded(f"The {what} {day.isoformat()} is outside what I answer for (1900-01-01 to 2199-12-31).")


def _period_days(period: Any) -> int:
    return (period.end - period.start).days + 1


def check_query(query: Any) -> None:
    """Raises LimitExceeded when the query asks for more than the limits allow (before any SQL runs)."""
    check_day(query.as_of, "as-of date")
    for name in ("period", "compare_to"):
        period = getattr(query, name, None)
        if period is not None:
            check_day(period.start, "start date")
            check_day(period.end, "end date")
    period = getattr(query, "period", None)
    kind = getattr(query, "kind", None)
    if period is not None and _period_days(period) > MAX_DAILY_DAYS:
        raise LimitExceeded(f"A period covers at most 10 years ({MAX_DAILY_DAYS} days of daily figures); this asks "
                            f"for {_period_days(period)} days. Ask for a shorter period.")
    if kind == "funnel" and len(query.steps) > MAX_FUNNEL_STEPS:
        raise LimitExceeded(f"A funnel has at most {MAX_FUNNEL_STEPS} steps; this one has {len(query.steps)}.")
    if kind == "retention" and period is not None:
        cohort_days = 7 if query.cohort_grain == "week" else 28
        cohorts = _period_days(period) // cohort_days
        if cohorts > MAX_COHORTS:
            raise LimitExceeded(f"Retention covers at most {MAX_COHORTS} cohorts; this asks for about {cohorts}. "
                                "Ask for a shorter period or monthly cohorts.")


def database_failure(error: BaseException, title: str) -> str:
    """Logs the failure in one short line (the database's first line, 200 characters) and returns the words
    for the user, with the same error id."""
    error_id = uuid.uuid4().hex[:10]
    original = getattr(error, "orig", None) or error
    first_line = (str(original).splitlines() or [""])[0][:200]
    logger.error("error_id=%s the database could not answer %s: %s: %s", error_id, title,
                 type(original).__name__, first_line)
    return (f"Sorry, the database could not answer {title} (error id `{error_id}`). "
            "Try a shorter period or a simpler question.")
