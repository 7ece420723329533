"""Hand-made rows in the documented shape of each ready-made layout (kpi_engine/sources/layouts/), in a DuckDB
file: the tables and column types the layout's source documents (see each layout's header), a few rows each."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, create_engine


def _run(conn: Connection, statements: list[str]) -> None:
    for statement in statements:
        conn.exec_driver_sql(statement)


def stripe_rows(conn: Connection) -> None:
    """Fivetran Stripe. Monthly MRR by hand: si_1 20 (pro monthly × 1), si_2 90 (yearly 360 × 3 / 12), si_3 60
    (quarterly 90 × 2 / 3), si_5 43.33 (weekly 10 × 52 / 12), si_6 40 (monthly × 2, paid from its trial's end
    on Mar 24); si_4 never paid (incomplete_expired); sub_3 cancels at its period end, Jun 1."""
    _run(conn, [
        "create schema stripe",
        "create table stripe.customer (id varchar, created timestamp, name varchar, email varchar,"
        " address_country varchar, is_deleted boolean, livemode boolean)",
        "insert into stripe.customer values"
        " ('cus_A', '2026-01-05 09:00', 'Acme', 'ops@acme.test', 'US', false, true),"
        " ('cus_B', '2026-01-20 10:00', 'Bolt', 'it@bolt.test', 'DE', false, true),"
        " ('cus_C', '2026-03-01 08:00', 'Cora', 'hi@cora.test', 'FR', false, true),"
        " ('cus_D', '2026-03-10 12:00', 'Dune', 'me@dune.test', 'US', false, true)",
        "create table stripe.price (id varchar, nickname varchar, product_id varchar, unit_amount bigint,"
        " currency varchar, type varchar, recurring_interval varchar, recurring_interval_count bigint,"
        " active boolean)",
        "insert into stripe.price values"
        " ('price_m', 'Pro monthly', 'prod_pro', 2000, 'usd', 'recurring', 'month', 1, true),"
        " ('price_y', 'Pro yearly', 'prod_pro', 36000, 'usd', 'recurring', 'year', 1, true),"
        " ('price_q', 'Team quarterly', 'prod_team', 9000, 'usd', 'recurring', 'month', 3, true),"
        " ('price_w', null, 'prod_weekly', 1000, 'usd', 'recurring', 'week', 1, true)",
        "create table stripe.subscription_history (id varchar, customer_id varchar, status varchar,"
        " created timestamp, start_date timestamp, trial_start timestamp, trial_end timestamp, ended_at timestamp,"
        " canceled_at timestamp, cancel_at timestamp, cancel_at_period_end boolean, current_period_start timestamp,"
        " current_period_end timestamp, livemode boolean, _fivetran_active boolean, _fivetran_start timestamp)",
        "insert into stripe.subscription_history values"
        " ('sub_1', 'cus_A', 'trialing', '2026-01-05 09:00', '2026-01-05 09:00', null, null, null, null, null,"
        "  false, '2026-01-05 09:00', '2026-02-05 09:00', true, false, '2026-01-05 09:00'),"
        " ('sub_1', 'cus_A', 'active', '2026-01-05 09:00', '2026-01-05 09:00', null, null, null, null, null,"
        "  false, '2026-03-05 09:00', '2026-04-05 09:00', true, true, '2026-01-06 09:00'),"
        " ('sub_2', 'cus_B', 'active', '2026-02-10 00:00', '2026-02-10 00:00', null, null, null, null, null,"
        "  false, '2026-02-10 00:00', '2027-02-10 00:00', true, true, '2026-02-10 00:00'),"
        " ('sub_3', 'cus_C', 'active', '2026-03-01 08:00', '2026-03-01 08:00', null, null, null, '2026-04-15 10:00',"
        "  null, true, '2026-03-01 08:00', '2026-06-01 08:00', true, true, '2026-04-15 10:00'),"
        " ('sub_4', 'cus_A', 'incomplete_expired', '2026-02-01 00:00', '2026-02-01 00:00', null, null, null, null,"
        "  null, false, '2026-02-01 00:00', '2026-03-01 00:00', true, true, '2026-02-01 00:00'),"
        " ('sub_5', 'cus_B', 'canceled', '2026-01-20 10:00', '2026-01-20 10:00', null, null, '2026-02-20 10:00',"
        "  '2026-02-20 10:00', null, false, '2026-02-17 10:00', '2026-02-24 10:00', true, true, '2026-02-20 10:00'),"
        " ('sub_6', 'cus_D', 'active', '2026-03-10 12:00', '2026-03-10 12:00', '2026-03-10 12:00',"
        "  '2026-03-24 12:00', null, null, null, false, '2026-03-24 12:00', '2026-04-24 12:00', true, true,"
        "  '2026-03-24 12:00')",
        "create table stripe.subscription_item (id varchar, subscription_id varchar, plan_id varchar,"
        " quantity bigint, created timestamp)",
        "insert into stripe.subscription_item values"
        " ('si_1', 'sub_1', 'price_m', 1, '2026-01-05 09:00'), ('si_2', 'sub_2', 'price_y', 3, '2026-02-10 00:00'),"
        " ('si_3', 'sub_3', 'price_q', 2, '2026-03-01 08:00'), ('si_4', 'sub_4', 'price_m', 5, '2026-02-01 00:00'),"
        " ('si_5', 'sub_5', 'price_w', 1, '2026-01-20 10:00'), ('si_6', 'sub_6', 'price_m', 2, '2026-03-10 12:00')",
    ])


def segment_rows(conn: Connection) -> None:
    """Segment warehouse, source schema `website`. Users u1, u2 identified in April, u3 in May; u1 and u3 go on
    to a purchase; anonymous calls (no user_id) are not the contract's."""
    _run(conn, [
        "create schema website",
        'create table website.identifies (id varchar, anonymous_id varchar, user_id varchar, "timestamp" timestamp,'
        " received_at timestamp, sent_at timestamp, email varchar, context_library_name varchar)",
        "insert into website.identifies values"
        " ('idf_1', 'anon_1', 'u1', '2026-04-02 10:00', '2026-04-02 10:00:01', '2026-04-02 10:00', 'a@u1.test',"
        "  'analytics.js'),"
        " ('idf_2', 'anon_1', 'u1', '2026-04-20 08:00', '2026-04-20 08:00:01', '2026-04-20 08:00', 'b@u1.test',"
        "  'analytics.js'),"
        " ('idf_3', 'anon_2', 'u2', '2026-04-05 09:30', '2026-04-05 09:30:01', '2026-04-05 09:30', null,"
        "  'analytics.js'),"
        " ('idf_4', 'anon_3', 'u3', '2026-05-01 15:00', '2026-05-01 15:00:01', '2026-05-01 15:00', 'c@u3.test',"
        "  'analytics-python'),"
        " ('idf_5', 'anon_9', null, '2026-04-06 11:00', '2026-04-06 11:00:01', '2026-04-06 11:00', null,"
        "  'analytics.js')",
        "create table website.tracks (id varchar, anonymous_id varchar, user_id varchar, event varchar,"
        ' event_text varchar, "timestamp" timestamp, received_at timestamp, sent_at timestamp,'
        " context_library_name varchar)",
        "insert into website.tracks values"
        " ('trk_1', 'anon_1', 'u1', 'signup', 'Signup', '2026-04-02 10:01', '2026-04-02 10:01', '2026-04-02 10:01',"
        "  'analytics.js'),"
        " ('trk_2', 'anon_1', 'u1', 'purchase', 'Purchase', '2026-04-03 12:00', '2026-04-03 12:00',"
        "  '2026-04-03 12:00', 'analytics.js'),"
        " ('trk_3', 'anon_2', 'u2', 'signup', 'Signup', '2026-04-05 09:31', '2026-04-05 09:31', '2026-04-05 09:31',"
        "  'analytics.js'),"
        " ('trk_4', 'anon_3', 'u3', 'signup', 'Signup', '2026-05-01 15:01', '2026-05-01 15:01', '2026-05-01 15:01',"
        "  'analytics-python'),"
        " ('trk_5', 'anon_3', 'u3', 'purchase', 'Purchase', '2026-05-09 18:00', '2026-05-09 18:00',"
        "  '2026-05-09 18:00', 'analytics-python'),"
        " ('trk_6', 'anon_9', null, 'signup', 'Signup', '2026-04-06 11:01', '2026-04-06 11:01', '2026-04-06 11:01',"
        "  'analytics.js')",
        'create table website.pages (id varchar, anonymous_id varchar, user_id varchar, "timestamp" timestamp,'
        " received_at timestamp, name varchar, path varchar, url varchar)",
        "insert into website.pages values"
        " ('pg_1', 'anon_1', 'u1', '2026-04-02 10:02', '2026-04-02 10:02', 'Pricing', '/pricing',"
        "  'https://shop.test/pricing'),"
        " ('pg_2', 'anon_9', null, '2026-04-06 11:02', '2026-04-06 11:02', 'Home', '/', 'https://shop.test/')",
    ])


def posthog_rows(conn: Connection) -> None:
    """PostHog events export (Events model, timestamps with a zone). Persons d1, d2 first seen in April, d3 in May
    (d3's first event at 23:30 on Apr 30 in New York is May 1 03:30 UTC); d1 and d3 purchase."""
    _run(conn, [
        "create schema posthog_exports",
        "create table posthog_exports.events (uuid varchar, event varchar, properties json, elements varchar,"
        ' "set" json, set_once json, distinct_id varchar, team_id integer, ip varchar, site_url varchar,'
        ' "timestamp" timestamptz)',
        "insert into posthog_exports.events values"
        " ('e-1', '$pageview', '{\"$session_id\": \"s1\"}', null, null, null, 'd1', 1, null, 'https://app.test',"
        "  '2026-04-02 10:00:00+00'),"
        " ('e-2', 'signup', '{\"$session_id\": \"s1\"}', null, null, null, 'd1', 1, null, 'https://app.test',"
        "  '2026-04-02 10:05:00+00'),"
        " ('e-3', 'purchase', '{\"$session_id\": \"s2\"}', null, null, null, 'd1', 1, null, 'https://app.test',"
        "  '2026-04-04 16:00:00+00'),"
        " ('e-4', 'signup', '{}', null, null, null, 'd2', 1, null, 'https://app.test', '2026-04-08 09:00:00+00'),"
        " ('e-5', '$pageview', '{}', null, null, null, 'd3', 1, null, 'https://app.test',"
        "  '2026-04-30 23:30:00-04'),"
        " ('e-6', 'signup', '{}', null, null, null, 'd3', 1, null, 'https://app.test', '2026-05-01 03:31:00+00'),"
        " ('e-7', 'purchase', '{}', null, null, null, 'd3', 1, null, 'https://app.test', '2026-05-20 12:00:00+00')",
    ])


def zendesk_rows(conn: Connection) -> None:
    """Fivetran Zendesk, April 2026. First public agent reply: t101 after 3 h (an internal note at 2 h does not
    count), t102 after 1 h (an admin), t103 after 5 h, t104 none. Solved: t101 after 24 h, t102 after 6 h
    (closed later); t103 and t104 are open at the end of April."""
    _run(conn, [
        "create schema zendesk",
        'create table zendesk."user" (id bigint, name varchar, role varchar)',
        "insert into zendesk.\"user\" values (1, 'Robin', 'end-user'), (2, 'Sam', 'end-user'), (10, 'Ada', 'agent'),"
        " (11, 'Max', 'admin')",
        "create table zendesk.ticket (id bigint, created_at timestamp, updated_at timestamp, status varchar,"
        " priority varchar, type varchar, subject varchar, organization_id bigint, requester_id bigint)",
        "insert into zendesk.ticket values"
        " (101, '2026-04-01 09:00', '2026-04-02 09:00', 'solved', 'high', 'incident', 'Login fails', 7001, 1),"
        " (102, '2026-04-03 10:00', '2026-04-07 10:00', 'closed', 'normal', 'question', 'Invoice copy', 7002, 2),"
        " (103, '2026-04-05 08:00', '2026-04-05 13:00', 'open', 'normal', 'problem', 'Slow export', 7001, 1),"
        " (104, '2026-04-10 08:00', '2026-04-10 08:00', 'new', 'low', null, 'Feature idea', null, 2)",
        "create table zendesk.ticket_comment (id bigint, ticket_id bigint, user_id bigint, created timestamp,"
        " public boolean, body varchar)",
        "insert into zendesk.ticket_comment values"
        " (1, 101, 1, '2026-04-01 09:00', true, 'It fails'), (2, 101, 10, '2026-04-01 11:00', false, 'note'),"
        " (3, 101, 10, '2026-04-01 12:00', true, 'Fixed?'), (4, 102, 2, '2026-04-03 10:00', true, 'Copy please'),"
        " (5, 102, 11, '2026-04-03 11:00', true, 'Attached'), (6, 103, 1, '2026-04-05 08:00', true, 'Slow'),"
        " (7, 103, 10, '2026-04-05 13:00', true, 'Looking'), (8, 104, 2, '2026-04-10 08:00', true, 'Idea')",
        "create table zendesk.ticket_field_history (ticket_id bigint, field_name varchar, updated timestamp,"
        " value varchar, user_id bigint)",
        "insert into zendesk.ticket_field_history values"
        " (101, 'status', '2026-04-01 09:00', 'new', 1), (101, 'status', '2026-04-02 09:00', 'solved', 10),"
        " (101, 'priority', '2026-04-01 09:05', 'high', 10), (102, 'status', '2026-04-03 10:00', 'new', 2),"
        " (102, 'status', '2026-04-03 16:00', 'solved', 11), (102, 'status', '2026-04-07 10:00', 'closed', 11),"
        " (103, 'status', '2026-04-05 08:00', 'new', 1), (103, 'status', '2026-04-05 13:00', 'open', 10),"
        " (104, 'status', '2026-04-10 08:00', 'new', 2)",
    ])


LAYOUT_ROWS: dict[str, Callable[[Connection], None]] = {
    "stripe": stripe_rows, "segment": segment_rows, "posthog": posthog_rows, "zendesk": zendesk_rows,
}


def write_layout_database(path: Path, layouts: list[str]) -> str:
    """A DuckDB file holding the layouts' tables; returns its URL."""
    url = f"duckdb:///{path}"
    engine = create_engine(url)
    with engine.begin() as conn:
        for name in layouts:
            LAYOUT_ROWS[name](conn)
    engine.dispose()
    return url
