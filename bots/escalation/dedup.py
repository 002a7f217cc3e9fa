"""When two reports are the same problem: the keys an open case is found by.

- By key values: the same catalog entries with the same identifying values (the fields the
  catalog flags `key: true`: the same OneRoster result, assignment or job id). Holds while the
  case is open.
- By place, for errors without such values (a Kimono job timing out): the same catalog entries
  reported from the same channel, within the window (default 24 hours from when the case was
  opened). Where the values exist they decide: two students' results are two cases. For an error
  that is not in the catalog, "the same entry" means the same text, so two different unknown
  errors stay two cases.

Keys are SHA-256 digests: the dedup table never holds a student result id in the clear.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection
from dataclasses import dataclass

from bots.escalation.model import Draft
from catalog import UNLISTED


@dataclass(frozen=True, slots=True)
class ProblemKey:
    key: str
    expires_at: float | None  # None: until the case is resolved


def problem_keys(
    draft: Draft, now: float, window_seconds: float, key_fields: Collection[str]
) -> tuple[ProblemKey, ...]:
    """The keys for `draft`, most specific first. `key_fields`: the catalog's fields that
    identify one occurrence of a problem (`key: true`), not the ones that describe it, such as
    the HTTP status, which many different problems share."""
    entries = sorted(set(draft.entry_ids))
    keys = []
    values = sorted(
        (entry, name, str(value).strip())
        for entry, found in draft.fields.items()
        if entry in entries
        for name, value in found.items()
        if name in key_fields and str(value).strip()
    )
    if values and entries != [UNLISTED]:
        keys.append(ProblemKey(_digest("values", entries, values), None))
    origin = draft.origin
    if origin.channel and not keys:
        place = [origin.platform, origin.workspace, origin.channel]
        text = _fingerprint(draft.text) if UNLISTED in entries else ""
        keys.append(ProblemKey(_digest("place", entries, place, text), now + window_seconds))
    return tuple(keys)


def _fingerprint(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _digest(kind: str, *parts: object) -> str:
    raw = json.dumps(parts, separators=(",", ":"), ensure_ascii=False)
    return f"{kind}:{hashlib.sha256(raw.encode('utf-8')).hexdigest()}"
