"""Golden texts of ten tricky answers, in the terminal and in Block Kit, on the shop of shop.py (SQLite and
PostgreSQL). The terminal and the Slack message say the same lines in the same order; Slack adds mrkdwn.
Definition lines and the parser's standing note on 'revenue' are left out of the terminal goldens.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from bot.blocks.answers import answer_blocks
from kpi_engine.answers.ask import answer_question
from kpi_engine.answers.terminal import answer_texts, render_answer
from tests.conftest import make_settings
from tests.kpi_engine.answers.shop import fill_shop

CASES: list[tuple[str, date, str]] = [
    ("revenue this month", date(2026, 12, 2), "UTC"),  # to date, like for like, fresh to the minute
    ("revenue", date(2026, 12, 1), "UTC"),  # last 30 days; the 30 days before start before the first order
    ("revenue last 7 days", date(2026, 11, 22), "UTC"),  # against 0: no percentage
    ("revenue on 2026-12-03", date(2026, 12, 5), "UTC"),  # a day wholly after the newest data: no data yet
    ("revenue", date(2030, 1, 1), "UTC"),  # --as-of far beyond the data: no data yet
    ("nps last month", date(2026, 12, 2), "UTC"),  # change with its interval, within noise
    ("nps by month from 2026-10-01 to 2026-12-02", date(2026, 12, 2), "UTC"),  # too few answers, partial bucket
    ("revenue yesterday", date(2026, 10, 26), "Europe/Berlin"),  # a 25-hour local day
    ("mrr", date(2026, 12, 2), "UTC"),  # stock with no time phrase: a month ago
    ("mrr last 3 months", date(2026, 12, 2), "UTC"),  # stock, last N months, before the data
]
LEFT_OUT = ("Revenue: ", "NPS: ", "MRR: ", "Note: 'revenue'")

TERMINAL: dict[tuple[str, date, str], tuple[str, ...]] = {
    ('revenue this month', date(2026, 12, 2), 'UTC'): (
        'Revenue — Dec 1–2 so far',
        '  $90',
        '  40.0% lower so far (-$60) vs $150',  # partial: lower so far, never called worse
        '  Dec 1–2 vs Nov 1–2',
        '  data up to Dec 2, 14:02',
        '',
        '',
    ),
    ('revenue', date(2026, 12, 1), 'UTC'): (
        'Revenue — last 30 days (Nov 1 – Nov 30)',
        '  $1,150',
        '  no data before Oct 20 to compare with',
        '  last 30 days (Nov 1 – Nov 30) vs the 30 days before',
        '',
        '',
    ),
    ('revenue last 7 days', date(2026, 11, 22), 'UTC'): (
        'Revenue — last 7 days (Nov 15 – Nov 21)',
        '  $1,000',
        '  up $1,000 — good vs $0',
        '  last 7 days (Nov 15 – Nov 21) vs the 7 days before',
        '',
        '',
    ),
    ('revenue on 2026-12-03', date(2026, 12, 5), 'UTC'): (
        'Revenue — Dec 3 so far',
        '  No data yet for Dec 3: the orders data ends on Wed Dec 2',  # not "$0, 100.0% lower so far — worse"
        '  data up to Dec 2, 14:02; nothing newer as of Dec 5',
        '',
        '',
    ),
    ('revenue', date(2030, 1, 1), 'UTC'): (
        'Revenue — last 30 days (Dec 2, 2029 – Dec 31, 2029) so far',
        '  No data yet for Dec 2–31: the orders data ends on Wed Dec 2, 2026',
        '  data up to Dec 2, 2026, 14:02; nothing newer as of Jan 1',
        '',
        '',
    ),
    ('nps last month', date(2026, 12, 2), 'UTC'): (
        'NPS — November',
        '  40',
        '  up 10 pts (95% interval -59.3 to +79.3) — within noise vs 30',
        '  November vs October',
        '  n = 10 · 95% interval ± 49.6 (-9.6 to 89.6)',
        '  data up to Dec 1, 11:00; nothing newer as of Dec 2',
        '',
    ),
    ('nps by month from 2026-10-01 to 2026-12-02', date(2026, 12, 2), 'UTC'): (
        'NPS — Oct 1 – Dec 2 so far',
        '  40.9',
        '  no data before Sep 1 to compare with',
        '  Oct 1 – Dec 1 vs Jul 30 – Sep 29 (data to Dec 1)',  # the 62 days with data against 62
        '  n = 22 · 95% interval ± 32.5 (8.4 to 73.4)',
        '  data up to Dec 1, 11:00; nothing newer as of Dec 2',
        '',
        'By month:',
        '  period          from          to  NPS              previous',
        '  Oct 2026  2026-10-01  2026-10-31  30',  # beside Jul 30-31, the previous range's first bucket: not shown
        '  Nov 2026  2026-11-01  2026-11-30  40               too few answers',  # a whole month beside August
        '  Dec 2026  2026-12-01  2026-12-02  too few answers',
        '',
    ),
    ('revenue yesterday', date(2026, 10, 26), 'Europe/Berlin'): (
        'Revenue — Oct 25',
        '  $15',
        '  up 200.0% (+$10) — good vs $5',
        '  Oct 25 vs Oct 24',
        '',
        '',
    ),
    ('mrr', date(2026, 12, 2), 'UTC'): (
        'MRR — end of today (Dec 2)',
        '  $150',
        '  50.0% higher so far (+$50) — good vs $100',
        '  end of today vs a month ago',
        '  data up to Nov 15, 00:00; nothing newer as of Dec 2',
        '',
    ),
    ('mrr last 3 months', date(2026, 12, 2), 'UTC'): (
        'MRR — end of Nov 30',
        '  $150',
        '  no data before Oct 1 to compare with',
        '  last 3 months (Sep 1 – Nov 30) vs the 3 months before',
        '  data up to Nov 15, 00:00; nothing newer as of Dec 2',
        '',
    ),
}


@pytest.fixture
def shop(engine: Engine) -> Engine:
    fill_shop(engine)
    return engine


def _answer(engine: Engine, db_url: str, question: str, as_of: date, tz: str):  # type: ignore[no-untyped-def]
    return answer_question(question, engine=engine, settings=make_settings(db_url, kpi_timezone=tz), as_of=as_of)


@pytest.mark.parametrize("case", CASES, ids=[f"{q}@{d}" for q, d, _ in CASES])
def test_terminal_golden(shop: Engine, db_url: str, case: tuple[str, date, str]) -> None:
    text = render_answer(_answer(shop, db_url, *case))
    assert tuple(line for line in text.splitlines() if not line.startswith(LEFT_OUT)) == TERMINAL[case]
    assert "`" not in text and ":warning:" not in text and "*" not in text


@pytest.mark.parametrize("case", CASES, ids=[f"{q}@{d}" for q, d, _ in CASES])
def test_block_kit_golden(shop: Engine, db_url: str, case: tuple[str, date, str]) -> None:
    """Header = the terminal title; the headline = the value in bold, then the terminal's next lines up to the
    notes; the notes (data up to …) are in the context, with the exact dates compared."""
    lines = TERMINAL[case]
    blocks = answer_blocks(_answer(shop, db_url, *case), include_actions=False)
    assert blocks[0]["text"]["text"] == lines[0]
    headline = blocks[1]["text"]["text"].split("\n")
    assert headline[0] == f"*{lines[1].strip()}*"
    assert headline[1:] == [line.strip() for line in lines[2:2 + len(headline) - 1]]
    context = [e["text"] for e in blocks[-1]["elements"]]
    notes = [line.strip() for line in lines if line.startswith("  data up to")]
    assert all(note in context for note in notes)
    assert any(text.startswith("Period: ") for text in context)


def test_terminal_styles_follow_the_metric_direction(shop: Engine, db_url: str) -> None:
    """Green is good whatever the sign, red is worse, but a partial period is never worse (KPI_SPEC §1): its
    drop is not red; the value bold; notes dimmed."""
    down_bad = answer_texts(_answer(shop, db_url, "revenue on 2026-11-02", date(2026, 12, 2), "UTC"))
    assert down_bad[2].plain == "  down 50.0% (-$50) — worse vs $100" and down_bad[2].spans[0].style == "red"
    partial = answer_texts(_answer(shop, db_url, "revenue this month", date(2026, 12, 2), "UTC"))
    assert partial[1].spans[0].style == "bold"
    change = partial[2]
    assert change.plain.startswith("  40.0% lower so far") and not any(span.style for span in change.spans)
    assert partial[4].plain == "  data up to Dec 2, 14:02" and partial[4].style == "dim"
    up_good = answer_texts(_answer(shop, db_url, "revenue last 7 days", date(2026, 11, 22), "UTC"))
    assert up_good[2].spans[0].style == "green"
    noise = answer_texts(_answer(shop, db_url, "nps last month", date(2026, 12, 2), "UTC"))
    assert noise[2].plain.endswith("within noise vs 30") and not any(span.style for span in noise[2].spans)
