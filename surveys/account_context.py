"""What the customer-experience team needs next to an unhappy answer: the account's plan, MRR and open tickets.

MRR and open tickets come from the KPI engine (filtered to the one account), at the end of the as-of day, so
they match what `/kpi mrr` and `/kpi open tickets` answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, select

from kpi_engine.catalog import load_catalog
from kpi_engine.db.models import Account
from kpi_engine.engine import run_query
from kpi_engine.periods import Period, local_date
from kpi_engine.query import Filter, MetricQuery
from kpi_engine.settings import Settings
from kpi_engine.sources.routing import contract_connection


@dataclass(frozen=True)
class AccountContext:
    account_id: str
    name: str | None
    plan: str | None
    mrr: float
    open_tickets: int


def local_day(instant_utc: datetime, settings: Settings) -> date:
    """The reporting-zone day of a naive UTC instant."""
    return local_date(instant_utc, settings.tz)


def account_context(engine: Engine, settings: Settings, account_id: str, as_of: date) -> AccountContext:
    catalog = load_catalog()
    only_account = (Filter(dimension="account", values=(account_id,)),)

    def stock(metric: str) -> float:
        query = MetricQuery(metric=metric, as_of=as_of, period=Period(as_of, as_of, "day"), comparison="none",
                            filters=only_account)
        with engine.connect() as conn:
            return getattr(run_query(conn, query, catalog, settings), "value", None) or 0.0

    with contract_connection(engine, settings) as conn:  # accounts live in the source when there is one
        account = conn.execute(select(Account.name, Account.plan).where(Account.account_id == account_id)).first()
    return AccountContext(account_id, account.name if account else None, account.plan if account else None,
                          float(stock("mrr")), int(stock("open_tickets")))
