"""Typed models for every table of the data contract, plus derived and bookkeeping tables."""

from kpi_engine.db.models.conversations import SlackConversation
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
from kpi_engine.db.models.digests import AlertEvent, AlertRule, DigestRun, DigestSend, DigestSubscription
from kpi_engine.db.models.product import Event, Feature, User
from kpi_engine.db.models.revenue import Account, MarketingSpend, Order, Subscription, Trial
from kpi_engine.db.models.security import SlackRatePause, SlackWorkspaceState
from kpi_engine.db.models.slack_app import SlackAuditEntry, SlackPin, SlackProcessedEvent
from kpi_engine.db.models.support import Ticket
from kpi_engine.db.models.survey_campaigns import SurveyAccountLink, SurveyCampaign, SurveyContact, SurveyDeliveryState
from kpi_engine.db.models.surveys import SurveyDelivery, SurveyResponse
from kpi_engine.db.models.targets import Target
from kpi_engine.db.models.work_items import Release, WorkItem

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
]
