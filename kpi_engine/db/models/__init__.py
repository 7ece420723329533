"""Typed models for every table of the data contract, plus derived and bookkeeping tables."""

from kpi_engine.db.models.delivery import Release, WorkItem
from kpi_engine.db.models.derived import DerivedState, Session, UserDay
from kpi_engine.db.models.product import Event, Feature, User
from kpi_engine.db.models.revenue import Account, MarketingSpend, Order, Subscription, Trial
from kpi_engine.db.models.support import Ticket
from kpi_engine.db.models.surveys import SurveyDelivery, SurveyResponse
from kpi_engine.db.models.targets import Target

__all__ = [
    "Account",
    "DerivedState",
    "Event",
    "Feature",
    "MarketingSpend",
    "Order",
    "Release",
    "Session",
    "Subscription",
    "SurveyDelivery",
    "SurveyResponse",
    "Target",
    "Ticket",
    "Trial",
    "User",
    "UserDay",
    "WorkItem",
]
