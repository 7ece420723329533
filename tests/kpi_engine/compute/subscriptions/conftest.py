"""The April 2026 story (UTC), worked by hand:

| acct | plan       | rows                                              | MRR s | MRR e | April movement     |
| A    | pro        | 100 from Jan 10                                   | 100   | 100   | none               |
| B    | pro        | 50 + 30 from Feb 1, the 30 ends Apr 10            | 80    | 50    | contraction 30     |
| C    | basic      | 40 Feb 15 .. Apr 15, then 70 from Apr 15          | 40    | 70    | expansion 30       |
| D    | basic      | 60 Jan 5 .. Apr 20                                | 60    | 0     | churned 60         |
| E    | basic      | 20 from Apr 3                                     | 0     | 20    | new 20             |
| F    | pro        | 90 Jan 1 .. Feb 1, 25 from Apr 12                 | 0     | 25    | reactivation 25    |
| G    | (missing)  | 10 Apr 5 .. Apr 25 (joins and leaves)             | 0     | 0     | none               |
| H    | enterprise | 200 from Apr 1 00:00 to May 1 00:00 (boundaries)  | 0     | 200   | new 200            |
| I    | basic      | 0 (free) from Jan 1                               | 0     | 0     | none, never paying |
| J    | (missing)  | 15 from Feb 1                                     | 15    | 15    | none               |

s = 2026-04-01 00:00, e = 2026-05-01 00:00.
MRR(s) = 295, paying(s) = 5 (A B C D J); MRR(e) = 480, paying(e) = 7 (A B C E F H J).
"""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import Engine

from kpi_engine.db.models import Account, Subscription
from tests.conftest import insert_rows
from tests.kpi_engine.compute.subscriptions.helpers import account, sub

STORY_ACCOUNTS = [
    account("A", plan="pro", channel="ads"),
    account("B", plan="pro", channel="ads"),
    account("C", plan="basic", channel="search"),
    account("D", plan="basic", channel="search"),
    account("E", plan="basic", channel="ads"),
    account("F", plan="pro"),
    account("H", plan="enterprise", channel="partner"),
    account("I", plan="basic"),
]

STORY_SUBSCRIPTIONS = [
    sub("a1", "A", 100, datetime(2026, 1, 10, 9, 30)),
    sub("b1", "B", 50, datetime(2026, 2, 1)),
    sub("b2", "B", 30, datetime(2026, 2, 1), datetime(2026, 4, 10, 12)),
    sub("c1", "C", 40, datetime(2026, 2, 15), datetime(2026, 4, 15, 8)),
    sub("c2", "C", 70, datetime(2026, 4, 15, 8)),
    sub("d1", "D", 60, datetime(2026, 1, 5), datetime(2026, 4, 20, 17)),
    sub("e1", "E", 20, datetime(2026, 4, 3, 11)),
    sub("f1", "F", 90, datetime(2026, 1, 1), datetime(2026, 2, 1)),
    sub("f2", "F", 25, datetime(2026, 4, 12, 16)),
    sub("g1", "G", 10, datetime(2026, 4, 5), datetime(2026, 4, 25)),
    sub("h1", "H", 200, datetime(2026, 4, 1), datetime(2026, 5, 1)),
    sub("i1", "I", 0, datetime(2026, 1, 1)),
    sub("j1", "J", 15, datetime(2026, 2, 1)),
]


@pytest.fixture
def story(engine: Engine) -> Engine:
    insert_rows(engine, Account, STORY_ACCOUNTS)
    insert_rows(engine, Subscription, STORY_SUBSCRIPTIONS)
    return engine
