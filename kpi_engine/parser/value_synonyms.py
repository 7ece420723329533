"""Words that mean the same value. A group only matters when the data holds one of its words: then the
others name that value too ("enterprise" finds a segment stored as `ent`, "ent" one stored as `enterprise`).

The only place where value words are written down in the parser; it names no company's values, only
the usual ways of saying a few common ones.
"""

from __future__ import annotations

SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("enterprise", "ent", "large enterprise", "enterprises", "large accounts", "large"),
    ("mid_market", "mid-market", "mid market", "midmarket", "mid", "mm", "mid size", "midsize", "mid sized",
     "medium", "medium business", "mid-sized"),
    ("smb", "smbs", "small business", "small businesses", "small", "small and medium", "sme", "smes"),
    ("free", "freemium", "free tier", "free plan"),
    ("basic", "starter", "entry"),
    ("business", "biz"),
    ("paid_search", "paid search", "ppc", "sem", "search ads", "google ads", "adwords", "cpc ads"),
    ("paid_social", "paid social", "social ads", "facebook ads", "meta ads"),
    ("organic", "seo", "organic search"),
    ("social", "social media"),
    ("referral", "referrals", "word of mouth", "referred"),
    ("partner", "partners", "partnership", "partnerships", "resellers", "reseller"),
    ("email", "e-mail", "newsletter", "emails"),
    ("urgent", "critical", "p0", "sev1"),
    ("high", "p1"),
    ("bug", "bugs", "defect", "defects"),
    ("how_to", "how to", "how-to", "question", "questions"),
    ("feature_request", "feature request", "feature requests"),
)
