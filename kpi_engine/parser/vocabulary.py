"""Parser-only words: filler words, extra names for catalog metrics, and words that could describe mean several metrics.

Extra names only apply when their metric exists in the catalog and the catalog does not use the name itself.
"""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOP_WORDS: frozenset[str] = words(
    """
    a about across again all also am an and any anything are as at be been being bot by can can't compare could
    current currently data day days describe did do does doing done during each else end every explain figure
    figures for from get gets getting give go going gone got had has have hey hi how how's hows i i'd i'm in into
    is it it's its just kpi kpibot kpis latest let let's lets like look looking looks many me median metric month
    months much my need no now number numbers of ok okay on or our out over overall period please pls plz pull
    quarter quarters quick right see show since so some start stats status tell than thanks that that's the their
    them then there these they this those time to today's total up us value values was we we're week weeks were
    what what's whats when where which who whole why will with within would year years yo you your yours
    """
)

# nouns that name a metric alone but, next to another metric name, only say whose ("mrr for smb customers")
GENERIC_NOUNS: frozenset[str] = words(
    "customers customer users user accounts account tickets ticket clients client companies company subscribers"
)

# phrase (normalised: lower case, single spaces) -> metric id
EXTRA_NAMES: dict[str, str] = {
    "monthly recurring revenue": "mrr", "recurring revenue": "mrr",
    "annual recurring revenue": "arr", "annualized revenue": "arr", "annual run rate": "arr", "run rate": "arr",
    "customers": "paying_customers", "paying customers": "paying_customers", "paid customers": "paying_customers",
    "paying accounts": "paying_customers", "subscribers": "paying_customers", "customer count": "paying_customers",
    "active customers": "paying_customers",
    "arpu": "arpa", "average revenue per user": "arpa", "average revenue per account": "arpa",
    "new business mrr": "new_mrr", "new revenue": "new_mrr",
    "reactivation": "reactivation_mrr", "reactivated mrr": "reactivation_mrr",
    "expansion": "expansion_mrr", "expansion revenue": "expansion_mrr", "upsell": "expansion_mrr",
    "upsells": "expansion_mrr", "upgrades": "expansion_mrr",
    "contraction": "contraction_mrr", "downgrades": "contraction_mrr",
    "churned revenue": "churned_mrr", "lost mrr": "churned_mrr", "churn mrr": "churned_mrr",
    "net new": "net_new_mrr",
    "new logos": "new_customers", "new accounts": "new_customers", "customers won": "new_customers",
    "new paying customers": "new_customers",
    "reactivations": "reactivated_customers", "returning customers": "reactivated_customers",
    "lost customers": "churned_customers", "customers lost": "churned_customers",
    "customers churned": "churned_customers", "churned accounts": "churned_customers",
    "churn": "customer_churn_rate", "churn rate": "customer_churn_rate", "customer churn": "customer_churn_rate",
    "logo churn": "customer_churn_rate", "attrition": "customer_churn_rate", "attrition rate": "customer_churn_rate",
    "retention": "customer_retention_rate", "retention rate": "customer_retention_rate",
    "crr": "customer_retention_rate", "customer retention": "customer_retention_rate",
    "logo retention": "customer_retention_rate",
    "revenue churn": "gross_mrr_churn_rate",
    "mrr churn rate": "gross_mrr_churn_rate", "gross churn": "gross_mrr_churn_rate",
    "gross revenue churn": "gross_mrr_churn_rate",
    "net churn": "net_mrr_churn_rate", "net revenue churn": "net_mrr_churn_rate",
    "net revenue retention": "nrr", "net dollar retention": "nrr", "ndr": "nrr", "net retention": "nrr",
    "gross revenue retention": "grr", "gross dollar retention": "grr", "gross retention": "grr",
    "arr growth": "mrr_growth_rate", "arr growth rate": "mrr_growth_rate",
    "annual recurring revenue growth": "mrr_growth_rate", "mrr growth": "mrr_growth_rate",
    "growth rate": "mrr_growth_rate", "growth": "mrr_growth_rate",
    "revenue growth": "mrr_growth_rate",
    "saas quick ratio": "quick_ratio", "quick ratio": "quick_ratio",
    "lifetime value": "ltv", "customer lifetime value": "ltv", "clv": "ltv", "cltv": "ltv",
    "customer acquisition cost": "cac", "acquisition cost": "cac", "cost per acquisition": "cac",
    "ltv to cac": "ltv_cac_ratio", "ltv / cac": "ltv_cac_ratio", "ltv : cac": "ltv_cac_ratio",
    "ltv cac": "ltv_cac_ratio",
    "ltv : cac ratio": "ltv_cac_ratio", "ltv to cac ratio": "ltv_cac_ratio", "ltv cac ratio": "ltv_cac_ratio",
    "cac payback": "cac_payback_months", "payback": "cac_payback_months", "payback period": "cac_payback_months",
    "cac payback period": "cac_payback_months",
    "sales": "revenue", "order revenue": "revenue",
    "order count": "orders", "number of orders": "orders",
    "average order value": "aov", "avg order value": "aov", "basket size": "aov",
    "margin": "gross_margin", "profit margin": "gross_margin",
    "new feature revenue": "new_feature_revenue_share", "revenue from new features": "new_feature_revenue_share",
    "spend": "marketing_spend", "ad spend": "marketing_spend", "ads spend": "marketing_spend",
    "advertising spend": "marketing_spend", "marketing costs": "marketing_spend", "marketing cost": "marketing_spend",
    "ad impressions": "impressions", "ad clicks": "clicks",
    "click through rate": "ctr", "clickthrough rate": "ctr", "cost per click": "cpc", "return on ad spend": "roas",
    "trials": "trial_starts", "trials started": "trial_starts", "new trials": "trial_starts",
    "free trials": "trial_starts",
    "trial conversion": "trial_conversion_rate", "trial conversions": "trial_conversions",
    "converted trials": "trial_conversions", "trials converted": "trial_conversions",
    "trial to paid": "trial_conversion_rate", "trial to paid conversion": "trial_conversion_rate",
    "trial dropoff": "trial_dropoff_rate", "trial drop off": "trial_dropoff_rate",
    "trial abandonment": "trial_dropoff_rate",
    "sign ups": "signups", "signups": "signups", "new users": "signups", "registrations": "signups",
    "new signups": "signups", "user signups": "signups",
    "users": "active_users", "active users": "active_users", "actives": "active_users",
    "unique users": "active_users",
    "daily actives": "dau", "daily active users": "dau", "daily users": "dau",
    "weekly actives": "wau", "weekly active users": "wau", "weekly users": "wau",
    "monthly actives": "mau", "monthly active users": "mau", "monthly users": "mau",
    "dau / mau": "stickiness", "dau mau": "stickiness", "dau to mau": "stickiness", "dau : mau": "stickiness",
    "visits": "sessions",
    "session length": "avg_session_duration", "session duration": "avg_session_duration",
    "average session length": "avg_session_duration", "avg session length": "avg_session_duration",
    "average session duration": "avg_session_duration", "time in app": "avg_session_duration",
    "events per session": "actions_per_session",
    "bounce": "bounce_rate", "bounces": "bounce_rate",
    "pageviews": "page_views",
    "users per feature": "feature_users", "feature usage": "feature_users",
    "feature adoption": "feature_adoption_rate", "adoption": "feature_adoption_rate",
    "adoption rate": "feature_adoption_rate",
    "conversion": "conversion_rate", "signup to purchase": "conversion_rate",
    "net promoter score": "nps", "nps score": "nps", "net promoter": "nps", "promoter score": "nps",
    "customer satisfaction": "csat", "satisfaction": "csat", "csat score": "csat",
    "customer satisfaction score": "csat",
    "customer effort score": "ces", "effort score": "ces", "customer effort": "ces", "ces score": "ces",
    "responses": "survey_responses", "survey answers": "survey_responses",
    "response rate": "survey_response_rate",
    "support tickets": "tickets", "tickets opened": "tickets", "new tickets": "tickets",
    "ticket volume": "tickets", "support volume": "tickets", "ticket count": "tickets",
    "escalations": "escalated_tickets",
    "frt": "first_response_time", "first response": "first_response_time", "response time": "first_response_time",
    "time to first response": "first_response_time", "first reply time": "first_response_time",
    "time to resolve": "resolution_time", "time to resolution": "resolution_time", "resolution": "resolution_time",
    "time to close": "resolution_time", "time to ship": "time_to_market",
    "backlog": "open_tickets", "ticket backlog": "open_tickets", "unresolved tickets": "open_tickets",
    "features shipped": "features_released", "shipped features": "features_released",
    "features delivered": "features_released", "features launched": "features_released",
    "story points": "velocity", "points delivered": "velocity", "points completed": "velocity",
    "bugs": "production_bugs", "prod bugs": "production_bugs", "bugs in production": "production_bugs",
    "production defects": "production_bugs", "escaped defects": "production_bugs", "defects": "production_bugs",
    "test effectiveness": "defect_removal_efficiency", "testing effectiveness": "defect_removal_efficiency",
    "dre": "defect_removal_efficiency", "defect removal": "defect_removal_efficiency",
    "defects per kloc": "defect_density", "bug density": "defect_density",
}  # fmt: skip

# a word alone that could mean several metrics: the best guess first, then the alternatives to suggest
AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "revenue": ("revenue", "mrr", "arr"),
    "churn": ("customer_churn_rate", "gross_mrr_churn_rate", "net_mrr_churn_rate", "churned_customers"),
    "retention": ("customer_retention_rate", "nrr", "grr"),
    "users": ("active_users", "dau", "mau", "signups"),
    "conversion": ("conversion_rate", "trial_conversion_rate"),
    "growth": ("mrr_growth_rate", "net_new_mrr"),
    "response time": ("first_response_time", "resolution_time"),
    "satisfaction": ("csat", "nps"),
    "bugs": ("production_bugs", "defect_density", "defect_removal_efficiency"),
    "defects": ("production_bugs", "defect_density", "defect_removal_efficiency"),
    "customers": ("paying_customers", "new_customers", "churned_customers"),
}
AMBIGUOUS_NOTES: dict[str, str] = {
    "revenue": "'revenue' is order revenue; for subscription revenue ask for MRR or ARR",
}
