"""Cutting text to a platform's limit: one cutter, ending in an ellipsis when it cut."""

from __future__ import annotations

import re

ELLIPSIS = "…"


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in an ellipsis when it was cut."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + ELLIPSIS


def one_line(text: str, limit: int = 120) -> str:
    """Text safe for a subject or header: one line, bounded."""
    return clip(re.sub(r"\s+", " ", text).strip(), limit)
