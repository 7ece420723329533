"""A period wholly after the newest data has no value yet (KPI_SPEC §1 partial periods and freshness).

Orders (UTC, the reporting zone): $40 on 2026-10-01 (the data starts before every week here), $1,000 on Tue
2026-11-17, $700 on Tue 11-24, $500 on Fri 11-27 14:02 (newest).
Subscriptions: s1 $100/month from 2026-10-01 (its table's newest timestamp is that start).
As of Mon 2026-11-30, "this week" is Nov 30 alone: no order can be known there yet, so revenue has no value (not
$0, and no "100.0% lower — worse" against Mon Nov 23's $0). "Last week" (Nov 23–29) holds the data's end: it is
partial and reads $1,200 as before. MRR this week is a state at the end of Nov 30: past its data the last known
state, $100, is kept (the subscription has not ended).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine

from kpi_engine.answers.ask import Answer, answer_json, answer_question
from kpi_engine.answers.presentation import present
from kpi_engine.answers.terminal import render_answer
from kpi_engine.catalog import load_catalog
from kpi_engine.db import session_scope
from kpi_engine.db.models import Order, Subscription
from kpi_engine.results import MetricResult
from kpi_engine.settings import Settings
from kpi_engine.targets import set_target
from tests.conftest import insert_rows

CATALOG = load_catalog()
MONDAY = date(2026, 11, 30)
NO_DATA = "No data yet for Nov 30: the orders data ends on Fri Nov 27"


ORDERS = [(datetime(2026, 10, 1, 10), 40), (datetime(2026, 11, 17, 10), 1000), (datetime(2026, 11, 24, 10), 700),
          (datetime(2026, 11, 27, 14, 2), 500)]


def fill(engine: Engine) -> None:
    insert_rows(engine, Order, [{"order_id": f"o{i}", "ordered_at": at, "amount": amount}
                                for i, (at, amount) in enumerate(ORDERS)])
    insert_rows(engine, Subscription, [
        {"subscription_id": "s1", "account_id": "a", "mrr": 100.0, "started_at": datetime(2026, 10, 1)}])


def ask(engine: Engine, settings: Settings, question: str) -> Answer:
    return answer_question(question, engine=engine, settings=settings, catalog=CATALOG, as_of=MONDAY)


def test_a_week_after_the_data_says_no_data_yet_not_zero(engine: Engine, settings: Settings) -> None:
    fill(engine)
    with session_scope(engine) as session:
        set_target(session, "revenue", 1500.0, None, "tester")
    answer = ask(engine, settings, "revenue this week")
    shown = answer.presentation
    assert shown is not None and shown.no_data_yet
    assert shown.value is None and shown.value_text == NO_DATA
    assert shown.change is None and shown.change_text is None and shown.comparison_text is None
    assert shown.target_text == "Target $1,500: no data yet"  # not "0% of target"
    text = render_answer(answer)
    assert NO_DATA in text
    assert "$0" not in text and "lower" not in text and "worse" not in text


def test_json_keeps_its_shape_with_a_null_value_and_the_reason(engine: Engine, settings: Settings) -> None:
    fill(engine)
    out = answer_json(ask(engine, settings, "revenue this week"))
    assert out["value"] is None and out["change"] is None
    assert out["period"] == {"start": "2026-11-30", "end": "2026-11-30"} and out["partial"] is True
    assert out["data_to"] == "2026-11-27T14:02:00"
    assert out["no_data_yet"] == "no data yet: the orders data ends on 2026-11-27"
    assert out["previous"]["value"] == 0  # Mon Nov 23 had no order: the comparison day is inside the data


def test_a_period_holding_the_datas_end_still_has_its_value(engine: Engine, settings: Settings) -> None:
    fill(engine)
    shown = ask(engine, settings, "revenue last week").presentation
    assert shown is not None and not shown.no_data_yet
    assert shown.value == 1200 and shown.value_text == "$1,200"
    assert shown.change is not None and shown.change.text == "20.0% higher so far (+$200) — good"


def test_a_stock_past_its_data_is_the_last_known_state(engine: Engine, settings: Settings) -> None:
    fill(engine)
    result = ask(engine, settings, "mrr this week").result
    assert isinstance(result, MetricResult) and result.value == 100 and not result.no_data_yet
    assert present(result).value_text == "$100"
