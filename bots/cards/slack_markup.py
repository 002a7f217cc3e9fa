"""Block Kit's limits and the smallest pieces of a Slack message: text escaped and cut to fit.

Our own text (catalog and UI sentences) is mrkdwn with Slack's three control characters escaped;
text from a paste is `plain_text`, links broken, so it never pings, links or formats.
"""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ButtonElement,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
)

from bots.cards import sentences
from bots.cards.slack_text import fit, slack_escape

__all__ = ["fit", "slack_escape"]  # the one Slack escape and cutter, with the pieces below

# Slack's limits (https://docs.slack.dev/reference/block-kit/blocks).
MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_URL = 3000
MAX_CONTEXT_ELEMENTS = 10
MAX_ELEMENT_TEXT = 2000  # a context element or section field
MAX_FALLBACK_TEXT = 3000  # Slack cuts `text` at 40,000; a notification needs far less


def mrkdwn(text: str, limit: int = MAX_SECTION_TEXT) -> MarkdownTextObject:
    """Our own text (catalog and UI) as mrkdwn: escaped, so "<" in a step stays a "<"."""
    return MarkdownTextObject(text=fit(text, limit), verbatim=True)


def user_text(text: str, limit: int = MAX_ELEMENT_TEXT) -> PlainTextObject:
    """Text the user pasted: plain text (no formatting, mentions or emoji), links broken."""
    shown = sentences.defang_links(text).strip() or "(empty)"
    return PlainTextObject(text=fit(shown, limit), emoji=False)


def header(text: str) -> HeaderBlock:
    return HeaderBlock(text=PlainTextObject(text=fit(text, MAX_HEADER_TEXT), emoji=True))


def button(text: str, action_id: str, value: str, style: str | None = None) -> ButtonElement:
    if len(value) > MAX_BUTTON_VALUE:  # a cut token would be useless: a bug, not user input
        raise ValueError(f"{action_id} value is {len(value)} characters; Slack allows 2000")
    return ButtonElement(
        text=PlainTextObject(text=text, emoji=True), action_id=action_id, value=value, style=style
    )
