"""The values of the user's own data the parser recognises: plans, segments, channels, countries, products,
features, campaigns, priorities, categories, topics, kinds and event names.

Read with a few cheap queries (DISTINCT on small tables, a loose index scan on the events' name index),
cached per engine and read again when the data changes: `invalidate_values()` after an import or a
refresh in this process, and a cheap fingerprint (row counts of small tables, newest timestamps) checked
at most every `RECHECK_SECONDS` for changes made by another process.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Engine, Executable, func, select, text
from sqlalchemy.exc import SQLAlchemyError

from kpi_engine.db.models import Account, Event, Feature, MarketingSpend, Order, SurveyResponse, Ticket, WorkItem
from kpi_engine.parser.value_index import EMPTY_VOCABULARY, Vocabulary

log = logging.getLogger(__name__)

RECHECK_SECONDS = 60.0
MAX_VALUES = 500  # per dimension: a column with more distinct values is an identifier, not a dimension

VALUE_COLUMNS: dict[str, tuple[Column[Any], ...]] = {
    "plan": (Account.__table__.c.plan,),
    "segment": (Account.__table__.c.segment,),
    "channel": (Account.__table__.c.channel, MarketingSpend.__table__.c.channel),
    "country": (Account.__table__.c.country,),
    "product": (Order.__table__.c.product,),
    "feature": (Feature.__table__.c.feature,),
    "campaign": (MarketingSpend.__table__.c.campaign,),
    "priority": (Ticket.__table__.c.priority,),
    "category": (Ticket.__table__.c.category,),
    "topic": (SurveyResponse.__table__.c.topic,),
    "survey": (SurveyResponse.__table__.c.survey,),
    "kind": (WorkItem.__table__.c.kind,),
}
_COUNTED = (Account.__table__, Feature.__table__, MarketingSpend.__table__, WorkItem.__table__)
_NEWEST = (Event.__table__.c.occurred_at, Order.__table__.c.ordered_at, Ticket.__table__.c.opened_at,
           SurveyResponse.__table__.c.responded_at)
_EVENT_NAMES = text(
    "WITH RECURSIVE names(n) AS (SELECT MIN(name) FROM events UNION ALL "
    "SELECT (SELECT MIN(name) FROM events WHERE name > names.n) FROM names WHERE names.n IS NOT NULL) "
    "SELECT n FROM names WHERE n IS NOT NULL LIMIT :limit"
)  # a loose index scan of the (name, occurred_at) index: one probe per distinct name


@dataclass
class _Cached:
    vocabulary: Vocabulary
    fingerprint: tuple[Any, ...]
    checked_at: float
    generation: int


_CACHE: weakref.WeakKeyDictionary[Engine, _Cached] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()
_generation = 0


def invalidate_values(engine: Engine | None = None) -> None:
    """Call after an import or a refresh: the next question reads the values again (None: every engine)."""
    global _generation
    with _LOCK:
        if engine is None:
            _generation += 1
        else:
            _CACHE.pop(engine, None)


Reader = Callable[[str, Executable], list[Any]]  # (contract table read, statement) → its rows


def engine_reader(engine: Engine) -> Reader:
    """Each statement on its own connection of `engine`; a missing table (an engine without it) reads as no rows."""

    def read(table: str, stmt: Executable) -> list[Any]:
        try:
            with engine.connect() as conn:
                return list(conn.execute(stmt))
        except SQLAlchemyError:
            log.debug("no rows from %s for %s", table, stmt, exc_info=True)
            return []

    return read


def values_for(engine: Engine, reader: Reader | None = None) -> Vocabulary:
    """The vocabulary of the data behind `engine`, read on first use and again when the data changed; cached
    per engine. `reader`: how to run a statement over a contract table when the data is not in `engine`
    itself (a source: SOURCES.md); then the event names are read with a plain DISTINCT. Never raises."""
    now = time.monotonic()
    cached = _CACHE.get(engine)
    if cached is not None and cached.generation == _generation and now - cached.checked_at < RECHECK_SECONDS:
        return cached.vocabulary
    generation = _generation
    read = reader or engine_reader(engine)
    try:
        fingerprint = data_fingerprint(read)
        if cached is not None and cached.generation == generation and cached.fingerprint == fingerprint:
            cached.checked_at = now
            return cached.vocabulary
        vocabulary = read_vocabulary(read, loose_index_scan=reader is None)
    except Exception:  # noqa: BLE001  (a question is still answered, without the data's values)
        log.warning("could not read the values of the data; answering without them", exc_info=True)
        return cached.vocabulary if cached is not None else EMPTY_VOCABULARY
    with _LOCK:
        _CACHE[engine] = _Cached(vocabulary, fingerprint, now, generation)
    return vocabulary


def data_fingerprint(read: Reader) -> tuple[str, ...]:
    """Row counts of the small tables and the newest timestamps of the large ones (index lookups)."""
    counts = [read(table.name, select(func.count()).select_from(table)) for table in _COUNTED]
    newest = [read(column.table.name, select(func.max(column))) for column in _NEWEST]
    accounts = Account.__table__.c  # a re-import may rename values without changing the row count
    lengths = [func.sum(func.length(accounts[name])) for name in ("plan", "segment", "channel", "country")]
    shape = read("accounts", select(*lengths))
    return tuple(str(tuple(rows[0])) if rows else "" for rows in (*counts, *newest, shape))


def read_vocabulary(read: Reader, *, loose_index_scan: bool = True) -> Vocabulary:
    values: dict[str, tuple[str, ...]] = {}
    for dimension, columns in VALUE_COLUMNS.items():
        found: list[str] = []
        for column in columns:
            stmt = select(column).where(column.is_not(None)).distinct().limit(MAX_VALUES + 1)
            found += [str(v) for (v,) in read(column.table.name, stmt)]
        kept = tuple(dict.fromkeys(v for v in found if v))
        if kept and len(kept) <= MAX_VALUES:
            values[dimension] = kept
    events = read("events", _EVENT_NAMES.bindparams(limit=MAX_VALUES)) if loose_index_scan else []
    if not events:  # engines without recursive CTEs, and sources: a plain DISTINCT
        events = read("events", select(Event.__table__.c.name).distinct().limit(MAX_VALUES))
    return Vocabulary(values, tuple(str(n) for (n,) in events))
