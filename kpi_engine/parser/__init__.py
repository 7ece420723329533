"""The parser from plain words to a query: every Slack message and `kpibot ask` goes through `parse_question`.

Order of work: Slack noise is cleaned; help / list / define are recognised; funnels, retention cohorts and the
MRR bridge are recognised by their words; otherwise metric names found in the question are set aside, then the
comparison, time phrase, series, breakdown and filters are taken out, and the words left name the metric
(exactly, or by fuzzy match with rapidfuzz). Nothing here raises: unreadable input is intent "unknown".
"""

from kpi_engine.parser.core import parse_period, parse_question
from kpi_engine.parser.result import ParseResult

__all__ = ["ParseResult", "parse_period", "parse_question"]
