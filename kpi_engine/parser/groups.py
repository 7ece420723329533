"""Groups compared and rankings.

- Groups: two or more values of one dimension joined by `vs`, `compared to`, `,` or `and` ("team vs business
  arr", "DE, FR and US signups", "compare <value> to <value> mrr") → a breakdown of exactly those groups.
  Values after a filter word joined by `and`/`or` ("for plans pro or basic", "in DE and FR") stay a filter.
- Rankings: "top 3 countries by revenue", "bottom 2 plans", "which plan has the most mrr", "worst plan for
  churn", "best channel for signups", "which features are most used" → the order, the cut, the dimension.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kpi_engine.parser.dimensions import DIMENSION_ALT, DIMENSIONS
from kpi_engine.parser.text import Scratch
from kpi_engine.parser.time_vocab import NUM_ALT, count
from kpi_engine.parser.value_index import NEVER_BARE, FoundValue, ValueIndex, value_key
from kpi_engine.query import Order

_VS = r"vs\.?|v\.?s\.?|versus|against|compared\s+(?:to|with)|relative\s+to"
_GAP = re.compile(
    rf"(?:\s+(?P<dim>{DIMENSION_ALT}))?"
    rf"\s*(?:(?P<vs>{_VS})|(?P<and>,\s*(?:and\s+)?|and|&|\+|plus)|(?P<or>,?\s*or|/))\s*(?:the\s+)?"
)
_DIM_AFTER = re.compile(rf"\s+(?P<dim>{DIMENSION_ALT})(?!\w)")
_COMPARE_BEFORE = re.compile(r"(?<!\w)(?:compare|comparing|comparison\s+of|split\s+between|between)\s+(?:the\s+)?$")
_COMPARE_JOINER = re.compile(r"\s*(?:to|with|and)\s+(?:the\s+)?")
_FILTER_BEFORE = re.compile(
    rf"(?:(?<!\w)(?:for|in|from|on|among|at|with|where|within|of)\s+(?:the\s+)?"
    rf"|(?<!\w)(?:{DIMENSION_ALT})\s*(?:==?|:|\bis\b|\bin\b|\bequals\b)?\s*\(?\s*)$"
)


@dataclass(frozen=True)
class Groups:
    values: tuple[FoundValue, ...]
    dimensions: tuple[str, ...]  # the dimensions every value belongs to (the metric picks one)

    def in_dimension(self, dimension: str) -> tuple[str, ...]:
        return tuple(v.value_in(dimension) or v.typed for v in self.values)


def take_groups(scratch: Scratch, values: ValueIndex) -> Groups | None:
    """Consumes the first run of compared groups; None when there is none."""
    found = values.scan(scratch.text, scratch.original, common_words=True)
    i = 0
    while i < len(found) - 1:
        run, kinds, named = [found[i]], [], []
        before = scratch.text[: found[i].start]
        verb = _COMPARE_BEFORE.search(before)
        j = i
        while j + 1 < len(found):
            gap = scratch.text[found[j].end : found[j + 1].start]
            match = _GAP.fullmatch(gap)
            if match is None and verb is not None and j == i and _COMPARE_JOINER.fullmatch(gap):
                kinds.append("vs")
            elif match is None:
                break
            else:
                kinds.append(next(k for k in ("vs", "and", "or") if match[k] is not None))
                if match["dim"]:
                    named.append(DIMENSIONS[" ".join(match["dim"].lower().split())])
            run.append(found[j + 1])
            j += 1
        end = run[-1].end
        after = _DIM_AFTER.match(scratch.text, end)
        if after is not None and len(run) >= 2:  # "enterprise plan vs pro plan"
            named.append(DIMENSIONS[" ".join(after["dim"].split())])
            end = after.end()
        common = _common_dimensions(run)
        if named:
            common = tuple(d for d in common if d in named)
        uncommon = any(value_key(v.typed) not in NEVER_BARE for v in run)  # not "users vs accounts"
        if len(run) >= 2 and common and uncommon and _is_comparison(kinds, verb is not None, before):
            start = verb.start() if verb is not None else run[0].start
            scratch.consume(start, end)
            return Groups(tuple(run), common)
        i = j + 1 if j > i else i + 1
    return None


def _common_dimensions(run: list[FoundValue]) -> tuple[str, ...]:
    common = list(run[0].dimensions)
    for value in run[1:]:
        common = [d for d in common if d in value.dimensions]
    return tuple(common)


def _is_comparison(kinds: list[str], verb: bool, before: str) -> bool:
    if "or" in kinds:
        return False
    if "vs" in kinds or verb:
        return True
    return _FILTER_BEFORE.search(before) is None  # "DE, FR and US signups", not "signups in DE and FR"


_WORDS: dict[str, Order] = {
    "top": "best", "best": "best", "leading": "best", "strongest": "best", "greatest": "highest",
    "bottom": "worst", "worst": "worst", "weakest": "worst", "poorest": "worst",
    "most": "highest", "highest": "highest", "biggest": "highest", "largest": "highest", "max": "highest",
    "maximum": "highest", "more": "highest", "least": "lowest", "lowest": "lowest", "fewest": "lowest",
    "smallest": "lowest", "min": "lowest", "minimum": "lowest", "less": "lowest", "fewer": "lowest",
    "longest": "highest", "slowest": "highest", "shortest": "lowest", "fastest": "lowest",
}  # fmt: skip
_WORD = "|".join(_WORDS)
_NUM = rf"(?P<n>\d{{1,3}}|{NUM_ALT})"
_DIM = rf"(?P<d>{DIMENSION_ALT})"
_RANKINGS = (
    re.compile(rf"(?<!\w)(?:the\s+)?(?P<w>most|least)\s+(?:used|popular|adopted)\s+{_DIM}(?!\w)"),
    re.compile(rf"(?<!\w){_NUM}\s+(?P<w>{_WORD})\s+{_DIM}(?:\s+(?:by|for|in|on|at|of))?(?!\w)"),
    re.compile(
        rf"(?<!\w)(?:the\s+)?(?P<w>{_WORD})\s+(?:{_NUM}\s+)?(?:performing\s+|converting\s+|selling\s+)?{_DIM}"
        r"(?:\s+(?:by|for|in|on|at|of))?(?!\w)"
    ),
    re.compile(
        rf"(?<!\w)(?P<which>which|what)\s+{_DIM}(?:\s+(?:has|have|had|is|are|was|were|gets?|got|brings?|brought"
        rf"|drives?|drove|shows?|sees?|saw|makes?|made|generates?|generated|does|did|with))?"
        rf"(?:\s+(?:the\s+)?(?P<w>{_WORD}))?(?:\s+(?:by|for|in|on|at|of))?(?!\w)"
    ),
)
_LATE_WORD = re.compile(rf"(?<!\w)(?:the\s+)?(?P<w>{_WORD})(?!\w)")
_USED = re.compile(r"(?<!\w)(?:(?:most|least)\s+)?(?:used|popular|adopted|liked|in\s+use)(?!\w)")


@dataclass(frozen=True)
class Ranking:
    order: Order
    top: int | None
    dimension: str
    metric: str | None = None  # "which features are most used": the metric the words imply


def take_ranking(scratch: Scratch) -> Ranking | None:
    for pattern in _RANKINGS:
        match = pattern.search(scratch.text)
        if match is None:
            continue
        scratch.consume(match.start(), match.end())
        dimension = DIMENSIONS[" ".join(match["d"].split())]
        word = match["w"]
        if word is None:
            late = _LATE_WORD.search(scratch.text)
            if late is not None:
                scratch.consume(late.start(), late.end())
                word = late["w"]
        order: Order = _WORDS.get(word or "", "best")
        top = count(match["n"]) if match.groupdict().get("n") else None
        if match.groupdict().get("which"):
            top = 1
        elif top is None and not match["d"].endswith("s") and match.re is not _RANKINGS[0]:
            top = 1  # "worst plan for churn": the one plan
        metric = None
        used = _USED.search(scratch.text)
        if match.re is _RANKINGS[0]:
            metric = "feature_users"
        elif dimension == "feature" and used is not None:
            scratch.consume(used.start(), used.end())
            metric = "feature_users"
            if used.group().startswith("least"):
                order = "lowest"
        return Ranking(order, top, dimension, metric)
    return None


_TOP_N = re.compile(rf"(?<!\w)(?P<w>top|bottom|best|worst)\s+{_NUM}(?!\w)")


def take_superlative(scratch: Scratch) -> tuple[Order, int | None] | None:
    """`lowest nps by plan`, `revenue by country top 5`: a superlative next to a breakdown sorts it (and cuts)."""
    top = _TOP_N.search(scratch.text)
    if top is not None:
        scratch.consume(top.start(), top.end())
        return _WORDS[top["w"]], count(top["n"])
    match = _LATE_WORD.search(scratch.text)
    if match is None or match["w"] in ("more", "less", "fewer", "max", "min"):
        return None
    scratch.consume(match.start(), match.end())
    return _WORDS[match["w"]], None
