"""Support cases as the platforms and the store see them: the escalation service's vocabulary.

The Slack and Teams adapters only need these types and `EscalationService` (service.py):
- when an answer offers an Escalate button, the adapter calls `prepare(Draft(...))` and puts
  the returned token in the button;
- when someone clicks it, the adapter calls `escalate(token, reporter, click_id=...)` and shows
  the `Outcome` (the case reference, or "already escalated as … by …");
- `claim_event(key)` answers "have we already handled this delivery?" for redelivered events.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING

from bots.escalation.diagnosis import CaseDiagnosis
from catalog import UNLISTED

if TYPE_CHECKING:
    from bots.answer import Answer


class Status(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a question was asked, so follow-ups can go back there."""

    platform: str  # "slack", "teams" or "cli"
    workspace: str = ""  # Slack team id, or Teams tenant id
    channel: str = (
        ""  # Slack channel id; Teams channel id (of the channel, not a thread) or chat id
    )
    thread: str = ""  # Slack thread_ts, or Teams reply-chain / activity id
    link: str = ""  # a permalink to the message, when the platform gives one
    service_url: str = ""  # Teams: where replies to this conversation go
    channel_name: str = ""
    workspace_name: str = ""  # Slack team name, or Teams team name, for support's subject line
    conversation: str = ""  # Teams: the conversation replies go to (a channel thread's own id)
    team_id: str = ""  # Teams: the team of a channel (its General channel has the same id)
    scope: str = ""  # Teams: "channel", "groupChat" or "personal"; "" elsewhere and before


@dataclass(frozen=True, slots=True)
class Reporter:
    user_id: str
    display_name: str = ""
    platform: str = ""


@dataclass(frozen=True, slots=True)
class Draft:
    """Everything needed to open a case later, stored when the answer is sent."""

    entry_ids: tuple[str, ...]  # catalog ids, or (UNLISTED,)
    text: str  # the pasted text (the service trims it)
    fields: Mapping[str, Mapping[str, str]]  # entry id -> field -> value
    origin: Origin
    asked_by: Reporter | None = None
    diagnosis: CaseDiagnosis | None = None  # what "Check in Canvas" found, once it ran

    @classmethod
    def for_answer(
        cls, answer: Answer, text: str, origin: Origin, asked_by: Reporter | None
    ) -> Draft:
        """The draft behind an answer's Escalate (or Share) button: its entries, or UNLISTED."""
        return cls(
            entry_ids=answer.entry_ids or (UNLISTED,),
            text=text,
            fields=answer.fields,
            origin=origin,
            asked_by=asked_by,
        )

    def pasted_by(self, person: str) -> bool:
        """Whether `person` (a platform user id) asked this: on a private card only they see
        the paste's student values (anyone may click Check on a card in a channel)."""
        return bool(person) and self.asked_by is not None and self.asked_by.user_id == person

    @classmethod
    def for_error(
        cls, answer: Answer, entry_id: str, text: str, origin: Origin, asked_by: Reporter | None
    ) -> Draft:
        """The draft behind one error's Escalate on a card of several: a case for that error
        alone (so it joins the open case for it), with the whole paste for context."""
        return cls(
            entry_ids=(entry_id,),
            text=text,
            fields={entry_id: answer.fields.get(entry_id, {})},
            origin=origin,
            asked_by=asked_by,
        )


@dataclass(frozen=True, slots=True)
class Report:
    """One reporter joining a case: who, from where, and when."""

    reporter: Reporter
    origin: Origin
    reported_at: datetime


@dataclass(frozen=True, slots=True)
class Delivery:
    destination: str  # "slack", "teams", "webhook", "email"
    state: str  # "pending", "delivered", "failed"
    attempts: int = 0
    last_error: str = ""
    delivered_at: datetime | None = None
    external_id: str = ""  # e.g. the Slack message ts in the support channel


@dataclass(frozen=True, slots=True)
class Case:
    reference: str  # "PB-1042"
    entry_ids: tuple[str, ...]
    text: str
    fields: Mapping[str, Mapping[str, str]]
    origin: Origin
    reporters: tuple[Reporter, ...]  # first reporter first
    status: Status
    created_at: datetime
    updated_at: datetime
    deliveries: tuple[Delivery, ...] = ()
    dedup_key: str = ""
    extra: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    reports: tuple[Report, ...] = ()  # one per reporter, in the same order: where and when
    status_by: str = ""  # display name of whoever last changed the status
    diagnosis: CaseDiagnosis | None = None  # what "Check in Canvas" found before escalating

    @property
    def label(self) -> str:
        """A short label for logs and lists: the reference and the entry ids (never user text).
        Not a title: a `title` is always a catalog entry's."""
        return f"{self.reference} ({', '.join(self.entry_ids)})"

    def delivery(self, destination: str) -> Delivery | None:
        return next((d for d in self.deliveries if d.destination == destination), None)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one click on Escalate did."""

    case: Case
    created: bool  # this click opened the case
    joined: bool  # this click added a new reporter to an open case


class EscalationError(Exception):
    """A failure the person clicking can understand; `user_message` is safe to show them."""

    def __init__(self, user_message: str):
        super().__init__(user_message)
        self.user_message = user_message


class CaseNotFound(EscalationError):
    def __init__(self, reference: str):
        super().__init__(f"There is no escalated case {reference}.")
        self.reference = reference


class StatusConflict(EscalationError):
    """A status change that would go backwards (acknowledging a resolved case)."""
