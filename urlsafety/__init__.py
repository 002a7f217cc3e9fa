"""URLs that two parsers may read as pointing at different hosts, refused wherever one is taken.

Parsers disagree about where `http://a\\@b/` points: `urlsplit` says host `b`, urllib3 and
browsers say `a` (a backslash is a `/` to them, so `@b/` is path). A URL with a backslash, or
with whitespace, a control character or user-info (`@`) where the host is named, is therefore
not taken as on any host. Neutral on purpose: canvas/ (course links people paste) and
bots/teams/ (the serviceUrl answers go to) both apply it, and neither imports the other.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["has_ambiguous_characters", "host_is_ambiguous"]

_AMBIGUOUS = re.compile(r"[\\\s\x00-\x1f\x7f@]")


def has_ambiguous_characters(text: str) -> bool:
    """A backslash, whitespace, a control character or `@` anywhere in `text`: the strict form,
    for a URL that has no reason to carry any of them (a serviceUrl)."""
    return _AMBIGUOUS.search(text) is not None


def host_is_ambiguous(url: str) -> bool:
    """Parsers may disagree about `url`'s host: a backslash anywhere, or whitespace, a control
    character or user-info in the authority. An `@` in the path or query is fine. Raises
    ValueError for what `urlsplit` cannot split (an unclosed `[`)."""
    return "\\" in url or has_ambiguous_characters(urlsplit(url).netloc)
