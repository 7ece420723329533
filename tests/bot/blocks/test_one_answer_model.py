"""Every surface renders one answer model (kpi_engine.answers.presentation): the same week of revenue reads the
same in the terminal, Block Kit, a digest line, a Home card and an alert message.

Orders (UTC, the reporting zone): $40 on 2026-10-01 (the data starts before both weeks), $1,000 on Tue
2026-11-17; $700 on Tue 11-24 and $500 on Thu 11-26; $5 on Mon 11-30 08:00 (the data reaches past the week, so
it is complete, not "so far"). So the
week of Nov 23–29 has revenue $1,200 against $1,000 the week before: up 20.0% (+$200), good (revenue is better
higher). A $1,500 revenue target: the week attains 1,200 / 1,500 = 80%, not met (the digest's 12-week query has
revenue $2,200 over its whole period; its line takes the target from the result and attains it by the week).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, event

from bot.alerts.blocks import alert_text
from bot.alerts.commands import spec_view
from bot.alerts.evaluate import evaluate, moved_words
from bot.alerts.rules import parse_alert_rule
from bot.blocks.answers import answer_blocks
from bot.digests.report import build_report
from bot.digests.wording import kpi_line_text, plain_line
from bot.home.cards import card_of
from kpi_engine.answers.ask import answer_question
from kpi_engine.answers.presentation import last_bucket, present
from kpi_engine.answers.terminal import render_answer
from kpi_engine.catalog import load_catalog
from kpi_engine.db import session_scope
from kpi_engine.db.models import Order
from kpi_engine.periods import Period
from kpi_engine.results import MetricResult, SeriesPoint, TargetStatus
from kpi_engine.settings import Settings
from kpi_engine.targets import set_target
from tests.conftest import insert_rows

CATALOG = load_catalog()
WEEK = Period(date(2026, 11, 23), date(2026, 11, 29))
MONDAY = datetime(2026, 11, 30, 9, 0)
VALUE = "$1,200"
CHANGE = "up 20.0% (+$200) — good"


def _shop(engine: Engine) -> None:
    insert_rows(engine, Order, [
        {"order_id": "o0", "ordered_at": datetime(2026, 10, 1, 10), "amount": 40},
        {"order_id": "o1", "ordered_at": datetime(2026, 11, 17, 10), "amount": 1000},
        {"order_id": "o2", "ordered_at": datetime(2026, 11, 24, 10), "amount": 700},
        {"order_id": "o3", "ordered_at": datetime(2026, 11, 26, 10), "amount": 500},
        {"order_id": "o4", "ordered_at": datetime(2026, 11, 30, 8), "amount": 5},
    ])
    with session_scope(engine) as session:
        set_target(session, "revenue", 1500.0, None, "tester")


def test_the_same_week_reads_the_same_on_every_surface(engine: Engine, settings: Settings) -> None:
    _shop(engine)
    answer = answer_question("revenue from 2026-11-23 to 2026-11-29", engine=engine, settings=settings,
                             catalog=CATALOG, as_of=date(2026, 11, 30))
    shown = answer.presentation
    assert shown is not None and shown.value_text == VALUE
    assert shown.change_text is not None and shown.change_text.startswith(f"{CHANGE} vs $1,000")
    assert shown.target_text == "Target $1,500: 80% of target, not met yet"

    terminal = render_answer(answer).splitlines()
    assert terminal[1] == f"  {VALUE}" and terminal[2] == f"  {shown.change_text}"
    assert f"  {shown.target_text}" in terminal

    headline = next(b for b in answer_blocks(answer) if b.get("block_id") == "answer.headline")["text"]["text"]
    assert headline.split("\n")[:2] == [f"*{VALUE}*", shown.change_text]

    card = card_of("revenue", shown, [])
    assert (card.value_text, card.period_text) == (VALUE, shown.period_text)
    assert card.change_text is not None and card.change_text.startswith(shown.change_text)

    target_reads: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "FROM targets" in statement:
            target_reads.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    report = build_report(engine, settings, CATALOG, ["revenue"], WEEK, {}, with_details=False)
    event.remove(engine, "before_cursor_execute", record)
    assert len(target_reads) == 1  # the result's own lookup: the line does not look the target up again
    [line] = report.lines
    assert line.shown is not None and line.shown.value_text == VALUE
    assert line.target is not None and (line.target.attainment, line.target.met) == (0.8, False)
    assert kpi_line_text(line, "$").split("\n")[0] == (
        f"*Revenue*  {VALUE}  ·  ↑ 20.0% (+$200) vs the week before — good  ·  :dart: 80% of the $1.5k target")
    assert plain_line(line, "$").startswith(f"Revenue  {VALUE}  ·  ↑ 20.0% (+$200)")

    rule = spec_view(parse_alert_rule("revenue rise 10% vs last week", CATALOG))
    evaluation = evaluate(rule, engine, settings, CATALOG, MONDAY)
    assert evaluation.met is True and evaluation.shown is not None
    assert evaluation.shown.value_text == VALUE and evaluation.shown.change == shown.change
    assert alert_text(evaluation) == (
        f"Alert: Revenue is {VALUE} over 2026-11-23 – 2026-11-29, up 20.0% from $1,000"
        " — up 10% or more vs the week before")


def test_a_digest_week_is_the_last_bucket_with_the_results_target() -> None:
    """A rate over two weeks: 5.0% then 6.5%, churn is better lower, so up 1.5 pp is worse; the result's 4% target
    is attained by the week (0.04 / 0.065 = 62%), not by the value over both weeks."""
    result = MetricResult(
        metric="customer_churn_rate", label="Customer churn rate", unit="percent", kind="ratio", direction="lower",
        period=Period(date(2026, 11, 16), date(2026, 11, 29)), value=0.058,
        series=[SeriesPoint(start=date(2026, 11, 16), end=date(2026, 11, 22), value=0.05),
                SeriesPoint(start=date(2026, 11, 23), end=date(2026, 11, 29), value=0.065, partial=True)],
        target=TargetStatus(value=0.04, attainment=0.04 / 0.058, met=False))
    week = present(last_bucket(result))
    assert week.value_text == "6.5%" and week.result.period == WEEK
    assert week.change is not None and week.change.text == "up 1.5 pp — worse"  # a week over: never "so far"
    assert week.result.target is not None and round(week.result.target.attainment or 0, 3) == 0.615
    assert moved_words(week, 0.3) == "up 1.5 pp (+30.0%)"
