"""Every name a metric answers to (catalog ids, labels, aliases, parser extras), indexed once per catalog."""

from __future__ import annotations

import re
import threading
import weakref
from dataclasses import dataclass

from kpi_engine.catalog import Catalog
from kpi_engine.parser.text import CONSUMED, PROTECTED
from kpi_engine.parser.vocabulary import EXTRA_NAMES, STOP_WORDS

ADVERBS = frozenset({"daily", "weekly", "monthly", "quarterly", "yearly", "annual", "annually"})
TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)*|[/:&+%]")
_JOINERS = re.compile(r"[\s_.'-]*")


@dataclass(frozen=True)
class Token:
    word: str
    start: int
    end: int


@dataclass(frozen=True)
class NameSpan:
    start: int
    end: int
    metric_id: str
    name: str
    words: int


def name_key(text: str) -> str:
    return " ".join(TOKEN.findall(text.lower().replace("_", " ").replace("-", " ")))


def content_key(key: str) -> str:
    return " ".join(word for word in key.split() if word not in STOP_WORDS) or key


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]


def _joined(text: str, left: Token, right: Token) -> bool:
    """Two tokens belong to one phrase when only spaces/underscores/hyphens separate them (no consumed text)."""
    gap = text[left.end : right.start]
    return CONSUMED not in gap and PROTECTED not in gap and _JOINERS.fullmatch(gap) is not None


class MetricIndex:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.names: dict[str, str] = {}
        for metric in catalog:
            for name in (metric.id, metric.label, *metric.aliases):
                self.names.setdefault(name_key(name), metric.id)
        for name, metric_id in EXTRA_NAMES.items():
            if metric_id in catalog:
                self.names.setdefault(name_key(name), metric_id)
        fuzzy: dict[str, str] = {}
        for key, metric_id in self.names.items():
            fuzzy.setdefault(content_key(key), metric_id)
        self.fuzzy_keys: list[str] = list(fuzzy)
        self.fuzzy_ids: list[str] = list(fuzzy.values())
        for key, metric_id in list(self.names.items()):
            for variant in _number_variants(key):
                self.names.setdefault(variant, metric_id)
        self.max_words = max((len(key.split()) for key in self.names), default=1)
        self.short_keys: list[str] = [k for k in self.names if " " not in k and len(k) >= 3]
        self.adverb_names: list[str] = [k for k in self.fuzzy_keys if k.split(" ", 1)[0] in ADVERBS]

    def label(self, metric_id: str) -> str:
        metric = self.catalog.find(metric_id)
        return metric.label if metric is not None else metric_id

    def find_names(self, text: str) -> list[NameSpan]:
        """Exact names in `text`, left to right, the longest at each place."""
        tokens = tokenize(text)
        joined_next = [_joined(text, a, b) for a, b in zip(tokens, tokens[1:], strict=False)]
        spans: list[NameSpan] = []
        i = 0
        while i < len(tokens):
            n = 1  # the longest run of joined tokens from i, capped at the longest name
            while n < self.max_words and i + n < len(tokens) and joined_next[i + n - 1]:
                n += 1
            for size in range(n, 0, -1):
                key = " ".join(t.word for t in tokens[i : i + size])
                metric_id = self.names.get(key)
                if metric_id is not None:
                    spans.append(NameSpan(tokens[i].start, tokens[i + size - 1].end, metric_id, key, size))
                    i += size
                    break
            else:
                i += 1
        return spans


def _number_variants(key: str) -> list[str]:
    """`signups` also answers to `signup`, `churned customer` to `churned customers`."""
    last = key.rsplit(" ", 1)[-1]
    if not last.isalpha() or len(last) < 3:
        return []
    if last.endswith("s") and not last.endswith("ss") and len(last) >= 4:
        return [key[:-1]]
    return [key + "s"] if len(last) >= 4 else []


_INDEXES: weakref.WeakKeyDictionary[Catalog, MetricIndex] = weakref.WeakKeyDictionary()
_BUILDING = threading.Lock()  # Bolt answers on a thread pool


def index_for(catalog: Catalog) -> MetricIndex:
    """The name index of a catalog, built on first use and kept as long as the catalog lives."""
    index = _INDEXES.get(catalog)
    if index is None:
        with _BUILDING:
            index = _INDEXES.get(catalog)
            if index is None:
                index = _INDEXES[catalog] = MetricIndex(catalog)
    return index
