"""Vocabularies of the two test companies, for parser tests that run without a database.

The demo's comes from the demo generator's own constants; the second company's from
tests.support.second_company (the same values its database holds).
"""

from __future__ import annotations

from kpi_engine.demo import config
from kpi_engine.parser.value_index import Vocabulary
from tests.support import second_company

DEMO_VOCABULARY = Vocabulary.of_lists(
    {
        "plan": (*config.PLANS, config.ADDON_PLAN),
        "segment": config.SEGMENTS,
        "channel": config.CHANNELS,
        "country": config.COUNTRIES,
        "product": (*config.PLANS, *(p for p, _ in config.ONE_OFF_PRODUCTS), config.STORE_PRODUCT[0]),
        "feature": [f.feature for f in config.FEATURES],
        "priority": config.TICKET_PRIORITIES,
        "category": config.TICKET_CATEGORIES,
        "topic": config.SURVEY_TOPICS,
    },
    events=[f.action for f in config.FEATURES],
)
SECOND_VOCABULARY = second_company.VOCABULARY
