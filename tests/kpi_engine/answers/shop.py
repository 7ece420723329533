"""A small shop for answer tests (SQLite and PostgreSQL), every figure chosen to be checked by hand.

Orders (UTC):                         Berlin local day
  o1 2026-10-20 12:00   $10  (first)   Oct 20
  o2 2026-10-23 22:30    $5            Oct 24 00:30 (CEST)
  o3 2026-10-24 22:30    $7            Oct 25 00:30 (CEST; clocks go back at 03:00)
  o4 2026-10-25 22:30    $8            Oct 25 23:30 (CET): Oct 25 is 25 hours long
  o5 2026-11-01 10:00  $100
  o6 2026-11-02 10:00   $50
  o7 2026-11-15 10:00 $1000
  o8 2026-12-01 09:00   $60
  o9 2026-12-02 14:02   $30  (newest)
NPS responses: one 9 on 2026-09-01; October 5×10, 3×8, 2×3 (NPS 30); November 6×10, 2×8, 2×3 (NPS 40);
two 10s on 2026-12-01.
Subscriptions: s1 $100 from 2026-10-01, s2 $50 from 2026-11-15 (MRR 100 at the end of Nov 2, 150 from Nov 15).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from kpi_engine.db.models import Order, Subscription, SurveyResponse
from tests.conftest import insert_rows

ORDERS = [
    (datetime(2026, 10, 20, 12), 10), (datetime(2026, 10, 23, 22, 30), 5), (datetime(2026, 10, 24, 22, 30), 7),
    (datetime(2026, 10, 25, 22, 30), 8), (datetime(2026, 11, 1, 10), 100), (datetime(2026, 11, 2, 10), 50),
    (datetime(2026, 11, 15, 10), 1000), (datetime(2026, 12, 1, 9), 60), (datetime(2026, 12, 2, 14, 2), 30),
]


def _responses() -> list[dict[str, Any]]:
    rows = [(datetime(2026, 9, 1, 10), 9)]
    rows += [(datetime(2026, 10, 10, 10) + timedelta(hours=i), s) for i, s in enumerate([10] * 5 + [8] * 3 + [3] * 2)]
    rows += [(datetime(2026, 11, 10, 10) + timedelta(hours=i), s) for i, s in enumerate([10] * 6 + [8] * 2 + [3] * 2)]
    rows += [(datetime(2026, 12, 1, 10), 10), (datetime(2026, 12, 1, 11), 10)]
    return [{"response_id": f"r{i}", "survey": "nps", "score": s, "responded_at": at} for i, (at, s) in enumerate(rows)]


def fill_shop(engine: Engine) -> None:
    insert_rows(engine, Order, [{"order_id": f"o{i + 1}", "ordered_at": at, "amount": amount}
                                for i, (at, amount) in enumerate(ORDERS)])
    insert_rows(engine, SurveyResponse, _responses())
    insert_rows(engine, Subscription, [
        {"subscription_id": "s1", "account_id": "a", "mrr": 100.0, "started_at": datetime(2026, 10, 1)},
        {"subscription_id": "s2", "account_id": "b", "mrr": 50.0, "started_at": datetime(2026, 11, 15)},
    ])
