"""Sizes of the demo company per scale, and the fixed vocabulary it is built from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    accounts: int  # accounts created over the two years (trials, self-serve and sales-led)
    events: int  # target number of events; activity is calibrated to it
    free_user_share: float  # users without an account, relative to users with one
    deliveries_per_campaign: int  # surveys the bot sends per monthly NPS campaign
    team: int  # engineers (work items per week scale with it)
    spend_factor: float  # marketing spend multiplier


SCALES: dict[str, Scale] = {
    "tiny": Scale("tiny", accounts=160, events=15_000, free_user_share=0.25, deliveries_per_campaign=30,
                  team=3, spend_factor=0.5),
    "small": Scale("small", accounts=700, events=100_000, free_user_share=0.25, deliveries_per_campaign=120,
                   team=6, spend_factor=2.3),
    "medium": Scale("medium", accounts=2_500, events=1_000_000, free_user_share=0.25, deliveries_per_campaign=400,
                    team=15, spend_factor=8.0),
    "large": Scale("large", accounts=10_000, events=10_000_000, free_user_share=0.25, deliveries_per_campaign=1_500,
                   team=40, spend_factor=33.0),
}
PUBLIC_SCALES: tuple[str, ...] = ("small", "medium", "large")

SEGMENTS = ("smb", "mid-market", "enterprise")
SEGMENT_WEIGHTS = (0.72, 0.21, 0.07)
CHANNELS = ("organic", "paid_search", "social", "referral", "partner")
CHANNEL_WEIGHTS = (0.34, 0.26, 0.15, 0.15, 0.10)
TRIAL_CONVERSION_BY_CHANNEL = (0.34, 0.26, 0.2, 0.45, 0.4)
COUNTRIES = ("US", "DE", "GB", "FR", "IN", "BR", "CA", "NL", "ES", "AU")
COUNTRY_WEIGHTS = (0.36, 0.12, 0.11, 0.08, 0.1, 0.08, 0.05, 0.04, 0.03, 0.03)

PLANS = ("basic", "pro", "enterprise")
PRICE_PER_SEAT = (19.0, 39.0, 69.0)
# P(plan | segment), rows: smb, mid-market, enterprise
PLAN_BY_SEGMENT = ((0.7, 0.3, 0.0), (0.2, 0.7, 0.1), (0.0, 0.3, 0.7))
SEATS_BY_SEGMENT = ((1, 3), (6, 14), (25, 40))  # (minimum, poisson mean of extra seats)
ADDON_PLAN = "premium_support"
ADDON_MRR = (49.0, 99.0, 249.0)

# monthly probabilities by segment (smb, mid-market, enterprise)
CHURN = (0.035, 0.02, 0.01)
REACTIVATION = 0.4  # share of churned accounts that come back, 1-7 months later
UPGRADE = 0.03
DOWNGRADE = 0.012
SEAT_CHANGE = 0.06
ADDON_START = 0.02
ADDON_END = 0.05

TRIAL_DAYS = 14
TRIAL_SHARE_BY_SEGMENT = (0.9, 0.6, 0.0)  # the rest is sales-led (no trial)
SALES_WIN_RATE = 0.85
USERS_BY_SEGMENT = ((1, 1.5), (3, 6.0), (8, 20.0))  # (minimum, poisson mean of invited users)

# month of year (1..12) -> demand multiplier; weekday (Monday first) -> activity multiplier
SEASON = (1.15, 1.05, 1.1, 1.0, 1.0, 0.95, 0.85, 0.8, 1.05, 1.1, 1.05, 0.8)
WEEKDAY = (1.0, 1.05, 1.05, 1.0, 0.9, 0.35, 0.3)
YEARLY_GROWTH = 2.2


@dataclass(frozen=True)
class FeatureSpec:
    feature: str
    name: str
    action: str  # event name when the feature is used
    launch_day: int | None  # day of history it launches (negative: before history; None: unknown)
    popularity: float


FEATURES: tuple[FeatureSpec, ...] = (
    FeatureSpec("dashboards", "Dashboards", "dashboard_viewed", None, 5.0),
    FeatureSpec("reports", "Reports", "report_created", -400, 3.0),
    FeatureSpec("alerts", "Alerts", "alert_configured", -250, 1.5),
    FeatureSpec("exports", "CSV exports", "export_downloaded", -120, 1.2),
    FeatureSpec("integrations", "Integrations", "integration_connected", 40, 1.0),
    FeatureSpec("api", "Public API", "api_key_created", 115, 0.8),
    FeatureSpec("sso", "Single sign-on", "sso_login", 190, 0.6),
    FeatureSpec("mobile_app", "Mobile app", "mobile_session", 265, 1.5),
    FeatureSpec("workflows", "Workflows", "workflow_run", 340, 1.2),
    FeatureSpec("ai_assistant", "AI assistant", "assistant_prompt", 415, 2.0),
    FeatureSpec("forecasting", "Forecasting", "forecast_viewed", 490, 0.9),
    FeatureSpec("audit_log", "Audit log", "audit_log_viewed", 565, 0.4),
    FeatureSpec("sandbox", "Sandboxes", "sandbox_created", 640, 0.5),
    FeatureSpec("copilot", "Copilot", "copilot_suggestion", 700, 1.4),
)

ONE_OFF_PRODUCTS = (("onboarding", 1500.0), ("training", 600.0), ("extra_storage", 120.0))
STORE_PRODUCT = ("template_pack", 29.0)  # bought by users without an account

TICKET_PRIORITIES = ("low", "normal", "high", "urgent")
TICKET_PRIORITY_WEIGHTS = (0.3, 0.45, 0.18, 0.07)
TICKET_CATEGORIES = ("how_to", "bug", "billing", "feature_request", "account", "integration")
TICKET_CATEGORY_WEIGHTS = (0.32, 0.24, 0.14, 0.12, 0.1, 0.08)

SURVEY_TOPICS = ("ease of use", "performance", "pricing", "support", "features", "reliability")
