"""Rules across columns of one row, checked vectorised on a converted batch."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the rules are declared by every process reading the table specs; only an import checks them
    import pandas as pd

Violation = tuple["pd.Series[bool]", str, str]  # (bad rows, column blamed, reason)


@dataclass(frozen=True)
class Later:
    """`column`, when set, must be strictly after `than` (e.g. ended_at > started_at)."""

    column: str
    than: str

    def violations(self, frame: pd.DataFrame) -> list[Violation]:
        if self.column not in frame or self.than not in frame:
            return []
        later, earlier = frame[self.column], frame[self.than]
        bad = later.notna() & earlier.notna() & (later <= earlier)
        return [(bad, self.column, f"must be after {self.than}")]


@dataclass(frozen=True)
class ScoreScale:
    """`score` must lie in the scale of the row's `survey` (inclusive bounds)."""

    survey: str
    score: str
    scales: dict[str, tuple[int, int]] = field(default_factory=dict)

    def violations(self, frame: pd.DataFrame) -> list[Violation]:
        if self.survey not in frame or self.score not in frame:
            return []
        found: list[Violation] = []
        for survey, (low, high) in self.scales.items():
            score = frame[self.score]
            bad = (frame[self.survey] == survey) & score.notna() & ((score < low) | (score > high))
            found.append((bad.fillna(False).astype(bool), self.score, f"is outside the {survey} scale {low}-{high}"))
        return found


RowRule = Later | ScoreScale
