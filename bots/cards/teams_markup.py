"""Adaptive Card text for Teams: user text made literal, and the bot's own small pieces.

TextBlock and Fact text are markdown in Teams, so text from a paste passes through
`adaptive_escape`; a `TextRun` is never markdown, so it needs only `literal`. Links in user text
are broken so Teams does not make them clickable.
"""

from __future__ import annotations

import re
import string
from typing import Any

from bots.cards import sentences
from catalog import Resource

MAX_GUIDES = 5

_PUNCTUATION = frozenset(string.punctuation)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)")
_ORDERED = re.compile(r"^([0-9]{1,9})([.)])(?=[ \t]|$)")
_WORD_JOINER = "\u2060"


def literal(text: str) -> str:
    """User text for a TextRun: no markdown there, but links and {{DATE()}} still form."""
    return sentences.defang_links(text).replace("{{", "{" + _WORD_JOINER + "{")


def _needs_escape(line: str, i: int) -> bool:
    ch = line[i]
    before = line[i - 1] if i else ""
    after = line[i + 1] if i + 1 < len(line) else ""
    if ch == "\\":
        return after in _PUNCTUATION  # else a backslash is already literal
    if ch in "*`[]~|":  # emphasis, code, links, strikethrough, tables
        return True
    if ch == "_":  # "snake_case_id" cannot form emphasis; "_this_" can
        return not (before.isalnum() and after.isalnum())
    if ch == "<":  # an HTML tag or an autolink
        return after.isalpha() or after in "/!?"
    if ch == "&":  # "&amp;" would be shown as "&"
        return _ENTITY.match(line, i) is not None
    if i == 0 and ch == ">":  # block quote
        return True
    if i == 0 and ch == "#":
        return _HEADING.match(line) is not None
    if i == 0 and ch in "-+=":  # list item, thematic break, setext underline
        return after in ("", " ", "\t") or not line.strip(ch + " \t")
    return False


def adaptive_escape(text: str) -> str:
    """User text for a TextBlock or Fact so its markdown and links show literally.

    Backslash-escapes (CommonMark) only the characters that would start markup at that spot,
    so ordinary ids ("s842620", "fv5-v10-zze", "snake_case") are shown unchanged.
    """
    text = literal(text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = []
    for raw in text.split("\n"):
        line = raw.lstrip(" \t")  # indentation would make a code block
        escaped = "".join("\\" + ch if _needs_escape(line, i) else ch for i, ch in enumerate(line))
        lines.append(_ORDERED.sub(r"\1\\\2", escaped))
    return "\n".join(lines)


def text_block(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def title_block(text: str) -> dict[str, Any]:
    return text_block(text, size="large", weight="bolder", style="heading")


def link(title: str, url: str) -> str:
    """A markdown link from catalog text: the title escaped, the URL kept to one token."""
    target = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    return f"[{adaptive_escape(title)}]({target})"


def guide_items(resources: tuple[Resource, ...]) -> list[dict[str, Any]]:
    """The guides as links in text, which wraps at any width: a button's title does not, and a
    long one ran past the edge of a phone-width card."""
    links = [link(r.title, r.url) for r in resources[:MAX_GUIDES]]
    if not links:
        return []
    lines = "\r".join(f"- {one}" for one in links)
    return [
        text_block(f"**{sentences.GUIDES_LABEL}**", spacing="medium"),
        text_block(lines, spacing="none"),
    ]
