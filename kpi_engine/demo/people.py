"""Users: the people of each account (the first one signs the account up, others are invited later) and
users without an account (free sign-ups who look around for a few weeks)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kpi_engine.demo.company import Company
from kpi_engine.demo.config import USERS_BY_SEGMENT, Scale
from kpi_engine.demo.names import domain_of, emails
from kpi_engine.demo.timeline import History, draw_days, office_hours, seconds

NO_ACCOUNT = -1


@dataclass(frozen=True)
class People:
    ids: list[str]
    account: np.ndarray  # account index, NO_ACCOUNT for users without one
    created: np.ndarray  # datetime64[s]
    created_day: np.ndarray  # local day index of creation
    engagement: np.ndarray  # relative activity level
    free_until_day: np.ndarray  # last active local day of users without account (-1 for account users)
    owner: np.ndarray  # bool: the user who signed the account up
    emails: list[str]
    slack_ids: list[str | None]

    def __len__(self) -> int:
        return len(self.ids)

    def owners(self, n_accounts: int) -> np.ndarray:
        """User index of each account's owner."""
        owners = np.flatnonzero(self.owner)
        result = np.full(n_accounts, -1, dtype=np.int64)
        result[self.account[owners]] = owners
        return result


def build_people(rng: np.random.Generator, history: History, company: Company, scale: Scale) -> People:
    n_acc = len(company)
    paid = ~np.isnat(company.first_paid)
    minimum, mean = np.asarray(USERS_BY_SEGMENT).T
    invited = np.where(paid, minimum[company.segment] - 1 + rng.poisson(mean[company.segment]), rng.poisson(0.3, n_acc))
    invited = np.maximum(invited, 0).astype(np.int64)

    inv_account = np.repeat(np.arange(n_acc), invited)
    # invited users join during the account's first usage spell (its trial or first paid spell), early on
    spell = np.where(paid, 1, 0)[inv_account]
    spell_start = company.usage_start[inv_account, spell]
    spell_end = np.minimum(company.usage_end[inv_account, spell], history.finish)
    length = (spell_end - spell_start).astype(np.int64).astype(float)
    offset = np.minimum(length * rng.random(len(inv_account)) ** 2, 300 * 86_400.0)
    inv_created = spell_start + seconds(offset)

    n_free = int(scale.free_user_share * (n_acc + len(inv_account)))
    free_days = draw_days(rng, history.demand(), n_free)
    free_created = history.at(free_days, office_hours(rng, len(free_days), 14.0, 4.0))
    free_until = np.minimum(free_days + rng.exponential(40, len(free_days)).astype(np.int64) + 1, history.days - 1)

    account = np.concatenate([np.arange(n_acc), inv_account, np.full(len(free_days), NO_ACCOUNT)])
    created = np.concatenate([company.created, inv_created, free_created])
    order = np.argsort(created, kind="stable")
    account, created = account[order], created[order]
    owner = (order < n_acc)
    is_free = account == NO_ACCOUNT
    until = np.concatenate([np.full(n_acc + len(inv_account), -1), free_until])[order]
    n = len(order)

    engagement = rng.lognormal(0.0, 0.7, n) * np.where(owner, 1.5, 1.0) * np.where(is_free, 0.6, 1.0)
    domains = [None if a == NO_ACCOUNT else domain_of(company.names[a]) for a in account]
    slack = rng.random(n) < 0.6
    slack_ids = [f"U{rng_id:09X}" if has and a != NO_ACCOUNT else None
                 for rng_id, has, a in zip(rng.integers(0, 16**9, n), slack, account, strict=True)]
    return People(
        ids=[f"user_{i + 1:07d}" for i in range(n)],
        account=account,
        created=created,
        created_day=history.day_of(created),
        engagement=engagement,
        free_until_day=until,
        owner=owner,
        emails=emails(rng, domains, np.arange(1, n + 1)),
        slack_ids=slack_ids,
    )


def user_rows(people: People, company: Company) -> dict[str, object]:
    return {
        "user_id": people.ids,
        "account_id": [None if a == NO_ACCOUNT else company.ids[a] for a in people.account],
        "created_at": people.created,
        "email": people.emails,
        "slack_user_id": people.slack_ids,
    }


def alive_on(people: People, company_active: np.ndarray, day: int) -> np.ndarray:
    """Users who may be active on local `day` (created before it; account in use, or free user still around)."""
    acc_ok = np.append(company_active, False)[people.account]  # NO_ACCOUNT (-1) reads the appended False
    free_ok = (people.account == NO_ACCOUNT) & (day <= people.free_until_day)
    return (people.created_day < day) & (acc_ok | free_ok)


def accounts_active_on(company: Company, history: History, day: int) -> np.ndarray:
    """Accounts in a usage interval during local `day` (from its midnight to the next)."""
    lo, hi = history.midnights[day], history.midnights[day + 1]
    return ((company.usage_start < hi) & (company.usage_end > lo)).any(axis=1)
