"""The outbox tables: claiming due deliveries and follow-ups, and recording how they went.

A claim sets a lease (`claimed_until`); a worker that dies mid-delivery leaves the lease to run
out, after which any instance takes the row again. On PostgreSQL rows are claimed with
`FOR UPDATE SKIP LOCKED`, so instances sharing the database never claim the same row; on SQLite
the claim's `BEGIN IMMEDIATE` transaction does the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bots.escalation.database import POSTGRESQL, Database
from bots.escalation.model import Origin, Reporter
from bots.escalation.rows import origin_from_json

PENDING, DELIVERED, FAILED, SENT = "pending", "delivered", "failed", "sent"


@dataclass(frozen=True, slots=True)
class DeliveryJob:
    case_number: int
    destination: str
    attempts: int  # including this one


@dataclass(frozen=True, slots=True)
class NotificationJob:
    id: int
    case_number: int
    platform: str
    message: str
    attempts: int
    reporter: Reporter
    origin: Origin


def after_failure(error: str, retry_at: float | None) -> tuple[str, str, float]:
    """(state, last_error, next_attempt_at) after a failed attempt: pending again until
    `retry_at`, or failed for good when there is none."""
    if retry_at is None:
        return FAILED, error[:300], 0.0
    return PENDING, error[:300], retry_at


class OutboxStore:
    def __init__(self, db: Database):
        self.db = db

    def _skip_locked(self) -> str:
        return " FOR UPDATE SKIP LOCKED" if self.db.dialect == POSTGRESQL else ""

    async def claim_deliveries(
        self, destinations: Sequence[str], worker: str, now: float, lease: float, limit: int
    ) -> list[DeliveryJob]:
        if not destinations:
            return []
        marks = ", ".join(f"${i}" for i in range(5, 5 + len(destinations)))
        async with self.db.transaction() as tx:
            rows = await tx.fetch(
                "UPDATE deliveries "
                "SET claimed_until = $1, claimed_by = $2, attempts = attempts + 1 "
                "WHERE (case_number, destination) IN ("
                "SELECT case_number, destination FROM deliveries "
                "WHERE state = 'pending' AND next_attempt_at <= $3 "
                "AND (claimed_until IS NULL OR claimed_until < $3) "
                f"AND destination IN ({marks}) "
                f"ORDER BY next_attempt_at LIMIT $4{self._skip_locked()}) "
                "RETURNING case_number, destination, attempts",
                now + lease,
                worker,
                now,
                limit,
                *destinations,
            )
        return [DeliveryJob(r["case_number"], r["destination"], r["attempts"]) for r in rows]

    async def delivered(self, job: DeliveryJob, external_id: str, now: float) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE deliveries SET state = 'delivered', delivered_at = $3, external_id = $4, "
                "last_error = '', claimed_until = NULL WHERE case_number = $1 AND destination = $2",
                job.case_number,
                job.destination,
                now,
                external_id,
            )

    async def delivery_failed(self, job: DeliveryJob, error: str, retry_at: float | None) -> None:
        """Back to pending until `retry_at`, or failed for good when `retry_at` is None."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE deliveries SET state = $3, last_error = $4, next_attempt_at = $5, "
                "claimed_until = NULL "
                "WHERE case_number = $1 AND destination = $2 AND state = 'pending'",
                job.case_number,
                job.destination,
                *after_failure(error, retry_at),
            )

    async def release_delivery(self, job: DeliveryJob) -> None:
        """Give the row back at once (this worker is stopping before it finished)."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE deliveries SET claimed_until = NULL "
                "WHERE case_number = $1 AND destination = $2 AND state = 'pending'",
                job.case_number,
                job.destination,
            )

    async def claim_notifications(
        self, platforms: Sequence[str], now: float, lease: float, limit: int
    ) -> list[NotificationJob]:
        if not platforms:
            return []
        marks = ", ".join(f"${i}" for i in range(4, 4 + len(platforms)))
        async with self.db.transaction() as tx:
            claimed = await tx.fetch(
                "UPDATE notifications SET claimed_until = $1, attempts = attempts + 1 "
                "WHERE id IN (SELECT id FROM notifications "
                "WHERE state = 'pending' AND next_attempt_at <= $2 "
                "AND (claimed_until IS NULL OR claimed_until < $2) "
                f"AND platform IN ({marks}) "
                # In order per reporter: a reporter hears "acknowledged" before "resolved", so
                # a follow-up waits while an earlier one to the same reporter is still pending;
                # another reporter's (say on a platform this instance cannot reach) never holds
                # it back.
                "AND NOT EXISTS (SELECT 1 FROM notifications AS earlier "
                "WHERE earlier.report_id = notifications.report_id "
                "AND earlier.state = 'pending' AND earlier.id < notifications.id) "
                f"ORDER BY id LIMIT $3{self._skip_locked()}) "
                "RETURNING id, case_number, report_id, platform, message, attempts",
                now + lease,
                now,
                limit,
                *platforms,
            )
            if not claimed:
                return []
            ids = [row["report_id"] for row in claimed]
            marks = ", ".join(f"${i}" for i in range(1, 1 + len(ids)))
            reports = {
                r["id"]: r
                for r in await tx.fetch(f"SELECT * FROM reports WHERE id IN ({marks})", *ids)
            }
        jobs = []
        for row in sorted(claimed, key=lambda r: r["id"]):
            report = reports[row["report_id"]]
            jobs.append(
                NotificationJob(
                    id=row["id"],
                    case_number=row["case_number"],
                    platform=row["platform"],
                    message=row["message"],
                    attempts=row["attempts"],
                    reporter=Reporter(
                        report["user_id"], report["display_name"], report["platform"]
                    ),
                    origin=origin_from_json(report["origin"]),
                )
            )
        return jobs

    async def notified(self, job: NotificationJob) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE notifications SET state = 'sent', last_error = '', claimed_until = NULL "
                "WHERE id = $1",
                job.id,
            )

    async def notification_failed(
        self, job: NotificationJob, error: str, retry_at: float | None
    ) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE notifications SET state = $2, last_error = $3, next_attempt_at = $4, "
                "claimed_until = NULL WHERE id = $1 AND state = 'pending'",
                job.id,
                *after_failure(error, retry_at),
            )

    async def release_notification(self, job: NotificationJob) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE notifications SET claimed_until = NULL WHERE id = $1 AND state = 'pending'",
                job.id,
            )

    async def backlog(self) -> int:
        async with self.db.transaction(write=False) as tx:
            row = await tx.fetchrow("SELECT COUNT(*) AS n FROM deliveries WHERE state = 'pending'")
        return int(row["n"]) if row else 0

    async def pending_notifications(self, case_number: int) -> int:
        async with self.db.transaction(write=False) as tx:
            row = await tx.fetchrow(
                "SELECT COUNT(*) AS n FROM notifications WHERE case_number = $1 "
                "AND state = 'pending'",
                case_number,
            )
        return int(row["n"]) if row else 0
