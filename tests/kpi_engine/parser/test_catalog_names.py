"""Every name of every catalog metric (id, label, alias) reaches that metric, alone and inside a question.

This runs over the real catalog, so a new alias that the parser would read otherwise (a time word, a
dimension, a funnel arrow, another metric's name) fails here.
"""

from __future__ import annotations

import pytest

from kpi_engine.catalog import load_catalog
from kpi_engine.parser.metric_index import index_for
from tests.kpi_engine.parser.expected import LAST_MONTH, ask

NAMES = sorted({(name, m.id) for m in load_catalog() for name in (m.id, m.label, *m.aliases)})


@pytest.mark.parametrize(("name", "metric_id"), NAMES, ids=[f"{n}->{m}" for n, m in NAMES])
def test_each_name_reaches_its_metric(name: str, metric_id: str) -> None:
    alone = ask(name)
    assert (alone.intent, alone.metric_id) == ("query", metric_id)
    assert alone.query is not None and alone.query.period is None
    in_question = ask(f"what was the {name} last month?")
    assert (in_question.intent, in_question.metric_id) == ("query", metric_id)
    assert in_question.query is not None and in_question.query.period == LAST_MONTH


def test_the_name_index_is_built_once_per_catalog() -> None:
    catalog = load_catalog()
    assert index_for(catalog) is index_for(catalog)
    assert index_for(catalog.with_extra([])) is not index_for(catalog)
