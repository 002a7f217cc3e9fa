"""The escalation service: what the Slack and Teams adapters, the web callback and the CLI call.

Platform-neutral: a draft is stored when an answer offers Escalate, one click turns it into a case
exactly once (or joins the open case for the same problem), the case is committed before anything
is sent, and an outbox worker delivers it and the status follow-ups.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Mapping
from types import MappingProxyType

import aiohttp

from bots.cards.sentences import status_sentence
from bots.escalation.clicks import Click, KeyConflict, escalate_click
from bots.escalation.connect import connect_store
from bots.escalation.database import Database
from bots.escalation.destinations import Destination, SlackDestination, build_destinations
from bots.escalation.diagnosis import CaseDiagnosis
from bots.escalation.drafts import bounded_draft, new_token, plausible_token
from bots.escalation.evidence import record_finding
from bots.escalation.model import (
    Case,
    CaseNotFound,
    Delivery,
    Draft,
    EscalationError,
    Origin,
    Outcome,
    Reporter,
    Status,
)
from bots.escalation.outbox import EventListener, Notifier, OutboxWorker
from bots.escalation.outbox_store import OutboxStore
from bots.escalation.rows import format_reference, parse_reference
from bots.escalation.settings import EscalationSettings
from bots.escalation.store import CaseStore
from catalog import Catalog

log = logging.getLogger("passback.escalation")

_ATTEMPTS = 8  # escalate retries after losing a race for a problem key
_FLUSH_SECONDS = 10.0

__all__ = ["EscalationError", "EscalationService", "Notifier"]


class EscalationService:
    """Built without I/O, so the server can hand it to the adapters before it starts; `open()`
    opens the store (the server does it in its cleanup context), `create()` builds and opens."""

    db: Database
    cases: CaseStore
    outbox: OutboxStore
    destinations: Mapping[str, Destination]
    worker: OutboxWorker

    def __init__(self, settings: EscalationSettings, catalog: Catalog):
        self.settings = settings
        self.catalog = catalog
        self._notifiers: dict[str, Notifier] = {}
        self._listeners: list[EventListener] = []
        self._session: aiohttp.ClientSession | None = None
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closed = False

    @classmethod
    async def create(cls, settings: EscalationSettings, catalog: Catalog) -> EscalationService:
        service = cls(settings, catalog)
        await service.open()
        return service

    @property
    def is_open(self) -> bool:
        return self._session is not None

    async def open(self) -> None:
        """Open the store and bring its schema up to date. Raises EscalationError if it cannot."""
        settings = self.settings
        db = await connect_store(settings)
        session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=settings.delivery_timeout_seconds)
        )
        self.db = db
        self.cases = CaseStore(db)
        self.outbox = OutboxStore(db)
        self.destinations = MappingProxyType(build_destinations(settings, self.catalog, session))
        self.worker = OutboxWorker(
            cases=self.cases,
            outbox=self.outbox,
            destinations=self.destinations,
            notifiers=self._notifiers,  # notifiers added later are used too
            listeners=self._listeners,
            settings=settings,
            catalog=self.catalog,
        )
        self._session = session

    async def start(self) -> None:
        if self._task is None:
            self._stopping.clear()
            self._task = asyncio.create_task(
                self.worker.run(self._stopping), name="escalation-outbox"
            )

    async def close(self) -> None:
        """Stop the worker (letting it flush what is due, within a bound) and close the store."""
        if self._closed or self._session is None:
            return
        self._closed = True
        if self._task is not None:
            self._stopping.set()
            self.worker.wake()
            try:
                await asyncio.wait_for(asyncio.shield(self._task), _FLUSH_SECONDS)
            except TimeoutError:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task
            self._task = None
        await self._session.close()
        await self.db.close()

    def add_notifier(self, platform: str, notifier: Notifier) -> None:
        self._notifiers[platform] = notifier
        if self.is_open:
            self.worker.wake()  # follow-ups may be waiting for this platform

    def add_event_listener(self, listener: EventListener) -> None:
        """`listener(event)` for metrics: "opened", "joined", "delivered", "retried" (a failed
        attempt that will be retried) or "failed" (given up). Never carries case data."""
        self._listeners.append(listener)

    async def ping(self) -> bool:
        return await self.db.ping()

    async def backlog(self) -> int:
        """Deliveries and follow-ups still pending, across all instances (the backlog gauge)."""
        return await self.outbox.backlog() + await self.worker.updates.backlog()

    # Drafts and clicks -------------------------------------------------------------------

    async def prepare(self, draft: Draft) -> str:
        """Store what an Escalate button will need; the token for the button's value."""
        token = new_token()
        await self.cases.save_draft(token, bounded_draft(draft), time.time())
        return token

    async def attach_diagnosis(self, token: str, diagnosis: CaseDiagnosis) -> bool:
        """What a Check in Canvas found: kept with the draft for the case it may become, or,
        once the draft is a case, added to the case and support told once (evidence.py).
        False when nothing changed (no such draft, or the case shows that already)."""
        if not plausible_token(token):
            return False
        since = self._drafts_since()
        if await self.cases.attach_diagnosis(token, diagnosis.dumps(), since):
            return True
        number = await record_finding(self.db, token, diagnosis, not_before=since, now=time.time())
        if number is None:
            return False
        log.info("%s: a Canvas check made after it was opened joins it", format_reference(number))
        self.worker.wake()
        return True

    async def get_draft(self, token: str) -> Draft | None:
        if not plausible_token(token):
            return None
        return await self.cases.load_draft(token, self._drafts_since())

    async def escalate(
        self,
        token: str,
        reporter: Reporter,
        *,
        click_id: str | None = None,
        origin: Origin | None = None,
    ) -> Outcome:
        """`origin`: the draft's with names looked up at the click (Teams' team, channel)."""
        if not plausible_token(token):
            raise EscalationError("This Escalate button is not one of ours.")
        click_key = f"{token}:{click_id}"[:200] if click_id else None
        for attempt in range(_ATTEMPTS):
            try:
                click: Click = await escalate_click(
                    self.db,
                    token,
                    reporter,
                    click_key=click_key,
                    now=time.time(),
                    not_before=self._drafts_since(),
                    window_seconds=self.settings.window_hours * 3600,
                    key_fields=self.catalog.key_fields,
                    destinations=self.settings.destinations,
                    origin=origin,
                )
                break
            except KeyConflict:
                await asyncio.sleep(0.01 * (attempt + 1))
            except Exception as exc:
                if not self.db.retryable(exc) or attempt == _ATTEMPTS - 1:
                    raise
                await asyncio.sleep(0.05 * (attempt + 1))
        else:
            raise EscalationError("Escalation is busy right now; please click again in a moment.")
        case = await self.cases.load_case(click.case_number)
        assert case is not None
        outcome = Outcome(case=case, created=click.created, joined=click.joined)
        if click.again:  # the same click delivered again: its case was counted the first time
            return outcome
        self.worker.wake()  # the case to deliver, or a finding the click brought to it
        if click.created:
            log.info("%s opened for %s", case.reference, ",".join(case.entry_ids))
            self.worker.emit("opened")
        elif click.joined:
            log.info("%s joined by another reporter (%d now)", case.reference, len(case.reporters))
            self.worker.emit("joined")
        return outcome

    # Status and reading ------------------------------------------------------------------

    async def set_status(
        self,
        reference: str,
        status: Status,
        actor: Reporter | None = None,
        *,
        update_support_message: bool = True,
    ) -> Case:
        """Move the case forward (open → acknowledged → resolved) and queue a follow-up to every
        reporter; the same status again changes nothing. Raises CaseNotFound, StatusConflict.

        The support channel's message is updated to match, unless the caller updates it itself
        (a click on that message replaces it through its response_url)."""
        number = parse_reference(reference)
        case = await self.cases.load_case(number) if number is not None else None
        if case is None or number is None:
            raise CaseNotFound(reference.strip()[:40])
        status = Status(status)
        message = status_sentence(case, status, actor, self.catalog)
        who = (actor.display_name or actor.user_id) if actor else ""
        changed = await self.cases.change_status(number, status, who, time.time(), message)
        updated = await self.cases.load_case(number)
        assert updated is not None
        if changed:
            log.info("%s is now %s", updated.reference, status.value)
            self.worker.wake()
            if update_support_message:
                await self._refresh_support_message(updated)
        return updated

    async def get(self, reference: str) -> Case | None:
        number = parse_reference(reference)
        return await self.cases.load_case(number) if number is not None else None

    async def follow_ups(self, case: Case) -> list[tuple[str, Delivery]]:
        """(event, delivery) of each follow-up sent to support after it opened (evidence.py)."""
        return await self.worker.updates.for_case(parse_reference(case.reference) or 0)

    async def list_cases(self, status: Status | None = None, limit: int = 100) -> list[Case]:
        return await self.cases.list_cases(Status(status) if status else None, max(1, limit))

    async def claim_event(self, key: str) -> bool:
        return await self.cases.claim_event(key[:500], time.time())

    async def _refresh_support_message(self, case: Case) -> None:
        """Update the support-channel message (buttons, status) wherever the change came from."""
        slack = self.destinations.get("slack")
        delivery = case.delivery("slack")
        if not isinstance(slack, SlackDestination) or not delivery or not delivery.external_id:
            return
        try:
            await slack.refresh(case, delivery.external_id)
        except Exception as exc:  # the status change stands; the message catches up next time
            log.warning(
                "%s: could not update the support message (%s)", case.reference, type(exc).__name__
            )

    def _drafts_since(self) -> float:
        return time.time() - self.settings.draft_days * 86400
