"""Moving staged rows into the target table: upsert on the key, or replace the whole table."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    Connection,
    Executable,
    Index,
    Join,
    Table,
    and_,
    exists,
    func,
    insert,
    inspect,
    or_,
    select,
    true,
    update,
)

from kpi_engine.db.dialect import KEYS_ONLY, create_indexes, empty_table, upsert_insert
from kpi_engine.importing.specs import TableSpec

# Loads at least this big into a table at most this full rebuild secondary indexes once instead of row by row.
BIG_LOAD = 500_000


@dataclass(frozen=True)
class WriteCounts:
    inserted: int
    updated: int
    deleted: int


def count_rows(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def stored_keys(spec: TableSpec, staging: Table) -> Join:
    """The staged rows joined to the stored rows with the same key (probes of the key: as many as staged rows)."""
    return staging.join(spec.table, and_(*(spec.table.c[key] == staging.c[key] for key in spec.key)))


def earliest_touched(conn: Connection, spec: TableSpec, staging: Table, column: str) -> datetime | None:
    """The earliest `column` value among the staged rows and the stored rows with their keys (which they replace)."""
    target = spec.table
    staged = conn.execute(select(func.min(staging.c[column]))).scalar()
    stored = conn.execute(select(func.min(target.c[column])).select_from(stored_keys(spec, staging))).scalar()
    return min((value for value in (staged, stored) if value is not None), default=None)


@contextmanager
def indexes_rebuilt_if_big(conn: Connection, table: Table, incoming: int, existing: int) -> Iterator[None]:
    """Drops the table's secondary indexes around a load that dwarfs the table, then builds them again."""
    if incoming < BIG_LOAD or incoming < existing or conn.dialect.name in KEYS_ONLY:
        yield
        return
    present = {ix["name"] for ix in inspect(conn).get_indexes(table.name)}
    dropped: list[Index] = [ix for ix in table.indexes if ix.name in present and not ix.unique]
    for index in dropped:
        index.drop(conn)
    yield
    create_indexes(conn, dropped)


def upsert_statement(conn: Connection, spec: TableSpec, staging: Table, columns: list[str]) -> Executable:
    """INSERT ... SELECT from staging that updates a row only when one of its values really changes."""
    target = spec.table
    source = select(*(staging.c[c] for c in columns)).where(true())  # WHERE: SQLite then parses ON CONFLICT
    stmt = upsert_insert(conn, target).from_select(columns, source)
    changing = [c for c in columns if c not in spec.key]
    if not changing:
        return stmt.on_conflict_do_nothing(index_elements=list(spec.key))
    return stmt.on_conflict_do_update(
        index_elements=list(spec.key),
        set_={c: stmt.excluded[c] for c in changing},
        where=or_(*(target.c[c].is_distinct_from(stmt.excluded[c]) for c in changing)),
    )


def write_target(conn: Connection, spec: TableSpec, staging: Table, columns: list[str], staged: int,
                 replace: bool) -> WriteCounts:
    """Upserts (or, with `replace`, swaps in) the staged rows; unchanged rows are left untouched."""
    target = spec.table
    source = select(*(staging.c[c] for c in columns))
    if replace:
        deleted = empty_table(conn, target)
        with indexes_rebuilt_if_big(conn, target, staged, existing=0):
            conn.execute(insert(target).from_select(columns, source))
        return WriteCounts(inserted=staged, updated=0, deleted=deleted)
    stored = int(conn.execute(select(func.count()).select_from(stored_keys(spec, staging))).scalar_one())
    if conn.dialect.name in KEYS_ONLY:
        return merge_by_key(conn, spec, staging, columns, staged, stored)
    before = count_rows(conn, target) if staged >= BIG_LOAD else 0  # counted only when it decides something
    with indexes_rebuilt_if_big(conn, target, staged, existing=before):
        statement = upsert_statement(conn, spec, staging, columns).execution_options(preserve_rowcount=True)
        changed = conn.execute(statement).rowcount
    inserted = staged - stored  # the staged keys are unique (checked before)
    return WriteCounts(inserted=inserted, updated=changed - inserted, deleted=0)


def merge_by_key(conn: Connection, spec: TableSpec, staging: Table, columns: list[str], staged: int,
                 stored: int) -> WriteCounts:
    """The upsert of a table without a key constraint (the columnar store): the stored rows whose values change
    are updated in place (the file's columns only, as the upsert does), then the new keys appended."""
    target = spec.table
    same_key = and_(*(target.c[key] == staging.c[key] for key in spec.key))
    changing = [c for c in columns if c not in spec.key]
    changed = 0
    if changing and stored:
        differs = or_(*(target.c[c].is_distinct_from(staging.c[c]) for c in changing))
        statement = update(target).values({c: staging.c[c] for c in changing}).where(same_key, differs)
        changed = conn.execute(statement.execution_options(preserve_rowcount=True)).rowcount
    new = select(*(staging.c[c] for c in columns))
    if stored:
        new = new.where(~exists().where(same_key))
    conn.execute(insert(target).from_select(columns, new))
    return WriteCounts(inserted=staged - stored, updated=changed, deleted=0)
