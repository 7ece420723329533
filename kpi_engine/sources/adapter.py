"""The statement adapter: on a source engine, every contract table a Core statement names is compiled as
its mapped subquery ("(SELECT ...) AS accounts"), so the computations run unchanged; the derived tables
are compiled inside the scratch schema when there is one.

It works at compile time (a `@compiles(Table)` hook and the engine's identifier preparer), so SQLAlchemy's
statement cache keeps working, aliases (`accounts AS acct`) and column references stay valid, and an
engine without a mapping compiles tables exactly as before. Writing to a contract table is refused.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, Table
from sqlalchemy.ext.compiler import compiles

from kpi_engine.sources.contract import DERIVED_TABLES, SCRATCH_COPIES

RENDER_ATTRIBUTE = "kpi_source_tables"  # on the engine's dialect: contract table name → "(SELECT ...)"


class SourceWriteRefused(RuntimeError):
    def __init__(self, table: str) -> None:
        super().__init__(f"refused: the bot never writes to the source table behind {table}")


def install(engine: Engine, bodies: dict[str, str], scratch: str | None) -> None:
    """Makes `engine` read contract tables through `bodies` and keep derived tables in `scratch`."""
    dialect = engine.dialect
    setattr(dialect, RENDER_ATTRIBUTE, dict(bodies))
    if scratch:
        preparer = dialect.identifier_preparer
        plain = preparer.schema_for_object
        in_scratch = set(DERIVED_TABLES) | set(SCRATCH_COPIES)

        def schema_for_object(obj: Any) -> str | None:
            if getattr(obj, "schema", None) is None and getattr(obj, "name", None) in in_scratch:
                return scratch
            return plain(obj)

        preparer.schema_for_object = schema_for_object  # type: ignore[method-assign]


@compiles(Table)
def _table(element: Table, compiler: Any, **kw: Any) -> str:
    bodies: dict[str, str] | None = getattr(compiler.dialect, RENDER_ATTRIBUTE, None)
    if not bodies or element.schema is not None or element.name not in bodies:
        return compiler.visit_table(element, **kw)
    if kw.get("iscrud"):
        raise SourceWriteRefused(element.name)
    if not (kw.get("asfrom") or kw.get("ashint")):
        return ""
    from_linter = kw.get("from_linter")
    if from_linter:
        from_linter.froms[element] = element.name
    body = bodies[element.name]
    alias = kw.get("enclosing_alias")
    if alias is not None and alias.element is element:
        return body
    return f"{body} AS {compiler.preparer.quote(element.name)}"
