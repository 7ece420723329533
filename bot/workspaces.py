"""A workspace's installation state: uninstalling the app or revoking its tokens pauses that workspace's digests,
alerts and survey campaigns (nothing is deleted: reinstalling resumes them)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Engine, and_, exists, or_, select, update
from sqlalchemy.exc import IntegrityError

from kpi_engine.db.models.security import SlackWorkspaceState
from kpi_engine.db.models.survey_campaigns import SurveyCampaign

logger = logging.getLogger(__name__)

STATE = SlackWorkspaceState.__table__
CAMPAIGNS = SurveyCampaign.__table__


@dataclass(frozen=True)
class Paused:
    team_id: str
    status: str
    campaigns: int


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _set_state(engine: Engine, team_id: str, status: str, detail: str | None) -> None:
    values = {"status": status, "changed_at": _now(), "detail": (detail or "")[:200] or None}
    with engine.begin() as conn:
        if conn.execute(update(STATE).where(STATE.c.team_id == team_id).values(values)).rowcount:
            return
        try:
            with conn.begin_nested():
                conn.execute(STATE.insert().values(team_id=team_id, **values))
        except IntegrityError:  # another replica wrote it first: same state
            conn.execute(update(STATE).where(STATE.c.team_id == team_id).values(values))


def pause_workspace(engine: Engine, team_id: str, status: str, detail: str | None = None) -> Paused:
    """Digests and alerts of `team_id` stop being due; its active campaigns become `paused`."""
    _set_state(engine, team_id, status, detail)
    with engine.begin() as conn:
        campaigns = conn.execute(update(CAMPAIGNS).where(CAMPAIGNS.c.team_id == team_id,
                                                         CAMPAIGNS.c.status == "active")
                                 .values(status="paused")).rowcount or 0
    logger.warning("workspace %s %s: its digests, alerts and %d active campaign(s) are paused", team_id, status,
                   campaigns)
    return Paused(team_id, status, campaigns)


def resume_workspace(engine: Engine, team_id: str) -> None:
    """A new installation: the workspace's paused digests, alerts and campaigns go on."""
    with engine.connect() as conn:
        status = conn.scalar(select(STATE.c.status).where(STATE.c.team_id == team_id))
    if status in (None, "active"):
        return
    _set_state(engine, team_id, "active", "reinstalled")
    with engine.begin() as conn:
        conn.execute(update(CAMPAIGNS).where(CAMPAIGNS.c.team_id == team_id, CAMPAIGNS.c.status == "paused")
                     .values(status="active"))
    logger.info("workspace %s reinstalled: its digests, alerts and campaigns resume", team_id)


def workspace_status(engine: Engine, team_id: str) -> str:
    with engine.connect() as conn:
        return conn.scalar(select(STATE.c.status).where(STATE.c.team_id == team_id)) or "active"


def not_paused(team_column: ColumnElement[str | None]) -> ColumnElement[bool]:
    """A WHERE clause: the row's workspace is not paused (rows without a workspace never are)."""
    paused = exists().where(and_(STATE.c.team_id == team_column, STATE.c.status != "active"))
    return or_(team_column.is_(None), ~paused)
