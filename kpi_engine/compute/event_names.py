"""Funnel steps as typed ("sign up", "purchased") matched to the event names in `events` ("signup", "purchase")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from sqlalchemy import Connection

from kpi_engine.compute.dialect import distinct_values
from kpi_engine.db.models import Event

events = Event.__table__
MIN_SCORE = 85  # out of 100 (rapidfuzz ratio of the squashed names)


def event_names(conn: Connection) -> list[str]:
    """The distinct event names (on SQLite and PostgreSQL by hopping along the (name, occurred_at) index: one
    seek per name, not a scan of every event)."""
    return list(conn.execute(distinct_values(events.c.name)).scalars())


def _squashed(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.lower())


def _words(name: str) -> set[str]:
    return set(re.split(r"[\W_]+", name.lower())) - {""}


def _holding_words(step: str, names: list[str]) -> str | None:
    """The one event name having every word of the step ("dashboard" → "dashboard_viewed"), if one."""
    found = [name for name in names if _words(step) <= _words(name)]
    return found[0] if len(found) == 1 else None


@dataclass
class StepMatch:
    steps: tuple[str, ...]
    notes: list[str] = field(default_factory=list)


def match_steps(steps: tuple[str, ...], names: list[str]) -> StepMatch:
    """Each step as an event name: itself when it is one, else the same name spelt otherwise ("sign_up",
    "Sign-Up"), the one name with all its words ("dashboard" → "dashboard_viewed") or the closest one
    ("purchased" → "purchase"); unknown steps stay, with a note."""
    by_squashed = {_squashed(name): name for name in names}
    out: list[str] = []
    notes: list[str] = []
    for step in steps:
        if step in names or not names:
            out.append(step)
            continue
        match = by_squashed.get(_squashed(step)) or _holding_words(step, names)
        if match is None:
            best = process.extractOne(_squashed(step), list(by_squashed), scorer=fuzz.ratio, score_cutoff=MIN_SCORE)
            match = by_squashed[best[0]] if best else None
        if match is None:
            close = process.extract(step, names, scorer=fuzz.WRatio, limit=3)
            notes.append(f"No event is named '{step}' (closest: {', '.join(repr(c[0]) for c in close)})")
            out.append(step)
        else:
            notes.append(f"Read step '{step}' as the event '{match}'")
            out.append(match)
    return StepMatch(tuple(out), notes)


