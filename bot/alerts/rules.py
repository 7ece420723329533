"""Reading an alert rule typed in words.

    churn rate > 5% in #growth                  threshold (also: above, over, exceeds, below, under, ...)
    signups drop 20% vs last week               change against the window before (drop|rise|change by N%)
    anomaly nps   ·   tickets unusual            anomaly: last week unusual for the 12 weeks before
    mrr last 30 days < 100k plan=pro            a window ("last N days"; stocks are taken at the end of yesterday)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from bot.shared.channels import CHANNEL, PLAIN_CHANNEL
from bot.shared.metric_names import find_metric_with_filters, take_filters
from kpi_engine.catalog import Catalog, MetricDefinition
from kpi_engine.targets import TargetValueError, parse_target_value

DEFAULT_WINDOW_DAYS = 7
MAX_WINDOW_DAYS = 366
OPERATORS: dict[str, str] = {
    ">": ">", ">=": ">=", "<": "<", "<=": "<=", "≥": ">=", "≤": "<=",
    "above": ">", "over": ">", "exceeds": ">", "greater than": ">", "more than": ">", "higher than": ">",
    "rises above": ">", "goes above": ">", "at least": ">=",
    "below": "<", "under": "<", "less than": "<", "lower than": "<", "drops below": "<", "falls below": "<",
    "goes below": "<", "at most": "<=",
}
_OPERATOR_WORDS = "|".join(sorted((re.escape(k) for k in OPERATORS), key=len, reverse=True))
THRESHOLD = re.compile(rf"^(?P<metric>.+?)\s*(?:is\s+|gets\s+)?(?P<op>{_OPERATOR_WORDS})\s*"
                       r"(?P<value>[-+]?[$€£]?\d[\d.,_]*\s*[kmb]?\s*%?)$", re.IGNORECASE)
DOWN_WORDS = ("drop", "drops", "falls", "fall", "declines", "decline", "decreases", "decrease", "shrinks")
UP_WORDS = ("rises", "rise", "grows", "grow", "increases", "increase", "jumps", "jump", "climbs")
ANY_WORDS = ("changes", "change", "moves", "move", "swings")
_CHANGE_WORDS = "|".join((*DOWN_WORDS, *UP_WORDS, *ANY_WORDS))
CHANGE = re.compile(rf"^(?P<metric>.+?)\s+(?:by\s+)?(?P<verb>{_CHANGE_WORDS})\s+(?:by\s+)?"
                    r"(?:more\s+than\s+|over\s+|at\s+least\s+)?(?P<pct>\d+(?:\.\d+)?)\s*%"
                    r"(?:\s*(?:vs\.?|versus|compared\s+(?:to|with)|from|against|on)\s*(?:the\s+)?"
                    r"(?:last|previous|prior)?\s*(?P<unit>day|week|month))?$", re.IGNORECASE)
ANOMALY_FIRST = re.compile(r"^(?:anomal(?:y|ies)|unusual)\s+(?:in\s+|on\s+|for\s+|of\s+)?(?P<metric>.+)$",
                           re.IGNORECASE)
ANOMALY_LAST = re.compile(r"^(?P<metric>.+?)\s+(?:is\s+|looks\s+)?(?:anomal(?:y|ies|ous)|unusual)$", re.IGNORECASE)
WINDOW = re.compile(r"\b(?:over\s+|in\s+|for\s+)?(?:the\s+)?(?:last|past|trailing)\s+(\d{1,3})\s+days?\b",
                    re.IGNORECASE)
UNIT_DAYS = {"day": 1, "week": 7, "month": 30}


class RuleError(ValueError):
    pass


@dataclass(frozen=True)
class AlertSpec:
    kind: str  # threshold | change | anomaly
    metric: MetricDefinition
    filters: dict[str, list[str]] = field(default_factory=dict)
    operator: str | None = None
    threshold: float | None = None
    change_ratio: float | None = None
    change_direction: str | None = None  # down | up | any
    window_days: int = DEFAULT_WINDOW_DAYS
    channel_id: str | None = None
    channel_name: str | None = None


def _take_channel(text: str) -> tuple[str | None, str | None, str]:
    for pattern, is_id in ((CHANNEL, True), (PLAIN_CHANNEL, False)):
        match = pattern.search(text)
        if match is not None:
            before = re.sub(r"\s+(?:in|to|into|on)\s*$", " ", text[: match.start()])
            rest = " ".join(f"{before} {text[match.end():]}".split())
            return (match.group(1), None, rest) if is_id else (None, match.group(1), rest)
    return None, None, text


def _metric(phrase: str, catalog: Catalog, today: date | None) -> tuple[MetricDefinition, dict[str, list[str]]]:
    metric, filters = find_metric_with_filters(phrase, catalog, today)
    if metric is None:
        raise RuleError(f"I don't know the metric “{phrase.strip()}”. Try `/kpi list`.")
    return metric, filters


def parse_alert_rule(text: str, catalog: Catalog, today: date | None = None) -> AlertSpec:
    channel_id, channel_name, rest = _take_channel(" ".join(text.split()))
    filters, rest = take_filters(rest)
    window = DEFAULT_WINDOW_DAYS
    found_window = WINDOW.search(rest)
    if found_window is not None:
        window = int(found_window.group(1))
        rest = " ".join(f"{rest[: found_window.start()]} {rest[found_window.end():]}".split())
    if not 1 <= window <= MAX_WINDOW_DAYS:
        raise RuleError(f"a window of {window} days is out of range (1 to {MAX_WINDOW_DAYS})")
    anomaly = ANOMALY_FIRST.match(rest) or ANOMALY_LAST.match(rest)
    if anomaly is not None:
        metric, more = _metric(anomaly.group("metric"), catalog, today)
        return AlertSpec("anomaly", metric, {**more, **filters}, window_days=7,
                         channel_id=channel_id, channel_name=channel_name)
    change = CHANGE.match(rest)
    if change is not None:
        metric, more = _metric(change.group("metric"), catalog, today)
        verb = change.group("verb").lower()
        direction = "down" if verb in DOWN_WORDS else "up" if verb in UP_WORDS else "any"
        days = UNIT_DAYS[change.group("unit").lower()] if change.group("unit") else window
        ratio = float(change.group("pct")) / 100
        if ratio <= 0:
            raise RuleError("the change must be more than 0%")
        return AlertSpec("change", metric, {**more, **filters}, change_ratio=ratio, change_direction=direction,
                         window_days=days, channel_id=channel_id, channel_name=channel_name)
    threshold = THRESHOLD.match(rest)
    if threshold is not None:
        metric, more = _metric(threshold.group("metric"), catalog, today)
        try:
            value = parse_target_value(threshold.group("value"), metric)
        except TargetValueError as exc:
            raise RuleError(str(exc)) from exc
        operator = OPERATORS[threshold.group("op").lower()]
        return AlertSpec("threshold", metric, {**more, **filters}, operator=operator, threshold=value,
                         window_days=window, channel_id=channel_id, channel_name=channel_name)
    raise RuleError("I couldn't read that rule. Try `churn rate > 5%`, `signups drop 20% vs last week` "
                    "or `anomaly nps`.")
