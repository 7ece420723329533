"""The mapping file is validated on load; errors name the table and the column."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpi_engine.sources.mapping import MappingError, load_mapping, parse_mapping


@pytest.mark.parametrize(("text", "message"), [
    ("tables: {subscriptions: {table: billing.subs, columns: {subscription_id: id}}}",
     "subscriptions: required column account_id is not mapped"),
    ("tables: {subs: {table: x}}", "'subs' is not a table of the data contract"),
    ("tables: {accounts: {table: x, sql: select 1}}", "tables.accounts: give either `table` or `sql`"),
    ("tables: {accounts: {table: x, columns: {account_id: a, created_at: b, tier: c}}}",
     "accounts.tier is not a column of accounts"),
    ("tables: {accounts: {table: x, timezone: Mars/Olympus}}", "tables.accounts: unknown time zone 'Mars/Olympus'"),
    ("tables: {accounts: {sql: select 1, columns: {account_id: a}}}", "`columns` goes with `table`"),
    ("tables: {accounts: {table: x, colums: {}}}", "tables.accounts.colums: Extra inputs are not permitted"),
    ("tables: [accounts", "not valid YAML"),
])
def test_errors_name_table_and_column(text: str, message: str) -> None:
    with pytest.raises(MappingError, match=None) as caught:
        parse_mapping(text, "map.yaml")
    assert message in str(caught.value)
    assert str(caught.value).startswith("map.yaml: ")


def test_unmapped_optional_columns_are_null_and_own_names_without_columns() -> None:
    mapping = parse_mapping("tables: {accounts: {table: crm.companies, columns: {account_id: id, created_at: created}},"
                            " orders: {table: shop.orders}}")
    assert mapping.expressions("accounts") == {"account_id": "id", "name": None, "created_at": "created", "plan": None,
                                               "segment": None, "channel": None, "country": None}
    assert mapping.expressions("orders")["amount"] == "amount"
    assert mapping.tables["accounts"].timezone == "UTC"


def test_no_file_means_every_table_by_its_own_name(tmp_path: Path) -> None:
    assert load_mapping(None).tables == {}
    with pytest.raises(MappingError, match="mapping file .*missing.yaml"):
        load_mapping(tmp_path / "missing.yaml")
