"""The parser from plain words to a query: every Slack message and `kpibot ask` goes through `parse_question`.

Order of work: Slack noise is cleaned; help / list / define are recognised; funnels, retention cohorts and the
MRR bridge are recognised by their words; otherwise metric names found in the question are set aside (several
joined by "and"/"vs" are several metrics), then intent words (how long, converted, getting better), groups
compared ("team vs business"), the comparison, rankings (top N, which, best/worst), the time phrase, series,
breakdowns (one or two) and filters are taken out, and the words left name the metric (exactly, by fuzzy match
with rapidfuzz, or one edit away). Values of the user's data (plans, segments, ...) come from a `Vocabulary`
(kpi_engine.values.values_for); a word of two dimensions is settled by what the metric supports, else asked.
Nothing here raises: unreadable input is intent "unknown", with what was understood.
"""

from kpi_engine.parser.core import parse_period, parse_question
from kpi_engine.parser.result import ParseResult
from kpi_engine.parser.value_index import EMPTY_VOCABULARY, Vocabulary

__all__ = ["EMPTY_VOCABULARY", "ParseResult", "Vocabulary", "parse_period", "parse_question"]
