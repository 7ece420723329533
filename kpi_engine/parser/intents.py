"""Questions that are not queries: help, the metric list, definitions (`define X`, `what is X`)."""

from __future__ import annotations

import re

from kpi_engine.parser.metric_index import MetricIndex, content_key, name_key
from kpi_engine.parser.metric_resolver import closest, resolve_metric
from kpi_engine.parser.result import EXAMPLE, HELP, LIST, ParseResult

_HELP = re.compile(
    r"(?:help(?:\s+(?:me|please|pls))?|\?+|h|usage|commands?|examples?|menu|start|hi|hello|hey|yo|howdy"
    r"|how\s+(?:do|can)\s+i\s+use\s+(?:this|you|it|the\s+bot|kpi\s*bot)|what\s+can\s+(?:you|i)\s+(?:do|ask)(?:\s+you)?"
    r"|how\s+does\s+(?:this|it|the\s+bot)\s+work|what\s+do\s+you\s+do)"
)
_AREAS = r"revenue|customers?|acquisition|marketing|product|surveys?|support|delivery|quality|finance"
_LIST = re.compile(
    rf"(?:(?:list|ls|show|show\s+me|give\s+me|what|which|all|available)\s+)?(?:(?:all|the|your|available|of\s+the)\s+)*"
    rf"(?:(?:{_AREAS})\s+)?(?:metrics|kpis|measures|catalog|data\s+dictionary|dictionary|glossary)"
    rf"(?:\s+(?:are\s+(?:there|available)|do\s+you\s+(?:have|know|support|track)|can\s+i\s+(?:ask|use)|available"
    r"|you\s+(?:have|know|support|track)))?"
    r"|list|ls|list\s+all"
)
_DEFINE = (
    re.compile(
        r"(?:define|definition(?:\s+of)?|explain|describe|meaning\s+of|formula\s+(?:of|for)|how\s+to\s+calculate"
        r"|what(?:'s|\s+is)\s+the\s+(?:definition|meaning|formula)\s+(?:of|for)"
        r"|how\s+(?:do|does|did)\s+(?:you|we|i|one|the\s+bot)\s+(?:calculate|compute|measure|define|work\s+out)"
        r"|help(?:\s+(?:with|on))?)\s+(?P<x>.+)"
    ),
    re.compile(r"what\s+does\s+(?P<x>.+?)\s+(?:mean|stand\s+for|measure|represent)"),
    re.compile(r"how\s+(?:is|are)\s+(?P<x>.+?)\s+(?:calculated|computed|defined|measured|worked\s+out|derived)"),
    re.compile(r"(?P<x>.+?)\s+(?:definition|formula|meaning|explained)"),
)
_WHAT_IS = re.compile(r"what(?:'s|s|\s+is|\s+are|\s+was)\s+(?:an?\s+|our\s+|the\s+|my\s+)?(?P<x>.+)")


def match_help_or_list(low: str) -> ParseResult | None:
    if _HELP.fullmatch(low):
        return HELP
    if _LIST.fullmatch(low):
        return LIST
    return None


def match_define(low: str, index: MetricIndex) -> ParseResult | None:
    """`define X`, `what does X mean`, `how is X calculated` (`what is X` asks for the value: asks_what_is)."""
    for pattern in _DEFINE:
        match = pattern.fullmatch(low)
        if match is not None:
            return _definition(match["x"], index, strict=False)
    return None


def asks_what_is(low: str, index: MetricIndex) -> bool:
    """`what's churn`, `what is our mrr`: a metric's value, with its definition beside it."""
    match = _WHAT_IS.fullmatch(low)
    return match is not None and _definition(match["x"], index, strict=True) is not None


def _definition(phrase: str, index: MetricIndex, *, strict: bool) -> ParseResult | None:
    phrase = phrase.strip(" ?!.'\"")
    key = name_key(phrase)
    metric_id = index.names.get(key) or (None if strict else index.names.get(content_key(key)))
    if metric_id is not None:
        return ParseResult(intent="define", metric_id=metric_id)
    resolution = resolve_metric(phrase, index)
    if resolution.metric_id is None:
        return None if strict else unknown_metric(key, index, resolution.suggestions)
    if not resolution.ignored and (not strict or resolution.typed == key):
        return ParseResult(
            intent="define",
            metric_id=resolution.metric_id,
            suggestions=resolution.suggestions,
            notes=tuple(resolution.notes),
            confidence=resolution.confidence,
        )
    return None  # more than a name ("explain mrr by plan"): a question, not a definition


def unknown_metric(typed: str, index: MetricIndex, suggestions: tuple[str, ...] | None = None) -> ParseResult:
    suggestions = suggestions or closest(typed, index)
    typed = typed if len(typed) <= 60 else typed[:57] + "..."
    shown = ", ".join(f"{index.label(m)} (`{m}`)" for m in suggestions)
    return ParseResult(
        intent="unknown",
        suggestions=suggestions,
        message=f"I don't know '{typed}'. Closest: {shown}. Try: `{EXAMPLE}`",
        confidence=0.0,
    )
