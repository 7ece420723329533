"""Which database answers a query once a source is configured.

A query reads the contract tables of its metric (the catalog's `tables`). Tables of the source are read
through the source engine (mapped, read-only); the survey tables the bot writes itself stay in
DATABASE_URL, so survey metrics run there as before (no query ever joins the two databases). The bot's own
state a result needs (targets) is always read on the state connection.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from kpi_engine.catalog import Catalog
from kpi_engine.compute.dimensions import ACCOUNT_DIMENSIONS, accounts_from_profiles
from kpi_engine.parser.value_index import Vocabulary
from kpi_engine.query import FunnelQuery, MetricQuery, MovementsQuery, RetentionQuery
from kpi_engine.settings import Settings
from kpi_engine.sources.adapter import SourceWriteRefused
from kpi_engine.sources.routed import CrossDatabaseQuery, RoutedConnection
from kpi_engine.sources.source import Source, SourceUnavailable, current_source, describe_error
from kpi_engine.values import values_for

T = TypeVar("T")
AnyQuery = MetricQuery | MovementsQuery | FunnelQuery | RetentionQuery
USAGE_TABLES = ("events", "users")


def tables_of(query: AnyQuery, catalog: Catalog) -> tuple[str, ...]:
    if isinstance(query, MetricQuery):
        metric = catalog.find(query.metric)
        return metric.tables if metric is not None else ()
    if isinstance(query, MovementsQuery):
        return ("subscriptions",)
    return USAGE_TABLES


def account_dimension(query: AnyQuery) -> str | None:
    """The first account attribute the query breaks down or filters by (they need `accounts`)."""
    wanted = [getattr(query, "breakdown", None), *(f.dimension for f in query.filters)]
    return next((d for d in wanted if d in ACCOUNT_DIMENSIONS), None)


def listed_catalog(catalog: Catalog, settings: Settings) -> Catalog:
    """The catalog without listing the metrics a table of which the source does not have."""
    source = current_source(settings)
    return catalog.without_listing(m.id for m in catalog if any(t in source.absent for t in m.tables))


def run_routed(
    state: Connection, query: AnyQuery, catalog: Catalog, settings: Settings,
    run: Callable[[Connection, Connection], T],
) -> T:
    """`run(data_connection, state_connection)` on the database that holds the query's tables."""
    tables = tables_of(query, catalog)
    source = current_source(settings)
    on_source = [t for t in tables if source.on_source(t)]
    if not on_source:
        dimension = account_dimension(query)
        if dimension is None or not source.on_source("accounts"):
            return run(state, state)
        # answers given in Slack by an account attribute: beside `accounts` (the same database, or their copy in
        # the scratch schema), or beside the accounts' attributes kept in DATABASE_URL
        if source.derived_in_state:  # beside the accounts' attributes `kpibot refresh` keeps in DATABASE_URL
            with accounts_from_profiles():
                return run(state, state)
        source.check_readable("accounts")
        return run_on(source, "accounts", lambda conn: run(conn, state))
    kept = [t for t in tables if not source.on_source(t)]
    if kept and source.derived_in_state:
        raise SourceUnavailable(
            f"{getattr(query, 'metric', 'this question')} combines {', '.join(kept)} (answers given in Slack, kept in "
            f"DATABASE_URL) with {', '.join(on_source)} of the source: set KPI_SOURCE_SCRATCH_SCHEMA (and run "
            "`kpibot refresh`, which copies the answers there) to compute them together")
    for table in on_source:
        source.check_readable(table)
    if source.derived_in_state:  # each statement on the database holding its tables
        return run_on(source, on_source[0], lambda conn: run(RoutedConnection(conn, state), state))  # type: ignore[arg-type]
    return run_on(source, on_source[0], lambda conn: run(conn, state))


def run_on(source: Source, table: str, work: Callable[[Connection], T]) -> T:
    """Runs `work` on a source connection; a source failure becomes SourceUnavailable naming `table`."""
    try:
        with source.connect() as conn:
            return work(conn)
    except CrossDatabaseQuery:
        raise
    except SourceUnavailable as exc:
        raise SourceUnavailable(f"the source for {table} is not reachable: {str(exc).split(': ', 1)[-1]}") from exc
    except SourceWriteRefused as exc:
        raise SourceUnavailable(f"the source for {table} is read-only here ({exc})") from exc
    except SQLAlchemyError as exc:
        detail = describe_error(exc)
        if "read-only" in detail or "readonly" in detail:  # a query wanted to rebuild the derived tables
            raise SourceUnavailable(f"the usage tables are out of date: run `kpibot refresh` ({detail})") from exc
        raise SourceUnavailable(f"the source for {table} is not reachable: {detail}") from exc


@contextmanager
def contract_connection(engine: Engine, settings: Settings) -> Iterator[Connection]:
    """A connection on which the contract tables (accounts, users, ...) are read wherever they live: the source's
    (mapped, read-only) when one is configured, else `engine`'s. For code outside the computations that reads a
    contract table directly (never for the survey tables or other bot state)."""
    if not settings.uses_source:
        with engine.connect() as conn:
            yield conn
        return
    with current_source(settings).connect() as conn:
        yield conn


def values_reader(engine: Engine, settings: Settings) -> Callable[[str, Any], list[Any]] | None:
    """For kpi_engine.values.values_for(engine, reader=...): runs a Core select over one contract table where that
    table lives (the source, or DATABASE_URL for the survey answers); a table that cannot be read gives no rows.
    None without a source (values are read from `engine` as always)."""
    if not settings.uses_source:
        return None

    def read(table: str, statement: Any) -> list[Any]:
        source = current_source(settings)
        try:
            if not source.on_source(table):
                with engine.connect() as conn:
                    return list(conn.execute(statement))
            source.check_readable(table)
            return run_on(source, table, lambda conn: list(conn.execute(statement)))
        except (SourceUnavailable, ValueError, SQLAlchemyError):
            return []

    return read


def data_values(engine: Engine, settings: Settings) -> Vocabulary:
    """The values the parser matches (plans, segments, countries, event names…), read where the data lives."""
    return values_for(engine, reader=values_reader(engine, settings))


def warm_source(engine: Engine, settings: Settings) -> None:
    """With a source (or the store): opened, and the values the parser matches read from it, before the first
    question rather than during it."""
    if settings.uses_source:
        data_values(engine, settings)
