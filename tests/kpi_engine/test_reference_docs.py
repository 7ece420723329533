"""docs/metrics.md and docs/data-contract.md are what the catalog and the table specs generate now."""

from __future__ import annotations

from pathlib import Path

from kpi_engine.catalog import load_catalog
from kpi_engine.importing.specs import SPECS
from kpi_engine.reference_docs import DOCS_DIR, data_contract_markdown, main, metrics_markdown, stale_reference_docs


def test_the_committed_reference_docs_are_current() -> None:
    stale = stale_reference_docs()
    assert not stale, f"stale: {', '.join(f'docs/{n}' for n in stale)}: run `python -m kpi_engine.reference_docs`"


def test_every_metric_and_every_contract_column_is_documented() -> None:
    metrics, contract = metrics_markdown(), data_contract_markdown()
    for metric in load_catalog():
        assert f"(`{metric.id}`)" in metrics and metric.description.split()[0] in metrics
    for table in SPECS.values():
        assert f"## `{table.name}`" in contract
        for column in table.columns:
            assert f"| `{column.name}` |" in contract
    assert "`mrr`, when set" not in contract and "`ended_at`, when set, is after `started_at`" in contract


def test_check_reports_a_stale_file_and_writing_fixes_it(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "metrics.md").write_text("old", encoding="utf-8")
    assert main(["--check", "--docs", str(tmp_path)]) == 1
    assert "metrics.md is stale" in capsys.readouterr().err
    assert main(["--docs", str(tmp_path)]) == 0
    assert main(["--check", "--docs", str(tmp_path)]) == 0
    written, committed = (d / "metrics.md" for d in (tmp_path, DOCS_DIR))
    assert written.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8")
