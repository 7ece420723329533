"""Ready-made mappings (KPI_SOURCE_MAP files) for common public layouts, one YAML file per layout, each saying in
its header comment where the layout comes from; `render_mapping` combines some into one starting mapping."""

from __future__ import annotations

from pathlib import Path

import yaml

LAYOUTS_DIR = Path(__file__).parent
EDIT_NOTE = "# Edit the schema, table and column names to your source's, then run `kpibot source check`."


class UnknownLayout(ValueError):
    pass


def layout_names() -> list[str]:
    return sorted(p.stem for p in LAYOUTS_DIR.glob("*.yaml"))


def layout_text(name: str) -> str:
    path = LAYOUTS_DIR / f"{name.strip().lower()}.yaml"
    if not path.is_file():
        raise UnknownLayout(f"unknown layout {name!r} (layouts: {', '.join(layout_names())})")
    return path.read_text(encoding="utf-8")


def render_mapping(layouts: list[str]) -> str:
    """One mapping file made of the layouts' tables, each layout's header comment kept above them. A contract table
    mapped by two layouts is taken from the first (the later one's is left out, with a comment saying so)."""
    if not layouts:
        raise UnknownLayout(f"name at least one layout ({', '.join(layout_names())})")
    header: list[str] = []
    tables: dict[str, object] = {}
    left_out: list[str] = []
    for name in layouts:
        text = layout_text(name)
        header += [line for line in text.splitlines() if line.startswith("#")] + ["#"]
        for table, mapping in (yaml.safe_load(text).get("tables") or {}).items():
            if table in tables:
                left_out.append(f"# {table} of layout {name} left out: already mapped by an earlier layout")
                continue
            tables[table] = mapping
    body = yaml.dump({"tables": tables}, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True, width=120)
    return "\n".join([*header, *left_out, EDIT_NOTE, body])


class _BlockDumper(yaml.SafeDumper):
    """Writes multi-line strings (the SELECTs) as `|` blocks, so the file stays readable and editable."""


def _string(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _string)
