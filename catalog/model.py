"""The catalog as the rest of the bot sees it: frozen dataclasses, built once from YAML."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """A variable part of a message: how to recognise it and how to label it for people."""

    name: str
    label: str
    pattern: str
    near: str | None = None  # how the value is written outside the documented message

    @property
    def hidden(self) -> bool:
        """Matched to recognise the message, but not reported to users."""
        return self.name.startswith("_")


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
class Unlisted:
    """What the bot says about an error that is not in the catalog."""

    title: str
    meaning: str
    steps: tuple[str, ...]
    resources: tuple[Resource, ...]
    escalation: Escalation


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
    entries: tuple[Entry, ...]
    fields: Mapping[str, FieldSpec]
    unlisted: Unlisted
    source: Source
    origin: tuple[str, ...] = ()  # the files it was built from, base first
    context: Context = field(default_factory=Context)

    def get(self, entry_id: str) -> Entry | None:
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        return None

    def __getitem__(self, entry_id: str) -> Entry:
        entry = self.get(entry_id)
        if entry is None:
            raise KeyError(entry_id)
        return entry

    def field_label(self, name: str) -> str:
        spec = self.fields.get(name)
        return spec.label if spec else name.replace("_", " ").capitalize()
