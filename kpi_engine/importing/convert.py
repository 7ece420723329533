"""Vectorised conversion of one raw column (CSV text, or any Parquet type) to its stored form.

Each converter returns the converted values (missing = NA) and a mask of values that could not be converted.
Timestamps come out as naive UTC `datetime64[us]`; dates (local days) as `datetime64[us]` at midnight.
"""

from __future__ import annotations

from typing import NamedTuple
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.api import types as ptypes

# An explicit UTC offset or Z after a time of day (a bare date such as 2026-03-05 has none).
OFFSET_PATTERN = r"[T ]\d.*(?:Z|[+-]\d\d(?::?\d\d)?)$"
BOOLEANS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}
INT32 = (-(2**31), 2**31 - 1)
EARLIEST, LATEST = pd.Timestamp("0001-01-01"), pd.Timestamp("9999-12-31 23:59:59.999999")


class Converted(NamedTuple):
    values: pd.Series
    bad: pd.Series  # bool, True where a non-empty value could not be converted


def as_text(raw: pd.Series) -> pd.Series:
    """Trimmed strings; empty or missing values become NA."""
    if ptypes.is_float_dtype(raw.dtype) and raw.dropna().mod(1).eq(0).all():
        raw = raw.astype("Int64")  # Parquet ids stored as floats: 7.0 -> "7"
    text = (raw if isinstance(raw.dtype, pd.StringDtype) else raw.astype("str")).str.strip()
    return text.where(raw.notna() & (text != ""))


def _no_errors(values: pd.Series) -> pd.Series:
    return pd.Series(False, index=values.index)


def _in_range(values: pd.Series) -> pd.Series:
    return values.isna() | ((values >= EARLIEST) & (values <= LATEST))


def to_utc(raw: pd.Series, tz: ZoneInfo) -> Converted:
    """Timestamps with an offset are taken as given; without one they are wall-clock time in `tz`."""
    if ptypes.is_datetime64_any_dtype(raw.dtype):
        values = raw.astype(f"datetime64[us, {raw.dt.tz}]") if raw.dt.tz else raw.astype("datetime64[us]")
        if values.dt.tz is None:
            values = _local_to_utc(values, tz)
        else:
            values = values.dt.tz_convert("UTC").dt.tz_localize(None)
        bad = ~_in_range(values)
        return Converted(values.where(~bad), bad)
    text = as_text(raw)
    parsed = pd.to_datetime(text, format="ISO8601", utc=True, errors="coerce").astype("datetime64[us, UTC]")
    wall = parsed.dt.tz_localize(None)
    has_offset = _has_offset(text)
    local = ~has_offset & wall.notna()
    values = wall.copy()
    if local.any():
        values[local] = _local_to_utc(wall[local], tz)
    bad = text.notna() & (values.isna() | ~_in_range(values))
    return Converted(values.where(~bad), bad)


def _has_offset(text: pd.Series) -> pd.Series:
    """Which texts end in a UTC offset (matched by Arrow's RE2, several times faster than pandas' regex)."""
    found = pc.match_substring_regex(pa.array(text, pa.string(), from_pandas=True), OFFSET_PATTERN, ignore_case=True)
    return pd.Series(found.fill_null(False).to_numpy(zero_copy_only=False), index=text.index, dtype=bool)


def _local_to_utc(wall: pd.Series, tz: ZoneInfo) -> pd.Series:
    """Wall-clock times in `tz` as naive UTC (may leave years 1..9999: callers range-check)."""
    if str(tz) == "UTC":
        return wall
    lowest, highest = EARLIEST + pd.Timedelta(days=2), LATEST - pd.Timedelta(days=2)
    safe = wall.between(lowest, highest)
    # Ambiguous wall times (clocks going back) take the first occurrence; times skipped by DST move forward.
    first = np.ones(int(safe.sum()), dtype=bool)
    localized = wall[safe].dt.tz_localize(tz, ambiguous=first, nonexistent="shift_forward")
    result = localized.dt.tz_convert("UTC").dt.tz_localize(None).reindex(wall.index)
    edge = wall.notna() & ~safe  # pandas cannot localize next to the calendar's ends (e.g. 9999-12-31)
    for index, value in wall[edge].items():
        offset = tz.utcoffset(min(max(value, lowest), highest).to_pydatetime())
        result[index] = value - offset
    return result


def to_local_date(raw: pd.Series, tz: ZoneInfo) -> Converted:
    """A day in the reporting zone: a bare date as written; a timestamp with an offset is moved into `tz`."""
    if ptypes.is_datetime64_any_dtype(raw.dtype):
        values = raw.dt.tz_convert(tz).dt.tz_localize(None) if raw.dt.tz else raw
        values = values.astype("datetime64[us]").dt.normalize()
        return Converted(values, _no_errors(values))
    text = as_text(raw)
    parsed = pd.to_datetime(text, format="ISO8601", utc=True, errors="coerce").astype("datetime64[us, UTC]")
    has_offset = _has_offset(text)
    values = parsed.dt.tz_localize(None)
    if has_offset.any():
        values[has_offset] = parsed[has_offset].dt.tz_convert(tz).dt.tz_localize(None)
    values = values.dt.normalize()
    bad = text.notna() & (values.isna() | ~_in_range(values))
    return Converted(values.where(~bad), bad)


def to_number(raw: pd.Series) -> Converted:
    if ptypes.is_bool_dtype(raw.dtype) or not (ptypes.is_numeric_dtype(raw.dtype)):
        text = as_text(raw)
        values = pd.to_numeric(text, errors="coerce").astype("float64")
        present = text.notna()
    else:
        values = raw.astype("float64")
        present = raw.notna()
    bad = present & ~np.isfinite(values.fillna(np.inf)) if len(values) else _no_errors(values)
    return Converted(values.where(~bad), bad)


def to_integer(raw: pd.Series) -> Converted:
    numbers, bad = to_number(raw)
    whole = numbers.isna() | ((numbers % 1 == 0) & numbers.between(*INT32))
    bad = bad | ~whole
    return Converted(numbers.where(~bad).astype("Int64"), bad)


def to_boolean(raw: pd.Series) -> Converted:
    if ptypes.is_bool_dtype(raw.dtype):
        return Converted(raw.astype("boolean"), _no_errors(raw))
    text = as_text(raw)
    values = text.str.lower().map(BOOLEANS).astype("boolean")
    bad = text.notna() & values.isna()
    return Converted(values, bad)


def to_text(raw: pd.Series, max_length: int | None) -> Converted:
    values = as_text(raw)
    bad = _no_errors(values) if max_length is None else values.str.len().gt(max_length).fillna(False).astype(bool)
    return Converted(values, bad)
