"""What an Escalate button carries: the draft kept for it, bounded, and the token that names it.

A draft holds pasted text and extracted values from chat, so everything is capped before it is
stored; tokens are checked for shape before any query, so junk button values cost nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import replace

from bots.escalation.model import Draft
from catalog import UNLISTED

MAX_TEXT_CHARS = 8000
MAX_ENTRIES = 20
MAX_FIELD_CHARS = 300


def bounded_draft(draft: Draft) -> Draft:
    """The draft as it is stored: at most MAX_ENTRIES errors (unlisted when none), only their
    fields, each value and the pasted text cut to size."""
    entry_ids = tuple(draft.entry_ids[:MAX_ENTRIES]) or (UNLISTED,)
    fields = {
        entry: {str(k)[:64]: str(v)[:MAX_FIELD_CHARS] for k, v in values.items()}
        for entry, values in draft.fields.items()
        if entry in entry_ids
    }
    return replace(
        draft, entry_ids=entry_ids, text=_trim(draft.text, MAX_TEXT_CHARS), fields=fields
    )


def new_token() -> str:
    return secrets.token_urlsafe(18)  # 24 characters


def plausible_token(token: str) -> bool:
    """Shaped like a token from `new_token` (url-safe base64); saves a query for junk values."""
    if not isinstance(token, str) or not 8 <= len(token) <= 64 or not token.isascii():
        return False
    return token.replace("-", "").replace("_", "").isalnum()


def _trim(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n… (trimmed: {len(text) - limit} more characters)"
