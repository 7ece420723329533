"""The staging table of one import: valid rows land here first; duplicates and references are checked in SQL."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import BigInteger, Column, Connection, MetaData, Table, and_, exists, func, literal, select, text

from kpi_engine.db.base import Base
from kpi_engine.db.bulk import load_lists
from kpi_engine.importing.errors import ErrorLog, RowError
from kpi_engine.importing.specs import Kind, TableSpec
from kpi_engine.importing.validate import LINE

SAMPLE_GROUPS = 50
SAMPLE_ROWS = 1_000
STORED_FORMATS = {Kind.TS: "%Y-%m-%d %H:%M:%S.%f", Kind.DATE: "%Y-%m-%d"}  # as SQLAlchemy stores them on SQLite


@dataclass
class Staging:
    """Where an import's valid rows wait while keys and references are checked in SQL: `table`, a temporary table,
    or on DuckDB a temporary view over Parquet parts written to `parts` (a table there would be written twice).
    A part is written on `writer`'s thread while the next batch is read and validated (one part in flight)."""

    table: Table
    parts: Path | None
    written: list[str] = field(default_factory=list)
    writer: ThreadPoolExecutor | None = None
    pending: Future[None] | None = None

    def flush(self) -> None:
        """Waits for the part in flight (raising its error, if any)."""
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()

    def close(self) -> None:
        if self.writer is not None:
            try:
                self.flush()
            finally:
                self.writer.shutdown()
                self.writer = None


@contextmanager
def create_staging(conn: Connection, spec: TableSpec, columns: list[str], folder: Path) -> Iterator[Staging]:
    """A staging relation with the target's column types (all nullable) plus the file line of each row; its writer
    stopped on exit (the relation itself is dropped by `drop_staging`)."""
    name = f"kpibot_import_{spec.name}"
    on_commit: dict[str, Any] = {"postgresql_on_commit": "DROP"} if conn.dialect.name == "postgresql" else {}
    table = Table(
        name, MetaData(),
        *(Column(c, spec.table.c[c].type, nullable=True) for c in columns), Column(LINE, BigInteger),
        prefixes=["TEMPORARY"], **on_commit,
    )
    if conn.dialect.name == "duckdb":
        parts = folder / "staged"
        parts.mkdir()
        staging = Staging(table, parts, writer=ThreadPoolExecutor(1, thread_name_prefix="kpibot-staging"))
    else:
        conn.execute(text(f"DROP TABLE IF EXISTS {conn.dialect.identifier_preparer.quote(name)}"))
        table.create(conn)
        staging = Staging(table, None)
    try:
        yield staging
    finally:
        staging.close()


def stage_rows(conn: Connection, staging: Staging, spec: TableSpec, rows: pd.DataFrame) -> None:
    columns = [c.name for c in staging.table.columns]
    if staging.parts is not None and staging.writer is not None:  # columnar: one Parquet part per batch
        path = staging.parts / f"{len(staging.written):06d}.parquet"
        part = pa.table({name: pa.Array.from_pandas(rows[name]) for name in columns})
        staging.flush()
        staging.pending = staging.writer.submit(pq.write_table, part, path, compression="none")
        staging.written.append(str(path))
        return
    values = []
    for name in columns:
        series = rows[name]
        kind = spec.column(name).kind if name != LINE else Kind.INT
        if kind in STORED_FORMATS:
            series = series.dt.strftime(STORED_FORMATS[kind])
        values.append(pa.Array.from_pandas(series).to_pylist())
    load_lists(conn, staging.table, columns, values)


def staged(conn: Connection, staging: Staging) -> Table:
    """The staging relation, complete: on DuckDB the view over the parts is created now, each column cast to its
    table type as an INSERT would."""
    if staging.parts is None:
        return staging.table
    staging.flush()
    preparer = conn.dialect.identifier_preparer
    casts = ", ".join(f"CAST({preparer.quote(c.name)} AS {c.type.compile(dialect=conn.dialect)}) "
                      f"AS {preparer.quote(c.name)}" for c in staging.table.columns)
    files = ", ".join("'" + path.replace("'", "''") + "'" for path in staging.written)
    source = f"read_parquet([{files}])" if files else \
        "(SELECT " + ", ".join(f"NULL AS {preparer.quote(c.name)}" for c in staging.table.columns) + " WHERE false)"
    conn.execute(text(f"CREATE OR REPLACE TEMPORARY VIEW {preparer.quote(staging.table.name)} AS "
                      f"SELECT {casts} FROM {source}"))
    return staging.table


def drop_staging(conn: Connection, staging: Staging) -> None:
    name = conn.dialect.identifier_preparer.quote(staging.table.name)
    conn.execute(text(f"DROP {'VIEW' if staging.parts is not None else 'TABLE'} IF EXISTS {name}"))


def _shown(values: tuple[object, ...]) -> str:
    return ", ".join(v.isoformat() if hasattr(v, "isoformat") else str(v) for v in values)


def find_duplicates(conn: Connection, staging: Table, spec: TableSpec, log: ErrorLog, derived_only: bool) -> None:
    """Every repeat of a key already used on an earlier line is an error naming that line."""
    keys = [staging.c[k] for k in spec.key]
    groups = (
        select(*keys, func.min(staging.c[LINE]).label("first"), func.count().label("n"))
        .group_by(*keys).having(func.count() > 1)
        .order_by(func.min(staging.c[LINE])).limit(SAMPLE_GROUPS).subquery()
    )
    repeats = conn.execute(
        select(*keys, staging.c[LINE], groups.c.first)
        .join_from(staging, groups, and_(*(staging.c[k] == groups.c[k] for k in spec.key)))
        .where(staging.c[LINE] != groups.c.first)
        .order_by(groups.c.first, staging.c[LINE]).limit(SAMPLE_ROWS)
    ).all()
    if not repeats:
        return
    all_groups = select(func.count().label("n")).select_from(staging).group_by(*keys).having(func.count() > 1)
    total = conn.execute(select(func.coalesce(func.sum(all_groups.subquery().c.n - 1), 0))).scalar_one()
    column = ", ".join(spec.key)
    if derived_only and spec.derived_key:
        sources = ", ".join(spec.derived_key.sources)
        reason = f"is the same row twice (same {sources}; give them an {column} to keep both)"
    else:
        reason = f"is a duplicate key: {column} must be unique within the file"
    for *key, line, first in repeats:
        log.add(RowError(int(line), column, _shown(tuple(key)), reason, int(first)))
    log.add_uncounted(int(total) - len(repeats))


def find_missing_references(conn: Connection, staging: Table, spec: TableSpec, log: ErrorLog) -> None:
    """Values that point to rows missing from the referenced table (only checked when that table has rows)."""
    for reference in spec.references:
        if reference.column not in staging.c:
            continue
        target = Base.metadata.tables[reference.table]
        if conn.execute(select(literal(1)).select_from(target).limit(1)).first() is None:
            continue
        value = staging.c[reference.column]
        unknown = select(value, staging.c[LINE]).where(
            value.is_not(None), ~exists().where(target.c[reference.target] == value)
        )
        sample = conn.execute(unknown.order_by(staging.c[LINE]).limit(SAMPLE_ROWS)).all()
        if not sample:
            continue
        total = conn.execute(select(func.count()).select_from(unknown.subquery())).scalar_one()
        reason = f"is not in table {reference.table} (no row with that {reference.target})"
        log.record(reference.column, reason, [r[1] for r in sample], [r[0] for r in sample], int(total))
