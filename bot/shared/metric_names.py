"""Metric names as people type them ("churn rate, mrr and nps") → catalog ids; `dim=value` filters.

The catalog knows ids, labels and aliases; the question parser, when installed, also forgives typos.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from kpi_engine.catalog import Catalog, MetricDefinition
from kpi_engine.query import Filter

logger = logging.getLogger(__name__)

# The headline set a digest gets when none is named (only those in the catalog are used).
DEFAULT_KPIS: tuple[str, ...] = (
    "mrr", "net_new_mrr", "customer_churn_rate", "nrr", "signups", "wau", "trial_conversion_rate", "nps", "tickets",
    "first_response_time",
)
ACTIVE_USERS_FALLBACK = "active_users"  # when the catalog has no wau
FILTER = re.compile(r"\b([a-z_]+)\s*(?:=|:)\s*([\w.\-]+(?:\s*,\s*[\w.\-]+)*)", re.IGNORECASE)
SEPARATORS = re.compile(r"\s*(?:,|;|\band\b|&|\+)\s*", re.IGNORECASE)
# Words around metric names that name no metric ("weekly digest with the mrr and nps").
NOISE_WORDS = frozenset({"weekly", "digest", "every", "week", "on", "at", "in", "with", "kpi", "kpis", "metric",
                         "metrics", "of", "the", "for", "send", "me", "a", "to", "show", "include", "including"})
FILTER_DIMENSIONS = ("plan", "segment", "channel", "country", "priority", "category", "topic", "survey", "product",
                     "feature", "campaign", "kind")


def default_kpis(catalog: Catalog) -> list[str]:
    chosen: list[str] = []
    for metric_id in DEFAULT_KPIS:
        if metric_id == "wau" and metric_id not in catalog and ACTIVE_USERS_FALLBACK in catalog:
            metric_id = ACTIVE_USERS_FALLBACK
        if metric_id in catalog:
            chosen.append(metric_id)
    return chosen


def find_metric(phrase: str, catalog: Catalog, today: date | None = None) -> MetricDefinition | None:
    """By id, label or alias; then through the question parser (typos, word order) when it is available."""
    phrase = phrase.strip().strip(".:")
    if not phrase:
        return None
    found = catalog.find(phrase)
    if found is not None:
        return found
    try:
        from kpi_engine.parser import parse_question
    except ImportError:
        return None
    try:
        parsed = parse_question(phrase, as_of=today or date.today(), catalog=catalog)
    except Exception:  # noqa: BLE001  (a parser failure only means "not understood")
        logger.debug("parser failed on %r", phrase, exc_info=True)
        return None
    metric_id = getattr(parsed.query, "metric", None) or parsed.metric_id
    if parsed.intent != "query" or not metric_id:
        return None
    return catalog.find(metric_id)


@dataclass(frozen=True)
class MetricList:
    metric_ids: tuple[str, ...]
    unknown: tuple[str, ...]


def read_metric_list(text: str, catalog: Catalog) -> MetricList:
    """`mrr, churn rate and nps` or `mrr signups nps`: comma-separated phrases, else the longest names that match."""
    ids: list[str] = []
    unknown: list[str] = []
    for phrase in (p.strip(" :.") for p in SEPARATORS.split(text) if p.strip(" :.")):
        metric = catalog.find(phrase)
        if metric is not None:
            _add(ids, metric.id)
            continue
        found, missing = _longest_spans(phrase.split(), catalog)
        for metric_id in found:
            _add(ids, metric_id)
        if missing:
            fuzzy = find_metric(" ".join(missing), catalog)
            if fuzzy is not None:
                _add(ids, fuzzy.id)
            else:
                unknown.append(" ".join(missing))
    return MetricList(tuple(ids), tuple(unknown))


def _longest_spans(words: list[str], catalog: Catalog) -> tuple[list[str], list[str]]:
    found: list[str] = []
    missing: list[str] = []
    i = 0
    while i < len(words):
        for j in range(len(words), i, -1):
            metric = catalog.find(" ".join(words[i:j]))
            if metric is not None:
                found.append(metric.id)
                i = j
                break
        else:
            if words[i].lower().strip(":.") not in NOISE_WORDS:
                missing.append(words[i])
            i += 1
    return found, missing


def _add(ids: list[str], metric_id: str) -> None:
    if metric_id not in ids:
        ids.append(metric_id)


def take_filters(text: str) -> tuple[dict[str, list[str]], str]:
    """`plan=pro`, `country: DE,FR` → {"plan": ["pro"], "country": ["DE", "FR"]}; returns the text without them."""
    filters: dict[str, list[str]] = {}

    def keep(match: re.Match[str]) -> str:
        dimension = match.group(1).lower()
        if dimension not in FILTER_DIMENSIONS:
            return match.group(0)
        values = [v.strip() for v in match.group(2).split(",") if v.strip()]
        filters.setdefault(dimension, [])
        filters[dimension] += [v for v in values if v not in filters[dimension]]
        return " "

    rest = FILTER.sub(keep, text)
    rest = re.sub(r"\b(where|for|with)\s*$", " ", rest.strip(), flags=re.IGNORECASE)
    return filters, " ".join(rest.split())


def query_filters(filters: Mapping[str, list[str]]) -> tuple[Filter, ...]:
    """`{"plan": ["pro"]}` → the engine's filters, in a stable order; a dimension without values is dropped."""
    return tuple(Filter(dimension=dim, values=tuple(values)) for dim, values in sorted(filters.items()) if values)


def describe_filters(filters: Mapping[str, Iterable[str]]) -> str:
    return ", ".join(f"{dim} = {' or '.join(values)}" for dim, values in filters.items())


def find_metric_with_filters(phrase: str, catalog: Catalog,
                             today: date | None = None) -> tuple[MetricDefinition | None, dict[str, list[str]]]:
    """The metric of a phrase like `churn rate for pro plan`, with the filters the question parser found in it."""
    found = catalog.find(phrase.strip())
    if found is not None:
        return found, {}
    try:
        from kpi_engine.parser import parse_question
    except ImportError:
        return find_metric(phrase, catalog, today), {}
    try:
        parsed = parse_question(phrase, as_of=today or date.today(), catalog=catalog)
    except Exception:  # noqa: BLE001  (a parser failure only means "not understood")
        logger.debug("parser failed on %r", phrase, exc_info=True)
        return None, {}
    query = parsed.query
    metric_id = getattr(query, "metric", None) or parsed.metric_id
    if parsed.intent != "query" or not metric_id:
        return None, {}
    filters = {f.dimension: list(f.values) for f in getattr(query, "filters", ())}
    return catalog.find(metric_id), filters
