"""Accounts, subscriptions, orders, marketing spend and trials."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from kpi_engine.db.base import Base
from kpi_engine.db.types import Id, Num, OptId, Text, UtcTs


class Account(Base):
    __tablename__ = "accounts"

    account_id: Mapped[Id] = mapped_column(primary_key=True)
    name: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcTs)
    plan: Mapped[str | None] = mapped_column(String(100))
    segment: Mapped[str | None] = mapped_column(String(100))
    channel: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(100))


class Subscription(Base):
    __tablename__ = "subscriptions"

    subscription_id: Mapped[Id] = mapped_column(primary_key=True)
    account_id: Mapped[Id] = mapped_column(index=True)
    plan: Mapped[str | None] = mapped_column(String(100))
    mrr: Mapped[float] = mapped_column(Num)
    started_at: Mapped[datetime] = mapped_column(UtcTs, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UtcTs, index=True)


class Order(Base):
    __tablename__ = "orders"

    order_id: Mapped[Id] = mapped_column(primary_key=True)
    account_id: Mapped[OptId] = mapped_column(index=True)
    ordered_at: Mapped[datetime] = mapped_column(UtcTs, index=True)
    amount: Mapped[float] = mapped_column(Num)
    cost: Mapped[float | None] = mapped_column(Num)
    product: Mapped[str | None] = mapped_column(String(200))


class MarketingSpend(Base):
    """One row per local day x channel x campaign; a missing campaign is stored as ''."""

    __tablename__ = "marketing_spend"

    day: Mapped[date] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(100), primary_key=True)
    campaign: Mapped[str] = mapped_column(String(200), primary_key=True, default="")
    spend: Mapped[float] = mapped_column(Num)
    impressions: Mapped[int | None]
    clicks: Mapped[int | None]
    revenue: Mapped[float | None] = mapped_column(Num)


class Trial(Base):
    __tablename__ = "trials"

    trial_id: Mapped[Id] = mapped_column(primary_key=True)
    account_id: Mapped[Id] = mapped_column(index=True)
    started_at: Mapped[datetime] = mapped_column(UtcTs, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UtcTs, index=True)
    converted_at: Mapped[datetime | None] = mapped_column(UtcTs, index=True)



