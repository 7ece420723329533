"""Usage broken down or filtered by one account dimension, read from the per-group rollups: hand-worked
values, the "(none)" group, and the rollups following imports of accounts and new users.

March 2026 (31 days). Accounts: a1 (pro, DE), a2 (basic, US), a3 (pro, no country).
u1 (a1) active 03-01 and 03-10; u2 (a2) and u3 (a3) on 03-05; u4 (no account) on 03-20;
u5 (not in users) on 03-31.
A user is in the 30-day count from its active day to 29 days later, so over March:
u1 31 days, u2 and u3 27 (5..31), u4 12 (20..31), u5 1.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from kpi_engine.db.models import Account, User
from kpi_engine.importing import import_file
from kpi_engine.settings import Settings
from tests.conftest import insert_rows
from tests.kpi_engine.compute.usage.helpers import approx, ask, days, ev, groups, load, ts, user

MARCH = days("2026-03-01", "2026-03-31")
ACCOUNTS = [("a1", "pro", "DE"), ("a2", "basic", "US"), ("a3", "pro", None)]


def _load(engine: Engine, settings: Settings) -> None:
    insert_rows(engine, Account, [{"account_id": a, "created_at": ts("2025-01-01 00:00"), "plan": p, "country": c}
                                  for a, p, c in ACCOUNTS])
    load(engine, settings, users=[
        user("u1", "2026-01-01 00:00", "a1"), user("u2", "2026-01-01 00:00", "a2"),
        user("u3", "2026-01-01 00:00", "a3"), user("u4", "2026-01-01 00:00"),
    ], events=[
        ev("u1", "2026-03-01 09:00", "page_view"), ev("u1", "2026-03-10 09:00"), ev("u2", "2026-03-05 09:00"),
        ev("u3", "2026-03-05 12:00"), ev("u4", "2026-03-20 09:00"), ev("u5", "2026-03-31 23:00"),
    ])


def test_mau_dau_and_active_users_by_country(engine, settings) -> None:
    _load(engine, settings)
    assert approx(groups(ask(engine, settings, "mau", MARCH, breakdown="country"))) == approx(
        {"DE": 31 / 31, "US": 27 / 31, "(none)": (27 + 12 + 1) / 31})
    assert approx(groups(ask(engine, settings, "dau", MARCH, breakdown="country"))) == approx(
        {"DE": 2 / 31, "US": 1 / 31, "(none)": 3 / 31})
    assert groups(ask(engine, settings, "active_users", MARCH, breakdown="country")) == {
        "DE": 1.0, "US": 1.0, "(none)": 3.0}
    assert groups(ask(engine, settings, "page_views", MARCH, breakdown="country")) == {"DE": 1.0}


def test_filters_on_one_dimension(engine, settings) -> None:
    _load(engine, settings)
    assert approx(ask(engine, settings, "mau", MARCH, filters={"country": ["(none)"]}).value) == approx(40 / 31)
    assert approx(ask(engine, settings, "mau", MARCH, filters={"country": ["DE", "US"]}).value) == approx(58 / 31)
    assert ask(engine, settings, "active_users", MARCH, filters={"plan": ["pro"]}).value == 2.0
    assert approx(groups(ask(engine, settings, "mau", MARCH, breakdown="plan", filters={"plan": ["pro", "basic"]}))
                  ) == approx({"pro": 58 / 31, "basic": 27 / 31})
    assert ask(engine, settings, "mau", MARCH, filters={"country": ["FR"]}).value == 0.0


def test_an_accounts_import_moves_users_between_groups(engine, settings, tmp_path: Path) -> None:
    _load(engine, settings)
    path = tmp_path / "accounts.csv"
    path.write_text("account_id,created_at,plan,country\n"
                    "a1,2025-01-01,pro,DE\na2,2025-01-01,basic,DE\na3,2025-01-01,pro,\n")
    report = import_file(engine, settings, "accounts", path)
    assert report.updated == 1
    assert approx(groups(ask(engine, settings, "mau", MARCH, breakdown="country"))) == approx(
        {"DE": 58 / 31, "(none)": 40 / 31})


def test_users_added_without_an_import_are_noticed(engine, settings) -> None:
    _load(engine, settings)
    assert ask(engine, settings, "active_users", MARCH, filters={"country": ["DE"]}).value == 1.0
    insert_rows(engine, User, [user("u5", "2026-01-01 00:00", "a1")])
    assert ask(engine, settings, "active_users", MARCH, filters={"country": ["DE"]}).value == 2.0
    assert approx(ask(engine, settings, "mau", MARCH, filters={"country": ["DE"]}).value) == approx(32 / 31)
