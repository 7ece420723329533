"""End to end on the second company (other names than the demo), SQLite and PostgreSQL: values read from the
data, groups compared, rankings, several metrics, two dimensions, intent words.
Figures: tests/support/second_company.py."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, create_engine, insert

from kpi_engine.answers.ask import Answer, answer_json, answer_question
from kpi_engine.db.models import Account
from kpi_engine.settings import Settings
from kpi_engine.values import engine_reader, invalidate_values, values_for
from tests.support.second_company import AS_OF, EVENTS, PLANS, write_second_company


@pytest.fixture
def second(engine: Engine) -> Engine:
    invalidate_values(engine)
    return write_second_company(engine)


def ask(engine: Engine, settings: Settings, question: str) -> Answer:
    return answer_question(question, engine=engine, settings=settings, as_of=AS_OF)


def groups(answer: Answer) -> list[tuple[str, float | None]]:
    return [(g.group, g.value) for g in answer.result.breakdown or []]  # type: ignore[union-attr]


def test_values_come_from_the_data_and_are_read_again_after_an_import(second: Engine) -> None:
    values = values_for(second)
    assert set(values.of("plan")) == set(PLANS)
    assert set(values.of("segment")) == {"smb", "mid", "ent"}
    assert values.events == tuple(sorted(EVENTS))  # the loose index scan returns them in name order
    with second.begin() as conn:
        conn.execute(insert(Account.__table__), [{"account_id": "c9", "created_at": AS_OF, "plan": "scale"}])
    assert "scale" not in values_for(second).of("plan")  # cached until told (or the minute's recheck)
    invalidate_values(second)
    assert "scale" in values_for(second).of("plan")


def test_a_renamed_value_changes_the_fingerprint(second: Engine) -> None:
    from sqlalchemy import update

    from kpi_engine.values import data_fingerprint, engine_reader

    before = data_fingerprint(engine_reader(second))
    with second.begin() as conn:
        conn.execute(update(Account.__table__).where(Account.__table__.c.plan == "team").values(plan="teams"))
    assert data_fingerprint(engine_reader(second)) != before


def test_a_reader_reads_the_values_where_the_data_is(second: Engine) -> None:
    """A source: the bot's own database (here an empty in-memory one) is not where the data is."""
    tables: list[str] = []
    base = engine_reader(second)

    def read(table: str, stmt: object) -> list[object]:
        tables.append(table)
        return base(table, stmt)  # type: ignore[arg-type]

    values = values_for(create_engine("sqlite://"), read)
    assert set(values.of("channel")) == {"ads", "community", "events"}
    assert set(values.events) == set(EVENTS)
    assert {"accounts", "events", "orders", "tickets"} <= set(tables)


def test_groups_compared_are_exactly_those_groups_with_the_difference_in_words(second, settings) -> None:
    answer = ask(second, settings, "team vs business arr")
    assert groups(answer) == [("team", 1560.0), ("business", 5400.0)]
    assert answer.summary == "ARR: team $1,560 vs business $5,400. business is $3,840 (246.2%) higher than team; " \
                             "business is better"
    out = answer_json(answer)
    assert out["breakdown_dimension"] == "plan"
    assert [g["group"] for g in out["breakdown"]] == ["team", "business"]


def test_a_word_of_the_synonym_table_finds_the_stored_value(second, settings) -> None:
    answer = ask(second, settings, "mrr for enterprise")
    assert answer.result.filters == {"segment": ["ent"]}  # type: ignore[union-attr]
    assert answer.result.value == 300  # type: ignore[union-attr]
    assert groups(ask(second, settings, "compare enterprise to smb mrr")) == [("ent", 300.0), ("smb", 70.0)]


def test_rankings_are_sorted_and_cut(second, settings) -> None:
    answer = ask(second, settings, "which plan has the most mrr")
    assert groups(answer) == [("business", 450.0)]
    assert answer.summary == "business is the highest plan for MRR: $450"
    assert groups(ask(second, settings, "top 2 segments by mrr")) == [("ent", 300.0), ("mid", 230.0)]
    assert groups(ask(second, settings, "bottom plan by mrr")) == [("basic", 20.0)]


def test_two_dimensions(second, settings) -> None:
    answer = ask(second, settings, "mrr by plan and segment")
    rows = {(g.group, g.subgroup): g.value for g in answer.result.breakdown}  # type: ignore[union-attr]
    assert rows == {("business", "ent"): 300, ("business", "mid"): 150, ("team", "mid"): 80, ("team", "smb"): 50,
                    ("basic", "smb"): 20}
    assert answer_json(answer)["subgroup_dimension"] == "segment"


def test_several_metrics_answer_each(second, settings) -> None:
    answer = ask(second, settings, "mrr and arr")
    assert [(a.result.metric, a.result.value) for a in answer.answers] == [("mrr", 600), ("arr", 7200)]  # type: ignore[union-attr]
    assert [one["metric"] for one in answer_json(answer)["answers"]] == ["mrr", "arr"]


def test_intent_words(second, settings) -> None:
    converted = ask(second, settings, "how many trials converted in may")
    assert (converted.result.metric, converted.result.value) == ("trial_conversions", 2)  # type: ignore[union-attr]
    resolve = ask(second, settings, "how long to resolve tickets")
    assert (resolve.result.metric, resolve.result.value) == ("resolution_time", 4)  # type: ignore[union-attr]
    typo = ask(second, settings, "mmr")
    assert (typo.result.metric, typo.result.value) == ("mrr", 600)  # type: ignore[union-attr]
    assert "I read 'mmr' as MRR" in typo.notes
    churn = ask(second, settings, "what's churn")
    assert churn.result.metric == "customer_churn_rate"  # type: ignore[union-attr]
    assert any(note.startswith("Customer churn rate: ") for note in churn.notes)


def test_every_pm_question_is_answered_or_says_why_on_the_second_company(second, settings) -> None:
    from tests.kpi_engine.parser.test_phrasings_pm import EACH, SAME

    for question in [q for q, _ in SAME] + [q for q, _, _ in EACH]:
        answer = ask(second, settings, question)
        assert answer.parse is not None and answer.parse.intent == "query", question
        for one in answer.answers:
            assert one.result is not None or one.error, question
            if one.error:  # only what this company's data cannot have: e.g. DAU filtered by a feature
                assert "cannot be broken down or filtered" in one.error, (question, one.error)
