"""From a metric id to its computation: the built-in ones, or a catalog's custom ones."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kpi_engine.compute.base import COMPUTATIONS, Computation

if TYPE_CHECKING:
    from kpi_engine.catalog import Catalog


class UnknownMetric(KeyError):
    pass


def computation_for(metric_id: str, catalog: Catalog | None = None) -> Computation:
    """A custom metric of `catalog` first, else the built-in computation registered under `metric_id`."""
    if catalog is not None:
        custom = catalog.computations.get(metric_id)
        if custom is not None:
            return custom
    import kpi_engine.compute.metrics  # noqa: F401  (registers the built-in computations)

    try:
        return COMPUTATIONS[metric_id]
    except KeyError as exc:
        raise UnknownMetric(metric_id) from exc
