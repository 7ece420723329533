"""Support tickets: accounts open tickets while they use the product (bigger accounts more often),
prospects without an account now and then. Response and resolution times depend on priority; some
tickets are escalated; the most recent ones are still waiting for an answer or a fix."""

from __future__ import annotations

import numpy as np

from kpi_engine.demo.company import Company
from kpi_engine.demo.config import (
    TICKET_CATEGORIES,
    TICKET_CATEGORY_WEIGHTS,
    TICKET_PRIORITIES,
    TICKET_PRIORITY_WEIGHTS,
)
from kpi_engine.demo.people import NO_ACCOUNT
from kpi_engine.demo.timeline import NEVER, History, draw_days, office_hours, seconds

TICKETS_PER_MONTH = (0.3, 0.9, 2.5)  # per account in use, by segment
PROSPECT_SHARE = 0.08
FIRST_RESPONSE_HOURS = (10.0, 4.0, 1.5, 0.5)  # median by priority
ESCALATION = (0.02, 0.05, 0.15, 0.35)
RESOLUTION_HOURS = {"how_to": 6.0, "bug": 60.0, "billing": 12.0, "feature_request": 120.0, "account": 8.0,
                    "integration": 36.0}
NEVER_RESOLVED = 0.01


def ticket_rows(rng: np.random.Generator, history: History, company: Company) -> dict[str, object]:
    account, opened = _openings(rng, history, company)
    n = len(account)
    priority = rng.choice(len(TICKET_PRIORITIES), n, p=TICKET_PRIORITY_WEIGHTS)
    category = rng.choice(len(TICKET_CATEGORIES), n, p=TICKET_CATEGORY_WEIGHTS)
    escalated = rng.random(n) < np.asarray(ESCALATION)[priority]
    response_h = np.asarray(FIRST_RESPONSE_HOURS)[priority] * rng.lognormal(0, 0.8, n)
    first_response = opened + seconds(response_h * 3600 + 60)
    median_fix = np.asarray([RESOLUTION_HOURS[c] for c in TICKET_CATEGORIES])[category]
    fix_h = median_fix * rng.lognormal(0, 1.0, n) * np.where(escalated, 3.0, 1.0)
    resolved = first_response + seconds(fix_h * 3600)
    resolved = np.where(rng.random(n) < NEVER_RESOLVED, NEVER, resolved)
    order = np.argsort(opened, kind="stable")
    ids = np.asarray(company.ids + [None], dtype=object)
    return {
        "ticket_id": [f"T-{i + 1:06d}" for i in range(n)],
        "account_id": ids[account[order]],
        "opened_at": opened[order],
        "first_response_at": _known(first_response[order], history),
        "resolved_at": _known(resolved[order], history),
        "escalated": escalated[order],
        "priority": np.asarray(TICKET_PRIORITIES, dtype=object)[priority[order]],
        "category": np.asarray(TICKET_CATEGORIES, dtype=object)[category[order]],
    }


def _known(instants: np.ndarray, history: History) -> np.ndarray:
    """What has not happened by the end of the history is not known yet."""
    return np.where(instants < history.finish, instants, NEVER)


def _openings(rng: np.random.Generator, history: History, company: Company) -> tuple[np.ndarray, np.ndarray]:
    finish = history.finish
    start = company.usage_start
    end = np.where(company.usage_end < finish, company.usage_end, finish)
    length = np.where(np.isnat(start), 0, (end - start).astype(np.int64)).clip(min=0).astype(float)
    rate = np.asarray(TICKETS_PER_MONTH)[company.segment][:, None] * length / (30.44 * 86_400)
    counts = rng.poisson(rate.ravel())
    spell = np.repeat(np.arange(rate.size), counts)
    account = spell // start.shape[1]
    opened = start.ravel()[spell] + seconds(rng.random(len(spell)) * length.ravel()[spell])

    n_prospects = int(PROSPECT_SHARE * len(spell))
    days = draw_days(rng, history.demand(), n_prospects)
    prospect_opened = history.at(days, office_hours(rng, len(days)))
    account = np.concatenate([account, np.full(len(days), NO_ACCOUNT)])
    opened = np.concatenate([opened, prospect_opened])
    keep = opened < finish
    return account[keep], opened[keep]
