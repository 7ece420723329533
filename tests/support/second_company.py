"""A second, small company with other names than the demo, for tests that must not lean on the demo's words.

Plans basic/team/business, segments smb/mid/ent, channels ads/community/events, countries JP/MX/SE,
events account_opened/board_created/card_moved, features boards/cards/automations, ticket priorities
p1/p2/p3. `write_second_company(engine)` writes it through the models into a fresh (migrated) database,
SQLite or PostgreSQL. As-of day: Wednesday 2026-06-17. Hand-worked figures (what the tests check):

- MRR at the end of 2026-06-17 = 600: basic 20 (c1), team 130 (c2 50 + c3 80), business 450 (c4 300 + c5 150);
  by segment smb 70, mid 230, ent 300. ARR = 12 × MRR (team 1560, business 5400). Paying customers 5.
- MRR at the end of 2026-05-31 = 450 (c5 started 2026-06-01), so MRR growth in June to date is 600 / 450 − 1.
- Signups (users created) in May 2026: u1, u2, u3 = 3; in June: u4 = 1.
- Trial conversions in May 2026: 2 (c2 on 05-10, c3 on 05-20); trial starts in May 2026: 3.
- Tickets opened in the last 30 days (2026-05-18 .. 06-16): 3, resolved in 4 h (p1), 2 h (p2), 10 h (p3):
  median resolution time 4 h.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, insert

from kpi_engine.db.models import Account, Event, Feature, Subscription, Ticket, Trial, User
from kpi_engine.parser.value_index import Vocabulary

AS_OF = date(2026, 6, 17)
PLANS = ("basic", "team", "business")
SEGMENTS = ("smb", "mid", "ent")
CHANNELS = ("ads", "community", "events")
COUNTRIES = ("JP", "MX", "SE")
FEATURES = ("boards", "cards", "automations")
EVENTS = ("account_opened", "board_created", "card_moved")
PRIORITIES = ("p1", "p2", "p3")
CATEGORIES = ("login", "payments")

# account, plan, segment, channel, country, mrr, subscription start
_ACCOUNTS = (
    ("c1", "basic", "smb", "ads", "JP", 20.0, datetime(2026, 1, 10)),
    ("c2", "team", "smb", "community", "MX", 50.0, datetime(2026, 5, 10)),
    ("c3", "team", "mid", "ads", "JP", 80.0, datetime(2026, 5, 20)),
    ("c4", "business", "ent", "events", "SE", 300.0, datetime(2025, 11, 1)),
    ("c5", "business", "mid", "community", "MX", 150.0, datetime(2026, 6, 1)),
)
VOCABULARY = Vocabulary.of_lists(
    {"plan": PLANS, "segment": SEGMENTS, "channel": CHANNELS, "country": COUNTRIES, "feature": FEATURES,
     "priority": PRIORITIES, "category": CATEGORIES},
    events=EVENTS,
)


def _rows() -> dict[Any, list[dict[str, Any]]]:
    accounts = [{"account_id": a, "name": a.upper(), "created_at": start, "plan": plan, "segment": segment,
                 "channel": channel, "country": country}
                for a, plan, segment, channel, country, _, start in _ACCOUNTS]
    subscriptions = [{"subscription_id": f"s-{a}", "account_id": a, "plan": plan, "mrr": mrr, "started_at": start,
                      "ended_at": None} for a, plan, _, _, _, mrr, start in _ACCOUNTS]
    users = [
        {"user_id": "u1", "account_id": "c2", "created_at": datetime(2026, 5, 3, 9)},
        {"user_id": "u2", "account_id": "c3", "created_at": datetime(2026, 5, 12, 9)},
        {"user_id": "u3", "account_id": "c1", "created_at": datetime(2026, 5, 30, 9)},
        {"user_id": "u4", "account_id": "c5", "created_at": datetime(2026, 6, 2, 9)},
    ]
    events = [
        {"event_id": f"e{i}", "user_id": user, "occurred_at": at, "name": name, "feature": feature}
        for i, (user, at, name, feature) in enumerate([
            ("u1", datetime(2026, 5, 3, 9), "account_opened", None),
            ("u1", datetime(2026, 6, 10, 10), "board_created", "boards"),
            ("u2", datetime(2026, 6, 11, 10), "card_moved", "cards"),
            ("u3", datetime(2026, 6, 12, 10), "board_created", "boards"),
            ("u4", datetime(2026, 6, 12, 11), "card_moved", "cards"),
        ])
    ]
    features = [{"feature": f, "name": f.title(), "launched_at": datetime(2025, 1, 1)} for f in FEATURES]
    trials = [
        {"trial_id": "t1", "account_id": "c2", "started_at": datetime(2026, 5, 1), "ended_at": datetime(2026, 5, 15),
         "converted_at": datetime(2026, 5, 10)},
        {"trial_id": "t2", "account_id": "c3", "started_at": datetime(2026, 5, 6), "ended_at": datetime(2026, 5, 20),
         "converted_at": datetime(2026, 5, 20)},
        {"trial_id": "t3", "account_id": "c1", "started_at": datetime(2026, 5, 11), "ended_at": datetime(2026, 5, 25),
         "converted_at": None},
    ]
    tickets = [
        {"ticket_id": "k1", "account_id": "c4", "opened_at": datetime(2026, 6, 1, 8), "escalated": False,
         "first_response_at": datetime(2026, 6, 1, 9), "resolved_at": datetime(2026, 6, 1, 12), "priority": "p1",
         "category": "login"},
        {"ticket_id": "k2", "account_id": "c2", "opened_at": datetime(2026, 6, 2, 8), "escalated": True,
         "first_response_at": datetime(2026, 6, 2, 8, 30), "resolved_at": datetime(2026, 6, 2, 10),
         "priority": "p2", "category": "payments"},
        {"ticket_id": "k3", "account_id": "c1", "opened_at": datetime(2026, 6, 3, 8), "escalated": False,
         "first_response_at": datetime(2026, 6, 3, 11), "resolved_at": datetime(2026, 6, 3, 18), "priority": "p3",
         "category": "login"},
    ]
    return {Account: accounts, Subscription: subscriptions, User: users, Event: events, Feature: features,
            Trial: trials, Ticket: tickets}


def write_second_company(engine: Engine) -> Engine:
    """Writes the company into a migrated, empty database and builds the derived usage tables."""
    from kpi_engine.derived import rebuild_derived
    from kpi_engine.settings import Settings

    with engine.begin() as conn:
        for model, rows in _rows().items():
            conn.execute(insert(model.__table__), rows)
        settings = Settings(_env_file=None, DATABASE_URL=str(engine.url), KPI_TIMEZONE="UTC")  # type: ignore[call-arg]
        rebuild_derived(conn, settings)
    return engine
