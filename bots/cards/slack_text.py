"""Slack's text rules, for every Slack renderer: the one escape, and cutting escaped text."""

from __future__ import annotations

from bots.cards.fit import ELLIPSIS, clip

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def slack_escape(text: str) -> str:
    """Slack's three control characters escaped: after this, text cannot form markup, and
    `<!channel>` shows, never pings."""
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


def fit(text: str, limit: int) -> str:
    """`text` escaped and cut (with an ellipsis) to at most `limit` characters after escaping,
    never leaving half an entity."""
    escaped = slack_escape(text)
    cut = clip(escaped, limit)
    if cut == escaped:
        return cut
    body = cut.removesuffix(ELLIPSIS)
    amp = body.rfind("&", max(len(body) - 4, 0))
    if amp != -1 and ";" not in body[amp:]:
        body = body[:amp].rstrip()
    return body + ELLIPSIS
