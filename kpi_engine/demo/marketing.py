"""Daily marketing spend by channel and campaign (local days), with impressions, clicks and revenue.

Campaigns run for part of the history; spend grows with the company and follows the season. Organic
spend (content, SEO) has no campaign, stored as ''.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kpi_engine.demo.config import SEASON, YEARLY_GROWTH, Scale
from kpi_engine.demo.timeline import History


@dataclass(frozen=True)
class Campaign:
    channel: str
    campaign: str
    first_day: float  # share of the history when it starts (0..1)
    last_day: float
    daily_spend: float  # at the start of the history, before the scale's factor
    cpm: float  # cost per thousand impressions
    ctr: float
    roas: float


CAMPAIGNS: tuple[Campaign, ...] = (
    Campaign("paid_search", "brand", 0.0, 1.0, 60.0, 9.0, 0.08, 5.5),
    Campaign("paid_search", "generic", 0.0, 1.0, 140.0, 14.0, 0.025, 1.6),
    Campaign("paid_search", "competitor", 0.3, 1.0, 80.0, 18.0, 0.018, 1.1),
    Campaign("social", "linkedin_abm", 0.0, 1.0, 90.0, 30.0, 0.006, 1.3),
    Campaign("social", "facebook_retargeting", 0.0, 0.7, 50.0, 6.0, 0.011, 2.1),
    Campaign("social", "tiktok_test", 0.75, 0.9, 70.0, 4.0, 0.009, 0.4),
    Campaign("referral", "referral_rewards", 0.0, 1.0, 25.0, 20.0, 0.05, 3.5),
    Campaign("partner", "partner_program", 0.1, 1.0, 40.0, 25.0, 0.02, 2.4),
    Campaign("organic", "", 0.0, 1.0, 35.0, 2.0, 0.03, 4.0),
    Campaign("organic", "webinars", 0.45, 1.0, 20.0, 15.0, 0.04, 2.8),
)


def marketing_rows(rng: np.random.Generator, history: History, scale: Scale) -> dict[str, object]:
    n_days = history.days
    t = np.arange(n_days) / 365.0
    trend = np.power(YEARLY_GROWTH, 0.8 * t) * (1 + 0.5 * (np.asarray(SEASON)[history.months - 1] - 1))
    weekday = np.where(history.weekdays >= 5, 0.6, 1.0)
    days, channels, campaigns, spends, impressions, clicks, revenues = [], [], [], [], [], [], []
    for c in CAMPAIGNS:
        idx = np.arange(int(c.first_day * n_days), max(int(c.last_day * n_days), 1))
        idx = idx[idx < n_days]
        spend = c.daily_spend * scale.spend_factor * trend[idx] * weekday[idx] * rng.lognormal(0, 0.25, len(idx))
        spend = np.round(spend, 2)
        shown = np.maximum((spend / c.cpm * 1000 * rng.lognormal(0, 0.1, len(idx))).astype(np.int64), 1)
        clicked = rng.binomial(shown, c.ctr)
        revenue = np.round(spend * c.roas * rng.lognormal(0, 0.35, len(idx)), 2)
        days.append(idx)
        channels.append(np.full(len(idx), c.channel, dtype=object))
        campaigns.append(np.full(len(idx), c.campaign, dtype=object))
        spends.append(spend)
        impressions.append(shown)
        clicks.append(clicked)
        revenues.append(revenue)
    day = np.concatenate(days)
    order = np.argsort(day, kind="stable")
    start = np.datetime64(history.start, "D")
    return {
        "day": (start + day[order].astype("timedelta64[D]")),
        "channel": np.concatenate(channels)[order],
        "campaign": np.concatenate(campaigns)[order],
        "spend": np.concatenate(spends)[order],
        "impressions": np.concatenate(impressions)[order],
        "clicks": np.concatenate(clicks)[order],
        "revenue": np.concatenate(revenues)[order],
    }
