"""A demo company exported as a "source" in someone else's shape: every contract table renamed (`crm_<name>`),
every column renamed (`f_<column>`), the subscriptions' timestamps stored as naive Asia/Tokyo wall-clock
times, the events read through a whole `sql:` SELECT; plus the mapping that reads it back."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy import Column, Connection, Engine, MetaData, Table, insert, select

from kpi_engine.db.base import Base
from kpi_engine.sources.contract import CONTRACT_TABLES

TOKYO = ZoneInfo("Asia/Tokyo")
LOCAL_TABLE = "subscriptions"  # stored in Tokyo wall-clock time
SQL_TABLE = "events"  # mapped with a whole SELECT


def source_name(table: str) -> str:
    return f"crm_{table}"


def source_column(column: str) -> str:
    return f"f_{column}"


def _to_tokyo(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC).astimezone(TOKYO).replace(tzinfo=None)
    return value


def export_source(demo: Engine, target: Engine, tables: Iterable[str] = CONTRACT_TABLES) -> None:
    """Copies the demo's contract tables into `target` under the renamed tables and columns."""
    meta = MetaData()
    with demo.connect() as read, target.begin() as write:
        for name in tables:
            model = Base.metadata.tables[name]
            copy = Table(source_name(name), meta,
                         *(Column(source_column(c.name), c.type, primary_key=c.primary_key) for c in model.columns))
            copy.create(write)
            _copy_rows(read, write, model, copy, tokyo=name == LOCAL_TABLE)


def _copy_rows(read: Connection, write: Connection, model: Table, copy: Table, *, tokyo: bool) -> None:
    batch: list[dict[str, Any]] = []
    for row in read.execute(select(model)).mappings():
        batch.append({source_column(k): (_to_tokyo(v) if tokyo else v) for k, v in row.items()})
        if len(batch) >= 20_000:
            write.execute(insert(copy), batch)
            batch = []
    if batch:
        write.execute(insert(copy), batch)


def mapping_for(tables: Iterable[str] = CONTRACT_TABLES) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in tables:
        columns = [c.name for c in Base.metadata.tables[name].columns]
        if name == SQL_TABLE:
            select_list = ", ".join(f"{source_column(c)} AS {c}" for c in columns)
            out[name] = {"sql": f"select {select_list} from {source_name(name)}"}
            continue
        entry: dict[str, Any] = {"table": source_name(name), "columns": {c: source_column(c) for c in columns}}
        if name == LOCAL_TABLE:
            entry["timezone"] = "Asia/Tokyo"
        out[name] = entry
    return {"tables": out}


def write_mapping(path: Path, tables: Iterable[str] = CONTRACT_TABLES) -> Path:
    path.write_text(yaml.safe_dump(mapping_for(tables), sort_keys=False), encoding="utf-8")
    return path
