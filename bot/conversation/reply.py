"""Where an answer goes: an ephemeral message through the response_url, or a message in a conversation."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.posting import PostRefused, post_ephemeral, post_message, respond_with, upload_png

logger = logging.getLogger(__name__)

# Builds the message blocks, given the id of the uploaded chart when it can be shown inside the message.
BlocksBuilder = Callable[[str | None], list[dict[str, Any]]]


@dataclass(frozen=True)
class Chart:
    png: bytes
    title: str
    alt_text: str


class Reply(Protocol):
    def send(self, build: BlocksBuilder, text: str, chart: Chart | None = None) -> None: ...

    def notice(self, text: str) -> None: ...


class EphemeralReply:
    """Only the asker sees it. Works in any conversation, the bot need not be a member."""

    def __init__(self, client: WebClient, respond: Respond) -> None:
        self.client = client
        self.respond = respond

    def send(self, build: BlocksBuilder, text: str, chart: Chart | None = None) -> None:
        file_id = self._upload_privately(chart) if chart is not None else None
        if file_id is not None and respond_with(self.respond, text=text, blocks=build(file_id)):
            return
        if not respond_with(self.respond, text=text, blocks=build(None)):
            raise PostRefused("response_url_refused", "Slack did not accept my answer. Please ask again.")

    def notice(self, text: str) -> None:
        respond_with(self.respond, text=text)

    def _upload_privately(self, chart: Chart) -> str | None:
        try:
            return upload_png(self.client, chart.png, title=chart.title, alt_text=chart.alt_text)
        except (SlackApiError, PostRefused) as exc:
            logger.warning("chart upload failed, answering without it: %s", exc)
            return None


class ConversationReply:
    """A message everyone in the conversation sees; the chart is uploaded into the same conversation,
    in the thread when there is one (or under the answer when `chart_under_answer`). Notices (refusals,
    errors) go only to `notice_user` when given, and into the conversation when that is not possible."""

    def __init__(self, client: WebClient, channel_id: str, thread_ts: str | None = None, *,
                 chart_under_answer: bool = False, notice_user: str | None = None) -> None:
        self.client = client
        self.channel_id = channel_id
        self.thread_ts = thread_ts
        self.chart_under_answer = chart_under_answer
        self.notice_user = notice_user
        self.posted_ts: str | None = None

    def send(self, build: BlocksBuilder, text: str, chart: Chart | None = None) -> None:
        self.posted_ts = post_message(self.client, self.channel_id, text=text, blocks=build(None),
                                      thread_ts=self.thread_ts)
        if chart is None:
            return
        thread = self.thread_ts or (self.posted_ts if self.chart_under_answer else None)
        try:
            upload_png(self.client, chart.png, title=chart.title, alt_text=chart.alt_text,
                       channel=self.channel_id, thread_ts=thread)
        except (SlackApiError, PostRefused) as exc:
            logger.warning("chart upload to %s failed after the answer was posted: %s", self.channel_id, exc)

    def notice(self, text: str) -> None:
        if self.notice_user is not None:
            try:
                post_ephemeral(self.client, self.channel_id, self.notice_user, text=text, thread_ts=self.thread_ts)
                return
            except (SlackApiError, PostRefused) as exc:
                logger.info("ephemeral notice to %s failed (%s); posting it in the conversation", self.notice_user, exc)
        post_message(self.client, self.channel_id, text=text, thread_ts=self.thread_ts)


class SplitReply:
    """Answers go one way (e.g. shared into the channel), notices another (e.g. only to the person)."""

    def __init__(self, answers: Reply, notices: Reply) -> None:
        self.answers = answers
        self.notices = notices

    def send(self, build: BlocksBuilder, text: str, chart: Chart | None = None) -> None:
        self.answers.send(build, text, chart)

    def notice(self, text: str) -> None:
        self.notices.notice(text)
