"""What both card renderers say in the same words, and the helpers that keep user text inert.

Error text comes from the catalog through the `Answer`; this module holds only the bot's own UI
sentences (help, "and 4 more", "escalated as …") so Slack and Teams read the same.
"""

from __future__ import annotations

import re

from bots.answer import Answer, ErrorAnswer, EscalationOffer, Fact
from bots.answer_canvas import CanvasFinding
from bots.cards.ticket import ticket_errors
from bots.escalation.model import Case, Outcome, Reporter, Status
from catalog import Catalog
from matcher import MAX_CHARS

TRUNCATED_NOTE = (
    f"Your message was very long, so I read only its first {MAX_CHARS:,} characters. "
    "Send the rest separately if it has other errors."
)
NO_MATCH_TITLE = "I don't recognise this error"
NO_MATCH_HINT = (
    "Paste the full error text exactly as Canvas shows it. Send help to see the errors I know."
)
HELP_TITLE = "Grade passback errors, explained"
HELP_INTRO = (
    "Paste a Canvas to Infinite Campus grade passback error and I'll tell you what it means, "
    "how to fix it, and who to ask if that doesn't work."
)
HELP_KNOWN = "The errors I know:"
LIST_TITLE = "The errors I know"
LIST_HINT = "Paste one exactly as Canvas shows it to see what it means and how to fix it."
HELP_LIST_HINT = "Send list to see the errors I know."
GUIDES_LABEL = "Guides:"
SHOW_FIX_BUTTON = "How to fix it"
ESCALATE_ONE_BUTTON = "Escalate this error"
OTHERS_HINT = "Send one of them on its own to see its fix."
ESCALATE_BUTTON = "Escalate to support"
ASK_SUPPORT_BUTTON = "Ask support about this"  # on a card that found no error it knows
ASK_SUPPORT_NOTE = (
    "Still stuck? If it's about grades going from Canvas to Infinite Campus, ask support: "
    "they'll see exactly what you sent."
)
EXCERPT_LABEL = "What I read:"
SUGGESTIONS_TITLE = "Did you mean one of these?"
OPEN_IN_CANVAS = "Open in Canvas"


def fact_value(fact: Fact) -> str:
    """A value from the paste as a card shows it; in a channel, a student's only as a count."""
    if not fact.withheld:
        return fact.value
    students = "1 student" if fact.count == 1 else f"{fact.count} students"
    return f"{students}, not shown in a shared chat (ask me privately, or escalate)"


def occurrence_note(error: ErrorAnswer) -> str | None:
    """ "for 30 students" or "12 times", when the same error came more than once."""
    if error.occurrences <= 1:
        return None
    students = next((f.count for f in error.facts if f.student), 0)
    if students == error.occurrences:
        return f"for {students} students"
    if students > 1:
        return f"{error.occurrences} times, for {students} students"
    return f"{error.occurrences} times"


def escalation_note(offer: EscalationOffer) -> str:
    """Who takes it further, and when: "Still stuck? If …, escalate to the Canvas SIS …"."""
    verb = "escalate to" if offer.button else "ask"
    when = offer.when.strip().rstrip(".")
    if when.startswith("If "):
        sentence = f"{when}, {verb} {offer.to}."
    else:
        sentence = f"{when}. {verb.capitalize()} {offer.to}." if when else f"{verb} {offer.to}."
    if offer.admin_only and "admin" not in offer.when.lower():
        sentence += " Only Canvas admins can do this."
    return f"Still stuck? {sentence[0].upper()}{sentence[1:]}"


def canvas_note(finding: CanvasFinding) -> str:
    """ "Checked in Canvas: 'Lab 5' has due dates for ...", or why it could not be checked."""
    could_not = finding.status in ("error", "not-permitted")
    prefix = "Couldn't check in Canvas" if could_not else "Checked in Canvas"
    return f"{prefix}: {finding.summary}"


def canvas_more_note(finding: CanvasFinding) -> str | None:
    """What a card leaves out: culprits beyond the links, student-level details."""
    parts = []
    if finding.more:
        parts.append(f"{finding.more} more in Canvas")
    if finding.private:
        details = (
            "1 student-level detail"
            if finding.private == 1
            else (f"{finding.private} student-level details")
        )
        parts.append(f"{details} only in a private reply")
    return "; ".join(parts).capitalize() + "." if parts else None


def case_note(case: Case, joined: bool = False) -> str:
    """ "Escalated as PB-1042 · 3 people reported it · open"; "Already escalated as …" when the
    click joined a case someone had opened before (the same words on Slack and Teams)."""
    count = len(case.reporters)
    people = "1 person" if count == 1 else f"{count} people"
    verb = "Already escalated" if joined else "Escalated"
    return f"{verb} as {case.reference} · {people} reported it · {case.status.value}"


def count_title(answer: Answer) -> str:
    """ "3 errors in this paste"."""
    return f"{len(answer.errors)} errors in this paste"


def count_line(answer: Answer) -> str:
    """ "Unable to Process Score (for 30 students), Exchange Error, Kimono Job Error"."""
    titles = []
    for error in answer.errors:
        note = occurrence_note(error)
        titles.append(f"{error.title} ({note})" if note else error.title)
    return ", ".join(titles)


def glance_meaning(error: ErrorAnswer) -> str:
    """An error's meaning in one line, for a card of several: its cause, or its causes' count."""
    if len(error.meanings) == 1:
        return error.meanings[0].text
    return (
        f"{len(error.meanings)} possible causes: "
        + "; ".join((m.label or m.text).rstrip(".") for m in error.meanings)
        + "."
    )


def more_note(titles: list[str]) -> str:
    """The line for the errors a card has no room to show in full."""
    count = len(titles)
    listed = ", ".join(titles)
    them = "it" if count == 1 else "one of them"
    return f"And {count} more: {listed}. Send {them} on its own to see the fix."


def escalate_button(answer: Answer) -> str:
    """The Escalate button's label: "Ask support about this" on a card that found no error."""
    return ASK_SUPPORT_BUTTON if answer.kind == "no_match" else ESCALATE_BUTTON


def summary(answer: Answer, case: Case | None = None, joined: bool = False) -> str:
    """One or two plain sentences for notifications, screen readers and card fallbacks.

    Built from catalog text only: nothing the user pasted appears here.
    """
    if answer.kind == "help":
        text = f"{HELP_TITLE}. {HELP_INTRO}"
    elif answer.kind == "list":
        text = f"{LIST_TITLE}: " + ", ".join(title for _, title in answer.known) + "."
    elif answer.kind == "errors":
        first = answer.errors[0]
        if len(answer.errors) == 1:
            note = occurrence_note(first)
            title = f"{first.title} ({note})" if note else first.title
            text = f"{title}: {first.meanings[0].text}" if first.meanings else title
        else:
            titles = "; ".join(e.title for e in answer.errors)
            text = f"{len(answer.errors)} grade passback errors: {titles}."
    else:
        text = f"{NO_MATCH_TITLE}."
        if answer.suggestions:
            text += f" Did you mean {answer.suggestions[0].title}?"
        if answer.unlisted is not None:
            text += f" {answer.unlisted.title}: {answer.unlisted.meanings[0].text}"
        elif answer.ask_support and case is None:
            text += " You can ask support about it."
    if answer.truncated:
        text += " (Only the first part of your message was read.)"
    if case is not None:
        text += f" {case_note(case, joined)}."
    return text


# What chat clients and linkifiers turn into links: "//" (every URL), "mailto:a@b", and a dot
# before a top-level domain ("evil.example", "x@y.co", "a+b.org"): a dot after a character that
# may end a host name label and before two or more letters.
_SCHEME = re.compile(r"(?i)\b([a-z][a-z0-9+.-]{1,30}):(?=[^\s/]+@)")  # mailto:a@b
_DOMAIN_DOT = re.compile(r"(?<=[^\s.!\"#%&'()*,/:;?@\[\\\]_{}])\.(?=[^\W\d_]{2,63}(?![^\W_]))")
_DOUBLE_SLASH = re.compile(r"/(?=/)")
_WORD_JOINER = "\u2060"  # invisible; "/\u2060/" is not the "//" every URL needs
_DOT_LEADER = "\u2024"  # looks like "." but is punctuation, not a domain separator


def defang_links(text: str) -> str:
    """User text with every URL and domain broken so no client turns it into a link.

    The text still reads the same; only a copy of a URL or domain differs from what was pasted.
    Ids like "2023.S1.12345" or "fv5-v10-zze" are untouched (no dot before two letters).
    """
    text = _DOUBLE_SLASH.sub("/" + _WORD_JOINER, text)  # "https://", "//host"
    text = _SCHEME.sub(lambda m: m.group(1) + ":" + _WORD_JOINER, text)
    return _DOMAIN_DOT.sub(_DOT_LEADER, text)


def outcome_sentence(outcome: Outcome, clicked_by: str) -> str:
    """What the person who clicked Escalate is told, on every platform (plain text: the
    renderers escape it). `clicked_by` is their user id."""
    case = outcome.case
    if outcome.created:
        return (
            f"Escalated as {case.reference}. Support will follow up here; "
            "you will hear back when it is acknowledged and resolved."
        )
    if case.status is Status.RESOLVED:
        count = len(case.reporters)
        people = "1 person" if count == 1 else f"{count} people"
        return (
            f"{case.reference} has already been resolved ({people} reported it). "
            "If the error is back, paste it again to open a new case."
        )
    first = case.reporters[0] if case.reporters else None
    by = (first.display_name or "a colleague") if first else "a colleague"
    if first is not None and first.user_id == clicked_by:
        by = "you"
    sentence = f"Already escalated as {case.reference} by {by} ({case.status.value})."
    if outcome.joined:
        sentence += " You've been added to it, so you'll hear back too."
    return sentence


def status_sentence(case: Case, status: Status, actor: Reporter | None, catalog: Catalog) -> str:
    """What reporters are told, e.g. "PB-1042 (Kimono Job Error) was resolved by Jane Doe."."""
    errors = ticket_errors(case, catalog)
    title = errors[0].title if errors else "your escalation"
    who = (actor.display_name or actor.user_id) if actor else "support"
    if status == Status.ACKNOWLEDGED:
        return f"{case.reference} ({title}) was acknowledged by {who}: support is looking into it."
    if status == Status.RESOLVED:
        return (
            f"{case.reference} ({title}) was resolved by {who}. If the error comes back, "
            "paste it again and escalate it."
        )
    return f"{case.reference} ({title}) is {status.value}."
