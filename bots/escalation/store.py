"""Cases in the database: drafts, one-click escalation exactly once, status changes, reading.

Every method is one transaction. `escalate_draft` is where "exactly once" is decided:
- the draft row is locked (`FOR UPDATE` on PostgreSQL, `BEGIN IMMEDIATE` on SQLite), so clicks
  on the same button are handled one after the other and all find the first one's case;
- a different button for the same problem finds the open case through `dedup_keys`, whose
  primary key makes a second insert of the same live key fail; the loser retries and joins.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from bots.escalation.database import POSTGRESQL, Database, Transaction
from bots.escalation.dedup import problem_keys
from bots.escalation.model import (
    Case,
    Draft,
    EscalationError,
    Origin,
    Reporter,
    Status,
    StatusConflict,
)
from bots.escalation.rows import (
    draft_from_row,
    format_reference,
    load_cases,
    origin_json,
    placeholders,
    reporter_json,
)

STATUS_ORDER = (Status.OPEN, Status.ACKNOWLEDGED, Status.RESOLVED)

EXPIRED_BUTTON = (
    "This Escalate button has expired or is not one of ours. Paste the error again and use the "
    "button on the new answer."
)


class KeyConflict(Exception):
    """Another instance opened a case for the same problem in the meantime: retry, then join."""


class CaseStore:
    def __init__(self, db: Database):
        self.db = db

    # Drafts ------------------------------------------------------------------------------

    async def save_draft(self, token: str, draft: Draft, now: float) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO drafts (token, entry_ids, text, fields, origin, asked_by, created_at)"
                " VALUES ($1, $2, $3, $4, $5, $6, $7)",
                token,
                json.dumps(list(draft.entry_ids)),
                draft.text,
                json.dumps({k: dict(v) for k, v in draft.fields.items()}, ensure_ascii=False),
                origin_json(draft.origin),
                reporter_json(draft.asked_by),
                now,
            )

    async def attach_diagnosis(self, token: str, diagnosis: str, not_before: float) -> bool:
        """Keep what a Check in Canvas found with a draft not yet escalated (the newest
        check wins); False when the draft is gone or already a case."""
        async with self.db.transaction() as tx:
            row = await tx.fetchrow(
                "UPDATE drafts SET diagnosis = $1 WHERE token = $2 AND created_at >= $3 "
                "AND case_number IS NULL RETURNING token",
                diagnosis,
                token,
                not_before,
            )
        return row is not None

    async def load_draft(self, token: str, not_before: float) -> Draft | None:
        async with self.db.transaction(write=False) as tx:
            row = await tx.fetchrow(
                "SELECT * FROM drafts WHERE token = $1 AND created_at >= $2", token, not_before
            )
        return draft_from_row(row) if row else None

    # Escalation --------------------------------------------------------------------------

    async def escalate_draft(
        self,
        token: str,
        reporter: Reporter,
        *,
        click_key: str | None,
        now: float,
        not_before: float,
        window_seconds: float,
        destinations: Iterable[str],
    ) -> tuple[int, bool, bool, bool]:
        """(case number, created, joined, again) for one click, `again` when this click was
        already counted (a redelivery: created and joined say what the first one did);
        raises KeyConflict to be retried."""
        lock = " FOR UPDATE" if self.db.dialect == POSTGRESQL else ""
        async with self.db.transaction() as tx:
            if click_key:
                seen = await tx.fetchrow(
                    "SELECT case_number, created, joined FROM clicks WHERE click_key = $1",
                    click_key,
                )
                if seen:
                    number = seen["case_number"]
                    return number, bool(seen["created"]), bool(seen["joined"]), True
            row = await tx.fetchrow(
                f"SELECT * FROM drafts WHERE token = $1 AND created_at >= $2{lock}",
                token,
                not_before,
            )
            if row is None:
                raise EscalationError(EXPIRED_BUTTON)
            draft = draft_from_row(row)
            created = False
            number = row["case_number"]
            if number is None:
                keys = problem_keys(draft, now, window_seconds)
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
                await tx.execute(
                    "UPDATE drafts SET case_number = $1 WHERE token = $2", number, token
                )
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
            return number, created, joined, False

    # Status ------------------------------------------------------------------------------

    async def change_status(
        self, number: int, status: Status, actor: str, now: float, message: str
    ) -> bool | None:
        """True if changed (a follow-up to every reporter is queued with it), False if the case
        already had that status, None if there is no such case. Never moves backwards."""
        lock = " FOR UPDATE" if self.db.dialect == POSTGRESQL else ""
        async with self.db.transaction() as tx:
            row = await tx.fetchrow(f"SELECT status FROM cases WHERE number = $1{lock}", number)
            if row is None:
                return None
            current = Status(row["status"])
            if current == status:
                return False
            if STATUS_ORDER.index(status) < STATUS_ORDER.index(current):
                raise StatusConflict(
                    f"{format_reference(number)} is already {current.value}; "
                    f"it cannot go back to {status.value}."
                )
            await tx.execute(
                "UPDATE cases SET status = $1, status_by = $2, updated_at = $3 WHERE number = $4",
                status.value,
                actor,
                now,
                number,
            )
            if status == Status.RESOLVED:  # the next report of this problem opens a new case
                await tx.execute("DELETE FROM dedup_keys WHERE case_number = $1", number)
            await tx.execute(
                "INSERT INTO notifications (case_number, report_id, platform, message, "
                "next_attempt_at, created_at) "
                "SELECT case_number, id, platform, $2, $3, $3 FROM reports WHERE case_number = $1 "
                "ORDER BY id",
                number,
                message,
                now,
            )
            return True

    # Reading -----------------------------------------------------------------------------

    async def load_case(self, number: int) -> Case | None:
        async with self.db.transaction(write=False) as tx:
            rows = await tx.fetch("SELECT * FROM cases WHERE number = $1", number)
            cases = await load_cases(tx, rows)
        return cases[0] if cases else None

    async def list_cases(self, status: Status | None, limit: int) -> list[Case]:
        async with self.db.transaction(write=False) as tx:
            if status is None:
                rows = await tx.fetch("SELECT * FROM cases ORDER BY number DESC LIMIT $1", limit)
            else:
                rows = await tx.fetch(
                    "SELECT * FROM cases WHERE status = $1 ORDER BY number DESC LIMIT $2",
                    status.value,
                    limit,
                )
            return await load_cases(tx, rows)

    # Redelivered events and housekeeping -------------------------------------------------

    async def claim_event(self, key: str, now: float) -> bool:
        async with self.db.transaction() as tx:
            row = await tx.fetchrow(
                "INSERT INTO events (key, claimed_at) VALUES ($1, $2) "
                "ON CONFLICT (key) DO NOTHING RETURNING key",
                key,
                now,
            )
        return row is not None

    async def purge(self, *, events_before: float, drafts_before: float) -> None:
        """Forget old event claims, and expired buttons' drafts with their clicks: a draft holds
        pasted text, which is kept only in cases once the button no longer works."""
        async with self.db.transaction() as tx:
            await tx.execute("DELETE FROM events WHERE claimed_at < $1", events_before)
            await tx.execute("DELETE FROM clicks WHERE clicked_at < $1", drafts_before)
            await tx.execute("DELETE FROM drafts WHERE created_at < $1", drafts_before)


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
