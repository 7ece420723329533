"""Copies of a database's data-contract and derived tables into another engine (DuckDB file, chDB).

The tables go through Parquet files (typed from the models), which are also what the benchmark's
"DuckDB on raw files" reference reads. Only data travels: the computations then run on the copy.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Float,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    select,
)
from sqlalchemy.types import TypeEngine

from kpi_engine.db.models import (
    Account,
    DailyReturn,
    DailyUsage,
    DerivedState,
    Event,
    Feature,
    FeatureDay,
    GroupDailyReturn,
    GroupDailyUsage,
    MarketingSpend,
    Order,
    Release,
    Session,
    Subscription,
    SurveyDelivery,
    SurveyResponse,
    Target,
    Ticket,
    Trial,
    UsageDay,
    User,
    WorkItem,
)
from kpi_engine.db.models.derived import ConversionEvent

CONTRACT_MODELS = (Account, Subscription, Trial, User, Feature, Order, Event, MarketingSpend, Ticket, WorkItem,
                   Release, SurveyResponse, SurveyDelivery)
DERIVED_MODELS = (Session, DerivedState, FeatureDay, UsageDay, DailyUsage, DailyReturn, ConversionEvent,
                  GroupDailyUsage, GroupDailyReturn)
TOKYO_OFFSET = timedelta(hours=9)
# the computations read targets (attainment) too: an empty copy keeps that query honest
COPIED_TABLES: tuple[Table, ...] = tuple(m.__table__ for m in (*CONTRACT_MODELS, *DERIVED_MODELS, Target))


def arrow_type(column_type: TypeEngine[object]) -> pa.DataType:
    if isinstance(column_type, DateTime):
        return pa.timestamp("us")
    if isinstance(column_type, Date):
        return pa.date32()
    if isinstance(column_type, Boolean):
        return pa.bool_()
    if isinstance(column_type, Integer):
        return pa.int64()
    if isinstance(column_type, Float | Numeric):
        return pa.float64()
    if isinstance(column_type, String | JSON):  # JSON (a target's filters) travels as its text
        return pa.string()
    raise TypeError(f"no Arrow type for {column_type!r}")


def arrow_schema(table: Table) -> pa.Schema:
    return pa.schema([pa.field(c.name, arrow_type(c.type), nullable=c.nullable) for c in table.columns])


def export_parquet(engine: Engine, directory: Path, tables: tuple[Table, ...] = COPIED_TABLES) -> dict[str, Path]:
    """One Parquet file per table (typed from the model), read in batches; returns table name → file."""
    directory.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    with engine.connect() as conn:
        for table in tables:
            files[table.name] = _export_table(conn, table, directory / f"{table.name}.parquet")
    return files


def _export_table(conn: Connection, table: Table, target: Path) -> Path:
    schema = arrow_schema(table)
    with pq.ParquetWriter(target, schema) as writer:
        result = conn.execution_options(yield_per=200_000).execute(select(table))
        for rows in result.partitions():
            columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
            writer.write_table(pa.table({f.name: pa.array(col, f.type) for f, col in zip(schema, columns,
                                                                                          strict=True)}, schema))
    return target


def load_duckdb(conn: Connection, files: dict[str, Path]) -> None:
    """Tables of a DuckDB database, each created from its Parquet file (types and NULLs as written)."""
    for name, path in files.items():
        conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}"')
        conn.exec_driver_sql(f"CREATE TABLE \"{name}\" AS SELECT * FROM read_parquet('{path}')")
    conn.commit()


CLICKHOUSE_TYPES = {pa.timestamp("us"): "DateTime64(6)", pa.date32(): "Date32", pa.bool_(): "Bool",
                    pa.int64(): "Int64", pa.float64(): "Float64", pa.string(): "String"}


def clickhouse_ddl(table: Table) -> str:
    """CREATE TABLE for a MergeTree copy: nullable columns Nullable(...), sorted by the primary key."""
    columns = []
    for column in table.columns:
        kind = CLICKHOUSE_TYPES[arrow_type(column.type)]
        columns.append(f"`{column.name}` {f'Nullable({kind})' if column.nullable else kind}")
    keys = [c.name for c in table.primary_key.columns if not c.nullable]
    order = f"({', '.join(f'`{k}`' for k in keys)})" if keys else "tuple()"
    return f"CREATE TABLE `{table.name}` ({', '.join(columns)}) ENGINE = MergeTree ORDER BY {order}"


def load_clickhouse(conn: Connection, files: dict[str, Path], tables: tuple[Table, ...] = COPIED_TABLES) -> None:
    """MergeTree tables of a ClickHouse (chDB) database, filled from the Parquet files."""
    by_name = {t.name: t for t in tables}
    for name, path in files.items():
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS `{name}`")
        conn.exec_driver_sql(clickhouse_ddl(by_name[name]))
        conn.exec_driver_sql(f"INSERT INTO `{name}` SELECT * FROM file('{path}', Parquet)")


def load_clickhouse_in_their_shape(conn: Connection, files: dict[str, Path], directory: Path) -> None:
    """The contract tables as tests/kpi_engine/sources/support.py shapes "someone else's" source (tables
    `crm_<name>`, columns `f_<column>`, subscriptions' timestamps as naive Asia/Tokyo wall-clock times), in
    ClickHouse, for a mapping to read back."""
    from tests.kpi_engine.sources.support import LOCAL_TABLE, source_column, source_name

    meta = MetaData()
    directory.mkdir(parents=True, exist_ok=True)
    shaped: dict[str, Path] = {}
    tables = []
    for model in CONTRACT_MODELS:
        name = model.__table__.name
        if name.startswith("survey_"):
            continue  # answers given in Slack: the bot's own
        data = pq.read_table(files[name])
        if name == LOCAL_TABLE:  # Tokyo keeps +09:00 all year (no daylight saving since 1951)
            data = pa.table({f.name: (pc.add(data[f.name], pa.scalar(TOKYO_OFFSET, pa.duration("us")))
                                      if pa.types.is_timestamp(f.type) else data[f.name]) for f in data.schema})
        data = data.rename_columns([source_column(c) for c in data.column_names])
        shaped[source_name(name)] = directory / f"{source_name(name)}.parquet"
        pq.write_table(data, shaped[source_name(name)])
        tables.append(Table(source_name(name), meta, *(Column(source_column(c.name), c.type, nullable=c.nullable,
                                                              primary_key=c.primary_key) for c in model.__table__.c)))
    load_clickhouse(conn, shaped, tuple(tables))
