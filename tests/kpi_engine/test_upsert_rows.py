"""The one upsert (kpi_engine.db.dialect.upsert_rows) on real databases: insert-if-missing, the update columns,
the condition, and the count of rows it wrote."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Engine, Table, select

from kpi_engine.db.dialect import upsert_rows
from kpi_engine.db.models.survey_campaigns import SurveyAccountLink

LINKS = SurveyAccountLink.__table__
MONDAY = datetime(2026, 3, 9, 9, 0)
TUESDAY = datetime(2026, 3, 10, 9, 0)


def _stored(engine: Engine) -> list[tuple[str, str, datetime]]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(select(LINKS.c.slack_user_id, LINKS.c.account_id,
                                                          LINKS.c.linked_at).order_by(LINKS.c.slack_user_id))]


def test_missing_rows_are_inserted_and_existing_ones_left_alone(engine: Engine) -> None:
    with engine.begin() as conn:
        assert upsert_rows(conn, LINKS, [{"slack_user_id": "U1", "account_id": "acc_1", "linked_at": MONDAY}],
                           update=()) == 1
        assert upsert_rows(conn, LINKS, [{"slack_user_id": "U1", "account_id": "acc_2", "linked_at": TUESDAY},
                                         {"slack_user_id": "U2", "account_id": "acc_3", "linked_at": TUESDAY}],
                           update=()) == 1  # U2 only
    assert _stored(engine) == [("U1", "acc_1", MONDAY), ("U2", "acc_3", TUESDAY)]


def test_only_the_named_columns_change_and_only_where_the_condition_holds(engine: Engine) -> None:
    def newer(table: Table, excluded: Any) -> ColumnElement[bool]:
        return table.c.linked_at <= excluded.linked_at

    with engine.begin() as conn:
        upsert_rows(conn, LINKS, [{"slack_user_id": "U1", "account_id": "acc_1", "linked_at": TUESDAY}])
        older = {"slack_user_id": "U1", "account_id": "acc_old", "linked_at": MONDAY}
        assert upsert_rows(conn, LINKS, [older], update=["account_id"], only_if=newer) == 0
    assert _stored(engine) == [("U1", "acc_1", TUESDAY)]
    with engine.begin() as conn:
        later = {"slack_user_id": "U1", "account_id": "acc_new", "linked_at": datetime(2026, 3, 11, 9, 0)}
        assert upsert_rows(conn, LINKS, [later], update=["account_id"], only_if=newer) == 1
    assert _stored(engine) == [("U1", "acc_new", TUESDAY)]  # linked_at was not among the update columns


def test_by_default_every_column_the_rows_carry_is_updated(engine: Engine) -> None:
    with engine.begin() as conn:
        upsert_rows(conn, LINKS, [{"slack_user_id": "U1", "account_id": "acc_1", "linked_at": MONDAY}])
        assert upsert_rows(conn, LINKS, [{"slack_user_id": "U1", "account_id": "acc_2", "linked_at": TUESDAY}]) == 1
    assert _stored(engine) == [("U1", "acc_2", TUESDAY)]
