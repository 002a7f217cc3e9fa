"""Cases in the database: drafts, status changes, reading and housekeeping.

Every method is one transaction. Turning a click into a case is in `clicks.py`.
"""

from __future__ import annotations

import json

from bots.escalation.database import POSTGRESQL, Database
from bots.escalation.model import (
    Case,
    Draft,
    Status,
    StatusConflict,
)
from bots.escalation.rows import (
    draft_from_row,
    format_reference,
    load_cases,
    origin_json,
    reporter_json,
)

STATUS_ORDER = (Status.OPEN, Status.ACKNOWLEDGED, Status.RESOLVED)


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
