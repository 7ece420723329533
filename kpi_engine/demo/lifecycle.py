"""Subscription lifecycle of one paying account, month by month from its first payment.

At each monthly anniversary an account may churn (and maybe come back months later: reactivation),
upgrade or downgrade its plan, change seats (expansion / contraction), or add or drop an add-on
subscription. A change ends the current row and starts the next one at the same instant.
Times are float seconds since the epoch (UTC) to keep the loop cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from kpi_engine.demo.config import (
    ADDON_END,
    ADDON_MRR,
    ADDON_PLAN,
    ADDON_START,
    CHURN,
    DOWNGRADE,
    PLANS,
    PRICE_PER_SEAT,
    REACTIVATION,
    SEAT_CHANGE,
    UPGRADE,
)
from kpi_engine.demo.timeline import MONTH_SECONDS

DRAWS_PER_MONTH = 8
MAX_MONTHS = 48


@dataclass
class SubscriptionRows:
    account: list[int] = field(default_factory=list)
    plan: list[str] = field(default_factory=list)
    mrr: list[float] = field(default_factory=list)
    started: list[float] = field(default_factory=list)
    ended: list[float] = field(default_factory=list)  # nan while active

    def open(self, account: int, plan: str, mrr: float, at: float) -> int:
        self.account.append(account)
        self.plan.append(plan)
        self.mrr.append(mrr)
        self.started.append(at)
        self.ended.append(np.nan)
        return len(self.account) - 1

    def close(self, row: int, at: float) -> None:
        self.ended[row] = at


@dataclass
class Lifecycles:
    subscriptions: SubscriptionRows
    paid_intervals: list[list[tuple[float, float]]]  # per account: [start, end) while paying (end inf if open)
    purchases: list[tuple[int, float]]  # (account, instant) of every paid start: new, back, upgrade, add-on
    current_plan: list[int]  # per account, index into PLANS of the last base plan, -1 if it never paid


def base_mrr(plan: int, seats: int, discount: float) -> float:
    return round(PRICE_PER_SEAT[plan] * seats * discount, 2)


def run_lifecycles(
    rng: np.random.Generator,
    first_paid: np.ndarray,
    segment: np.ndarray,
    plan: np.ndarray,
    seats: np.ndarray,
    finish: float,
) -> Lifecycles:
    """`first_paid` per account as float seconds (nan: never pays)."""
    n = len(first_paid)
    draws = rng.random((n, MAX_MONTHS, DRAWS_PER_MONTH))
    discounts = np.where(rng.random(n) < 0.3, 0.85, 1.0)  # annual contracts, monthly-normalised
    hours = rng.random((n, MAX_MONTHS)) * 8 * 3600
    subs = SubscriptionRows()
    out = Lifecycles(subs, [[] for _ in range(n)], [], [-1] * n)
    for a in np.flatnonzero(~np.isnan(first_paid)):
        _one_account(out, int(a), float(first_paid[a]), int(segment[a]), int(plan[a]), int(seats[a]),
                     float(discounts[a]), draws[a], hours[a], finish)
    return out


def _one_account(
    out: Lifecycles, a: int, t: float, seg: int, plan: int, seats: int, discount: float,
    draws: np.ndarray, hours: np.ndarray, finish: float,
) -> None:
    subs = out.subscriptions
    base = subs.open(a, PLANS[plan], base_mrr(plan, seats, discount), t)
    addon: int | None = None
    out.purchases.append((a, t))
    intervals = out.paid_intervals[a]
    interval_start = t
    month = 0
    while month < MAX_MONTHS - 1:
        u = draws[month]
        t_next = t + MONTH_SECONDS
        if t_next >= finish:
            break
        month += 1
        if u[0] < CHURN[seg]:
            subs.close(base, t_next)
            if addon is not None:
                subs.close(addon, t_next)
                addon = None
            intervals.append((interval_start, t_next))
            if u[1] >= REACTIVATION:
                out.current_plan[a] = plan
                return
            t = t_next + (1 + int(u[2] * 7)) * MONTH_SECONDS + hours[month]
            if t >= finish:
                out.current_plan[a] = plan
                return
            plan = plan - 1 if (u[3] < 0.3 and plan > 0) else plan
            seats = max(1, int(seats * (0.6 + 0.6 * u[4])))
            base = subs.open(a, PLANS[plan], base_mrr(plan, seats, discount), t)
            out.purchases.append((a, t))
            interval_start = t
            continue
        new_plan, new_seats = _plan_change(u, seg, plan, seats)
        if (new_plan, new_seats) != (plan, seats):
            subs.close(base, t_next)
            base = subs.open(a, PLANS[new_plan], base_mrr(new_plan, new_seats, discount), t_next)
            if base_mrr(new_plan, new_seats, discount) > base_mrr(plan, seats, discount):
                out.purchases.append((a, t_next))
            plan, seats = new_plan, new_seats
        addon = _addon_change(out, a, addon, u, seg, t_next)
        t = t_next
    intervals.append((interval_start, np.inf))
    out.current_plan[a] = plan


def _plan_change(u: np.ndarray, seg: int, plan: int, seats: int) -> tuple[int, int]:
    p = u[5]
    if p < UPGRADE and plan < len(PLANS) - 1:
        return plan + 1, seats
    p -= UPGRADE
    if p < DOWNGRADE and plan > 0:
        return plan - 1, seats
    p -= DOWNGRADE
    if p < SEAT_CHANGE:
        factor = 0.7 + 0.75 * u[6]  # more expansion than contraction
        changed = max(1, round(seats * factor))
        return plan, changed if changed != seats else seats + 1
    return plan, seats


def _addon_change(out: Lifecycles, a: int, addon: int | None, u: np.ndarray, seg: int, t: float) -> int | None:
    subs = out.subscriptions
    if addon is None and u[7] < ADDON_START * (1 + seg):
        out.purchases.append((a, t))
        return subs.open(a, ADDON_PLAN, ADDON_MRR[seg], t)
    if addon is not None and u[7] < ADDON_END:
        subs.close(addon, t)
        return None
    return addon
