"""Cleaning a Slack message or CLI question, and a scratch copy that extractors consume piece by piece."""

from __future__ import annotations

import re
import unicodedata

MAX_CHARS = 500  # a question longer than this is not a question; bounds the regex work

_SLACK_TOKEN = re.compile(r"<((?:[@!#]|https?:|mailto:|tel:|slack:)[^<>]*)>")
_EMOJI = re.compile(r"(?<!\S):[a-z0-9_+'-]+:(?!\S)", re.IGNORECASE)
_BLOCKQUOTE = re.compile(r"^[ \t]*>+[ \t]?", re.MULTILINE)
_EDGE_MARKUP = re.compile(r"(?<!\w)[_*~]+|[_*~]+(?!\w)")
_ARROWS = re.compile(r"\s*(?:->|=>|-->|→|⟶|➔|➜|➡|⇒|»|›)\s*")
_DASHES = re.compile(r"\s*[–—]\s*")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff]")
_MENTION_PREFIX = re.compile(r"^(?:@\s*kpi[ _-]?bot\b|@\S+(?:\s+bot\b)?|/kpi\b|kpi[ _-]?bot\b)[\s,:;-]*", re.IGNORECASE)
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "`": " "})
_TRIM = " \t\n?!.,;:\"'"

CONSUMED = "\ue000"  # replaces text an extractor has taken: not a word character, not whitespace
PROTECTED = "\ue001"  # hides a metric name from the other extractors until the metric is resolved


def _slack_token(match: re.Match[str]) -> str:
    inner = match.group(1)
    if inner[0] in "@!#":
        return " "
    return f" {inner.split('|', 1)[1]} " if "|" in inner else " "


def clean(text: str) -> str:
    """Drops Slack markup (mentions, links, formatting, emoji), unifies arrows/quotes, trims punctuation."""
    text = _SLACK_TOKEN.sub(_slack_token, text[: MAX_CHARS * 2])
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text).replace(CONSUMED, " ").replace(PROTECTED, " ")
    text = _BLOCKQUOTE.sub("", text).translate(_QUOTES)
    text = _EMOJI.sub(" ", text)
    text = _EDGE_MARKUP.sub(" ", text)
    text = _ARROWS.sub(" > ", text)
    text = _DASHES.sub(" - ", text)
    text = " ".join(text.split())[:MAX_CHARS]
    text = _MENTION_PREFIX.sub("", text.strip(_TRIM))
    return text.strip(_TRIM)


def same_length_lower(text: str) -> str:
    """Lower case that never changes the length (so spans map back to the original casing)."""
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)


class Scratch:
    """The question being taken apart: `text` is lower case; consumed spans become CONSUMED characters."""

    def __init__(self, cleaned: str) -> None:
        self.original = cleaned
        self.lower = same_length_lower(cleaned)
        self.text = self.lower

    def consume(self, start: int, end: int) -> None:
        self.text = self.text[:start] + CONSUMED * (end - start) + self.text[end:]

    def protect(self, start: int, end: int) -> None:
        self.text = self.text[:start] + PROTECTED * (end - start) + self.text[end:]

    def unprotect(self) -> None:
        self.text = "".join(low if ch == PROTECTED else ch for ch, low in zip(self.text, self.lower, strict=True))

    def cased(self, start: int, end: int) -> str:
        return self.original[start:end]

    def copy(self) -> Scratch:
        other = Scratch.__new__(Scratch)
        other.original, other.lower, other.text = self.original, self.lower, self.text
        return other

    def remaining(self) -> str:
        """What no extractor has taken, with consumed spans as a separator that no phrase spans."""
        return self.text.replace(CONSUMED, " ")
