"""`kpibot source init LAYOUT…`: a starting mapping made of ready-made layouts (kpi_engine/sources/layouts/,
one YAML file per layout, written by the layouts' owner), concatenated under one `tables:`."""

from __future__ import annotations

from pathlib import Path

import yaml

LAYOUTS_DIR = Path(__file__).parent / "layouts"


class LayoutUnknown(ValueError):
    pass


def layout_names() -> list[str]:
    return sorted(p.stem for p in LAYOUTS_DIR.glob("*.yaml")) if LAYOUTS_DIR.is_dir() else []


def starting_mapping(layouts: list[str]) -> str:
    """The layouts' own rendering (kpi_engine.sources.layouts.render_mapping) when installed, else the files merged."""
    try:
        from kpi_engine.sources.layouts import UnknownLayout, render_mapping
    except ImportError:
        return merged_files(layouts)
    try:
        return str(render_mapping(layouts))
    except UnknownLayout as exc:
        raise LayoutUnknown(str(exc)) from exc


def merged_files(layouts: list[str]) -> str:
    """The layouts' mapping files merged (a table mapped by two layouts: the first one's wins), with each layout's
    own header comment kept above it."""
    known = layout_names()
    parts: list[str] = []
    tables: dict[str, object] = {}
    for name in layouts:
        path = LAYOUTS_DIR / f"{name.lower()}.yaml"
        if not path.is_file():
            choices = ", ".join(known) if known else "none installed"
            raise LayoutUnknown(f"unknown layout {name!r} (layouts: {choices})")
        text = path.read_text(encoding="utf-8")
        parts += [line for line in text.splitlines() if line.startswith("#")]
        for table, mapping in ((yaml.safe_load(text) or {}).get("tables") or {}).items():
            tables.setdefault(table, mapping)
    header = "\n".join(parts)
    body = yaml.safe_dump({"tables": tables}, sort_keys=False, allow_unicode=True)
    return f"{header}\n# Edit the table and column names to your source's, then run `kpibot source check`.\n{body}"
