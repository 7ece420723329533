"""KPI_SOURCE_MAP: how each contract table is read from the source (SOURCES.md, "The mapping file").

A table is either `table:` (a table or view, schema-qualified allowed) with `columns:` (contract column →
a source column or an SQL expression over the row; without `columns:` the source columns have the contract's
names), or `sql:` (a whole SELECT whose result has the contract's column names). `timezone:` is the zone of
timestamps without one (default UTC). Unmapped optional columns are null; required ones must be mapped.
Errors name the table and the column.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kpi_engine.sources.contract import MAPPABLE_TABLES, spec


class MappingError(ValueError):
    """The mapping file cannot be used; the message names the table and column."""


class TableMapping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    table: str | None = None
    sql: str | None = None
    columns: dict[str, str] | None = None
    timezone: str = "UTC"

    @model_validator(mode="after")
    def _one_way(self) -> TableMapping:
        if (self.table is None) == (self.sql is None):
            raise ValueError("give either `table` or `sql`, not both or neither")
        if self.sql is not None and self.columns is not None:
            raise ValueError("`columns` goes with `table`; a `sql` SELECT names the contract columns itself")
        if self.columns is not None:
            empty = [name for name, expr in self.columns.items() if not str(expr).strip()]
            if empty:
                raise ValueError(f"column {empty[0]!r} is mapped to nothing")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {self.timezone!r} (use an IANA name such as Asia/Tokyo)") from exc
        return self


class SourceMap(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tables: dict[str, TableMapping] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _contract_names(self) -> SourceMap:
        for name, mapping in self.tables.items():
            if name not in MAPPABLE_TABLES:
                raise ValueError(f"{name!r} is not a table of the data contract ({', '.join(MAPPABLE_TABLES)})")
            if mapping.columns is None:
                continue
            known = spec(name).names
            for column in mapping.columns:
                if column not in known:
                    raise ValueError(f"{name}.{column} is not a column of {name} (columns: {', '.join(known)})")
            missing = [c for c in spec(name).required if c not in mapping.columns]
            if missing:
                raise ValueError(f"{name}: required column {missing[0]} is not mapped")
        return self

    def expressions(self, name: str) -> dict[str, str | None]:
        """Contract column → source expression (None: null) for a `table:` mapping, or own names."""
        mapping = self.tables.get(name)
        names = spec(name).names
        if mapping is None or mapping.columns is None:
            return {column: column for column in names}
        return {column: mapping.columns.get(column) for column in names}


def parse_mapping(text: str, origin: str = "mapping") -> SourceMap:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise MappingError(f"{origin}: not valid YAML: {str(exc).splitlines()[0]}") from exc
    try:
        return SourceMap.model_validate(data)
    except ValidationError as exc:
        raise MappingError(f"{origin}: " + "; ".join(_describe(e) for e in exc.errors())) from exc


def load_mapping(path: Path | None) -> SourceMap:
    """The mapping file, or an empty mapping (every table read by its own name) when there is none."""
    if path is None:
        return SourceMap()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise MappingError(f"mapping file {path}: {exc.strerror or exc}") from exc
    return parse_mapping(text, str(path))


def _describe(error: dict) -> str:  # type: ignore[type-arg]
    where = ".".join(str(part) for part in error["loc"])
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message
