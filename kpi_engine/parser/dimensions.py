"""Series (`by month`, `weekly`, `trend`) and breakdowns (`by plan`, `per channel`, `split by country`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from kpi_engine.parser.text import Scratch
from kpi_engine.parser.vocabulary import words
from kpi_engine.periods import Grain

DIMENSIONS: dict[str, str] = {
    "plan": "plan", "plans": "plan", "tier": "plan", "tiers": "plan", "pricing plan": "plan",
    "pricing plans": "plan", "subscription plan": "plan", "subscription plans": "plan", "pricing tier": "plan",
    "segment": "segment", "segments": "segment", "customer segment": "segment", "customer segments": "segment",
    "market segment": "segment", "company size": "segment",
    "channel": "channel", "channels": "channel", "acquisition channel": "channel",
    "acquisition channels": "channel", "marketing channel": "channel", "marketing channels": "channel",
    "source": "channel", "sources": "channel", "traffic source": "channel",
    "country": "country", "countries": "country", "geo": "country", "geography": "country",
    "nation": "country", "location": "country",
    "feature": "feature", "features": "feature",
    "product": "product", "products": "product", "sku": "product",
    "campaign": "campaign", "campaigns": "campaign",
    "priority": "priority", "priorities": "priority", "severity": "priority",
    "category": "category", "categories": "category", "ticket category": "category",
    "survey": "survey", "surveys": "survey", "survey type": "survey",
    "topic": "topic", "topics": "topic", "theme": "topic", "themes": "topic",
    "kind": "kind", "kinds": "kind", "type": "kind", "types": "kind", "item type": "kind",
    "work item type": "kind", "issue type": "kind",
}  # fmt: skip
DIMENSION_ALT = "|".join(sorted((k.replace(" ", r"\s+") for k in DIMENSIONS), key=len, reverse=True))
_GRAINS = "day|week|month|quarter|year"
_ADVERBS: dict[str, Grain] = {
    "daily": "day", "weekly": "week", "monthly": "month", "quarterly": "quarter", "yearly": "year", "annually": "year",
}  # fmt: skip
_VERB = (
    r"(?:broken\s+down|break(?:ing)?\s*down|breakdown|split(?:\s+up)?|grouped|group(?:ed)?|segmented|sliced|cut"
    r"|bucketed)"
)

_SERIES = (
    re.compile(rf"(?<!\w)(?:{_VERB}\s+)?(?:by|per|each|every|for\s+each|for\s+every)\s+(?:the\s+)?(?P<g>{_GRAINS})s?(?!\w)"),
    re.compile(rf"(?<!\w)(?P<g>{_GRAINS})\s+(?:by|on|after|over)\s+(?P=g)(?!\w)"),
    re.compile(rf"(?<!\w)(?P<a>{'|'.join(_ADVERBS)})(?!\w)"),
)
_TREND = re.compile(
    r"(?<!\w)(?:trend(?:s|ing|ed|line)?|over\s+time|through\s+time|time\s*series|history|historical|historically"
    r"|evolution|progression|graph|chart|plot|sparkline)(?!\w)"
)
_ANOTHER_DIMENSION = re.compile(rf"\s*(?:,|and|&|then|plus)\s*(?:by\s+|per\s+)?(?P<d>{DIMENSION_ALT})(?!\w)")
_BREAKDOWN = (
    re.compile(rf"(?<!\w){_VERB}\s+(?:by|per|into|across|on)\s+(?:the\s+|each\s+)?(?P<d>{DIMENSION_ALT})(?!\w)"),
    re.compile(
        rf"(?<!\w)(?:by|per|across|for\s+(?:each|every|all)|each|every|among)\s+"
        rf"(?:the\s+|each\s+|every\s+|all\s+|different\s+|their\s+)?(?P<d>{DIMENSION_ALT})(?!\w)"
    ),
    re.compile(rf"(?<!\w)(?P<d>{DIMENSION_ALT})\s+(?:breakdown|split|mix|distribution)(?!\w)"),
    re.compile(
        rf"(?<!\w)(?:top|best|worst|biggest|largest|smallest|leading|which)\s+(?:\d+\s+)?(?P<d>{DIMENSION_ALT})"
        r"(?:\s+by)?(?!\w)"
    ),
)
_UNKNOWN_BREAKDOWN = re.compile(rf"(?<!\w)(?:{_VERB}\s+)?(?:by|per)\s+(?P<x>[a-z][a-z0-9_-]*)(?!\w)")
_NOT_A_DIMENSION = words("the a an how much far way all total now me us user users customer account session")

if TYPE_CHECKING:
    from kpi_engine.parser.value_index import ValueIndex

Series = Grain | Literal["trend"]


def take_series(scratch: Scratch) -> Series | None:
    for pattern in _SERIES:
        match = pattern.search(scratch.text)
        if match is not None:
            scratch.consume(match.start(), match.end())
            trend = _TREND.search(scratch.text)  # "weekly trend": the grain says it all
            if trend is not None:
                scratch.consume(trend.start(), trend.end())
            grain = match.groupdict().get("g")
            return grain if grain else _ADVERBS[match["a"]]  # type: ignore[return-value]
    match = _TREND.search(scratch.text)
    if match is not None:
        scratch.consume(match.start(), match.end())
        return "trend"
    return None


def take_breakdown(scratch: Scratch) -> tuple[str | None, list[str]]:
    """One breakdown: the first one counts (funnels, retention, the MRR bridge)."""
    dims, notes = take_breakdowns(scratch)
    if len(dims) > 1:
        notes.append(f"One breakdown at a time: by {dims[0]} (not {', '.join(dims[1:])})")
    return (dims[0] if dims else None), notes


def take_breakdowns(scratch: Scratch, values: ValueIndex | None = None) -> tuple[list[str], list[str]]:
    """Consumes every breakdown phrase: the dimensions in the order typed. Notes for unknown ones (a value of
    the data after `by`, "features used by <a segment>", is left for the filters)."""
    found: list[tuple[int, str]] = []
    for pattern in _BREAKDOWN:
        for match in pattern.finditer(scratch.text):
            found.append((match.start(), DIMENSIONS[" ".join(match["d"].split())]))
            end = match.end()
            while (more := _ANOTHER_DIMENSION.match(scratch.text, end)) is not None:
                found.append((more.start(), DIMENSIONS[" ".join(more["d"].split())]))
                end = more.end()
            scratch.consume(match.start(), end)
    notes: list[str] = []
    for match in _UNKNOWN_BREAKDOWN.finditer(scratch.text):
        word = match["x"]
        if word not in _NOT_A_DIMENSION and not (values is not None and values.lookup(word, loose=False)):
            notes.append(f"I can't break down by '{word}' (try plan, segment, channel, country, feature, ...)")
            scratch.consume(match.start(), match.end())
    return list(dict.fromkeys(dim for _, dim in sorted(found))), notes
