"""Typed models for every table of the data contract, plus derived and bookkeeping tables.

The data's tables (the contract, the derived tables, targets) are mapped on import. The bot's own state
(conversations, digests and alerts, security, the audit log, survey campaigns) is mapped on first use of one
of its names, so answering a question does not pay for it; `every_table()` maps them all (migrations,
schema comparisons).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from sqlalchemy import MetaData

from kpi_engine.db.base import Base
from kpi_engine.db.models.derived import (
    AccountProfile,
    DailyReturn,
    DailyUsage,
    DerivedState,
    FeatureDay,
    GroupDailyReturn,
    GroupDailyUsage,
    Session,
    UsageDay,
    UserProfile,
)
from kpi_engine.db.models.product import Event, Feature, User
from kpi_engine.db.models.revenue import Account, MarketingSpend, Order, Subscription, Trial
from kpi_engine.db.models.support import Ticket
from kpi_engine.db.models.surveys import SurveyDelivery, SurveyResponse
from kpi_engine.db.models.targets import Target
from kpi_engine.db.models.work_items import Release, WorkItem

if TYPE_CHECKING:
    from kpi_engine.db.models.conversations import SlackConversation
    from kpi_engine.db.models.digests import AlertEvent, AlertRule, DigestRun, DigestSend, DigestSubscription
    from kpi_engine.db.models.security import SlackRatePause, SlackWorkspaceState
    from kpi_engine.db.models.slack_app import SlackAuditEntry, SlackPin, SlackProcessedEvent
    from kpi_engine.db.models.survey_campaigns import (
        SurveyAccountLink,
        SurveyCampaign,
        SurveyContact,
        SurveyDeliveryState,
    )

_APP_STATE_MODULES: dict[str, str] = {
    "SlackConversation": "conversations",
    **dict.fromkeys(("AlertEvent", "AlertRule", "DigestRun", "DigestSend", "DigestSubscription"), "digests"),
    **dict.fromkeys(("SlackRatePause", "SlackWorkspaceState"), "security"),
    **dict.fromkeys(("SlackAuditEntry", "SlackPin", "SlackProcessedEvent"), "slack_app"),
    **dict.fromkeys(("SurveyAccountLink", "SurveyCampaign", "SurveyContact", "SurveyDeliveryState"),
                    "survey_campaigns"),
}


def __getattr__(name: str) -> Any:
    module = _APP_STATE_MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    model = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = model
    return model


def every_table() -> MetaData:
    """The metadata with every model's table, the bot's own state included."""
    for module in dict.fromkeys(_APP_STATE_MODULES.values()):
        importlib.import_module(f"{__name__}.{module}")
    return Base.metadata


__all__ = [
    "Account",
    "AccountProfile",
    "AlertEvent",
    "AlertRule",
    "DailyReturn",
    "DailyUsage",
    "DerivedState",
    "DigestSend",
    "DigestRun",
    "DigestSubscription",
    "Event",
    "Feature",
    "FeatureDay",
    "GroupDailyReturn",
    "GroupDailyUsage",
    "MarketingSpend",
    "Order",
    "Release",
    "Session",
    "SlackAuditEntry",
    "SlackConversation",
    "SlackRatePause",
    "SlackWorkspaceState",
    "SlackPin",
    "SlackProcessedEvent",
    "Subscription",
    "SurveyAccountLink",
    "SurveyCampaign",
    "SurveyContact",
    "SurveyDelivery",
    "SurveyDeliveryState",
    "SurveyResponse",
    "Target",
    "Ticket",
    "Trial",
    "UsageDay",
    "User",
    "UserProfile",
    "WorkItem",
    "every_table",
]
