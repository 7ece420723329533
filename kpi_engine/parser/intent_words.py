"""Words that say which metric or which shape of answer is meant without naming it, and several metrics
named in one question.

- "how long to resolve tickets" → resolution_time; respond → first_response_time; ship → time_to_market;
  finish work → cycle_time; "how many trials converted" → trial_conversions.
- "ARR growth": the growth of a stock metric; ARR and MRR grow at the MRR growth rate.
- "is churn getting worse": the trend of the last 12 months by month, with a verdict.
- "mrr and arr", "customer churn vs revenue churn": several metrics (up to MAX_METRICS).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kpi_engine.catalog import Catalog
from kpi_engine.parser.metric_index import NameSpan
from kpi_engine.parser.text import CONSUMED, PROTECTED, Scratch

MAX_METRICS = 4
_VERBS: dict[str, str] = {
    "resolve": "resolution_time", "close": "resolution_time", "fix": "resolution_time", "solve": "resolution_time",
    "respond": "first_response_time", "reply": "first_response_time", "answer": "first_response_time",
    "get back": "first_response_time", "first respond": "first_response_time", "react": "first_response_time",
    "ship": "time_to_market", "deliver": "time_to_market", "release": "time_to_market", "launch": "time_to_market",
    "build": "time_to_market", "finish": "cycle_time", "complete": "cycle_time", "get done": "cycle_time",
}  # fmt: skip
_VERB_ALT = "|".join(sorted((v.replace(" ", r"\s+") for v in _VERBS), key=len, reverse=True))
_HOW_LONG = re.compile(
    r"(?<!\w)(?:how\s+(?:long|quickly|fast|much\s+time|many\s+(?:hours|days))|(?:average|avg|median|typical)\s+time"
    r"|time\s+it\s+takes?)"
    r"(?:\s+(?:does|do|did|is|are|will|would|it|we|you|they|the\s+team|support|take|takes|taking|took|to|us|in|on"
    r"|average|typically|usually|generally|it's))*"
    rf"\s+(?P<verb>{_VERB_ALT})(?:e?s|e?d|ing)?"
    r"(?:\s+(?:to\s+)?(?:a|an|the|our|support|new|customer|each|every|one)?\s*"
    r"(?:tickets?|issues?|requests?|customers?|features?|items?|work\s+items?|stories|story|things?|bugs?|work"
    rf"|cases?|emails?|chats?|{PROTECTED}+))?(?!\w)"
)
_HOW_LONG_OBJECT_FIRST = re.compile(
    r"(?<!\w)how\s+(?:long|quickly|fast)\s+(?:do|does|did|will|would|are|is)\s+(?:(?:a|an|the|our|support|new)\s+)*"
    rf"(?:tickets?|issues?|requests?|features?|items?|work\s+items?|stories|bugs?|cases?|{PROTECTED}+)"
    r"(?:\s+(?:take|takes|took|get|gets|got|to|be|being))*"
    rf"\s+(?P<verb>{_VERB_ALT})(?:e?s|e?d|ing)?(?!\w)"
)
_CONVERTED = re.compile(
    r"(?<!\w)(?:how\s+many\s+(?:free\s+)?(?:trials?|trialists|trial\s+users|accounts|users|people)?\s*(?:have\s+|had\s+|were\s+|got\s+|did\s+)?"
    r"(?:converted|convert|converting|converts)(?:\s+to\s+(?:paid|paying|customers?))?)(?!\w)"
)
_GROWTH_AFTER = re.compile(r"\s+growth(?:\s+rate)?(?!\w)")
_TREND_QUESTION = re.compile(
    r"(?<!\w)(?:(?:getting|gotten|got|becoming|going|trending|moving|heading)\s+(?:better|worse|up|down|higher|lower)"
    r"|improving|improved|worsening|worsened|deteriorating|declining|going\s+in\s+the\s+right\s+direction"
    r"|on\s+the\s+(?:rise|decline)|better\s+or\s+worse|up\s+or\s+down)(?!\w)"
)
_TREND_VERB = re.compile(  # only in a question that starts "is ...", "are ..." ("is mrr growing")
    r"(?<!\w)(?:growing|shrinking|rising|falling|dropping|increasing|decreasing|slowing(?:\s+down)?|accelerating"
    r"|climbing|sliding)(?!\w)"
)
_TREND_AUX = re.compile(r"^\s*(?:is|are|has|have|was|were|did|does|do)(?!\w)")
_METRIC_JOINER = re.compile(
    r"\s*(?:,\s*(?:and\s+)?|and|&|\+|plus|vs\.?|v\.?s\.?|versus|against|compared\s+(?:to|with)|or|as\s+well\s+as"
    r"|along\s+with|together\s+with)\s*(?:the\s+|our\s+|my\s+)?"
)


@dataclass(frozen=True)
class Intent:
    metric: str | None = None
    note: str | None = None
    trend_question: bool = False


def take_intent(scratch: Scratch, catalog: Catalog) -> Intent:
    """Consumes the words of a how-long, converted or getting-better question."""
    trend = _TREND_QUESTION.search(scratch.text)
    if trend is None and _TREND_AUX.match(scratch.text):
        trend = _TREND_VERB.search(scratch.text)
    if trend is not None:
        scratch.consume(trend.start(), trend.end())
        aux = _TREND_AUX.match(scratch.text)
        if aux is not None:
            scratch.consume(aux.start(), aux.end())
    match = _HOW_LONG.search(scratch.text) or _HOW_LONG_OBJECT_FIRST.search(scratch.text)
    if match is not None:
        metric = _VERBS[" ".join(match["verb"].split())]
        if metric in catalog:
            scratch.consume(match.start(), match.end())
            return Intent(metric, trend_question=trend is not None)
    match = _CONVERTED.search(scratch.text)
    if match is not None and "trial_conversions" in catalog:
        scratch.consume(match.start(), match.end())
        return Intent("trial_conversions", trend_question=trend is not None)
    return Intent(trend_question=trend is not None)


def growth_of_stock(scratch: Scratch, spans: list[NameSpan], catalog: Catalog) -> tuple[list[NameSpan], list[str]]:
    """`arr growth` is a name of the MRR growth rate (a note says why); `paying customers growth`: the stock
    with its change. Consumes the word `growth` there so it is not read as a second metric."""
    notes: list[str] = []
    for span in spans:
        if span.metric_id == "mrr_growth_rate" and span.name.startswith(("arr", "annual")):
            notes.append("ARR grows at the MRR growth rate (ARR is 12 × MRR)")
            continue
        metric = catalog.find(span.metric_id)
        after = _GROWTH_AFTER.match(scratch.lower, span.end)
        if metric is not None and metric.kind == "stock" and after is not None:
            scratch.consume(after.start(), after.end())
            notes.append(f"Growth of {metric.label}: its change against the previous period")
    spans = [s for s in spans if CONSUMED not in scratch.text[s.start : s.end]]
    return spans, notes


def several_metrics(text: str, spans: list[NameSpan]) -> tuple[list[NameSpan], list[tuple[int, int]]]:
    """The metric names joined by `and`, `vs`, `,` (at least two different metrics), and the joiners' spans."""
    named = spans  # "tickets and escalation rate": a generic noun joined to a metric is a metric too
    best: list[NameSpan] = []
    best_gaps: list[tuple[int, int]] = []
    run: list[NameSpan] = []
    gaps: list[tuple[int, int]] = []
    for span in named:
        if run and _METRIC_JOINER.fullmatch(text, run[-1].end, span.start) is not None:
            run.append(span)
            gaps.append((run[-2].end, span.start))
        else:
            run, gaps = [span], []
        if len({s.metric_id for s in run}) > len({s.metric_id for s in best}):
            best, best_gaps = list(run), list(gaps)
    if len({s.metric_id for s in best}) < 2:
        return [], []
    return best, best_gaps
