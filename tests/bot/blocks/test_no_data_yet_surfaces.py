"""A week wholly after the newest data reads "no data yet" on every surface that renders the one answer model
(kpi_engine.answers.presentation): terminal, Block Kit, a Home card and a digest line; an alert window that only
partly reaches past the data is judged on its value as before.

Orders (UTC, the reporting zone): $40 on 2026-10-01, $1,000 on Tue 11-10, $500 on Fri 11-20 14:02 (newest).
The week of Nov 23–29 lies wholly after the data: no value (not $0), no change, no target attainment. The 7 days
Nov 19–25 hold the data's end: revenue $500 there, below an alert's 2,000.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine

from bot.alerts.commands import spec_view
from bot.alerts.evaluate import evaluate
from bot.alerts.rules import parse_alert_rule
from bot.blocks.answers import answer_blocks
from bot.digests.report import NO_DATA_YET_DETAIL, build_report
from bot.digests.wording import kpi_line_text
from bot.home.cards import card_of
from kpi_engine.answers.ask import answer_question
from kpi_engine.answers.terminal import render_answer
from kpi_engine.catalog import load_catalog
from kpi_engine.db.models import Order
from kpi_engine.periods import Period
from kpi_engine.settings import Settings
from tests.conftest import insert_rows

CATALOG = load_catalog()
WEEK = Period(date(2026, 11, 23), date(2026, 11, 29))
NO_DATA = "No data yet for Nov 23–29: the orders data ends on Fri Nov 20"


def _shop(engine: Engine) -> None:
    insert_rows(engine, Order, [
        {"order_id": "o0", "ordered_at": datetime(2026, 10, 1, 10), "amount": 40},
        {"order_id": "o1", "ordered_at": datetime(2026, 11, 10, 10), "amount": 1000},
        {"order_id": "o2", "ordered_at": datetime(2026, 11, 20, 14, 2), "amount": 500},
    ])


def test_a_week_after_the_data_reads_no_data_yet_everywhere(engine: Engine, settings: Settings) -> None:
    _shop(engine)
    answer = answer_question("revenue from 2026-11-23 to 2026-11-29", engine=engine, settings=settings,
                             catalog=CATALOG, as_of=date(2026, 11, 30))
    shown = answer.presentation
    assert shown is not None and shown.value_text == NO_DATA and shown.value is None

    terminal = render_answer(answer).splitlines()
    assert terminal[1] == f"  {NO_DATA}" and "$0" not in "\n".join(terminal)

    headline = next(b for b in answer_blocks(answer) if b.get("block_id") == "answer.headline")["text"]["text"]
    assert headline.split("\n")[0] == f"*{NO_DATA}*" and "worse" not in headline

    card = card_of("revenue", shown, [])
    assert card.value_text == NO_DATA and card.change_text is None

    report = build_report(engine, settings, CATALOG, ["revenue"], WEEK, {}, with_details=False)
    [line] = report.lines
    assert kpi_line_text(line, "$") == f"*Revenue*  {NO_DATA}"
    assert not report.has_data and report.skip_detail == NO_DATA_YET_DETAIL


def test_an_alert_window_partly_past_the_data_is_judged_on_its_value(engine: Engine, settings: Settings) -> None:
    _shop(engine)
    rule = spec_view(parse_alert_rule("revenue < 2000", CATALOG))
    evaluation = evaluate(rule, engine, settings, CATALOG, datetime(2026, 11, 26, 9))
    assert (evaluation.met, evaluation.value) == (True, 500.0)
    assert evaluation.summary == "Revenue is $500 over 2026-11-19 – 2026-11-25"


def test_an_anomaly_week_after_the_data_is_not_judged(engine: Engine, settings: Settings) -> None:
    """Checked on Mon Nov 30: the week of Nov 23–29 lies after the data, so no 0 is taken for an unusual week."""
    _shop(engine)
    rule = spec_view(parse_alert_rule("anomaly revenue", CATALOG))
    evaluation = evaluate(rule, engine, settings, CATALOG, datetime(2026, 11, 30, 9))
    assert (evaluation.met, evaluation.value, evaluation.anomaly) == (None, None, None)
    assert evaluation.summary == f"Revenue over week of 2026-11-23: {NO_DATA}"
