"""Support metrics (KPI_SPEC §7) on both backends, with hand-worked numbers."""

from __future__ import annotations

import pytest

from kpi_engine.db.models import Account, Ticket
from tests.conftest import insert_rows, make_settings
from tests.kpi_engine.compute.other.helpers import FEBRUARY, ask, groups, series, ts


def ticket(ticket_id: str, account: str | None, opened: str, first: str | None = None, resolved: str | None = None,
           **extra: object) -> dict[str, object]:
    return {"ticket_id": ticket_id, "account_id": account, "opened_at": ts(opened),
            "first_response_at": first and ts(first), "resolved_at": resolved and ts(resolved), **extra}


TICKETS = [
    # first response 1 h, resolved after 24 h
    ticket("k1", "a", "2026-04-01 00:00", "2026-04-01 01:00", "2026-04-02 00:00", escalated=True, priority="high",
           category="billing"),
    # 3 h, resolved after 6 h
    ticket("k2", "b", "2026-04-05 10:00", "2026-04-05 13:00", "2026-04-05 16:00", escalated=False, priority="low"),
    # 2 h, never resolved, no account, escalation unknown
    ticket("k3", None, "2026-04-10 00:00", "2026-04-10 02:00", priority="high"),
    # no response, resolved in May
    ticket("k4", "a", "2026-04-20 00:00", None, "2026-05-02 00:00", escalated=True),
    # opened in March (5 h), resolved in April after 96 h
    ticket("k5", "b", "2026-03-30 00:00", "2026-03-30 05:00", "2026-04-03 00:00", priority="low"),
    ticket("k6", "a", "2026-03-01 00:00", None, "2026-03-02 00:00"),
]


@pytest.fixture
def desk(engine):
    insert_rows(engine, Account, [
        {"account_id": "a", "created_at": ts("2025-01-01 00:00"), "plan": "pro"},
        {"account_id": "b", "created_at": ts("2025-01-01 00:00"), "plan": "basic"},
    ])
    insert_rows(engine, Ticket, TICKETS)
    return engine


def test_ticket_counts_and_escalation(desk, settings) -> None:
    tickets = ask(desk, settings, "support tickets", granularity="week")
    assert (tickets.value, tickets.previous_value) == (4, 2)
    assert series(tickets) == [2, 1, 0, 1, 0]  # weeks 1-5 (k1, k2), 6-12 (k3), 13-19, 20-26 (k4), 27-30
    assert sum(series(tickets)) == tickets.value
    assert ask(desk, settings, "escalations").value == 2
    escalation = ask(desk, settings, "escalation_rate")
    assert (escalation.value, escalation.n) == (0.5, 4)  # k1, k4 of k1..k4; unknown counts as not escalated


def test_first_response_time_median_hours_over_tickets_with_a_response(desk, settings) -> None:
    frt = ask(desk, settings, "frt")
    assert frt.value == pytest.approx(2.0)  # median of 1, 3, 2 (k4 has none)
    assert frt.n == 3
    assert ask(desk, settings, "first response", period=frt.previous_period).value == pytest.approx(5.0)


def test_resolution_time_over_tickets_resolved_in_the_period(desk, settings) -> None:
    resolution = ask(desk, settings, "resolution_time")
    assert resolution.value == pytest.approx(24.0)  # median of 24 (k1), 6 (k2), 96 (k5)
    assert resolution.previous_value == pytest.approx(24.0)  # k6


def test_open_tickets_is_a_stock_at_the_end(desk, settings) -> None:
    open_tickets = ask(desk, settings, "open_tickets")
    assert open_tickets.value == 2  # k3 never resolved, k4 resolved in May
    assert open_tickets.previous_value == 1  # k5 at the end of March; k1 opens exactly at 04-01 00:00


def test_breakdowns(desk, settings) -> None:
    assert groups(ask(desk, settings, "escalation_rate", breakdown="priority")) == [
        ("(none)", 1.0), ("high", 0.5), ("low", 0.0)]
    assert groups(ask(desk, settings, "tickets", breakdown="plan")) == [("pro", 2), ("(none)", 1), ("basic", 1)]
    assert groups(ask(desk, settings, "first_response_time", breakdown="category")) == [
        ("(none)", 2.5), ("billing", 1.0)]  # (none): median of 3 and 2


def test_empty_period(desk, settings) -> None:
    assert ask(desk, settings, "tickets", period=FEBRUARY).value == 0
    for metric in ("escalation_rate", "first_response_time", "resolution_time"):
        assert ask(desk, settings, metric, period=FEBRUARY).value is None, metric


def test_periods_are_cut_in_the_reporting_zone(engine, db_url) -> None:
    insert_rows(engine, Ticket, [
        {"ticket_id": "x1", "opened_at": ts("2026-03-31 22:30")},  # 04-01 00:30 in Berlin (CEST)
        {"ticket_id": "x2", "opened_at": ts("2026-04-30 22:30")},  # 05-01 00:30 in Berlin
        {"ticket_id": "x3", "opened_at": ts("2026-04-15 12:00")},
    ])
    utc = ask(engine, make_settings(db_url), "tickets")
    berlin = ask(engine, make_settings(db_url, KPI_TIMEZONE="Europe/Berlin"), "tickets")
    assert (utc.value, utc.previous_value) == (2, 1)
    assert (berlin.value, berlin.previous_value) == (2, 0)
