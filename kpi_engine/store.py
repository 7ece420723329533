"""The embedded columnar store (KPI_DATA_URL): a DuckDB file the bot owns, holding the data contract's tables and
the derived tables, beside the bot's state in DATABASE_URL.

`kpibot import` and `kpibot demo` write it; everything else reads it as the source (kpi_engine.sources), with the
derived tables in its `main` schema. Its tables carry no index, no key and no foreign key (see `store_tables`):
the import checks keys and references itself. The answers given in Slack stay in DATABASE_URL (survey tables are
never written here by an import).

DuckDB lets one process write a file, or any number read it: an opening waits while another process holds it, and
the bot's readers close it once idle (kpi_engine.compute.dialect.source_engine).
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, Engine, MetaData, Table
from sqlalchemy.exc import NoSuchModuleError, SQLAlchemyError

from kpi_engine.db.base import Base
from kpi_engine.db.bulk import copy_tables
from kpi_engine.settings import Settings
from kpi_engine.sources.contract import CONTRACT_TABLES, DERIVED_TABLES, SCRATCH_COPIES, SURVEY_TABLES
from kpi_engine.sources.source import describe_error, forget_sources, make_source_engine, safe_url

STORE_TABLES: tuple[str, ...] = (*CONTRACT_TABLES, *DERIVED_TABLES, *SCRATCH_COPIES)


def stored_in_store(settings: Settings, table: str) -> bool:
    """An import of `table` writes the store (not DATABASE_URL): a store is configured and the table is data."""
    return settings.kpi_data_url is not None and table not in SURVEY_TABLES


class StoreUnavailable(ValueError):
    """The store cannot be opened; the message is what the user sees."""


def open_store(settings: Settings) -> Engine:
    """The store opened to write, its tables created when missing. This process's readers of it are closed first
    (DuckDB opens a file once per process: read-only or to write)."""
    forget_sources()
    try:
        engine = make_source_engine(settings, writable=True)
        with engine.begin() as conn:
            create_store_tables(conn)
    except NoSuchModuleError as exc:
        raise StoreUnavailable('KPI_DATA_URL needs the DuckDB extra: pip install "kpibot[duckdb]"') from exc
    except SQLAlchemyError as exc:
        raise StoreUnavailable(f"the data store {safe_url(settings.source_url)} cannot be opened: "
                               f"{describe_error(exc)}") from exc
    return engine


def store_tables() -> list[Table]:
    """The store's tables: the models' columns, without indexes, foreign keys or primary keys (DuckDB would build
    an index for every key, on every load): an import merges its rows by key itself (importing.target.merge_by_key),
    and the derived tables are only ever deleted and appended in bulk. `derived_state` keeps its key (upserted)."""
    meta = MetaData()
    keyed = {"derived_state"}
    return [Table(name, meta, *(Column(c.name, c.type, primary_key=c.primary_key and name in keyed,
                                       nullable=c.nullable)
                                for c in Base.metadata.tables[name].columns))
            for name in STORE_TABLES]


def create_store_tables(conn: Connection) -> None:
    tables = store_tables()
    tables[0].metadata.create_all(conn, tables=tables, checkfirst=True)


def survey_answers_to_state(store: Engine, state: Engine) -> int:
    """The demo's survey answers, written into the store with the rest of the company, replace DATABASE_URL's
    (where survey metrics read the answers given in Slack); the store keeps its copy for breakdowns by an account
    attribute, as `kpibot refresh` keeps it. Returns the rows copied."""
    with store.connect() as read, state.begin() as write:
        return copy_tables(read, write, SURVEY_TABLES)
