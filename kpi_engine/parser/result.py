"""What the parser returns: an intent, and for intent "query" the query to run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kpi_engine.query import FunnelQuery, MetricQuery, MovementsQuery, RetentionQuery

Intent = Literal["query", "help", "list", "define", "unknown", "empty"]
AnyQuery = MetricQuery | MovementsQuery | FunnelQuery | RetentionQuery

EXAMPLE = "mrr by plan last month"


@dataclass(frozen=True)
class ParseResult:
    intent: Intent
    query: AnyQuery | None = None
    suggestions: tuple[str, ...] = ()  # metric ids: "did you mean" alternatives (ambiguous) or closest (unknown)
    metric_id: str | None = None  # for intent "define" (and the chosen metric for "query")
    message: str | None = None  # human text for unknown/empty
    notes: tuple[str, ...] = ()  # e.g. "Interpreted 'chrun' as Customer churn rate"
    confidence: float = 1.0
    queries: tuple[AnyQuery, ...] = ()  # every query when the question names several metrics (query is the first)
    show_definition: bool = False  # "what's churn": the value, with the definition beside it
    verdict: bool = False  # "is churn getting worse": the trend, with a verdict in words

    @property
    def all_queries(self) -> tuple[AnyQuery, ...]:
        return self.queries or ((self.query,) if self.query is not None else ())


EMPTY = ParseResult(
    intent="empty",
    message=f"Ask me about a metric, for example `{EXAMPLE}`, or say `help`.",
    confidence=1.0,
)
HELP = ParseResult(intent="help")
LIST = ParseResult(intent="list")
FAILED = ParseResult(
    intent="unknown",
    message=f"Sorry, I could not read that question. Try: `{EXAMPLE}`, or say `help`.",
    confidence=0.0,
)
