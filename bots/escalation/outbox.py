"""The outbox worker: delivers committed cases and status follow-ups, retrying with backoff.

A case is committed with one pending delivery row per destination; this worker (one per server
instance) claims due rows, sends, and marks each row delivered right after the destination
confirms. A crash between commit and delivery leaves the row pending (or claimed until its lease
runs out), so the next start delivers it. Logs carry case references and entry ids only.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
import traceback
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace

import aiohttp

from bots.cards.ticket import build_ticket
from bots.escalation.destinations import DeliveryError, Destination
from bots.escalation.evidence import UpdateJob, UpdateStore
from bots.escalation.model import Case, Origin, Reporter
from bots.escalation.outbox_store import DeliveryJob, NotificationJob, OutboxStore
from bots.escalation.rows import format_reference
from bots.escalation.settings import EscalationSettings
from bots.escalation.store import CaseStore
from catalog import Catalog

log = logging.getLogger("passback.escalation")

Notifier = Callable[[Case, Reporter, Origin, str], Awaitable[None]]
# Told "opened", "joined", "delivered", "retried" or "failed" (for metrics): no case data.
EventListener = Callable[[str], None]
_BATCH = 16
_MAX_BATCHES = 20  # per pass, so one pass always ends
_PURGE_EVERY = 3600.0


def backoff(attempts: int, base: float, cap: float) -> float:
    """Seconds before the next try after `attempts` failed ones: doubling, capped, jittered."""
    delay = min(cap, base * 2 ** max(0, attempts - 1))
    return delay * random.uniform(0.8, 1.0)


def describe_failure(exc: BaseException, timeout: float) -> tuple[str, float]:
    """A short reason safe to store and log (no URLs, tokens or user text), and Retry-After."""
    if isinstance(exc, DeliveryError):
        return exc.reason, exc.retry_after
    if isinstance(exc, TimeoutError):
        return f"no answer within {timeout:g} s", 0.0
    if isinstance(exc, aiohttp.ClientConnectionError):
        return f"cannot connect ({type(exc).__name__})", 0.0
    if isinstance(exc, aiohttp.ClientError):
        return f"HTTP client error ({type(exc).__name__})", 0.0
    frame = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    where = f" at {frame[0].filename.rsplit('/', 1)[-1]}:{frame[0].lineno}" if frame else ""
    return f"unexpected {type(exc).__name__}{where}", 0.0


class OutboxWorker:
    def __init__(
        self,
        *,
        cases: CaseStore,
        outbox: OutboxStore,
        destinations: Mapping[str, Destination],
        notifiers: Mapping[str, Notifier],
        listeners: list[EventListener] | None = None,
        settings: EscalationSettings,
        catalog: Catalog,
    ):
        self.cases = cases
        self.outbox = outbox
        self.destinations = destinations
        self.notifiers = notifiers  # the service's dict: notifiers added later are used too
        self.settings = settings
        self.catalog = catalog
        self.worker_id = uuid.uuid4().hex[:12]
        self._wake = asyncio.Event()
        self._last_purge = 0.0
        self.listeners: list[EventListener] = listeners if listeners is not None else []
        self.updates = UpdateStore(outbox.db)

    def emit(self, event: str) -> None:
        for listener in self.listeners:
            try:
                listener(event)
            except Exception as exc:  # a metrics hook must never stop a delivery
                log.warning("escalation event listener failed (%s)", type(exc).__name__)

    def wake(self) -> None:
        self._wake.set()

    async def run(self, stopping: asyncio.Event) -> None:
        """Deliver until `stopping` is set, then one last pass (the flush)."""
        while not stopping.is_set():
            self._wake.clear()
            await self._pass()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.settings.poll_seconds)
        await self._pass()

    async def _pass(self) -> None:
        try:
            await self.run_once()
            if time.time() - self._last_purge > _PURGE_EVERY:
                self._last_purge = time.time()
                await self.cases.purge(
                    events_before=time.time() - self.settings.event_days * 86400,
                    drafts_before=time.time() - self.settings.draft_days * 86400,
                )
        except Exception as exc:  # the database is down, say: keep the worker alive and retry
            reason, _ = describe_failure(exc, self.settings.delivery_timeout_seconds)
            log.warning("escalation outbox pass failed (%s); retrying", reason)

    async def run_once(self) -> int:
        """Everything due now; the number of deliveries and follow-ups attempted."""
        done = 0
        for _ in range(_MAX_BATCHES):
            now = time.time()
            deliveries = await self.outbox.claim_deliveries(
                list(self.destinations), self.worker_id, now, self.settings.lease_seconds, _BATCH
            )
            notes = await self.outbox.claim_notifications(
                list(self.notifiers), now, self.settings.lease_seconds, _BATCH
            )
            updates = await self.updates.claim(
                list(self.destinations), self.worker_id, now, self.settings.lease_seconds, _BATCH
            )
            if not deliveries and not notes and not updates:
                break
            async with asyncio.TaskGroup() as group:
                for job in deliveries:
                    group.create_task(self._deliver(job))
                for note in notes:
                    group.create_task(self._notify(note))
                for update in updates:
                    group.create_task(self._send_update(update))
            done += len(deliveries) + len(notes) + len(updates)
        return done

    def _failure(self, exc: Exception, attempts: int) -> tuple[str, float | None]:
        """What went wrong, in words for the record, and when to try again (None: never)."""
        reason, retry_after = describe_failure(exc, self.settings.delivery_timeout_seconds)
        s = self.settings
        if attempts >= s.max_attempts:
            return reason, None
        wait = max(retry_after, backoff(attempts, s.retry_base_seconds, s.retry_max_seconds))
        return reason, time.time() + wait

    def _cap(self) -> float:
        # Destinations time out on their own; this only guards against one that hangs anyway.
        return self.settings.delivery_timeout_seconds * 2 + 5

    async def _deliver(self, job: DeliveryJob) -> None:
        reference = format_reference(job.case_number)
        try:
            case = await self.cases.load_case(job.case_number)
            if case is None:
                await self.outbox.delivery_failed(job, "the case no longer exists", None)
                return
            ticket = build_ticket(case, self.catalog)
            destination = self.destinations[job.destination]
            external_id = await asyncio.wait_for(destination.deliver(case, ticket), self._cap())
        except asyncio.CancelledError:
            await asyncio.shield(self.outbox.release_delivery(job))
            raise
        except Exception as exc:
            reason, retry_at = self._failure(exc, job.attempts)
            await self.outbox.delivery_failed(job, reason, retry_at)
            self.emit("failed" if retry_at is None else "retried")
            if retry_at is None:
                log.error(
                    "%s: delivery to %s failed for good after %d attempts: %s",
                    reference,
                    job.destination,
                    job.attempts,
                    reason,
                )
            else:
                log.warning(
                    "%s: delivery to %s failed (attempt %d, next in %.0f s): %s",
                    reference,
                    job.destination,
                    job.attempts,
                    retry_at - time.time(),
                    reason,
                )
            return
        await self.outbox.delivered(job, external_id, time.time())
        self.emit("delivered")
        log.info("%s (%s) delivered to %s", reference, ",".join(case.entry_ids), job.destination)

    async def _send_update(self, job: UpdateJob) -> None:
        """A follow-up to a destination that has the case (a Canvas check made later)."""
        reference = format_reference(job.case_number)
        try:
            case = await self.cases.load_case(job.case_number)
            if case is None:
                await self.updates.failed(job, "the case no longer exists", None)
                return
            case = replace(case, diagnosis=job.diagnosis or case.diagnosis)
            destination = self.destinations[job.destination]
            ticket = build_ticket(case, self.catalog)
            await asyncio.wait_for(destination.follow_up(case, ticket, job.key), self._cap())
        except asyncio.CancelledError:
            await asyncio.shield(self.updates.release(job))
            raise
        except Exception as exc:
            reason, retry_at = self._failure(exc, job.attempts)
            await self.updates.failed(job, reason, retry_at)
            self.emit("failed" if retry_at is None else "retried")
            log.warning(
                "%s: %s follow-up to %s failed (attempt %d): %s",
                reference,
                job.event,
                job.destination,
                job.attempts,
                reason,
            )
            return
        await self.updates.delivered(job, time.time())
        self.emit("delivered")
        log.info("%s: %s follow-up delivered to %s", reference, job.event, job.destination)

    async def _notify(self, job: NotificationJob) -> None:
        reference = format_reference(job.case_number)
        try:
            case = await self.cases.load_case(job.case_number)
            notifier = self.notifiers[job.platform]
            if case is None:
                await self.outbox.notification_failed(job, "the case no longer exists", None)
                return
            await asyncio.wait_for(
                notifier(case, job.reporter, job.origin, job.message), self._cap()
            )
        except asyncio.CancelledError:
            await asyncio.shield(self.outbox.release_notification(job))
            raise
        except Exception as exc:
            reason, retry_at = self._failure(exc, job.attempts)
            await self.outbox.notification_failed(job, reason, retry_at)
            log.warning(
                "%s: follow-up to a %s reporter failed (attempt %d): %s",
                reference,
                job.platform,
                job.attempts,
                reason,
            )
            return
        await self.outbox.notified(job)
        log.info("%s: follow-up sent to a %s reporter", reference, job.platform)
