"""Streaming readers: a file becomes batches of raw rows (bounded memory) with their line or row numbers."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from kpi_engine.importing.errors import ImportFailed

PARQUET_SUFFIXES = {".parquet", ".pq"}
PARQUET_MAGIC = b"PAR1"
DELIMITERS = (",", ";", "\t", "|")


@dataclass
class Chunk:
    frame: pd.DataFrame  # raw values, one column per file column
    lines: np.ndarray  # int64: CSV line number (header = 1) or 1-based Parquet row
    position: int  # progress so far, in the reader's `total` units


class Reader(Protocol):
    columns: list[str]
    location: str  # what `lines` count: "line" or "row"
    total: int  # bytes (CSV) or rows (Parquet)

    def chunks(self) -> Iterator[Chunk]: ...

    def line_numbers(self, provisional: Iterable[int]) -> dict[int, int]: ...


def open_reader(path: Path, batch_size: int) -> Reader:
    if not path.exists():
        raise ImportFailed(f"File not found: {path}")
    if not path.is_file():
        raise ImportFailed(f"Not a file: {path}")
    if path.stat().st_size == 0:
        raise ImportFailed(f"{path.name}: the file is empty (expected a header line and rows)")
    with path.open("rb") as handle:
        magic = handle.read(4)
    if path.suffix.lower() in PARQUET_SUFFIXES or magic == PARQUET_MAGIC:
        return ParquetReader(path, batch_size)
    return CsvReader(path, batch_size)


def locate_bad_utf8(path: Path) -> str:
    """Where the first byte that is not UTF-8 is (a full scan, only run once a decode failed)."""
    offset = 0
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                return f"line {number} (byte 0x{line[exc.start]:02x} at file offset {offset + exc.start})"
            offset += len(line)
    return "unknown position"


def not_utf8(path: Path) -> ImportFailed:
    return ImportFailed(f"{path.name}: the file is not UTF-8 text: invalid byte at {locate_bad_utf8(path)}. "
                        "Save it as UTF-8 (CSV UTF-8 in Excel) and import again.")


class CsvReader:
    """Streams a CSV with pyarrow. `lines` are first counted as if every row took one line; `line_numbers` maps
    them to real file lines (blank lines, line breaks inside quoted values) when errors are reported."""

    location = "line"

    def __init__(self, path: Path, batch_size: int) -> None:
        self.path = path
        self.batch_size = batch_size
        self.total = path.stat().st_size
        self.delimiter, self.columns, header_bytes = self._read_header()
        self.block_size = _block_size(path, header_bytes, batch_size)

    def _read_header(self) -> tuple[str, list[str], int]:
        with self.path.open("rb") as handle:
            first = handle.readline()
        try:
            header = first.decode("utf-8-sig").strip("\r\n")
        except UnicodeDecodeError as exc:
            raise not_utf8(self.path) from exc
        if not header.strip():
            raise ImportFailed(f"{self.path.name}: the file is empty (the first line should name the columns)")
        delimiter = max(DELIMITERS, key=header.count) if "," not in header else ","
        names = [name.strip() for name in next(csv.reader([header], delimiter=delimiter))]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ImportFailed(f"{self.path.name}: column {', '.join(repeated)} appears more than once in the header")
        return delimiter, names, len(first)

    def chunks(self) -> Iterator[Chunk]:
        rows_before = 0
        with pa.OSFile(str(self.path)) as source:
            try:
                for batch in pacsv.open_csv(source, **self._options()):
                    frame = batch.to_pandas()
                    lines = np.arange(rows_before + 2, rows_before + 2 + len(frame), dtype=np.int64)
                    rows_before += len(frame)
                    blank = (frame == "").all(axis=1).to_numpy()
                    if blank.any():
                        frame, lines = frame.loc[~blank].reset_index(drop=True), lines[~blank]
                    yield Chunk(frame, lines, source.tell())
            except pa.ArrowInvalid as exc:
                raise self._parse_failure(exc) from exc

    def _options(self) -> dict[str, object]:
        return {
            "read_options": pacsv.ReadOptions(column_names=self.columns, skip_rows=1, block_size=self.block_size),
            "parse_options": pacsv.ParseOptions(delimiter=self.delimiter, newlines_in_values=True),
            "convert_options": pacsv.ConvertOptions(
                column_types={name: pa.string() for name in self.columns},
                strings_can_be_null=False, quoted_strings_can_be_null=False,
            ),
        }

    def _parse_failure(self, exc: pa.ArrowInvalid) -> ImportFailed:
        if "UTF8" in str(exc):
            return not_utf8(self.path)
        return ImportFailed(f"{self.path.name}: not a valid CSV file: {self._first_misshapen_row()}")

    def _data_rows(self) -> Iterator[tuple[int, list[str]]]:
        """(first line, values) of every data row, read the slow exact way (error path only)."""
        with self.path.open(encoding="utf-8-sig", newline="") as handle:
            rows = csv.reader(handle, delimiter=self.delimiter)
            next(rows, None)
            line_after = rows.line_num
            for values in rows:
                if values:
                    yield line_after + 1, values
                line_after = rows.line_num

    def _first_misshapen_row(self) -> str:
        for line, values in self._data_rows():
            if len(values) != len(self.columns):
                return f"line {line} has {len(values)} fields but the header has {len(self.columns)}"
        return "a row does not have as many fields as the header"

    def line_numbers(self, provisional: Iterable[int]) -> dict[int, int]:
        """Real file lines for provisional line numbers (data row index + 2)."""
        wanted = set(provisional)
        found: dict[int, int] = {}
        if not wanted:
            return found
        last = max(wanted)
        for index, (line, _values) in enumerate(self._data_rows()):
            if index + 2 in wanted:
                found[index + 2] = line
            if index + 2 >= last:
                break
        return found


def _block_size(path: Path, header_bytes: int, batch_size: int) -> int:
    """Bytes per pyarrow block so that a block holds about `batch_size` rows."""
    with path.open("rb") as handle:
        handle.seek(header_bytes)
        sample = handle.read(1 << 20)
    row_bytes = len(sample) / max(sample.count(b"\n"), 1) if sample else 100
    return int(min(max(row_bytes * batch_size, 1 << 16), 1 << 28))


class ParquetReader:
    location = "row"

    def __init__(self, path: Path, batch_size: int) -> None:
        self.path = path
        self.batch_size = batch_size
        try:
            self.file = pq.ParquetFile(path)
        except (pa.ArrowException, OSError) as exc:
            raise ImportFailed(f"{path.name}: not a valid Parquet file ({exc})") from exc
        self.columns = list(self.file.schema_arrow.names)
        self.total = self.file.metadata.num_rows

    def chunks(self) -> Iterator[Chunk]:
        done = 0
        try:
            for batch in self.file.iter_batches(batch_size=self.batch_size):
                frame = batch.to_pandas(date_as_object=False)
                lines = np.arange(done + 1, done + len(frame) + 1, dtype=np.int64)
                done += len(frame)
                yield Chunk(frame, lines, done)
        except (pa.ArrowException, OSError) as exc:
            raise ImportFailed(f"{self.path.name}: cannot read the Parquet file ({exc})") from exc

    def line_numbers(self, provisional: Iterable[int]) -> dict[int, int]:
        return {row: row for row in provisional}
