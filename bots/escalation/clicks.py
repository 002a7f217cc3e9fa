"""One click on Escalate turned into a case exactly once, in one transaction.

- The draft row is locked (`FOR UPDATE` on PostgreSQL, `BEGIN IMMEDIATE` on SQLite), so clicks
  on the same button are handled one after the other and all find the first one's case;
- a different button for the same problem finds the open case through `dedup_keys`, whose
  primary key makes a second insert of the same live key fail; the loser retries and joins;
- a click delivered again (same click key) is answered from `clicks`, counted once.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from typing import Any

from bots.escalation.database import POSTGRESQL, Database, Transaction
from bots.escalation.dedup import problem_keys
from bots.escalation.evidence import add_finding
from bots.escalation.model import Draft, EscalationError, Origin, Reporter, Status
from bots.escalation.rows import draft_from_row, origin_json, placeholders

EXPIRED_BUTTON = (
    "This Escalate button has expired or is not one of ours. Paste the error again and use the "
    "button on the new answer."
)


class KeyConflict(Exception):
    """Another instance opened a case for the same problem in the meantime: retry, then join."""


@dataclass(frozen=True, slots=True)
class Click:
    """`again` when this click was already counted (a redelivery): `created` and `joined` then
    say what the first delivery did."""

    case_number: int
    created: bool
    joined: bool
    again: bool


async def escalate_click(
    db: Database,
    token: str,
    reporter: Reporter,
    *,
    click_key: str | None,
    now: float,
    not_before: float,
    window_seconds: float,
    key_fields: Collection[str],
    destinations: Iterable[str],
    origin: Origin | None = None,
) -> Click:
    """What one click did. Raises EscalationError when the button has expired, KeyConflict
    to be retried. `origin` brings names for the draft's place (only its names are used)."""
    lock = " FOR UPDATE" if db.dialect == POSTGRESQL else ""
    async with db.transaction() as tx:
        if click_key:
            seen = await tx.fetchrow(
                "SELECT case_number, created, joined FROM clicks WHERE click_key = $1",
                click_key,
            )
            if seen:
                number = seen["case_number"]
                return Click(number, bool(seen["created"]), bool(seen["joined"]), again=True)
        row = await tx.fetchrow(
            f"SELECT * FROM drafts WHERE token = $1 AND created_at >= $2{lock}",
            token,
            not_before,
        )
        if row is None:
            raise EscalationError(EXPIRED_BUTTON)
        draft = draft_from_row(row)
        if origin is not None:  # only its names: the ids stay the draft's own
            named = replace(
                draft.origin,
                workspace_name=origin.workspace_name or draft.origin.workspace_name,
                channel_name=origin.channel_name or draft.origin.channel_name,
            )
            draft = replace(draft, origin=named)
        created = False
        number = row["case_number"]
        joins = number is None  # this draft's first click: it opens a case, or joins one
        if number is None:
            keys = problem_keys(draft, now, window_seconds, key_fields)
            number = await _open_case_for(tx, [k.key for k in keys], now)
            if number is None:
                number = await _insert_case(tx, draft, keys, now, destinations)
                created = True
            else:
                for key in keys:  # later reports of these values join the same case
                    await tx.execute(
                        "INSERT INTO dedup_keys (key, case_number, expires_at) "
                        "VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING",
                        key.key,
                        number,
                        key.expires_at,
                    )
            await tx.execute("UPDATE drafts SET case_number = $1 WHERE token = $2", number, token)
        if joins and not created and draft.diagnosis is not None:  # checked, then joined
            await add_finding(tx, number, draft.diagnosis, now)
        status = await tx.fetchrow("SELECT status FROM cases WHERE number = $1", number)
        added = False
        if created or (status and status["status"] != Status.RESOLVED):
            added = await _add_report(tx, number, reporter, draft.origin, now)
        joined = added and not created
        if click_key:
            await tx.execute(
                "INSERT INTO clicks (click_key, case_number, created, joined, clicked_at) "
                "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (click_key) DO NOTHING",
                click_key,
                number,
                int(created),
                int(joined),
                now,
            )
        return Click(number, created, joined, again=False)


async def _open_case_for(tx: Transaction, keys: list[str], now: float) -> int | None:
    if not keys:
        return None
    row = await tx.fetchrow(
        "SELECT k.case_number FROM dedup_keys k JOIN cases c ON c.number = k.case_number "
        f"WHERE k.key IN ({placeholders(2, len(keys))}) AND c.status <> 'resolved' "
        "AND (k.expires_at IS NULL OR k.expires_at > $1) ORDER BY k.case_number LIMIT 1",
        now,
        *keys,
    )
    return row["case_number"] if row else None


async def _insert_case(
    tx: Transaction, draft: Draft, keys: Iterable[Any], now: float, destinations: Iterable[str]
) -> int:
    keys = sorted(keys, key=lambda k: k.key)  # one lock order for every instance
    row = await tx.fetchrow(
        "INSERT INTO cases (entry_ids, text, fields, origin, status, dedup_key, created_at, "
        "updated_at, diagnosis) VALUES ($1, $2, $3, $4, 'open', $5, $6, $6, $7) RETURNING number",
        json.dumps(list(draft.entry_ids)),
        draft.text,
        json.dumps({k: dict(v) for k, v in draft.fields.items()}, ensure_ascii=False),
        origin_json(draft.origin),
        keys[0].key if keys else "",
        now,
        draft.diagnosis.dumps() if draft.diagnosis else None,
    )
    assert row is not None
    number = row["number"]
    for key in keys:
        taken = await tx.fetchrow(
            "INSERT INTO dedup_keys (key, case_number, expires_at) VALUES ($1, $2, $3) "
            "ON CONFLICT (key) DO UPDATE SET case_number = excluded.case_number, "
            "expires_at = excluded.expires_at "
            "WHERE dedup_keys.expires_at IS NOT NULL AND dedup_keys.expires_at <= $4 "
            "RETURNING key",
            key.key,
            number,
            key.expires_at,
            now,
        )
        if taken is None:
            raise KeyConflict()
    for destination in destinations:
        await tx.execute(
            "INSERT INTO deliveries (case_number, destination, next_attempt_at) "
            "VALUES ($1, $2, $3)",
            number,
            destination,
            now,
        )
    return number


async def _add_report(
    tx: Transaction, number: int, reporter: Reporter, origin: Origin, now: float
) -> bool:
    row = await tx.fetchrow(
        "INSERT INTO reports (case_number, platform, user_id, display_name, origin, reported_at) "
        "VALUES ($1, $2, $3, $4, $5, $6) "
        "ON CONFLICT (case_number, platform, user_id) DO NOTHING RETURNING id",
        number,
        reporter.platform or origin.platform,
        reporter.user_id,
        reporter.display_name,
        origin_json(origin),
        now,
    )
    return row is not None
