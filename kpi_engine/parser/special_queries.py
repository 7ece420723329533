"""Recognising the three non-metric queries: funnels, retention cohorts and the MRR bridge (movements)."""

from __future__ import annotations

import re

from kpi_engine.parser.time_vocab import NUM_ALT, count

_FUNNEL_WORD = re.compile(r"(?<!\w)(?:conversion\s+)?funnels?(?!\w)")
_FROM_TO_STEPS = re.compile(r"(?<!\w)(?:funnels?|conversion)\s+from\s+(?P<a>.+?)\s+(?:to|until|till)\s+(?P<b>.+)")
_FROM_TO = re.compile(r"(?:^|\s)(?:conversion\s+)?from\s+(?P<a>.+?)\s+(?:to|until|till)\s+(?P<b>.+)")
_STEP_SEPARATORS = re.compile(r"\s*(?:>+|,|;|\|)\s*|\s+(?:and\s+)?then\s+")
_STEP_NOISE = re.compile(r"^(?:(?:show|me|the|a|an|my|our|of|for|from|step|steps|please|what|is|was|how|did|our)\s+)+")
# words a time phrase leaves behind after the last step ("purchase in March" → "purchase in"); a last step
# named like "opt in" loses its tail too, and is then matched to the event "opt_in" by its words
_STEP_TAIL = re.compile(r"(?:\s+(?:on|in|during|over|at|within|since|from|between|for|of|the|to|by|per|with))+$")
_WINDOW = re.compile(
    rf"(?<!\w)(?:(?:within|in|inside|over)\s+(?:a\s+|an\s+)?(?P<n>{NUM_ALT})[\s-]*(?P<u>days?|weeks?|d|w)"
    rf"|(?:with\s+)?(?:an?\s+)?(?P<n2>{NUM_ALT})[\s-]*(?P<u2>days?|weeks?|d|w)\s+(?:conversion\s+)?window"
    rf"|(?:with\s+)?(?:a\s+)?(?:conversion\s+)?window\s+(?:of\s+)?(?P<n3>{NUM_ALT})\s*(?P<u3>days?|weeks?|d|w))(?!\w)"
)

_RETENTION = re.compile(
    r"(?<!\w)(?:cohorts?|cohort\s+analysis"
    r"|retention\b.*?\b(?:by|per)\s+(?:sign[\s-]?up|join|registration|first\s+seen|cohort|start)(?:\s+(?:week|month|date))?"
    r"|(?:weekly|monthly|daily|user|users|usage|product)\s+retention(?!\s+rate)"
    r"|retention\s+(?:curves?|tables?|matrix|heat\s*map|grid|triangle|charts?))(?!\w)"
)
_RETENTION_WEEKLY = re.compile(
    r"(?<!\w)(?:weekly|daily|week(?:ly)?\s+cohorts?|(?:sign[\s-]?up|join|registration|start|cohort)\s+week|by\s+week)(?!\w)"
)
_RETENTION_MONTHLY = re.compile(
    r"(?<!\w)(?:monthly|month(?:ly)?\s+cohorts?|(?:sign[\s-]?up|join|registration|start|cohort)\s+month|by\s+month)(?!\w)"
)
_OFFSETS = re.compile(
    rf"(?<!\w)(?:(?:over|for|across|through|up\s+to)\s+(?:the\s+)?(?:first\s+)?|first\s+|next\s+)(?P<n>{NUM_ALT})\s+"
    rf"(?P<u>weeks?|months?|periods?|offsets?)(?!\w)|(?<!\w)(?P<n2>{NUM_ALT})\s+(?P<u2>offsets?|periods?)(?!\w)"
)
_RETENTION_WORDS = re.compile(
    r"(?<!\w)(?:cohorts?|analysis|retention|curves?|tables?|matrix|heat\s*map|grid|triangle|charts?|weekly|monthly|"
    r"daily|user|users|usage|product|(?:by|per)\s+(?:sign[\s-]?up|join|registration|first\s+seen|cohort|start)"
    r"(?:\s+(?:week|month|date))?)(?!\w)"
)

_MRR = r"(?:mrr|arr|recurring\s+revenue|monthly\s+recurring\s+revenue|annual\s+recurring\s+revenue)"
_MOVEMENTS = re.compile(
    rf"(?<!\w)(?:(?:{_MRR}|revenue)\s+(?:movements?|bridge|waterfall|walk|roll[\s-]?forward|components)"
    rf"|movements?|bridge|waterfall"
    rf"|{_MRR}\s+(?:changes|change\s+(?:breakdown|drivers|explained))"
    rf"|why\s+(?:(?:did|has|have|is|was|does)\s+)?(?:the\s+|our\s+|my\s+)?{_MRR}"
    rf"|(?:what|who)\s+(?:drove|caused|changed|moved|explains?|happened\s+(?:to|with))\s+(?:the\s+|our\s+)?{_MRR}"
    rf"|how\s+did\s+(?:the\s+|our\s+)?{_MRR}\s+(?:change|move|evolve|grow|drop|shrink))(?!\w)"
)
_WHY_NOISE = re.compile(
    r"(?<!\w)(?:why|did|has|have|is|was|does|what|who|drove|caused|changed?|moved?|explains?|happened|to|with|the|our|my|"
    r"go|went|gone|up|down|drop(?:ped)?|fall|fell|grow|grew|grown|increase[d]?|decrease[d]?|decline[d]?|rise|rose|jump(?:ed)?|"
    r"dip(?:ped)?|shrink|shrank|evolve|how|so|much|movements?|bridge|waterfall|walk|components|changes|breakdown|drivers|"
    r"explained|show|me|roll[\s-]?forward|revenue|" + _MRR + r")(?!\w)"
)


def funnel_requested(low: str) -> bool:
    return bool(_FUNNEL_WORD.search(low) or _FROM_TO_STEPS.search(low)) or ">" in low


def take_window(text: str) -> tuple[int | None, re.Match[str] | None]:
    match = _WINDOW.search(text)
    if match is None:
        return None, None
    n = count(match["n"] or match["n2"] or match["n3"])
    unit = match["u"] or match["u2"] or match["u3"]
    if n is None:
        return None, match
    return (n * 7 if unit.startswith("w") else n), match


def funnel_steps(text: str) -> list[str]:
    """Step event names from what is left of a funnel question: `signup > activated > purchase`."""
    text = _FUNNEL_WORD.sub(" ", text)
    from_to = _FROM_TO.search(text) if ">" not in text else None
    parts = [from_to["a"], from_to["b"]] if from_to else _STEP_SEPARATORS.split(text)
    steps: list[str] = []
    for number, part in enumerate(parts, start=1):
        words = _STEP_NOISE.sub("", " ".join(re.findall(r"[\w-]+", part.lower()))).strip()
        if number == len(parts):
            words = _STEP_TAIL.sub("", words)
        if words:
            steps.append("_".join(words.split()))
    return steps


def retention_requested(low: str) -> bool:
    return bool(_RETENTION.search(low))


def retention_grain(low: str) -> str | None:
    """The cohort grain the question names, if any."""
    if _RETENTION_WEEKLY.search(low):
        return "week"
    return "month" if _RETENTION_MONTHLY.search(low) else None


def take_offsets(text: str) -> tuple[int | None, str | None, re.Match[str] | None]:
    match = _OFFSETS.search(text)
    if match is None:
        return None, None, None
    n = count(match["n"] or match["n2"])
    unit = match["u"] or match["u2"]
    grain = "week" if unit.startswith("week") else "month" if unit.startswith("month") else None
    return n, grain, match


def retention_words(text: str) -> list[re.Match[str]]:
    return list(_RETENTION_WORDS.finditer(text))


def movements_requested(low: str) -> bool:
    return bool(_MOVEMENTS.search(low))


def movement_words(text: str) -> list[re.Match[str]]:
    return list(_WHY_NOISE.finditer(text))
