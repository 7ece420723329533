"""`import_file`: one file into one table, all or nothing, streamed in batches."""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter

from sqlalchemy import Engine

from kpi_engine import derived
from kpi_engine.importing.errors import ErrorLog, ImportFailed
from kpi_engine.importing.progress import ImportProgress, NoProgress
from kpi_engine.importing.readers import Reader, open_reader
from kpi_engine.importing.specs import SPECS, TableSpec
from kpi_engine.importing.staging import (
    create_staging,
    drop_staging,
    find_duplicates,
    find_missing_references,
    stage_rows,
    staged,
)
from kpi_engine.importing.stored_copy import stored_copy
from kpi_engine.importing.target import earliest_touched, write_target
from kpi_engine.importing.transaction import import_transaction
from kpi_engine.importing.validate import BatchValidator
from kpi_engine.settings import Settings


@dataclass(frozen=True)
class ImportReport:
    table: str
    path: Path
    rows_read: int
    inserted: int
    updated: int
    unchanged: int
    deleted: int
    seconds: float

    def summary(self) -> str:
        replaced = f", replaced {self.deleted:,} old rows" if self.deleted else ""
        rate = self.rows_read / self.seconds if self.seconds > 0 else 0.0
        return (f"Imported {self.path.name} into {self.table}: {self.rows_read:,} rows read, "
                f"{self.inserted:,} inserted, {self.updated:,} updated, {self.unchanged:,} unchanged{replaced} "
                f"in {self.seconds:.1f} s ({rate:,.0f} rows/s).")


def table_spec(table: str) -> TableSpec:
    spec = SPECS.get(table.strip().lower())
    if spec is None:
        raise ImportFailed(f"Unknown table {table!r}. Tables you can import: {', '.join(SPECS)}.")
    return spec


def check_header(spec: TableSpec, columns: list[str], path: Path) -> None:
    unknown = [c for c in columns if c not in spec.names]
    missing = [c for c in spec.required if c not in columns]
    problems = []
    if unknown:
        problems.append(f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}")
    if missing:
        problems.append(f"missing required column{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))}")
    if problems:
        raise ImportFailed(f"{path.name}: {'; '.join(problems)}. Columns of {spec.name}: {', '.join(spec.names)} "
                           f"(required: {', '.join(spec.required)}). Nothing was imported.")


def import_file(engine: Engine, settings: Settings, table: str, path: str | Path, replace: bool = False,
                progress: ImportProgress | None = None) -> ImportReport:
    """Imports `path` (CSV or Parquet) into `table`; raises `ImportFailed` (and changes nothing) on any problem."""
    started = perf_counter()
    spec = table_spec(table)
    path = Path(path)
    reader = open_reader(path, settings.import_batch_size)
    check_header(spec, reader.columns, path)
    progress = progress or NoProgress()
    log = ErrorLog()
    validator = BatchValidator(spec, reader.columns, settings.tz, log)
    with import_transaction(engine) as conn, tempfile.TemporaryDirectory(prefix="kpibot-import-") as folder, \
            create_staging(conn, spec, validator.columns, Path(folder)) as staging:
        copy = stored_copy(conn, spec, replace, Path(folder))
        progress.start(reader.total, "rows" if reader.location == "row" else "bytes")
        rows_read = valid_rows = 0
        for chunk in reader.chunks():
            valid = validator.validate(chunk.frame, chunk.lines)
            stage_rows(conn, staging, spec, valid)
            if copy is not None:
                copy.write(valid, len(valid))
            rows_read, valid_rows = rows_read + len(chunk.frame), valid_rows + len(valid)
            progress.advance(len(chunk.frame), chunk.position)
        if rows_read == 0:
            raise ImportFailed(f"{path.name}: no rows (the file has a header but no data). Nothing was imported.")
        progress.phase("checking keys and references")
        relation = staged(conn, staging)
        derived_only = spec.derived_key is not None and spec.derived_key.column not in reader.columns
        find_duplicates(conn, relation, spec, log, derived_only)
        find_missing_references(conn, relation, spec, log)
        if log:
            raise failure(path, spec, reader, log, rows_read)
        since = None
        if spec.refresh_from is not None and not replace:
            since = earliest_touched(conn, spec, relation, spec.refresh_from)
        progress.phase(f"writing {valid_rows:,} rows to {spec.name}")
        counts = write_target(conn, spec, relation, validator.columns, valid_rows, replace)
        drop_staging(conn, staging)
        if spec.refreshes_derived and (counts.inserted or counts.updated or counts.deleted):
            progress.phase("updating derived tables")
            events_file = copy.finish() if copy is not None else None
            derived.refresh_after_import(conn, settings, spec.name, since=since, events_file=events_file)
    forget_values(engine)
    return ImportReport(
        table=spec.name, path=path, rows_read=rows_read, inserted=counts.inserted, updated=counts.updated,
        unchanged=valid_rows - counts.inserted - counts.updated, deleted=counts.deleted,
        seconds=perf_counter() - started,
    )


def forget_values(engine: Engine) -> None:
    """Plans, countries, event names… the parser matches are read again. Only a process that has read them
    (imported `kpi_engine.values`, which loads the parser) holds any: `kpibot import` does not pay that import."""
    values = sys.modules.get("kpi_engine.values")
    if values is not None:
        values.invalidate_values(engine)


def failure(path: Path, spec: TableSpec, reader: Reader, log: ErrorLog, rows_read: int) -> ImportFailed:
    problems = f"{log.count:,} problem{'s' if log.count != 1 else ''}"
    message = (f"{path.name}: {problems} in {rows_read:,} rows for {spec.name}; nothing was imported "
               f"({reader.location}, column, value, why):")
    lines = reader.line_numbers({e.line for e in log.kept} | {e.related_line for e in log.kept if e.related_line})
    return ImportFailed(message, [error.relocated(lines) for error in log.kept], log.count, reader.location)
