"""The digest chart's headlines read the digest lines' change (one Presentation per line), so they cannot disagree.

Numbers from the conftest company, worked out by hand there: MRR $100 → $150 (+50.0%, good), signups 10 → 4
(-60.0%, worse), tickets 0 → 3 (+3, no percentage of nothing, neutral), NPS no data.
"""

from __future__ import annotations

from sqlalchemy import Engine

from bot.digests.chart import trend_panels
from bot.digests.report import build_report
from bot.digests.schedule import reported_week, zone
from bot.digests.wording import change_words
from kpi_engine.answers.format import describe_change
from kpi_engine.catalog import load_catalog
from kpi_engine.charts.labels import change_colour, signed_change
from kpi_engine.charts.style import DARK_GREY, GREEN, VERMILLION
from kpi_engine.settings import Settings
from tests.bot.digests.conftest import BERLIN, DUE, KPIS

WEEK = reported_week(DUE, zone(BERLIN))  # Mon 2026-03-02 – Sun 03-08


def test_each_panel_headline_is_the_change_its_digest_line_words(engine: Engine, settings: Settings,
                                                                 company: None) -> None:
    report = build_report(engine, settings, load_catalog(), KPIS, WEEK, {}, with_details=False)
    panels = {panel.label: (panel.change, panel.change_colour) for panel in trend_panels(report)}
    lines = {line.metric.label: change_words(line) for line in report.lines if line.has_data}
    assert panels == {"MRR": ("+50.0%", GREEN), "Signups": ("-60.0%", VERMILLION), "Tickets": ("+3", DARK_GREY),
                      "NPS": ("", DARK_GREY)}
    assert lines == {"MRR": "↑ 50.0% (+$50) vs the week before — good",
                     "Signups": "↓ 60.0% (-6) vs the week before — worse",
                     "Tickets": "↑ 3 vs the week before"}


def test_a_flat_week_and_a_change_within_noise_read_as_the_line_says() -> None:
    flat = describe_change(120.0, 120.0, "currency", "higher")
    assert flat is not None and (signed_change(flat), change_colour(flat)) == ("no change", DARK_GREY)
    # NPS 40 → 45 with the change's 95% interval -3.1 to +13.1: up 5 pts, but within noise (grey, not green)
    noisy = describe_change(45.0, 40.0, "score", "higher", interval=(-3.1, 13.1))
    assert noisy is not None and noisy.judgement == "within noise"
    assert (signed_change(noisy), change_colour(noisy)) == ("+5 pts", DARK_GREY)
    # churn 5.0% → 6.2%: percentage points, worse
    churn = describe_change(0.062, 0.05, "percent", "lower")
    assert churn is not None and (signed_change(churn), change_colour(churn)) == ("+1.2 pp", VERMILLION)
