"""The shared fake Slack, plus what survey sending needs: email lookups, user groups, channel members (paged),
DMs some users cannot receive, chat.update, and conversations.history over what was really posted."""

from __future__ import annotations

import threading
from typing import Any

from tests.bot.support.fake_slack import FakeSlack


class SurveyFakeSlack(FakeSlack):
    def __init__(self, page_size: int = 2) -> None:
        super().__init__()
        self.emails: dict[str, str] = {}
        self.groups: dict[str, list[str]] = {}
        self.members: dict[str, list[str]] = {}
        self.dm_refused: dict[str, str] = {}  # user → error of conversations.open (e.g. invalid_user_combination)
        self.page_size = page_size
        self.posted: dict[str, list[dict[str, Any]]] = {}  # channel → messages Slack accepted
        self._posted_lock = threading.Lock()

    def people(self, *user_ids: str, tz: str = "Europe/Paris", **overrides: Any) -> None:
        for user_id in user_ids:
            self.add_user(user_id, tz=tz, **overrides)

    def surveys_posted(self, channel: str | None = None) -> list[dict[str, Any]]:
        with self._posted_lock:
            messages = [m for c, ms in self.posted.items() if channel in (None, c) for m in ms]
        return [m for m in messages if (m.get("metadata") or {}).get("event_type") == "kpibot_survey"]

    def surveys_per_user(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for message in self.surveys_posted():
            if "Reminder" in str(message.get("text")):
                continue
            user = str(message["channel"])
            counts[user] = counts.get(user, 0) + 1
        return counts

    def _api_chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        answer = super()._api_chat_postMessage(params)
        message = {"ts": answer["ts"], "channel": params.get("channel"), "text": params.get("text"),
                   "metadata": params.get("metadata"), "blocks": params.get("blocks")}
        with self._posted_lock:
            self.posted.setdefault(str(params.get("channel")), []).append(message)
        return answer

    def _api_chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts"), "text": params.get("text")}

    def _api_conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        user = str(params.get("users", ""))
        if user in self.dm_refused:
            return {"ok": False, "error": self.dm_refused[user]}
        return super()._api_conversations_open(params)

    def _api_conversations_history(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = str(params.get("channel"))
        with self._posted_lock:
            messages = list(reversed(self.posted.get(channel, [])))
        return {"ok": True, "messages": messages, "has_more": False}

    def _api_users_lookupByEmail(self, params: dict[str, Any]) -> dict[str, Any]:
        user = self.emails.get(str(params.get("email")))
        return {"ok": True, "user": {"id": user}} if user else {"ok": False, "error": "users_not_found"}

    def _api_usergroups_users_list(self, params: dict[str, Any]) -> dict[str, Any]:
        group = self.groups.get(str(params.get("usergroup")))
        return {"ok": True, "users": group} if group is not None else {"ok": False, "error": "no_such_subteam"}

    def _api_conversations_members(self, params: dict[str, Any]) -> dict[str, Any]:
        members = self.members.get(str(params.get("channel")))
        if members is None:
            return {"ok": False, "error": "not_in_channel"}
        start = int(params.get("cursor") or 0)
        page = members[start:start + self.page_size]
        following = start + self.page_size
        return {"ok": True, "members": page,
                "response_metadata": {"next_cursor": str(following) if following < len(members) else ""}}
