"""Merges custom metrics into a catalog that carries their computations (reloaded when the file changes)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from kpi_engine.catalog.loader import Catalog, CatalogError, builtin_catalog
from kpi_engine.compute.registry import computation_for
from kpi_engine.custom.load import CustomMetricError, load_custom_metrics

_cache: dict[tuple[str, float, str], Catalog] = {}


def catalog_with_custom(path: Path, engine: Engine) -> Catalog:
    key = (str(path.resolve()), path.stat().st_mtime if path.exists() else 0.0, str(engine.url))
    if key in _cache:
        return _cache[key]
    base = builtin_catalog()
    builtin = {m.id: (m, computation_for(m.id)) for m in base}
    loaded = load_custom_metrics(path, engine, builtin)
    try:
        catalog = base.with_extra((d for d, _ in loaded), {d.id: c for d, c in loaded})
    except CatalogError as exc:
        raise CustomMetricError(f"{path.name}: {exc}") from exc
    _cache[key] = catalog
    return catalog
