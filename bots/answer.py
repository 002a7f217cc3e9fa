"""The platform-neutral answer: what the bot says, before any platform decides how it looks.

Built from the matcher's result and the catalog. Each renderer (terminal, Slack Block Kit,
Teams Adaptive Card) turns the same `Answer` into its own format, so every platform says the
same thing. Values that came from the user (`Fact.value`, `Answer.excerpt`) are plain text: it
is the renderers' job to show them as text, never as markup.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bots.answer_canvas import CanvasFinding
from bots.cards.fit import clip
from bots.masking import STUDENT_ID, STUDENT_ID_MASK
from catalog import Catalog, Entry, Resource, hidden_field
from matcher import MatchResult

EXCERPT_CHARS = 500
MAX_FACT_VALUES = 5


@dataclass(frozen=True, slots=True)
class Fact:
    label: str  # "Student result"
    value: str  # "s12345", or "s1, s2, s3 and 27 more"
    field: str  # "result_sourced_id"
    count: int = 1  # distinct values found: 30 result ids for "the same error for 30 students"
    student: bool = False  # the catalog's field identifies one student: the count is of students
    withheld: bool = False  # a shared conversation's view: `value` is empty, only `count` shown


@dataclass(frozen=True, slots=True)
class Meaning:
    text: str
    steps: tuple[str, ...]
    label: str | None = None  # "No due date" when an error has several causes
    heading: str | None = None  # "If the assignment has no due date": the label as a sentence


@dataclass(frozen=True, slots=True)
class EscalationOffer:
    """Whether the answer offers an Escalate button, and what the reporter is told about it."""

    to: str
    when: str
    admin_only: bool
    button: bool  # the documented fix is to contact support, or the error is unlisted


@dataclass(frozen=True, slots=True)
class ErrorAnswer:
    entry_id: str
    title: str
    meanings: tuple[Meaning, ...]
    resources: tuple[Resource, ...]
    facts: tuple[Fact, ...]
    occurrences: int
    confidence: float
    escalation: EscalationOffer
    canvas: CanvasFinding | None = None  # what Canvas showed, when passback could look


@dataclass(frozen=True, slots=True)
class SuggestionView:
    entry_id: str
    title: str
    note: str | None = None  # "HTTP status 500 is not the documented 422"


@dataclass(frozen=True, slots=True)
class Answer:
    """One reply. `kind` is "errors", "no_match", "help" (how to ask) or "list" (the errors
    the bot knows)."""

    kind: str
    errors: tuple[ErrorAnswer, ...] = ()
    suggestions: tuple[SuggestionView, ...] = ()
    unlisted: ErrorAnswer | None = None  # for no_match: the "report it to Canvas Support" path
    # For no_match: offer "Ask support about this" (an escalation of the text as an unlisted
    # problem). Whoever asked the bot and got no answer can always reach a person; only
    # greetings and thanks (and help and list, which are not no_match) do not offer it.
    ask_support: bool = False
    excerpt: str = ""  # the start of the cleaned paste, for context and escalation
    truncated: bool = False  # the paste was longer than the matcher reads
    known: tuple[tuple[str, str], ...] = ()  # help and list: (id, title) of every entry

    @property
    def escalates(self) -> bool:
        """Whether the reply carries an Escalate button."""
        if self.kind == "errors":
            return any(e.escalation.button for e in self.errors)
        return self.kind == "no_match" and self.ask_support

    @property
    def entry_ids(self) -> tuple[str, ...]:
        return tuple(e.entry_id for e in self.errors)

    @property
    def fields(self) -> dict[str, dict[str, str]]:
        """entry id -> field -> value as the card shows it: an escalation `Draft`'s fields."""
        if any(f.withheld for e in self.errors for f in e.facts):
            raise ValueError("a shared view of an answer has no student values to escalate")
        return {e.entry_id: {f.field: f.value for f in e.facts} for e in self.errors}

    def view(self, *, shared: bool) -> Answer:
        """This answer as the place it is shown in may see it (`shared`: see `shared()`)."""
        return self.shared() if shared else self

    def shared(self) -> Answer:
        """This answer as a channel or group chat may see it: no student data. Student values
        are withheld (the card says how many students) and result ids in the excerpt masked;
        the person's private answers and the escalation keep them."""
        return replace(
            self,
            errors=tuple(_shared_error(e) for e in self.errors),
            unlisted=_shared_error(self.unlisted) if self.unlisted is not None else None,
            excerpt=STUDENT_ID.sub(STUDENT_ID_MASK, self.excerpt),
        )


def _shared_error(error: ErrorAnswer) -> ErrorAnswer:
    facts = tuple(replace(f, value="", withheld=True) if f.student else f for f in error.facts)
    return replace(error, facts=facts)


def _offer(entry: Entry) -> EscalationOffer:
    e = entry.escalation
    return EscalationOffer(to=e.to, when=e.when, admin_only=e.admin_only, button=e.support)


def _facts(catalog: Catalog, values: dict[str, tuple[str, ...]]) -> tuple[Fact, ...]:
    facts = []
    for name, found in values.items():
        if not found or hidden_field(name):
            continue
        spec = catalog.fields.get(name)
        shown = ", ".join(found[:MAX_FACT_VALUES])
        if len(found) > MAX_FACT_VALUES:
            shown += f" and {len(found) - MAX_FACT_VALUES} more"
        facts.append(
            Fact(
                label=catalog.field_label(name),
                value=shown,
                field=name,
                count=len(found),
                student=spec is not None and spec.student,
            )
        )
    return tuple(facts)


def _meanings(entry: Entry) -> tuple[Meaning, ...]:
    return tuple(
        Meaning(text=c.meaning, steps=c.steps, label=c.label, heading=c.heading)
        for c in entry.causes
    )


def _excerpt(text: str) -> str:
    return clip(text, EXCERPT_CHARS)


def build_answer(result: MatchResult, catalog: Catalog) -> Answer:
    """The answer for one matcher result."""
    suggestions = tuple(
        SuggestionView(
            entry_id=s.entry_id,
            title=s.title,
            note=_undocumented_note(catalog, s.entry_id, dict(s.undocumented)),
        )
        for s in result.suggestions
    )
    if result.matches:
        errors = []
        for m in result.matches:
            values = dict(m.values) or {k: (v,) for k, v in m.fields.items()}
            errors.append(
                error_answer(catalog, catalog[m.entry_id], values, m.occurrences, m.confidence)
            )
        return Answer(
            kind="errors",
            errors=tuple(errors),
            suggestions=suggestions,
            excerpt=_excerpt(result.text),
            truncated=result.truncated,
        )
    unlisted = error_answer(catalog, catalog.unlisted) if result.unlisted else None
    return Answer(
        kind="no_match",
        suggestions=suggestions,
        unlisted=unlisted,
        ask_support=not result.small_talk,
        excerpt=_excerpt(result.text),
        truncated=result.truncated,
    )


def error_answer(
    catalog: Catalog,
    entry: Entry,
    values: dict[str, tuple[str, ...]] | None = None,
    occurrences: int = 1,
    confidence: float = 0.0,
) -> ErrorAnswer:
    """What the bot says about one catalog entry (the unlisted one too), with the values found."""
    return ErrorAnswer(
        entry_id=entry.id,
        title=entry.title,
        meanings=_meanings(entry),
        resources=entry.resources,
        facts=_facts(catalog, values or {}),
        occurrences=occurrences,
        confidence=confidence,
        escalation=_offer(entry),
    )


def _undocumented_note(catalog: Catalog, entry_id: str, wrong: dict[str, str]) -> str | None:
    if not wrong:
        return None
    entry = catalog[entry_id]
    parts = []
    for name, value in wrong.items():
        documented = " or ".join(entry.documented.get(name, ()))
        parts.append(f"{catalog.field_label(name)} {value}, not the documented {documented}")
    return "; ".join(parts)


def help_answer(catalog: Catalog) -> Answer:
    """How to ask (the command line also lists the errors; chat cards leave that to list)."""
    return Answer(kind="help", known=tuple((e.id, e.title) for e in catalog.entries))


def list_answer(catalog: Catalog) -> Answer:
    """The errors the bot knows."""
    return Answer(kind="list", known=tuple((e.id, e.title) for e in catalog.entries))
