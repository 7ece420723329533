"""What goes wrong in an import: bad rows (`RowError`) and the exception that aborts an import (`ImportFailed`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

KEPT_ERRORS = 1_000


@dataclass(frozen=True, order=True)
class RowError:
    """One bad value: `line` is the file line (CSV, header = line 1) or the 1-based row (Parquet)."""

    line: int
    column: str
    value: str
    reason: str
    related_line: int | None = None  # e.g. where a duplicated key was first used

    def describe(self, location: str = "line") -> str:
        shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
        related = f" (first on {location} {self.related_line})" if self.related_line is not None else ""
        return f"{location} {self.line}, column {self.column}: {shown!r} {self.reason}{related}"

    def relocated(self, lines: dict[int, int]) -> RowError:
        related = None if self.related_line is None else lines.get(self.related_line, self.related_line)
        return replace(self, line=lines.get(self.line, self.line), related_line=related)


def show_value(value: Any) -> str:
    """A raw value as the user wrote it; missing values show as an empty string."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


class ErrorLog:
    """Counts every bad value but keeps only the first `KEPT_ERRORS` (bounded memory on huge bad files)."""

    def __init__(self, limit: int = KEPT_ERRORS) -> None:
        self.limit = limit
        self.kept: list[RowError] = []
        self.count = 0

    def add(self, error: RowError) -> None:
        self.count += 1
        if len(self.kept) < self.limit:
            self.kept.append(error)

    def extend(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.add(error)

    def record(self, column: str, reason: str, lines: Sequence[int], values: Sequence[Any], total: int) -> None:
        """`total` bad values of `column` for one reason; keeps the first ones (`lines`/`values` may be longer)."""
        room = max(self.limit - len(self.kept), 0)
        for line, value in zip(list(lines[:room]), list(values[:room]), strict=True):
            self.kept.append(RowError(int(line), column, show_value(value), reason))
        self.count += total

    def add_uncounted(self, extra: int) -> None:
        """Errors known to exist (counted by SQL) beyond the samples added one by one."""
        self.count += max(extra, 0)

    def __bool__(self) -> bool:
        return self.count > 0


class ImportFailed(Exception):
    """The import changed nothing. `message` says why; `errors` lists bad rows (may be empty for file problems)."""

    def __init__(self, message: str, errors: Iterable[RowError] = (), error_count: int | None = None,
                 location: str = "line") -> None:
        super().__init__(message)
        self.message = message
        self.errors = sorted(errors)
        self.error_count = len(self.errors) if error_count is None else error_count
        self.location = location

    def lines(self, limit: int = 50) -> list[str]:
        """The message, then at most `limit` bad rows, then how many more there are."""
        shown = [f"  {error.describe(self.location)}" for error in self.errors[:limit]]
        more = self.error_count - len(shown)
        if shown and more > 0:
            shown.append(f"  ... and {more:,} more")
        return [self.message, *shown]

    def __str__(self) -> str:
        return "\n".join(self.lines())
