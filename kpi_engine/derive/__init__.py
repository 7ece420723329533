"""The derived usage tables computed from a source's events in an in-process DuckDB, written to a target in
bulk: `kpi_engine.derived.refresh_usage` is the entry point (import, demo, `kpibot refresh`)."""
