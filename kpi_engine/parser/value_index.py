"""The user's data values as the parser sees them: `Vocabulary` (dimension → values, read by kpi_engine.values)
and its `ValueIndex`, which finds values in a question exactly, through the synonym table, by prefix
(an abbreviation for a stored name) or loosely (rapidfuzz, one typo in a long word).

Nothing here knows a company: every value comes from the data; the synonym table only says which words
mean the same thing.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process

from kpi_engine.parser.countries import COUNTRY_NAMES
from kpi_engine.parser.dimensions import DIMENSIONS
from kpi_engine.parser.text import CONSUMED, PROTECTED
from kpi_engine.parser.value_synonyms import SYNONYMS
from kpi_engine.parser.vocabulary import STOP_WORDS, words

Match = Literal["exact", "synonym", "prefix", "fuzzy"]
FUZZY_CUTOFF = 88.0
MIN_PREFIX = 3
MIN_FUZZY = 5
_CODES = frozenset(COUNTRY_NAMES.values())
_CODE_KEYS = frozenset(code.lower() for code in _CODES)
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_GAP = re.compile(r"[\s_./-]*")
# words that are never read as a value by prefix or loose match (they mean something else in a question)
_NOT_LOOSE = STOP_WORDS | words(
    "today yesterday tomorrow week weekly month monthly quarter quarterly year yearly daily annual ytd mtd qtd "
    "last next past previous prior ago since until till through before after between vs versus against top "
    "bottom best worst most least highest lowest biggest largest smallest fewest trend trends chart graph plan "
    "plans segment segments channel channels country countries feature features product products campaign "
    "campaigns priority priorities category categories topic topics survey surveys kind kinds type types tier "
    "tiers compare compared comparison split broken down breakdown group grouped used using use popular "
    "getting better worse improving growing long fast quickly converted mean means define definition "
    "january february march april june july august september october november december jan feb mar apr jun "
    "jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday per work works working "
    "event pay paying payment act acting actual"
)
# common words never read as a bare value, even when the data holds them (say "category account" for that)
NEVER_BARE = words("account accounts customer customers user users event events item items people company")


def value_key(text: str) -> str:
    """`Mid-Market` → `mid market`, `paid_search` → `paid search`."""
    return " ".join(_TOKEN.findall(text.lower().replace("_", " ").replace("-", " ")))


@dataclass(frozen=True)
class Vocabulary:
    """Dimension → the distinct values found in the data (as stored), and the event names."""

    values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    events: tuple[str, ...] = ()

    @property
    def index(self) -> ValueIndex:
        return index_of(self)

    def of(self, dimension: str) -> tuple[str, ...]:
        return tuple(self.values.get(dimension, ()))

    @classmethod
    def of_lists(cls, values: Mapping[str, Iterable[str]], events: Iterable[str] = ()) -> Vocabulary:
        return cls({d: tuple(dict.fromkeys(v)) for d, v in values.items()}, tuple(events))


EMPTY_VOCABULARY = Vocabulary()


@dataclass(frozen=True)
class Candidate:
    dimension: str
    value: str  # as stored in the data
    match: Match


@dataclass(frozen=True)
class FoundValue:
    start: int
    end: int
    typed: str
    candidates: tuple[Candidate, ...]

    @property
    def dimensions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.dimension for c in self.candidates))

    def value_in(self, dimension: str) -> str | None:
        return next((c.value for c in self.candidates if c.dimension == dimension), None)


class ValueIndex:
    def __init__(self, values: Mapping[str, tuple[str, ...]], events: tuple[str, ...] = ()) -> None:
        self.values = values
        self.events = events
        self.keys: dict[str, list[Candidate]] = {}
        for dimension, found in values.items():
            for value in found:
                key = value_key(value)
                if key:
                    self.keys.setdefault(key, []).append(Candidate(dimension, value, "exact"))
        self.synonyms: dict[str, list[Candidate]] = {}
        for group in SYNONYMS:
            keys = list(dict.fromkeys(value_key(w) for w in group))
            members = list(dict.fromkeys(c for k in keys for c in self.keys.get(k, ())))
            for key in keys:
                if key not in self.keys:
                    for c in members:
                        self.synonyms.setdefault(key, []).append(Candidate(c.dimension, c.value, "synonym"))
        self.sorted_keys = sorted(self.keys)  # prefix lookups by bisection
        self.by_shape: dict[tuple[str, int], list[str]] = {}  # typo lookups among keys of a like start and length
        for key in self.keys:
            if " " not in key and len(key) >= MIN_FUZZY:
                for length in range(len(key) - 2, len(key) + 3):
                    self.by_shape.setdefault((key[0], length), []).append(key)
        self.memo: dict[tuple[str, bool], tuple[Candidate, ...]] = {}
        self.max_words = max((len(k.split()) for k in [*self.keys, *self.synonyms]), default=1)
        self.countries = {value_key(v): v for v in values.get("country", ())}

    def __bool__(self) -> bool:
        return bool(self.keys)

    def lookup(self, phrase: str, *, loose: bool = True) -> tuple[Candidate, ...]:
        """The values a phrase may name: exact first, then synonyms, then (single words) prefix and fuzzy."""
        key = value_key(phrase)
        found = self.memo.get((key, loose))
        if found is None:
            found = self._lookup(key, loose)
            if len(self.memo) > 4096:
                self.memo.clear()
            self.memo[(key, loose)] = found
        return found

    def _lookup(self, key: str, loose: bool) -> tuple[Candidate, ...]:
        if not key:
            return ()
        for table in (self.keys, self.synonyms):
            found = table.get(key) or (table.get(key[:-1]) if key.endswith("s") and len(key) > 3 else None)
            if found:
                return tuple(found)
        if not loose or " " in key or key in _NOT_LOOSE or key.isdigit():
            return ()
        if len(key) >= MIN_PREFIX:
            at = bisect.bisect_right(self.sorted_keys, key)
            prefixed: list[Candidate] = []
            while at < len(self.sorted_keys) and self.sorted_keys[at].startswith(key):
                prefixed += [Candidate(c.dimension, c.value, "prefix") for c in self.keys[self.sorted_keys[at]]]
                at += 1
            if prefixed:
                return tuple(prefixed)
        shaped = self.by_shape.get((key[0], len(key))) if len(key) >= MIN_FUZZY else None
        if shaped:
            best = process.extractOne(key, shaped, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
            if best is not None:
                return tuple(Candidate(c.dimension, c.value, "fuzzy") for c in self.keys[best[0]])
        return ()

    def in_dimension(self, dimension: str, typed: str) -> str | None:
        """The stored value of `dimension` that `typed` names (any casing, synonym, prefix, typo), or None."""
        if dimension == "country":
            return self.country(typed)
        found = [c for c in self.lookup(typed) if c.dimension == dimension]
        return found[0].value if len(found) == 1 else None

    def country(self, typed: str) -> str | None:
        """`Germany`, `de` → the stored value (`DE`, or `Germany` when the data stores names)."""
        key = value_key(typed)
        if key in self.countries:
            return self.countries[key]
        code = COUNTRY_NAMES.get(key) or (key.upper() if len(key) == 2 and key.isalpha() else None)
        if code is None:
            return None
        if not self.countries or value_key(code) in self.countries:
            return self.countries.get(value_key(code), code)
        names = [name for name, c in COUNTRY_NAMES.items() if c == code and name in self.countries]
        return self.countries[names[0]] if names else code  # not in the data: the code (no rows, a note)

    def scan(self, text: str, cased: str, *, common_words: bool = False) -> list[FoundValue]:
        """Values named in `text` (the scratch text: consumed and protected spans break phrases), left to
        right, the longest phrase at each place. Two-letter country codes count only when typed upper case;
        common words ("events", "users") only with `common_words` (groups compared: "community vs events")."""
        tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
        found: list[FoundValue] = []
        i = 0
        while i < len(tokens):
            n = 1
            while n < max(self.max_words, 3) and i + n < len(tokens) and _joined(text, tokens[i + n - 1],
                                                                                    tokens[i + n]):
                n += 1
            for size in range(n, 0, -1):
                start, end = tokens[i][1], tokens[i + size - 1][2]
                phrase = text[start:end]
                candidates = self._candidates(phrase, cased[start:end], loose=size == 1, common=common_words)
                if candidates:
                    found.append(FoundValue(start, end, cased[start:end], candidates))
                    i += size
                    break
            else:
                i += 1
        return found

    def _candidates(self, phrase: str, typed: str, *, loose: bool, common: bool) -> tuple[Candidate, ...]:
        key = value_key(phrase)
        country_code = len(key) == 2 and typed.isupper()
        if (key in NEVER_BARE and not common) or key in DIMENSIONS or (key in STOP_WORDS and not country_code):
            return ()
        if len(key) == 2 and key.isalpha() and not typed.isupper():
            return self.lookup(phrase, loose=False) if key not in _CODE_KEYS else ()  # "us", "in", "it": words
        country = COUNTRY_NAMES.get(key) or (key.upper() if len(key) == 2 and typed.isupper() else None)
        if country is not None and (country in _CODES or value_key(country) in self.countries):
            stored = self.country(phrase)
            if stored is not None:
                return (Candidate("country", stored, "exact"),)
        return self.lookup(phrase, loose=loose) if self.keys else ()


def _joined(text: str, left: tuple[str, int, int], right: tuple[str, int, int]) -> bool:
    gap = text[left[2] : right[1]]
    return CONSUMED not in gap and PROTECTED not in gap and _GAP.fullmatch(gap) is not None


_INDEXES: dict[int, tuple[Vocabulary, ValueIndex]] = {}
_INDEX_LOCK = threading.Lock()


def index_of(vocabulary: Vocabulary) -> ValueIndex:
    """The index of a vocabulary, built once per vocabulary object (values_for returns the same object
    until the data changes)."""
    found = _INDEXES.get(id(vocabulary))
    if found is not None and found[0] is vocabulary:
        return found[1]
    index = ValueIndex(vocabulary.values, vocabulary.events)
    with _INDEX_LOCK:
        if len(_INDEXES) > 64:
            _INDEXES.clear()
        _INDEXES[id(vocabulary)] = (vocabulary, index)
    return index
