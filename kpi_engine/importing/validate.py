"""Checks and converts one batch of raw rows (vectorised); bad values go to the `ErrorLog`, good rows come back."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from sqlalchemy import String

from kpi_engine.importing import convert
from kpi_engine.importing.errors import ErrorLog
from kpi_engine.importing.specs import ColumnSpec, DerivedKey, Kind, TableSpec

Flag = Callable[["pd.Series | np.ndarray", str, str], None]  # (bad rows, column, reason)
LINE = "_line"  # the file line (or Parquet row) of each row, carried into staging for error messages
TYPE_REASONS = {
    Kind.TS: "is not a timestamp (use ISO-8601, e.g. 2026-03-05T14:30:00Z, 2026-03-05 14:30 or 2026-03-05)",
    Kind.DATE: "is not a date (use YYYY-MM-DD)",
    Kind.NUM: "is not a number",
    Kind.INT: "is not a whole number (or is too large)",
    Kind.BOOL: "is not a boolean (use true/false, 1/0 or yes/no)",
}


def stored_columns(spec: TableSpec, file_columns: list[str]) -> list[str]:
    """The table columns an import of a file with `file_columns` writes (in table order)."""
    derived = spec.derived_key.column if spec.derived_key else None
    return [c.name for c in spec.columns if c.name in file_columns or c.name == derived or c.default is not None]


def max_length(spec: TableSpec, column: ColumnSpec) -> int | None:
    column_type = spec.table.c[column.name].type
    return column_type.length if isinstance(column_type, String) else None


def convert_column(spec: TableSpec, column: ColumnSpec, raw: pd.Series, tz: ZoneInfo) -> tuple[convert.Converted, str]:
    if column.kind is Kind.TS:
        return convert.to_utc(raw, tz), TYPE_REASONS[Kind.TS]
    if column.kind is Kind.DATE:
        return convert.to_local_date(raw, tz), TYPE_REASONS[Kind.DATE]
    if column.kind is Kind.NUM:
        return convert.to_number(raw), TYPE_REASONS[Kind.NUM]
    if column.kind is Kind.INT:
        return convert.to_integer(raw), TYPE_REASONS[Kind.INT]
    if column.kind is Kind.BOOL:
        return convert.to_boolean(raw), TYPE_REASONS[Kind.BOOL]
    limit = max_length(spec, column)
    return convert.to_text(raw, limit), f"is longer than {limit} characters"


class BatchValidator:
    """Validates the batches of one file against one table spec."""

    def __init__(self, spec: TableSpec, file_columns: list[str], tz: ZoneInfo, log: ErrorLog) -> None:
        self.spec = spec
        self.file_columns = [c for c in spec.names if c in file_columns]
        self.columns = stored_columns(spec, file_columns)
        self.tz = tz
        self.log = log

    def validate(self, raw: pd.DataFrame, lines: np.ndarray) -> pd.DataFrame:
        """The converted rows without any error, with their line numbers in column `LINE`."""
        bad_rows = np.zeros(len(raw), dtype=bool)

        def flag(mask: pd.Series | np.ndarray, column: str, reason: str) -> None:
            mask = np.asarray(mask, dtype=bool)
            if mask.any():
                self.log.record(column, reason, lines[mask], raw[column].to_numpy()[mask], int(mask.sum()))
                bad_rows[:] |= mask

        frame = pd.DataFrame(index=raw.index)
        for name in self.file_columns:
            frame[name] = self._checked_column(self.spec.column(name), raw[name], flag)
        for column in self.spec.columns:
            if column.default is not None:
                given = frame[column.name] if column.name in frame else pd.Series(np.nan, index=raw.index, dtype="str")
                frame[column.name] = given.fillna(column.default)
        for rule in self.spec.rules:
            for mask, column_name, reason in rule.violations(frame):
                flag(mask, column_name, reason)
        if self.spec.derived_key:
            frame[self.spec.derived_key.column] = derive_keys(frame, self.spec.derived_key)
        frame[LINE] = lines
        return frame.loc[~bad_rows, [*self.columns, LINE]]

    def _checked_column(self, column: ColumnSpec, raw: pd.Series, flag: Flag) -> pd.Series:
        (values, bad), reason = convert_column(self.spec, column, raw, self.tz)
        flag(bad, column.name, reason)
        if column.required:
            flag(values.isna() & ~bad, column.name, "is required but empty")
        if column.choices:
            values = values.str.lower()
            flag(values.notna() & ~values.isin(column.choices), column.name,
                 f"is not one of {', '.join(column.choices)}")
        if column.minimum is not None:
            below = (values < column.minimum).fillna(False)
            flag(below, column.name, "must not be negative" if column.minimum == 0 else f"must be >= {column.minimum}")
        return values


def derive_keys(frame: pd.DataFrame, derived: DerivedKey) -> pd.Series:
    """The given key, or (when empty) a hash of the row's source columns: the same row always gets the same key."""
    given = frame[derived.column] if derived.column in frame else pd.Series(np.nan, index=frame.index, dtype="str")
    missing = given.isna().to_numpy()
    if not missing.any():
        return given
    parts = []
    for name in derived.sources:
        values = frame.loc[missing, name] if name in frame else pd.Series("", index=frame.index[missing], dtype="str")
        if pd.api.types.is_datetime64_any_dtype(values.dtype):
            values = values.dt.strftime("%Y-%m-%dT%H:%M:%S.%f")
        parts.append(values.astype("str").fillna(""))
    joined = parts[0].str.cat(parts[1:], sep="\x1f")
    hashes = [hashlib.blake2b(text.encode(), digest_size=16).hexdigest() for text in joined.tolist()]
    result = given.copy()
    result[missing] = hashes
    return result
