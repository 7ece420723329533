"""Words for names, e-mails, work item titles and survey comments (deterministic for a generator)."""

from __future__ import annotations

import numpy as np

PREFIXES = ("Blue", "North", "Bright", "Silver", "Quantum", "Urban", "Green", "Rapid", "Clear", "Iron", "Nova",
            "Summit", "Polar", "Amber", "Coastal", "Golden", "Crimson", "Alpine", "Lunar", "Vivid")
CORES = ("Harbor", "Leaf", "Peak", "Forge", "Wave", "Stone", "Field", "Bridge", "Pixel", "Orbit", "Cloud", "River",
         "Spark", "Cedar", "Falcon", "Atlas", "Beacon", "Canyon", "Delta", "Ember")
SUFFIXES = ("Labs", "Systems", "Group", "GmbH", "Ltd", "Inc", "Studio", "Logistics", "Health", "Retail", "Analytics",
            "Foods", "Media", "Partners", "Works")
FIRST_NAMES = ("anna", "ben", "carla", "david", "elif", "felix", "grace", "hugo", "ines", "jonas", "kira", "liam",
               "maria", "noah", "olga", "pedro", "quinn", "rosa", "sam", "tara", "umar", "vera", "wei", "yuki")
LAST_NAMES = ("smith", "muller", "garcia", "dubois", "patel", "silva", "jones", "schmidt", "martin", "kumar",
              "costa", "brown", "weber", "bernard", "singh", "santos", "taylor", "fischer", "moreau", "sharma")
FREE_MAIL = ("gmail.com", "outlook.com", "proton.me", "yahoo.com")
VERBS = ("Add", "Improve", "Fix", "Refactor", "Speed up", "Redesign", "Document", "Test", "Migrate", "Clean up")
OBJECTS = ("login flow", "chart legend", "CSV import", "billing page", "search results", "onboarding checklist",
           "permissions", "notification e-mails", "date picker", "API pagination", "dark mode", "audit trail")
COMMENTS: dict[str, tuple[str, ...]] = {
    "ease of use": ("Very easy to set up.", "The UI is intuitive.", "Took a while to find settings."),
    "performance": ("Dashboards load slowly at month end.", "Fast, even with big data.", "Exports time out."),
    "pricing": ("A bit expensive for a small team.", "Good value for money.", "Seat pricing is confusing."),
    "support": ("Support answered within minutes!", "Had to wait days for an answer.", "Friendly support team."),
    "features": ("Missing a Salesforce integration.", "The AI assistant saves me hours.", "Love the new workflows."),
    "reliability": ("Had two outages this month.", "Rock solid.", "Sync sometimes fails silently."),
}


def pick(rng: np.random.Generator, words: tuple[str, ...], n: int) -> np.ndarray:
    return np.asarray(words, dtype=object)[rng.integers(0, len(words), n)]


def company_names(rng: np.random.Generator, n: int) -> list[str]:
    parts = zip(pick(rng, PREFIXES, n), pick(rng, CORES, n), pick(rng, SUFFIXES, n), strict=True)
    return [f"{a}{b} {c}" for a, b, c in parts]


def emails(rng: np.random.Generator, domains: list[str | None], numbers: np.ndarray) -> list[str]:
    """`first.last<nr>@domain`; users without a company domain use a free mail provider."""
    n = len(domains)
    first, last, free = pick(rng, FIRST_NAMES, n), pick(rng, LAST_NAMES, n), pick(rng, FREE_MAIL, n)
    return [f"{f}.{la}{nr}@{d or fm}" for f, la, nr, d, fm in zip(first, last, numbers, domains, free, strict=True)]


def domain_of(company_name: str) -> str:
    return company_name.split(" ")[0].lower() + ".example"


def titles(rng: np.random.Generator, n: int) -> list[str]:
    return [f"{v} {o}" for v, o in zip(pick(rng, VERBS, n), pick(rng, OBJECTS, n), strict=True)]


def comments(rng: np.random.Generator, topics: list[str]) -> list[str]:
    choice = rng.integers(0, 3, len(topics))
    return [COMMENTS[t][c] for t, c in zip(topics, choice, strict=True)]
