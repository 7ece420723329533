"""Builds the demo company into a database: wipe, generate table by table, write, derive.

Each part draws from its own seeded generator (`numpy.random.default_rng([seed, stream])`), so the same
end day, scale and seed give the same rows. Events are generated and written a week at a time.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine, Table

from kpi_engine.db.dialect import KEYS_ONLY, page_cache_bounded
from kpi_engine.db.dialect_bulk import stored_instants
from kpi_engine.db.models import (
    Account,
    Event,
    Feature,
    MarketingSpend,
    Order,
    Release,
    Subscription,
    SurveyDelivery,
    SurveyResponse,
    Ticket,
    Trial,
    User,
    WorkItem,
)
from kpi_engine.demo.company import Company, build_company, trial_rows
from kpi_engine.demo.config import CHANNELS, COUNTRIES, PLANS, SCALES, SEGMENTS, Scale
from kpi_engine.demo.delivery import feature_rows, release_rows, work_item_rows
from kpi_engine.demo.marketing import marketing_rows
from kpi_engine.demo.people import build_people, user_rows
from kpi_engine.demo.sales import build_orders
from kpi_engine.demo.support import ticket_rows
from kpi_engine.demo.surveys import survey_rows
from kpi_engine.demo.timeline import History
from kpi_engine.demo.usage import SpecialEvents, Usage
from kpi_engine.demo.writer import indexes_dropped, temp_store_on_disk, wipe, write
from kpi_engine.derive.events_copy import EventsCopy
from kpi_engine.derived import refresh_after_import
from kpi_engine.settings import Settings

ProgressHook = Callable[[str, int, int], None]  # (step, rows done, rows expected)
DEFAULT_SEED = 42
DERIVED_STEP = "derived tables"
STREAMS = {"company": 1, "people": 2, "orders": 3, "specials": 4, "marketing": 5, "tickets": 6, "work": 7,
           "releases": 8, "surveys": 9}


class Recorder:
    """Writes tables and keeps what the caller sees: rows per table, seconds per step, progress."""

    def __init__(self, engine: Engine, progress: ProgressHook | None, timings: dict[str, float] | None,
                 events_copy: EventsCopy | None = None) -> None:
        self.engine = engine
        self.events_copy = events_copy  # receives every event written (the derived build reads it)
        self.counts: dict[str, int] = {}
        self.seconds = timings if timings is not None else {}
        self.report: ProgressHook = progress or (lambda _step, _done, _total: None)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started

    def put(self, table: Table, make_rows: Callable[[], Mapping[str, Any]]) -> Mapping[str, Any]:
        """Generates a table's rows (timed with the write) and writes them in one transaction."""
        with self.step(table.name):
            rows = make_rows()
            total = len(next(iter(rows.values())))
            self.report(table.name, 0, total)
            with self.engine.begin() as conn:
                self.counts[table.name] = write(conn, table, rows)
            self.report(table.name, total, total)
        return rows

    def put_events(self, usage: Usage) -> None:
        """Events a week at a time, each week its own transaction, indexes rebuilt at the end."""
        table = Event.__table__
        done = 0
        with self.step(table.name), indexes_dropped(self.engine, table):
            self.report(table.name, 0, usage.expected_events)
            for chunk in usage.chunks():
                with self.engine.begin() as conn, page_cache_bounded(conn):
                    written = write(conn, table, chunk)
                    if self.events_copy is not None:
                        stored = {**chunk, "occurred_at": stored_instants(np.asarray(chunk["occurred_at"]),
                                                                          conn.dialect.name)}
                        self.events_copy.write(stored, written)
                done += written
                self.report(table.name, done, max(done, usage.expected_events))
        self.counts[table.name] = done
        self.report(table.name, done, done)


def build_demo(
    engine: Engine,
    settings: Settings,
    scale: str = "small",
    end: date | None = None,
    seed: int = DEFAULT_SEED,
    progress: ProgressHook | None = None,
    timings: dict[str, float] | None = None,
) -> dict[str, int]:
    """Replaces the data tables with a synthetic company whose history ends on `end` (default: today in the
    reporting zone). Returns rows written per table; `timings` (if given) receives seconds per step."""
    size = SCALES[scale]
    history = History.ending(end or datetime.now(settings.tz).date(), settings.tz)
    with tempfile.TemporaryDirectory(prefix="kpibot-demo-") as folder:
        # the columnar store reads its own events back as fast as a copy (as kpi_engine.importing.stored_copy)
        copy = None if engine.dialect.name in KEYS_ONLY else EventsCopy(Path(folder) / "events.parquet")
        out = Recorder(engine, progress, timings, copy)
        _write_company(engine, settings, out, size, history, seed)  # its generators are freed on return
        _derive(engine, settings, out)
    return out.counts


def _write_company(engine: Engine, settings: Settings, out: Recorder, size: Scale, history: History,
                   seed: int) -> None:
    def rng(stream: str) -> np.random.Generator:
        return np.random.default_rng([seed, STREAMS[stream]])

    with engine.begin() as conn:
        wipe(conn)
    with out.step(Account.__tablename__):
        company = build_company(rng("company"), history, size)
    out.put(Account.__table__, lambda: account_rows(company))
    out.put(Subscription.__table__, lambda: subscription_rows(company))
    out.put(Trial.__table__, lambda: trial_rows(company, history))
    with out.step(User.__tablename__):
        people = build_people(rng("people"), history, company, size)
    out.put(User.__table__, lambda: user_rows(people, company))
    out.put(Feature.__table__, lambda: feature_rows(history))
    with out.step(Order.__tablename__):
        orders = build_orders(rng("orders"), history, company, people)
    out.put(Order.__table__, lambda: orders.rows)
    with out.step(Event.__tablename__):
        specials = SpecialEvents.build(rng("specials"), history, people, orders.purchase_user, orders.purchase_at)
        usage = Usage(history, company, people, specials, size.events, seed)
    out.put_events(usage)
    out.put(MarketingSpend.__table__, lambda: marketing_rows(rng("marketing"), history, size))
    tickets = out.put(Ticket.__table__, lambda: ticket_rows(rng("tickets"), history, company))
    out.put(WorkItem.__table__, lambda: work_item_rows(rng("work"), history, size))
    out.put(Release.__table__, lambda: release_rows(rng("releases"), history, size))
    with out.step(SurveyResponse.__tablename__):
        responses, deliveries = survey_rows(rng("surveys"), history, company, people, size, tickets)
    out.put(SurveyResponse.__table__, lambda: responses)
    out.put(SurveyDelivery.__table__, lambda: deliveries)


def _derive(engine: Engine, settings: Settings, out: Recorder) -> None:
    with out.step(DERIVED_STEP), engine.begin() as conn, temp_store_on_disk(conn):
        out.report(DERIVED_STEP, 0, 1)
        events_file = out.events_copy.finish() if out.events_copy is not None else None
        refresh_after_import(conn, settings, "events", events_file=events_file)
        out.report(DERIVED_STEP, 1, 1)


def account_rows(company: Company) -> dict[str, object]:
    plans = np.asarray((*PLANS, None), dtype=object)
    return {
        "account_id": company.ids,
        "name": company.names,
        "created_at": company.created,
        "plan": plans[company.plan],  # -1 (never paid) reads the trailing None
        "segment": np.asarray(SEGMENTS, dtype=object)[company.segment],
        "channel": np.asarray(CHANNELS, dtype=object)[company.channel],
        "country": np.asarray(COUNTRIES, dtype=object)[company.country],
    }


def subscription_rows(company: Company) -> dict[str, object]:
    subs = company.lifecycles.subscriptions
    ids = np.asarray(company.ids, dtype=object)
    ended = np.asarray(subs.ended)
    return {
        "subscription_id": [f"sub_{i + 1:07d}" for i in range(len(subs.account))],
        "account_id": ids[np.asarray(subs.account, dtype=np.int64)],
        "plan": subs.plan,
        "mrr": np.asarray(subs.mrr),
        "started_at": np.asarray(subs.started).astype(np.int64).astype("datetime64[s]"),
        "ended_at": np.where(np.isnan(ended), np.datetime64("NaT"),
                             np.nan_to_num(ended).astype(np.int64).astype("datetime64[s]")),
    }
