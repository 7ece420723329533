"""Accounts, trials and subscriptions: who arrives when, who converts, and how they pay over time.

Accounts arrive with the demand curve. Most small accounts start with a 14-day trial (some convert, most
do not); bigger ones are sales-led. Paying accounts then follow `lifecycle.run_lifecycles`.
An account's *usage intervals* (trial or evaluation, then paid spells) say when its users are active.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kpi_engine.demo.config import (
    CHANNEL_WEIGHTS,
    CHANNELS,
    COUNTRIES,
    COUNTRY_WEIGHTS,
    PLAN_BY_SEGMENT,
    PLANS,
    SALES_WIN_RATE,
    SEATS_BY_SEGMENT,
    SEGMENT_WEIGHTS,
    SEGMENTS,
    TRIAL_CONVERSION_BY_CHANNEL,
    TRIAL_DAYS,
    TRIAL_SHARE_BY_SEGMENT,
    Scale,
)
from kpi_engine.demo.lifecycle import Lifecycles, run_lifecycles
from kpi_engine.demo.names import company_names
from kpi_engine.demo.timeline import DAY, NEVER, History, draw_days, office_hours

MAX_INTERVALS = 8


@dataclass(frozen=True)
class Company:
    ids: list[str]
    names: list[str]
    created: np.ndarray  # datetime64[s]
    segment: np.ndarray  # index into SEGMENTS
    channel: np.ndarray
    country: np.ndarray
    plan: np.ndarray  # current (last) plan index, -1 if it never paid
    trial: np.ndarray  # bool: started with a trial
    first_paid: np.ndarray  # datetime64[s], NaT if it never paid
    usage_start: np.ndarray  # (accounts, MAX_INTERVALS) datetime64[s], NaT padding
    usage_end: np.ndarray  # exclusive; far future while still active
    paid_start: np.ndarray  # (accounts, MAX_INTERVALS) datetime64[s]: paid spells, active on (start, end]
    paid_end: np.ndarray
    lifecycles: Lifecycles

    def __len__(self) -> int:
        return len(self.ids)

    def active_at(self, instants: np.ndarray, accounts: np.ndarray) -> np.ndarray:
        """Whether each account (index) is in one of its usage intervals at the matching instant."""
        t = np.asarray(instants)[:, None]
        return ((self.usage_start[accounts] <= t) & (t < self.usage_end[accounts])).any(axis=1)

    def paying_at(self, instant: np.datetime64) -> np.ndarray:
        """Indices of accounts inside a paid interval at `instant`."""
        return np.flatnonzero(((self.paid_start < instant) & (instant <= self.paid_end)).any(axis=1))


def _as_instants(seconds_matrix: np.ndarray) -> np.ndarray:
    finite = np.where(np.isfinite(seconds_matrix), seconds_matrix, 4e9)
    out = finite.astype("int64").astype("datetime64[s]")
    return np.where(np.isnan(seconds_matrix), NEVER, out)


def _pack(intervals: list[list[tuple[float, float]]], n: int) -> tuple[np.ndarray, np.ndarray]:
    start = np.full((n, MAX_INTERVALS), np.nan)
    end = np.full((n, MAX_INTERVALS), np.nan)
    for a, spans in enumerate(intervals):
        for k, (s, e) in enumerate(spans[:MAX_INTERVALS]):
            start[a, k], end[a, k] = s, e
    return start, end


def to_seconds(instants: np.ndarray) -> np.ndarray:
    values = instants.astype("datetime64[s]").astype("int64").astype(float)
    return np.where(np.isnat(instants), np.nan, values)


def build_company(rng: np.random.Generator, history: History, scale: Scale) -> Company:
    days = draw_days(rng, history.demand(), scale.accounts)
    n = len(days)
    created = history.at(days, office_hours(rng, n))
    segment = rng.choice(len(SEGMENTS), n, p=SEGMENT_WEIGHTS)
    channel = rng.choice(len(CHANNELS), n, p=CHANNEL_WEIGHTS)
    country = rng.choice(len(COUNTRIES), n, p=COUNTRY_WEIGHTS)
    plan_draw = rng.random(n)
    plan = (plan_draw[:, None] > np.cumsum(np.asarray(PLAN_BY_SEGMENT)[segment], axis=1)).sum(axis=1)
    plan = np.minimum(plan, len(PLANS) - 1)
    seats_min, seats_mean = np.asarray(SEATS_BY_SEGMENT).T
    seats = seats_min[segment] + rng.poisson(seats_mean[segment])

    trial = rng.random(n) < np.asarray(TRIAL_SHARE_BY_SEGMENT)[segment]
    converts = np.where(trial, rng.random(n) < np.asarray(TRIAL_CONVERSION_BY_CHANNEL)[channel],
                        rng.random(n) < SALES_WIN_RATE)
    delay_days = np.where(trial, rng.uniform(1, TRIAL_DAYS, n), rng.uniform(5, 40, n))
    first_paid = created + (delay_days * 86_400).astype("int64").astype("timedelta64[s]")
    first_paid = np.where(converts & (first_paid < history.finish), first_paid, NEVER)

    lifecycles = run_lifecycles(rng, to_seconds(first_paid), segment, plan, seats,
                                float(history.finish.astype("int64")))
    paid_start, paid_end = (_as_instants(m) for m in _pack(lifecycles.paid_intervals, n))
    usage_start, usage_end = _usage_intervals(rng, created, trial, first_paid, paid_start, paid_end)
    return Company(
        ids=[f"acc_{i + 1:06d}" for i in range(n)],
        names=company_names(rng, n),
        created=created,
        segment=segment,
        channel=channel,
        country=country,
        plan=np.asarray(lifecycles.current_plan),
        trial=trial,
        first_paid=first_paid,
        usage_start=usage_start,
        usage_end=usage_end,
        paid_start=paid_start,
        paid_end=paid_end,
        lifecycles=lifecycles,
    )


def _usage_intervals(
    rng: np.random.Generator, created: np.ndarray, trial: np.ndarray, first_paid: np.ndarray,
    paid_start: np.ndarray, paid_end: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Before paying: the trial (or evaluation) from creation; then every paid interval."""
    n = len(created)
    lead_end = np.where(np.isnat(first_paid),
                        created + np.where(trial, TRIAL_DAYS + rng.integers(0, 4, n), 20) * DAY, first_paid)
    start = np.concatenate([created[:, None], paid_start], axis=1)
    end = np.concatenate([lead_end[:, None], paid_end], axis=1)
    return start[:, :MAX_INTERVALS], end[:, :MAX_INTERVALS]


def trial_rows(company: Company, history: History) -> dict[str, object]:
    """Trials table: the trial accounts; a trial still running at the end has no ended_at yet."""
    idx = np.flatnonzero(company.trial)
    started = company.created[idx]
    ended = started + TRIAL_DAYS * DAY
    converted = company.first_paid[idx]
    return {
        "trial_id": [f"trial_{i + 1:06d}" for i in range(len(idx))],
        "account_id": [company.ids[a] for a in idx],
        "started_at": started,
        "ended_at": np.where(ended < history.finish, ended, NEVER),
        "converted_at": converted,
    }
