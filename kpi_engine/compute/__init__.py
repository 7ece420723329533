"""SQL computation of every catalog metric (SQLAlchemy Core; small aggregates only)."""
