"""Writes generated columns (numpy arrays or lists) into the demo's tables (the dialect forms of the load
are `kpi_engine.db.dialect_bulk.load_columns`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, Table

from kpi_engine.db.dialect import KEYS_ONLY, create_indexes, empty_tables, temp_store_on_disk
from kpi_engine.db.dialect_bulk import load_columns
from kpi_engine.db.models import (
    Account,
    DerivedState,
    Event,
    Feature,
    MarketingSpend,
    Order,
    Release,
    Session,
    Subscription,
    SurveyDelivery,
    SurveyResponse,
    Ticket,
    Trial,
    User,
    WorkItem,
)

BATCH_ROWS = 50_000
DEMO_TABLES: tuple[Table, ...] = tuple(m.__table__ for m in (
    Account, Subscription, User, Event, Order, MarketingSpend, Trial, Ticket, WorkItem, Release, Feature,
    SurveyResponse, SurveyDelivery, Session, DerivedState,
))

Column = np.ndarray | Sequence[Any]


def wipe(conn: Connection) -> list[str]:
    """Empties every data table, the survey deliveries and the derived tables. Returns their names."""
    empty_tables(conn, list(DEMO_TABLES))
    return [t.name for t in DEMO_TABLES]


def write(conn: Connection, table: Table, columns: Mapping[str, Column]) -> int:
    """Inserts the rows given column-wise; returns how many."""
    return load_columns(conn, table, columns, BATCH_ROWS)


@contextmanager
def indexes_dropped(engine: Engine, table: Table) -> Iterator[None]:
    """Bulk-load `table` without maintaining its secondary indexes; they are (re)built afterwards, also
    after a failure, and created if missing (as declared on the model, with the migration's names)."""
    if engine.dialect.name in KEYS_ONLY:  # the columnar store: no secondary indexes
        yield
        return
    with engine.begin() as conn:
        for index in table.indexes:
            index.drop(conn, checkfirst=True)
    try:
        yield
    finally:
        with engine.begin() as conn, temp_store_on_disk(conn):
            create_indexes(conn, list(table.indexes))


__all__ = ["DEMO_TABLES", "indexes_dropped", "temp_store_on_disk", "wipe", "write"]
