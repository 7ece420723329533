"""Imports every module that registers computations, so the registry is complete."""

from kpi_engine.compute import (  # noqa: F401
    lifetime,
    marketing,
    movements,
    orders,
    sessions,
    subscriptions,
    support,
    surveys,
    trials,
    usage,
    usage_rolling,
    work_items,
)
