"""The ready-made mappings read their layout's documented tables (hand-made rows, layout_fixtures.py) into the
data contract, through the source plumbing (KPI_SOURCE_URL + KPI_SOURCE_MAP), with hand-worked KPI values."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from kpi_engine.catalog import load_catalog
from kpi_engine.db.engine import make_engine
from kpi_engine.db.models import Event, Subscription, Ticket, User
from kpi_engine.engine import run_query
from kpi_engine.periods import Period
from kpi_engine.query import FunnelQuery, MetricQuery
from kpi_engine.settings import Settings
from kpi_engine.sources.layouts import UnknownLayout, layout_names, layout_text, render_mapping
from kpi_engine.sources.mapping import parse_mapping
from kpi_engine.sources.source import current_source, forget_sources
from tests.conftest import make_settings
from tests.kpi_engine.engines.layout_fixtures import LAYOUT_ROWS, write_layout_database

pytest.importorskip("duckdb_engine", reason="the layout fixtures are DuckDB files (pip install kpibot[duckdb])")

AS_OF = date(2026, 7, 1)
APRIL, MAY, JUNE = (Period.calendar(date(2026, m, 1), "month") for m in (4, 5, 6))
Layouts = tuple[Engine, Settings]


@pytest.fixture(scope="module", params=list(LAYOUT_ROWS))
def layout(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
           sqlite_template: Path) -> Iterator[tuple[str, Engine, Settings]]:
    """One layout's tables in a DuckDB source, read through the starting mapping `source init` writes for it."""
    name = request.param
    directory = tmp_path_factory.mktemp(f"layout_{name}")
    state = directory / "state.sqlite3"
    shutil.copy(sqlite_template, state)
    source_url = write_layout_database(directory / "source.duckdb", [name])
    mapping = directory / "map.yaml"
    mapping.write_text(render_mapping([name]), encoding="utf-8")
    settings = make_settings(f"sqlite:///{state}", KPI_SOURCE_URL=source_url, KPI_SOURCE_MAP=str(mapping))
    engine = make_engine(f"sqlite:///{state}")
    forget_sources()
    yield name, engine, settings
    forget_sources()
    engine.dispose()


def ask(layout: tuple[str, Engine, Settings], query: MetricQuery | FunnelQuery):  # type: ignore[no-untyped-def]
    _, engine, settings = layout
    with engine.connect() as conn:
        return run_query(conn, query, load_catalog(), settings)


def value(layout: tuple[str, Engine, Settings], metric: str, period: Period) -> float | None:
    return ask(layout, MetricQuery(metric=metric, as_of=AS_OF, period=period)).value


def day(month: int, d: int) -> Period:
    return Period(date(2026, month, d), date(2026, month, d), "day")


def contract_rows(layout: tuple[str, Engine, Settings], table, *columns: str) -> list[tuple]:  # type: ignore[no-untyped-def]
    """Rows of a contract table as the source reads it through the mapping."""
    source = current_source(layout[2])
    assert source.engine is not None and not source.problems, source.problems
    with source.engine.connect() as conn:
        stmt = select(*(table.c[c] for c in columns)).order_by(*(table.c[c] for c in columns))
        return [tuple(r) for r in conn.execute(stmt)]


def only(layout: tuple[str, Engine, Settings], name: str) -> None:
    if layout[0] != name:
        pytest.skip(f"a {name} test")


def test_each_layout_is_a_valid_mapping_that_says_where_it_comes_from() -> None:
    assert set(layout_names()) >= {"stripe", "segment", "posthog", "zendesk"}
    for name in layout_names():
        text = layout_text(name)
        parse_mapping(text, name)  # raises with the table and column on any mistake
        assert text.startswith("# Layout: "), name
        assert "\n# Where it comes from: " in text, name


def test_render_mapping_combines_layouts_and_keeps_the_first_of_a_table() -> None:
    text = render_mapping(["stripe", "segment", "posthog"])
    mapping = parse_mapping(text)
    assert set(mapping.tables) == {"accounts", "subscriptions", "users", "events"}
    assert "website.tracks" in (mapping.tables["events"].sql or "")  # segment's, named first
    assert "# events of layout posthog left out: already mapped by an earlier layout" in text
    assert text.count("# Layout: ") == 3
    with pytest.raises(UnknownLayout, match="unknown layout 'hubspot' \\(layouts: posthog, segment, stripe, zendesk"):
        render_mapping(["hubspot"])


def test_stripe_mrr_is_normalised_from_interval_count_and_quantity(layout) -> None:  # type: ignore[no-untyped-def]
    only(layout, "stripe")
    assert value(layout, "mrr", day(2, 15)) == pytest.approx(20 + 90 + 10 * 52 / 12)  # monthly, yearly × 3, weekly
    assert value(layout, "mrr", day(3, 20)) == pytest.approx(20 + 90 + 60)  # + quarterly × 2; sub_6 still trialing
    assert value(layout, "mrr", day(3, 31)) == pytest.approx(210)  # sub_6 paying since its trial ended (× 2)
    assert value(layout, "mrr", day(6, 15)) == pytest.approx(150)  # sub_3 cancelled at its period end, Jun 1
    assert value(layout, "paying_customers", day(3, 31)) == 4
    assert value(layout, "churned_mrr", JUNE) == pytest.approx(60)


def test_stripe_reads_one_subscription_per_paid_item(layout) -> None:  # type: ignore[no-untyped-def]
    only(layout, "stripe")
    subs = Subscription.__table__
    rows = contract_rows(layout, subs, "subscription_id", "account_id", "plan")
    # si_4 never paid; sub_1's earlier version (_fivetran_active false) is not read twice; no nickname: product
    assert rows == [("si_1", "cus_A", "Pro monthly"), ("si_2", "cus_B", "Pro yearly"),
                    ("si_3", "cus_C", "Team quarterly"), ("si_5", "cus_B", "prod_weekly"),
                    ("si_6", "cus_D", "Pro monthly")]
    ended = dict(contract_rows(layout, subs, "subscription_id", "ended_at"))
    assert str(ended["si_3"]) == "2026-06-01 08:00:00" and ended["si_1"] is None


def test_segment_users_from_identifies_events_from_tracks_and_pages(layout) -> None:  # type: ignore[no-untyped-def]
    only(layout, "segment")
    assert value(layout, "signups", APRIL) == 2 and value(layout, "signups", MAY) == 1
    events = contract_rows(layout, Event.__table__, "user_id", "name")
    assert ("u1", "page_view") in events and all(user is not None for user, _ in events)
    assert len(events) == 6  # anonymous track and page calls are left out
    funnel = ask(layout, FunnelQuery(as_of=AS_OF, period=Period(APRIL.start, MAY.end), steps=("signup", "purchase")))
    assert [row[:2] for row in funnel.rows] == [["signup", 3], ["purchase", 2]]


def test_posthog_persons_from_their_first_event_in_utc(layout) -> None:  # type: ignore[no-untyped-def]
    only(layout, "posthog")
    assert value(layout, "signups", APRIL) == 2 and value(layout, "signups", MAY) == 1  # d3: May 1 03:30 UTC
    users = dict(contract_rows(layout, User.__table__, "user_id", "created_at"))
    assert str(users["d3"]) == "2026-05-01 03:30:00"
    names = {name for _, name in contract_rows(layout, Event.__table__, "user_id", "name")}
    assert names == {"page_view", "signup", "purchase"}  # $pageview read as page_view
    funnel = ask(layout, FunnelQuery(as_of=AS_OF, period=Period(APRIL.start, MAY.end), steps=("signup", "purchase")))
    assert [row[:2] for row in funnel.rows] == [["signup", 3], ["purchase", 2]]


def test_zendesk_first_reply_and_resolution_times(layout) -> None:  # type: ignore[no-untyped-def]
    only(layout, "zendesk")
    assert value(layout, "tickets", APRIL) == 4
    assert value(layout, "first_response_time", APRIL) == pytest.approx(3.0)  # median of 3, 1 and 5 hours
    assert value(layout, "resolution_time", APRIL) == pytest.approx(15.0)  # median of 24 and 6 hours
    assert value(layout, "open_tickets", day(4, 30)) == 2
    rows = contract_rows(layout, Ticket.__table__, "ticket_id", "priority", "category")
    assert rows[0] == ("101", "high", "incident")  # integer ids read as the contract's text ids
