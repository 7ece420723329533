"""How an import reports progress (the CLI shows a progress bar; library callers may pass nothing)."""

from __future__ import annotations

from typing import Protocol


class ImportProgress(Protocol):
    def start(self, total: int | None, unit: str) -> None:
        """`total` progress units ("bytes" of a CSV, "rows" of a Parquet file), None when unknown."""

    def advance(self, rows: int, position: int) -> None:
        """`rows` more rows were read; `position` is how far into the file (in `total` units)."""

    def phase(self, description: str) -> None:
        """A step after reading (checks, writing, rebuilding indexes) started."""


class NoProgress:
    def start(self, total: int | None, unit: str) -> None:
        return None

    def advance(self, rows: int, position: int) -> None:
        return None

    def phase(self, description: str) -> None:
        return None
