"""No input of any kind makes the parser fail: property tests over arbitrary text and vocabulary mixes."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi_engine.catalog import load_catalog
from kpi_engine.parser import ParseResult, parse_period, parse_question
from kpi_engine.parser.result import FAILED
from kpi_engine.parser.value_index import EMPTY_VOCABULARY
from tests.support.companies import DEMO_VOCABULARY, SECOND_VOCABULARY

CATALOG = load_catalog()
NAMES = sorted({name for m in CATALOG for name in (m.id, m.label, *m.aliases)})
_WORDS = (
    "last this past since from to between and vs versus compared yoy mom by per split broken down for where in on "
    "is = : , > -> → funnel retention cohort weekly daily monthly trend over time today yesterday ytd week month "
    "quarter year days weeks months q1 q3 2026 2026-03 2026-q1 2026-03-05 2026-02-30 march may june plan segment "
    "channel country feature product campaign priority category survey topic kind pro enterprise smb mid-market "
    "germany DE us the what how many show me why did change movements bridge define help list metrics ? <@U123> "
    "&gt; *bold* _it_ `code` :smile: ( ) ' \" 0 7 30 99999 h1 within window"
    " top bottom best worst which most least highest 3 used how long to resolve respond ship converted trials growth"
    " getting better worse improving is are what's compare & plus team business basic ent mid smb p1 boards ads JP"
    " Germany DE FR vs. versus , and or"
)
VOCABULARY = NAMES + _WORDS.split()
AS_OF_DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))
RELAXED = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(text: str, as_of: date) -> None:
    for values in (EMPTY_VOCABULARY, DEMO_VOCABULARY, SECOND_VOCABULARY):
        result = parse_question(text, as_of=as_of, catalog=CATALOG, values=values)
        assert isinstance(result, ParseResult)
        assert result is not FAILED, f"the parser failed internally on {text!r}"
        assert (result.query is not None) == (result.intent == "query")
        assert 0.0 <= result.confidence <= 1.0
        assert len(result.all_queries) <= 4
    period = parse_period(text, as_of)
    assert period is None or period.start <= period.end


@RELAXED
@given(text=st.text(), as_of=AS_OF_DAYS)
def test_any_text(text: str, as_of: date) -> None:
    _check(text, as_of)


@RELAXED
@given(words=st.lists(st.sampled_from(VOCABULARY), max_size=14), as_of=AS_OF_DAYS)
def test_any_mix_of_vocabulary(words: list[str], as_of: date) -> None:
    _check(" ".join(words), as_of)


@RELAXED
@given(words=st.lists(st.sampled_from(VOCABULARY) | st.text(max_size=6), max_size=10), joiner=st.sampled_from(" ,>_-:"))
def test_vocabulary_mixed_with_noise(words: list[str], joiner: str) -> None:
    _check(joiner.join(words), date(2026, 6, 17))


def test_very_long_input() -> None:
    _check("mrr by plan last month " * 500, date(2026, 6, 17))
    _check("(" * 10_000 + "2026-" * 1000, date(2026, 6, 17))


def test_non_string_input_does_not_raise() -> None:
    assert parse_question(None, as_of=date(2026, 6, 17), catalog=CATALOG).intent in {"empty", "unknown"}  # type: ignore[arg-type]
    assert parse_period(None, date(2026, 6, 17)) is None  # type: ignore[arg-type]
