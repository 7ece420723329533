"""Marketing metrics (KPI_SPEC §4): `day` is a local date, so a window covers the days d0 .. d1."""

from __future__ import annotations

from datetime import date

import pytest

from kpi_engine.db.models import MarketingSpend
from tests.conftest import insert_rows, make_settings
from tests.kpi_engine.compute.other.helpers import FEBRUARY, MARCH, ask, groups, series

SPEND = [
    {"day": date(2026, 3, 31), "channel": "google", "campaign": "", "spend": 999},
    {"day": date(2026, 4, 1), "channel": "google", "campaign": "brand", "spend": 100, "impressions": 10000,
     "clicks": 200, "revenue": 300},
    {"day": date(2026, 4, 15), "channel": "google", "campaign": "", "spend": 50, "impressions": 5000,
     "clicks": 50, "revenue": 0},
    {"day": date(2026, 4, 30), "channel": "meta", "campaign": "spring", "spend": 150, "impressions": 5000,
     "clicks": 50, "revenue": 150},
    {"day": date(2026, 5, 1), "channel": "meta", "campaign": "spring", "spend": 999, "impressions": 1,
     "clicks": 1, "revenue": 1},
]


@pytest.fixture
def ads(engine):
    insert_rows(engine, MarketingSpend, SPEND)
    return engine


def test_sums_cover_the_first_and_last_day_only(ads, settings) -> None:
    spend = ask(ads, settings, "ad spend", granularity="week")
    assert (spend.value, spend.previous_value) == (300, 999)
    assert series(spend) == [100, 0, 50, 0, 150]
    assert sum(series(spend)) == spend.value
    assert ask(ads, settings, "impressions").value == 20000
    assert ask(ads, settings, "clicks").value == 300


def test_day_boundaries_do_not_move_with_the_reporting_zone(ads, db_url) -> None:
    for zone in ("America/New_York", "Asia/Tokyo"):
        zoned = make_settings(db_url, KPI_TIMEZONE=zone)
        assert ask(ads, zoned, "marketing_spend").value == 300, zone


def test_ratios(ads, settings) -> None:
    assert ask(ads, settings, "click through rate").value == pytest.approx(300 / 20000)
    assert ask(ads, settings, "cost per click").value == pytest.approx(1.0)
    assert ask(ads, settings, "return on ad spend").value == pytest.approx(1.5)
    assert ask(ads, settings, "ctr", period=MARCH).value is None  # the March row has no impressions


def test_breakdowns_by_campaign_and_channel(ads, settings) -> None:
    assert groups(ask(ads, settings, "marketing_spend", breakdown="campaign")) == [
        ("spring", 150), ("brand", 100), ("(none)", 50)]
    by_channel = dict(groups(ask(ads, settings, "ctr", breakdown="channel")))
    assert by_channel == {"google": pytest.approx(250 / 15000), "meta": pytest.approx(0.01)}
    assert ask(ads, settings, "cpc", filters={"campaign": ["(none)"]}).value == pytest.approx(1.0)


def test_no_rows_and_zero_denominators(ads, settings) -> None:
    assert ask(ads, settings, "marketing_spend", period=FEBRUARY).value == 0
    for metric in ("ctr", "cpc", "roas"):
        assert ask(ads, settings, metric, period=FEBRUARY).value is None, metric


def test_zero_spend_and_clicks_have_no_ratio(engine, settings) -> None:
    insert_rows(engine, MarketingSpend, [
        {"day": date(2026, 4, 2), "channel": "seo", "campaign": "", "spend": 0, "impressions": 0, "clicks": 0,
         "revenue": 10},
    ])
    assert [ask(engine, settings, m).value for m in ("ctr", "cpc", "roas")] == [None, None, None]
