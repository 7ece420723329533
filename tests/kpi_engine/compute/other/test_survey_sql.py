"""Golden SQL of nps: the statement `how is this computed?` shows (SQLite dialect, literal binds)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy.dialects import sqlite

from kpi_engine.compute.base import ComputeContext
from kpi_engine.compute.surveys import nps_select
from kpi_engine.compute.windows import make_windows
from kpi_engine.periods import Period
from tests.conftest import make_settings

GOLDEN_NPS_SQL = (
    "WITH windows AS \n"
    "(SELECT 0 AS idx, '2026-04-01 00:00:00.000000' AS s, '2026-05-01 00:00:00.000000' AS e, "
    "'2026-04-01' AS d0, '2026-04-30' AS d1)\n"
    " SELECT windows.idx AS w, count(*) AS n, "
    "sum(CASE WHEN (response.score >= 9) THEN 1 ELSE 0 END) AS promoters, "
    "sum(CASE WHEN (response.score <= 6) THEN 1 ELSE 0 END) AS detractors \n"
    "FROM windows JOIN survey_responses AS response ON response.responded_at >= windows.s "
    "AND response.responded_at < windows.e \n"
    "WHERE NOT (EXISTS (SELECT * \n"
    "FROM survey_responses AS later_response \n"
    "WHERE later_response.respondent_id = response.respondent_id "
    "AND later_response.campaign_id = response.campaign_id "
    "AND later_response.survey = response.survey "
    "AND (later_response.responded_at > response.responded_at "
    "OR later_response.responded_at = response.responded_at "
    "AND later_response.response_id > response.response_id))) "
    "AND response.survey = 'nps' GROUP BY windows.idx"
)


def test_golden_nps_sql() -> None:
    april = Period.calendar(date(2026, 4, 1), "month")
    ctx = ComputeContext(make_windows([april], ZoneInfo("UTC")), make_settings("sqlite://"))
    compiled = str(nps_select(ctx).compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    assert compiled == GOLDEN_NPS_SQL
