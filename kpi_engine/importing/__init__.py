"""Importing data-contract files (CSV, Parquet) into the database: validated, all or nothing, streamed."""

from kpi_engine.importing.errors import ImportFailed, RowError
from kpi_engine.importing.load import ImportReport, import_file
from kpi_engine.importing.progress import ImportProgress, NoProgress
from kpi_engine.importing.specs import SPECS, TableSpec, table_names

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
