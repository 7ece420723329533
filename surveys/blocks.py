"""Block Kit for the survey itself (plain dicts): the question with one button per score, the thank-you that
replaces it, the closed notice, and the "Tell us why" modal. Every button carries the delivery id."""

from __future__ import annotations

from typing import Any

from surveys.answers import Answer
from surveys.block_ids import MESSAGE_EVENT_TYPE, SurveyActionId, SurveyBlockId, SurveyCallbackId, score_action_id
from surveys.campaigns import Campaign
from surveys.kinds import kind_of

Block = dict[str, Any]


def _text(text: str, kind: str = "mrkdwn") -> dict[str, Any]:
    return {"type": kind, "text": text} if kind == "mrkdwn" else {"type": kind, "text": text, "emoji": True}


def _button(text: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    button = {"type": "button", "text": _text(text[:75], "plain_text"), "action_id": action_id, "value": value}
    if style:
        button["style"] = style
    return button


def _day(campaign: Campaign) -> str:
    ends = campaign.expires_at
    return f"{ends:%b} {ends.day}"


def survey_text(campaign: Campaign, *, reminder: bool = False) -> str:
    """The notification text (and what screen readers and old clients show)."""
    prefix = "Reminder: " if reminder else ""
    return f"{prefix}{campaign.question}"[:3000]


def message_metadata(campaign: Campaign, delivery_id: str) -> dict[str, Any]:
    return {"event_type": MESSAGE_EVENT_TYPE,
            "event_payload": {"delivery_id": delivery_id, "campaign_id": campaign.campaign_id}}


def survey_blocks(campaign: Campaign, delivery_id: str, *, addressee: str | None = None,
                  reminder: bool = False) -> list[Block]:
    kind = kind_of(campaign.survey)
    greeting = f"<@{addressee}>, " if addressee else ""
    lead = "A gentle reminder, one click is all it takes: " if reminder else ""
    footer = f"Open until {_day(campaign)}."
    if campaign.anonymous:
        footer += " Anonymous: your name is not stored with your answer."
    return [
        {"type": "section", "block_id": SurveyBlockId.QUESTION.value,
         "text": _text(f"{greeting}{lead}*{campaign.question}*"[:3000])},
        {"type": "actions", "block_id": SurveyBlockId.SCORES.value,
         "elements": [_button(str(score), score_action_id(score), delivery_id) for score in kind.scores]},
        {"type": "context", "block_id": SurveyBlockId.ANCHORS.value,
         "elements": [_text(f"{kind.low} = {kind.low_anchor} · {kind.high} = {kind.high_anchor}")]},
        {"type": "context", "block_id": SurveyBlockId.FOOTER.value, "elements": [_text(footer)]},
    ]


def thanks_text(campaign: Campaign, answer: Answer, *, show_score: bool = True) -> str:
    kind = kind_of(campaign.survey)
    if not show_score:
        return "Thank you, your answer is recorded."
    return f"Thank you! You answered {answer.score} on a scale of {kind.low} to {kind.high}."


def thanks_blocks(campaign: Campaign, delivery_id: str, answer: Answer, *, show_score: bool = True,
                  addressee: str | None = None) -> list[Block]:
    greeting = f"<@{addressee}> " if addressee else ""
    kind = kind_of(campaign.survey)
    if show_score:
        body = (f"{greeting}*Thank you!* You answered *{answer.score}* "
                f"({kind.low} = {kind.low_anchor.lower()}, {kind.high} = {kind.high_anchor.lower()}).")
    else:
        body = f"{greeting}*Thank you!* Your answer is recorded."
    if answer.comment and show_score:
        quoted = "\n".join(f"> {line}" for line in answer.comment[:1500].splitlines() if line.strip())
        body += f"\nYou told us:\n{quoted}"
    buttons = []
    if campaign.follow_up:
        label = "Edit your comment" if answer.comment else "Tell us why"
        buttons.append(_button(label, SurveyActionId.COMMENT.value, delivery_id, "primary"))
    buttons.append(_button("Change my answer", SurveyActionId.CHANGE.value, delivery_id))
    return [
        {"type": "section", "block_id": SurveyBlockId.THANKS.value, "text": _text(body[:3000])},
        {"type": "actions", "block_id": SurveyBlockId.THANKS_ACTIONS.value, "elements": buttons},
    ]


def closed_blocks(text: str) -> list[Block]:
    return [{"type": "section", "block_id": SurveyBlockId.THANKS.value, "text": _text(text)}]


def comment_modal(campaign: Campaign, delivery_id: str, current: str | None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": SurveyActionId.COMMENT_TEXT.value,
                               "multiline": True, "max_length": 3000}
    if current:
        element["initial_value"] = current[:3000]
    return {
        "type": "modal",
        "callback_id": SurveyCallbackId.COMMENT_MODAL.value,
        "private_metadata": delivery_id,
        "title": _text("Tell us why", "plain_text"),
        "submit": _text("Send", "plain_text"),
        "close": _text("Cancel", "plain_text"),
        "blocks": [{"type": "input", "block_id": SurveyBlockId.COMMENT.value,
                    "label": _text((campaign.follow_up or "Tell us why")[:2000], "plain_text"),
                    "element": element}],
    }


def comment_from_view(view: dict[str, Any]) -> str:
    values = view.get("state", {}).get("values", {})
    field = values.get(SurveyBlockId.COMMENT.value, {}).get(SurveyActionId.COMMENT_TEXT.value) or {}
    return str(field.get("value") or "")
