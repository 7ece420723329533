"""Importing data-contract files (CSV, Parquet) into the database: validated, all or nothing, streamed.

The loader (pandas, pyarrow) is imported on first use: the table specs (`kpi_engine.importing.specs`) are read by
every process that reads the contract, most of which never import a file."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kpi_engine.importing.errors import ImportFailed, RowError
from kpi_engine.importing.progress import ImportProgress, NoProgress
from kpi_engine.importing.specs import SPECS, TableSpec, table_names

if TYPE_CHECKING:
    from kpi_engine.importing.load import ImportReport, import_file

__all__ = [
    "SPECS",
    "ImportFailed",
    "ImportProgress",
    "ImportReport",
    "NoProgress",
    "RowError",
    "TableSpec",
    "import_file",
    "table_names",
]


def __getattr__(name: str) -> Any:
    if name in ("ImportReport", "import_file"):
        from kpi_engine.importing import load

        return getattr(load, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
