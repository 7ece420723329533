"""Sorting and cutting a breakdown (kpi_engine/compute/breakdowns.py), by hand-made groups."""

from __future__ import annotations

from datetime import date

from kpi_engine.compute.breakdowns import arranged, with_group_filter
from kpi_engine.query import Filter, MetricQuery
from kpi_engine.results import GroupValue

GROUPS = [GroupValue(group="a", value=3.0), GroupValue(group="(none)", value=9.0), GroupValue(group="b", value=1.0),
          GroupValue(group="c", value=None), GroupValue(group="d", value=2.0)]


def query(**fields: object) -> MetricQuery:
    return MetricQuery(metric="m", as_of=date(2026, 6, 17), breakdown="plan", **fields)  # type: ignore[arg-type]


def names(groups: list[GroupValue]) -> list[str]:
    return [g.group for g in groups]


def test_best_follows_the_direction_and_none_never_wins() -> None:
    assert names(arranged(GROUPS, query(order="best"), "higher")) == ["a", "d", "b", "(none)", "c"]
    assert names(arranged(GROUPS, query(order="best"), "lower")) == ["b", "d", "a", "(none)", "c"]
    assert names(arranged(GROUPS, query(order="worst", top=1), "lower")) == ["a"]
    assert names(arranged(GROUPS, query(order="highest", top=2), "lower")) == ["a", "d"]
    assert names(arranged(GROUPS, query(top=2), "higher")) == ["a", "d"]  # top alone: best first


def test_named_groups_keep_the_order_typed() -> None:
    assert names(arranged(GROUPS[:3], query(groups=("b", "a")), "higher")) == ["b", "a", "(none)"]
    merged = with_group_filter(query(groups=("b", "a"), filters=(Filter(dimension="plan", values=("x",)),)))
    assert merged.filters == (Filter(dimension="plan", values=("b", "a")),)
