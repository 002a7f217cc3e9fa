"""The catalog as the rest of the bot sees it: frozen dataclasses, built once from YAML."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

UNLISTED = "unlisted"  # the id of the entry for an error the catalog does not list


def hidden_field(name: str) -> bool:
    """A field named `_like_this` is matched to recognise the message, never reported."""
    return name.startswith("_")


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """A variable part of a message: how to recognise it and how to label it for people.

    `key`: the value identifies one occurrence of a problem (a result, an assignment, a job),
    so two reports with the same value are the same problem (escalation's dedup key).
    `student`: the value identifies one student (a OneRoster result): distinct values on a card
    are counted as students."""

    name: str
    label: str
    pattern: str
    near: str | None = None  # how the value is written outside the documented message
    key: bool = False
    student: bool = False

    @property
    def hidden(self) -> bool:
        return hidden_field(self.name)


@dataclass(frozen=True, slots=True)
class Cause:
    meaning: str
    steps: tuple[str, ...]
    label: str | None = None
    key: str | None = None  # names the cause in a Canvas diagnosis
    also: tuple[str, ...] = ()  # narrower causes a diagnosis may name; these steps fix them too
    when: str | None = None  # the cause as a heading that reads as a sentence: "If the …"

    @property
    def heading(self) -> str | None:
        """What a card shows above this cause's meaning: `when`, else the label."""
        return self.when or self.label

    @property
    def keys(self) -> tuple[str, ...]:
        return ((self.key,) if self.key else ()) + self.also


@dataclass(frozen=True, slots=True)
class Resource:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Escalation:
    """Who takes the problem further when the documented fix is not enough.

    `support` is True where the documented fix is to contact the Canvas SIS Support Team: those
    answers carry an Escalate button.
    """

    support: bool
    to: str
    when: str
    admin_only: bool = False


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    title: str
    messages: tuple[str, ...]
    causes: tuple[Cause, ...]
    resources: tuple[Resource, ...]
    escalation: Escalation
    phrases: tuple[str, ...] = ()
    documented: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    wrapper: bool = False

    def cause_for(self, key: str) -> Cause | None:
        """The cause whose fix applies to the diagnosed cause `key`."""
        for cause in self.causes:
            if key in cause.keys:
                return cause
        return None


@dataclass(frozen=True, slots=True)
class Context:
    """Words that tell a message about grade passback from one about something else.

    `about`: the message is about grade passback at all (sync, Campus, Kimono...);
    `elsewhere`: other systems and features whose errors look like ours (PowerSchool, LTI...);
    `not_errors`: a line that reports success, unless it has one of the `negations` ("not
    sent"); `small_talk`: greetings and thanks, which need no answer from support. A trailing
    `*` stands for any ending.
    """

    about: tuple[str, ...] = ()
    elsewhere: tuple[str, ...] = ()
    not_errors: tuple[str, ...] = ()
    negations: tuple[str, ...] = ()
    small_talk: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Catalog:
    """`entries` are the errors the catalog lists (matched, and shown by list); `unlisted` is
    what the bot says about any other error: an entry too (id UNLISTED, no messages), found by
    `get` like the others, never matched or listed."""

    entries: tuple[Entry, ...]
    fields: Mapping[str, FieldSpec]
    unlisted: Entry
    source: Source
    origin: tuple[str, ...] = ()  # the files it was built from, base first
    context: Context = field(default_factory=Context)

    def get(self, entry_id: str) -> Entry | None:
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        return self.unlisted if entry_id == self.unlisted.id else None

    def __getitem__(self, entry_id: str) -> Entry:
        entry = self.get(entry_id)
        if entry is None:
            raise KeyError(entry_id)
        return entry

    @property
    def key_fields(self) -> frozenset[str]:
        return frozenset(name for name, spec in self.fields.items() if spec.key)

    @property
    def student_fields(self) -> frozenset[str]:
        return frozenset(name for name, spec in self.fields.items() if spec.student)

    def field_label(self, name: str) -> str:
        spec = self.fields.get(name)
        return spec.label if spec else name.replace("_", " ").capitalize()
