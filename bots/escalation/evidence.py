"""A Check in Canvas run after the case was opened: the finding joins the case, support hears once.

Teachers often escalate first and check afterwards. `record_finding` does, in one transaction:
find the case the button's draft became, keep the new finding on it (when it checked one of
the case's errors; a check that shows the same as before changes nothing), and write one
`case_updates` row per destination of the case. A destination whose first delivery has not
started yet gets none: that delivery loads the case after this commit and carries the finding
itself. An Escalate click whose draft carries a finding and joins an open case does the same
(`add_finding`, in the click's transaction).

`UpdateStore` is the outbox for those rows, as `OutboxStore` is for first deliveries: a claim
takes a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so two instances never take the same
row), a row waits while its destination's first delivery or an earlier update to it is
pending (support never hears of the check before the case), and each row is marked delivered
once the destination confirms, so it goes out once, also across retries and restarts.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bots.escalation.database import POSTGRESQL, Database, Transaction
from bots.escalation.diagnosis import CaseDiagnosis
from bots.escalation.model import Delivery
from bots.escalation.outbox_store import after_failure
from bots.escalation.rows import format_reference

EVENT = "case.diagnosis"  # the webhook's X-Passback-Event and `event` for these follow-ups


@dataclass(frozen=True, slots=True)
class UpdateJob:
    id: int
    case_number: int
    destination: str
    event: str
    diagnosis: CaseDiagnosis | None  # the finding as it was when this update was made
    attempts: int  # including this one

    @property
    def key(self) -> str:
        """The same on every retry: "PB-1042:webhook:case.diagnosis:7"."""
        return f"{format_reference(self.case_number)}:{self.destination}:{self.event}:{self.id}"


async def record_finding(
    db: Database, token: str, diagnosis: CaseDiagnosis, *, not_before: float, now: float
) -> int | None:
    """The number of the case this finding changed (its updates queued), else None: the draft
    is gone or not a case, none of the checks is about the case's errors, or it showed that
    already."""
    async with db.transaction() as tx:
        draft = await tx.fetchrow(
            "SELECT case_number FROM drafts WHERE token = $1 AND created_at >= $2 "
            "AND case_number IS NOT NULL",
            token,
            not_before,
        )
        if draft is None:
            return None
        number = draft["case_number"]
        return number if await add_finding(tx, number, diagnosis, now) else None


async def add_finding(tx: Transaction, number: int, diagnosis: CaseDiagnosis, now: float) -> bool:
    """Keep `diagnosis` on case `number` and queue its follow-ups, in the caller's transaction
    (also when a click carrying a finding joins the case); False when nothing changed."""
    lock = " FOR UPDATE" if tx.dialect == POSTGRESQL else ""
    case = await tx.fetchrow(
        f"SELECT entry_ids, diagnosis FROM cases WHERE number = $1{lock}", number
    )
    if case is None:
        return False
    finding = diagnosis
    if not finding.about(tuple(json.loads(case["entry_ids"]))):
        return False
    if finding.shows_the_same(CaseDiagnosis.loads(case["diagnosis"])):
        return False
    await tx.execute(
        "UPDATE cases SET diagnosis = $1, updated_at = $2 WHERE number = $3",
        finding.dumps(),
        now,
        number,
    )
    deliveries = await tx.fetch(
        f"SELECT destination, state, claimed_until FROM deliveries WHERE case_number = $1"
        f" ORDER BY destination{lock}",
        number,
    )
    for row in deliveries:
        waiting = row["claimed_until"] is None or row["claimed_until"] < now
        if row["state"] == "pending" and waiting:
            continue  # its first delivery will carry the finding
        await tx.execute(
            "INSERT INTO case_updates (case_number, destination, event, diagnosis, "
            "next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $5)",
            number,
            row["destination"],
            EVENT,
            finding.dumps(),
            now,
        )
    return True


class UpdateStore:
    def __init__(self, db: Database):
        self.db = db

    async def claim(
        self, destinations: Sequence[str], worker: str, now: float, lease: float, limit: int
    ) -> list[UpdateJob]:
        if not destinations:
            return []
        marks = ", ".join(f"${i}" for i in range(5, 5 + len(destinations)))
        skip = " FOR UPDATE SKIP LOCKED" if self.db.dialect == POSTGRESQL else ""
        async with self.db.transaction() as tx:
            rows = await tx.fetch(
                "UPDATE case_updates "
                "SET claimed_until = $1, claimed_by = $2, attempts = attempts + 1 "
                "WHERE id IN (SELECT u.id FROM case_updates u "
                "WHERE u.state = 'pending' AND u.next_attempt_at <= $3 "
                "AND (u.claimed_until IS NULL OR u.claimed_until < $3) "
                f"AND u.destination IN ({marks}) "
                "AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.case_number = u.case_number "
                "AND d.destination = u.destination AND d.state = 'pending') "
                "AND NOT EXISTS (SELECT 1 FROM case_updates e WHERE e.case_number = u.case_number "
                "AND e.destination = u.destination AND e.state = 'pending' AND e.id < u.id) "
                f"ORDER BY u.id LIMIT $4{skip}) "
                "RETURNING id, case_number, destination, event, diagnosis, attempts",
                now + lease,
                worker,
                now,
                limit,
                *destinations,
            )
        return [
            UpdateJob(
                id=r["id"],
                case_number=r["case_number"],
                destination=r["destination"],
                event=r["event"],
                diagnosis=CaseDiagnosis.loads(r["diagnosis"]),
                attempts=r["attempts"],
            )
            for r in sorted(rows, key=lambda r: r["id"])
        ]

    async def delivered(self, job: UpdateJob, now: float) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE case_updates SET state = 'delivered', delivered_at = $2, last_error = '', "
                "claimed_until = NULL WHERE id = $1",
                job.id,
                now,
            )

    async def failed(self, job: UpdateJob, error: str, retry_at: float | None) -> None:
        """Pending again until `retry_at`, or failed for good when it is None."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE case_updates SET state = $2, last_error = $3, next_attempt_at = $4, "
                "claimed_until = NULL WHERE id = $1 AND state = 'pending'",
                job.id,
                *after_failure(error, retry_at),
            )

    async def release(self, job: UpdateJob) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE case_updates SET claimed_until = NULL WHERE id = $1 AND state = 'pending'",
                job.id,
            )

    async def for_case(self, case_number: int) -> list[tuple[str, Delivery]]:
        """(event, how its delivery went) for each follow-up of the case, oldest first."""
        async with self.db.transaction(write=False) as tx:
            rows = await tx.fetch(
                "SELECT * FROM case_updates WHERE case_number = $1 ORDER BY id", case_number
            )
        return [
            (
                r["event"],
                Delivery(
                    destination=r["destination"],
                    state=r["state"],
                    attempts=r["attempts"],
                    last_error=r["last_error"],
                    delivered_at=datetime.fromtimestamp(r["delivered_at"], UTC)
                    if r["delivered_at"] is not None
                    else None,
                ),
            )
            for r in rows
        ]

    async def backlog(self) -> int:
        async with self.db.transaction(write=False) as tx:
            row = await tx.fetchrow(
                "SELECT COUNT(*) AS n FROM case_updates WHERE state = 'pending'"
            )
        return int(row["n"]) if row else 0
