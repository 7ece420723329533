"""Imports every module that registers computations, so the registry is complete."""

from kpi_engine.compute import subscriptions  # noqa: F401
