"""The three survey kinds: scale, standard wording, and how a score is classified."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Sentiment = Literal["detractor", "passive", "promoter"]
DEFAULT_FOLLOW_UP = "What's the main reason for your score?"
UNNAMED = ("", "our product")  # KPIBOT_PRODUCT_NAME not set (or the old placeholder default): wording without a name


@dataclass(frozen=True)
class SurveyKind:
    name: str  # the `survey` column: nps | csat | ces
    label: str
    low: int
    high: int
    low_anchor: str
    high_anchor: str
    question_template: str  # `{product}` is replaced by settings.product_name
    unnamed_question: str  # the same question when no product name is configured
    unhappy_up_to: int  # scores at or below this are unhappy (detractors; CSAT 1–2; CES 1–3)
    happy_from: int  # scores at or above this are happy (promoters; CSAT 4–5; CES 5–7)

    @property
    def scores(self) -> range:
        return range(self.low, self.high + 1)

    def question(self, product: str) -> str:
        """The standard question in sentence case, with the product name (KPIBOT_PRODUCT_NAME) or without one."""
        name = product.strip()
        if name.lower() in UNNAMED:
            return self.unnamed_question
        text = self.question_template.format(product=name)
        return text[:1].upper() + text[1:]

    def sentiment(self, score: int) -> Sentiment:
        if score <= self.unhappy_up_to:
            return "detractor"
        if score >= self.happy_from:
            return "promoter"
        return "passive"

    def valid(self, score: int) -> bool:
        return self.low <= score <= self.high


NPS = SurveyKind("nps", "NPS", 0, 10, "Not at all likely", "Extremely likely",
                 "How likely are you to recommend {product} to a friend or colleague?",
                 "How likely are you to recommend us to a friend or colleague?", 6, 9)
CSAT = SurveyKind("csat", "CSAT", 1, 5, "Very dissatisfied", "Very satisfied",
                  "How satisfied are you with {product}?",
                  "How satisfied are you with us?", 2, 4)
CES = SurveyKind("ces", "CES", 1, 7, "Strongly disagree", "Strongly agree",
                 "{product} made it easy to handle my issue.",
                 "It was easy to handle my issue.", 3, 5)

KINDS: dict[str, SurveyKind] = {kind.name: kind for kind in (NPS, CSAT, CES)}


class UnknownSurveyKind(ValueError):
    pass


def kind_of(name: str) -> SurveyKind:
    try:
        return KINDS[name.strip().lower()]
    except KeyError as exc:
        raise UnknownSurveyKind(f"unknown survey {name!r}: use nps, csat or ces") from exc


def alerts_on(kind: SurveyKind, score: int) -> bool:
    """Closing the loop: NPS detractors (0–6) and CSAT 1–2 go to the customer-experience channel."""
    return kind.name in ("nps", "csat") and score <= kind.unhappy_up_to
