"""Survey questions in sentence case, with the product name from KPIBOT_PRODUCT_NAME or none (issue 14)."""

from __future__ import annotations

from surveys.kinds import CES, CSAT, NPS
from tests.conftest import make_settings


def test_questions_start_with_a_capital_whatever_the_name() -> None:
    assert CES.question("acme cloud") == "Acme cloud made it easy to handle my issue."
    assert NPS.question("acme cloud") == "How likely are you to recommend acme cloud to a friend or colleague?"


def test_without_a_product_name_the_questions_need_none() -> None:
    assert make_settings("sqlite://").product_name == ""  # the default: no placeholder like "our product"
    assert CES.question("") == "It was easy to handle my issue."
    assert NPS.question("") == "How likely are you to recommend us to a friend or colleague?"
    assert CSAT.question("  ") == "How satisfied are you with us?"
    assert CES.question("our product") == "It was easy to handle my issue."  # the old default, still set somewhere
