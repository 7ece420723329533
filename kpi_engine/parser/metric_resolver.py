"""Which metric the words left over after time, breakdown and filter phrases name: exactly, or by fuzzy match."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from kpi_engine.parser.metric_index import MetricIndex, NameSpan, Token, content_key, tokenize
from kpi_engine.parser.text import Scratch
from kpi_engine.parser.vocabulary import AMBIGUOUS, AMBIGUOUS_NOTES, GENERIC_NOUNS, STOP_WORDS

MAX_FUZZY_WORDS = 10  # a longer leftover is not a metric name with a typo; look at its start only
WHOLE_CUTOFF = 88.0  # the whole leftover phrase, token order ignored
WINDOW_CUTOFF = 80.0  # a few consecutive words of it
CLOSE_CALL = 3.0  # another metric scoring within this of the best makes the match ambiguous
SUGGEST_CUTOFF = 45.0
DEFAULT_SUGGESTIONS = ("mrr", "dau", "nps")


@dataclass
class Resolution:
    metric_id: str | None
    typed: str = ""  # the words looked up (for messages)
    suggestions: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)
    confidence: float = 1.0
    ignored: list[str] = field(default_factory=list)  # words that are neither the metric nor stop words
    did_you_mean: bool = False  # several metrics as close as each other: ask which

    def ignore(self, words: list[str]) -> None:
        if words:
            self.ignored += words
            self.notes.append(f"Ignored: '{' '.join(words)}'")
            self.confidence *= 0.9


def resolve_metric(text: str, index: MetricIndex) -> Resolution:
    """`text` is what remains of the question; stop words are ignored."""
    tokens = tokenize(text)
    content = [t for t in tokens if t.word not in STOP_WORDS][: MAX_FUZZY_WORDS * 2]
    spans = index.find_names(text)
    typed = " ".join(t.word for t in content) or " ".join(t.word for t in tokens)
    if not spans and not content:  # only filler words left ("show top 5 plans"): no metric was named
        return Resolution(None, "", suggestions=())
    uncovered = [t for t in content if not any(s.start <= t.start and t.end <= s.end for s in spans)]
    if spans and not uncovered:
        return _from_spans(spans, [], index)
    whole = _fuzzy(content_key(typed), index, WHOLE_CUTOFF, fuzz.token_sort_ratio)
    if whole is not None:
        return _fuzzy_resolution(typed, whole, index)
    if spans:
        return _from_spans(spans, uncovered, index)
    best = _best_window(content, index)
    if best is not None:
        window_text, scored = best
        result = _fuzzy_resolution(window_text, scored, index)
        result.ignore([t.word for t in content if t.word not in window_text.split()])
        return result
    near = _near_miss(content, index)
    if near is not None:
        return near
    return Resolution(None, typed, suggestions=closest(typed, index))


def _near_miss(content: list[Token], index: MetricIndex) -> Resolution | None:
    """A short word one edit (or a swap) away from a metric's name: answered when one metric is that close
    ("I read 'mmr' as MRR"), suggested when several are ("did you mean")."""
    for token in content[:MAX_FUZZY_WORDS]:
        word = token.word
        if len(word) < 3 or word.isdigit():
            continue
        limit = 1 if len(word) < 8 else 2
        found = process.extract(word, index.short_keys, scorer=OSA.distance, score_cutoff=limit, limit=12)
        ids = tuple(dict.fromkeys(index.names[key] for key, _, _ in found))
        if len(ids) == 1:
            others = [t.word for t in content if t is not token]
            result = Resolution(ids[0], word, confidence=0.75)
            result.notes.append(f"I read '{word}' as {index.label(ids[0])}")
            result.ignore(others)
            return result
        if ids:
            return Resolution(None, word, suggestions=ids[:3], did_you_mean=True)
    return None


_ADVERB_PHRASE = re.compile(r"(?<!\w)(?:daily|weekly|monthly|quarterly|yearly|annual|annually)(?:\s+[a-z]+){1,3}")


def protect_misspelt_adverb_names(scratch: Scratch, index: MetricIndex) -> None:
    """`monthly recuring revenue`: keep `monthly` for the metric name instead of reading it as a series."""
    for match in _ADVERB_PHRASE.finditer(scratch.lower):  # other names (`revenue`) may already be protected
        words = match.group().split()
        best: tuple[float, int] | None = None
        for size in range(2, len(words) + 1):
            found = process.extractOne(" ".join(words[:size]), index.adverb_names, scorer=fuzz.ratio)
            if found is not None and found[1] >= WHOLE_CUTOFF and (best is None or found[1] > best[0]):
                best = (found[1], size)
        if best is not None:
            scratch.protect(match.start(), match.start() + len(" ".join(words[: best[1]])))


def _from_spans(spans: list[NameSpan], uncovered: list[Token], index: MetricIndex) -> Resolution:
    specific = [s for s in spans if s.name not in GENERIC_NOUNS]
    spans = specific or spans
    chosen = max(spans, key=lambda s: (s.words, -s.start))
    result = Resolution(chosen.metric_id, chosen.name)
    others = tuple(dict.fromkeys(s.metric_id for s in spans if s.metric_id != chosen.metric_id))
    if others:
        result.notes.append(f"One metric at a time: showing {index.label(chosen.metric_id)}")
        result.suggestions = others
        result.confidence = 0.8
    alternatives = AMBIGUOUS.get(chosen.name)
    if alternatives is not None:
        extra = tuple(m for m in alternatives if m != chosen.metric_id and m in index.catalog)
        result.suggestions = tuple(dict.fromkeys((*result.suggestions, *extra)))
        result.confidence = min(result.confidence, 0.8)
        if chosen.name in AMBIGUOUS_NOTES:
            result.notes.append(AMBIGUOUS_NOTES[chosen.name])
    result.ignore([t.word for t in uncovered])
    return result


@dataclass(frozen=True)
class _Scored:
    metric_id: str
    score: float
    rivals: tuple[str, ...]


def _fuzzy(query: str, index: MetricIndex, cutoff: float, scorer: object) -> _Scored | None:
    if len(query.replace(" ", "")) < 4:
        return None
    found = process.extract(query, index.fuzzy_keys, scorer=scorer, score_cutoff=cutoff, limit=8)  # type: ignore[arg-type]
    if not found:
        return None
    best_id, best_score = index.fuzzy_ids[found[0][2]], found[0][1]
    close = [index.fuzzy_ids[i] for _, score, i in found if score >= best_score - CLOSE_CALL]
    rivals = tuple(dict.fromkeys(m for m in close if m != best_id))
    return _Scored(best_id, best_score, rivals)


def _best_window(content: list[Token], index: MetricIndex) -> tuple[str, _Scored] | None:
    best: tuple[float, int, str, _Scored] | None = None
    content = content[:MAX_FUZZY_WORDS]
    for size in range(min(4, len(content)), 0, -1):
        for i in range(len(content) - size + 1):
            window = " ".join(t.word for t in content[i : i + size])
            scored = _fuzzy(window, index, WINDOW_CUTOFF, fuzz.ratio)
            if scored is not None and (best is None or (scored.score, size) > (best[0], best[1])):
                best = (scored.score, size, window, scored)
    return None if best is None else (best[2], best[3])


def _fuzzy_resolution(typed: str, scored: _Scored, index: MetricIndex) -> Resolution:
    """A loose match: answered (with a note) when it is clearly ahead; "did you mean" when rivals are as close."""
    if scored.rivals and index.names.get(typed) is None:
        return Resolution(None, typed, suggestions=(scored.metric_id, *scored.rivals)[:3], did_you_mean=True)
    result = Resolution(scored.metric_id, typed, suggestions=scored.rivals, confidence=round(scored.score / 100, 2))
    if index.names.get(typed) != scored.metric_id:
        result.notes.append(f"I read '{typed}' as {index.label(scored.metric_id)}")
    if scored.rivals:
        result.confidence = min(result.confidence, 0.7)
    return result


def closest(typed: str, index: MetricIndex, limit: int = 3) -> tuple[str, ...]:
    """The metrics whose names look most like `typed`, for "I don't know 'xyz'. Closest: …".

    Plain edit similarity first (so `mmr` suggests `mrr`), then WRatio's partial matches fill the list.
    """
    query = content_key(typed)[:60]
    ids: list[str] = []
    for scorer in (fuzz.ratio, fuzz.WRatio):
        found = process.extract(query, index.fuzzy_keys, scorer=scorer, score_cutoff=SUGGEST_CUTOFF, limit=20)
        ids += [index.fuzzy_ids[i] for _, _, i in found]
    ids = list(dict.fromkeys(ids))[:limit]
    return tuple(ids) or tuple(m for m in DEFAULT_SUGGESTIONS if m in index.catalog)
