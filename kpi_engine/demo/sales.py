"""Orders: a monthly invoice per active subscription, one-off services, add-ons named after newly launched
features (so new_feature_revenue_share has a value), and store purchases by users without an account.
Every order of a person (and every paid subscription start) is also a `purchase` event."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kpi_engine.demo.company import Company
from kpi_engine.demo.config import FEATURES, ONE_OFF_PRODUCTS, PLANS, STORE_PRODUCT
from kpi_engine.demo.people import NO_ACCOUNT, People
from kpi_engine.demo.timeline import DAY, MONTH_SECONDS, History, seconds

NO_COST_SHARE = 0.04


@dataclass(frozen=True)
class Orders:
    rows: dict[str, object]
    purchase_user: np.ndarray  # user index of each `purchase` event
    purchase_at: np.ndarray


def build_orders(rng: np.random.Generator, history: History, company: Company, people: People) -> Orders:
    parts = [_invoices(history, company), _one_offs(rng, history, company), _feature_add_ons(rng, history, company)]
    account = np.concatenate([p[0] for p in parts])
    at = np.concatenate([p[1] for p in parts])
    amount = np.concatenate([p[2] for p in parts])
    product = np.concatenate([p[3] for p in parts])
    invoice = np.zeros(len(account), dtype=bool)
    invoice[: len(parts[0][0])] = True
    store_user, store_at = _store(rng, history, people)
    account = np.concatenate([account, np.full(len(store_user), NO_ACCOUNT)])
    at = np.concatenate([at, store_at])
    amount = np.concatenate([amount, np.full(len(store_user), STORE_PRODUCT[1])])
    product = np.concatenate([product, np.full(len(store_user), STORE_PRODUCT[0], dtype=object)])
    invoice = np.concatenate([invoice, np.zeros(len(store_user), dtype=bool)])
    owners = people.owners(len(company))
    buyer = np.concatenate([owners[account[: len(account) - len(store_user)]], store_user])

    cost = np.round(amount * rng.uniform(0.12, 0.35, len(amount)), 2)
    cost = np.where(rng.random(len(amount)) < NO_COST_SHARE, np.nan, cost)
    order = np.argsort(at, kind="stable")
    columns = (account, at, amount, product, cost, invoice, buyer)
    account, at, amount, product, cost, invoice, buyer = (x[order] for x in columns)
    ids = np.asarray(company.ids + [None], dtype=object)
    one_off = np.logical_not(invoice)
    sub_account = np.asarray([a for a, _ in company.lifecycles.purchases], dtype=np.int64)
    sub_at = np.asarray([t for _, t in company.lifecycles.purchases], dtype=np.int64).astype("datetime64[s]")
    rows = {
        "order_id": [f"ord_{i + 1:07d}" for i in range(len(at))],
        "account_id": ids[account],
        "ordered_at": at,
        "amount": amount,
        "cost": cost,
        "product": product,
    }
    return Orders(rows, np.concatenate([buyer[one_off], owners[sub_account]]), np.concatenate([at[one_off], sub_at]))


def _invoices(history: History, company: Company) -> tuple[np.ndarray, ...]:
    subs = company.lifecycles.subscriptions
    start = np.asarray(subs.started)
    finish = float(history.finish.astype("int64"))
    end = np.minimum(np.nan_to_num(np.asarray(subs.ended), nan=finish), finish)
    count = np.ceil((end - start) / MONTH_SECONDS).astype(np.int64)
    row = np.repeat(np.arange(len(start)), count)
    k = np.arange(len(row)) - np.repeat(np.cumsum(count) - count, count)
    at = (start[row] + k * MONTH_SECONDS).astype(np.int64).astype("datetime64[s]")
    return (np.asarray(subs.account)[row], at, np.asarray(subs.mrr)[row], np.asarray(subs.plan, dtype=object)[row])


def _one_offs(rng: np.random.Generator, history: History, company: Company) -> tuple[np.ndarray, ...]:
    """Onboarding when a mid-market or enterprise account first pays; training and storage now and then."""
    big = np.flatnonzero(~np.isnat(company.first_paid) & (company.segment > 0))
    onboard_at = company.first_paid[big] + 2 * DAY
    onboard_amount = ONE_OFF_PRODUCTS[0][1] * company.segment[big] * rng.uniform(0.8, 1.2, len(big))

    subs = company.lifecycles.subscriptions
    base = np.flatnonzero(np.isin(np.asarray(subs.plan, dtype=object), PLANS))
    finish = float(history.finish.astype("int64"))
    ended = np.minimum(np.nan_to_num(np.asarray(subs.ended)[base], nan=finish), finish)
    months = np.maximum(np.round((ended - np.asarray(subs.started)[base]) / MONTH_SECONDS), 1).astype(np.int64)
    buys = rng.poisson(months * 0.03)
    row = np.repeat(base, buys)
    at = (np.asarray(subs.started)[row] + rng.random(len(row)) * months.repeat(buys) * MONTH_SECONDS)
    at = at.astype(np.int64).astype("datetime64[s]")
    kind = 1 + (rng.random(len(row)) < 0.6)
    amount = np.asarray([p[1] for p in ONE_OFF_PRODUCTS])[kind] * rng.uniform(0.7, 1.5, len(row))
    account = np.concatenate([big, np.asarray(subs.account, dtype=np.int64)[row]])
    at = np.concatenate([onboard_at, at])
    amount = np.round(np.concatenate([onboard_amount, amount]), 2)
    product = np.concatenate([np.full(len(big), ONE_OFF_PRODUCTS[0][0], dtype=object),
                              np.asarray([p[0] for p in ONE_OFF_PRODUCTS], dtype=object)[kind]])
    keep = at < history.finish
    return account[keep], at[keep], amount[keep], product[keep]


def _feature_add_ons(rng: np.random.Generator, history: History, company: Company) -> tuple[np.ndarray, ...]:
    """Accounts buy a new feature mostly in the weeks after its launch, and some later on."""
    accounts, ats, amounts, products = [], [], [], []
    for spec in FEATURES:
        if spec.launch_day is None or spec.launch_day < 0:
            continue
        launch = history.midnights[spec.launch_day] + np.timedelta64(10 * 3600, "s")
        buyers = company.paying_at(launch + 30 * DAY)
        n = rng.poisson(0.15 * len(buyers) + 2)
        delay = np.where(rng.random(n) < 0.75, rng.exponential(35 * 86_400, n), rng.uniform(0, 500 * 86_400, n))
        at = launch + seconds(delay + 3600)
        account = rng.choice(buyers, n) if len(buyers) else np.zeros(0, dtype=np.int64)
        at = at[: len(account)]
        keep = (at < history.finish) & company.active_at(at, account)
        accounts.append(account[keep])
        ats.append(at[keep])
        amounts.append(np.round(rng.uniform(49, 399, len(account))[keep] * (1 + company.segment[account[keep]]), 2))
        products.append(np.full(int(keep.sum()), spec.feature, dtype=object))
    return (np.concatenate(accounts), np.concatenate(ats), np.concatenate(amounts), np.concatenate(products))


def _store(rng: np.random.Generator, history: History, people: People) -> tuple[np.ndarray, np.ndarray]:
    """Some users without an account buy a template pack soon after signing up."""
    free = np.flatnonzero(people.account == NO_ACCOUNT)
    buyer = free[rng.random(len(free)) < 0.15]
    at = people.created[buyer] + seconds(300 + rng.exponential(5 * 86_400, len(buyer)))
    keep = at < history.finish
    return buyer[keep], at[keep]
