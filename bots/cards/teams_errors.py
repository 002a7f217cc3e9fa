"""The errors of an answer as Adaptive Card elements: one error in full, or several at a glance.

One error: its title, the values from the paste, what it means and the fix, its guides, who to
ask next. Several: a first line that counts them, then each error in two lines (its title and
what it means) with the rest one tap away ("How to fix it" shows it in place, with
`Action.ToggleVisibility`), its own Escalate button when its fix is to contact support, and the
guides once, at the end, for all of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bots.answer import Answer, ErrorAnswer, Meaning
from bots.answer_canvas import CanvasFinding
from bots.cards import sentences
from bots.cards.fit import clip
from bots.cards.teams_markup import adaptive_escape, guide_items, text_block, title_block
from bots.escalation.model import Case
from catalog import Resource

ESCALATE_ACTION = "passback.escalate"
MAX_FULL_ERRORS = 5  # Teams refuses cards over about 28 KB; the rest are listed by title
MAX_VALUE_CHARS = 1000


def escalate_action(title: str, token: str) -> dict[str, Any]:
    return {
        "type": "Action.Submit",
        "title": title,
        "style": "positive",
        "data": {"action": ESCALATE_ACTION, "token": token},
    }


def case_line(case: Case, joined: bool) -> dict[str, Any]:
    # Default colour, bold: Teams' "good" green is 2.1:1 on white, the faintest on the card.
    note = adaptive_escape(sentences.case_note(case, joined))
    return text_block(note, weight="bolder", spacing="medium")


def meaning_items(meaning: Meaning) -> list[dict[str, Any]]:
    heading = meaning.heading
    items = [text_block(f"**{adaptive_escape(heading)}**", spacing="medium")] if heading else []
    items.append(text_block(f"**What it means:** {meaning.text}"))
    if meaning.steps:
        items.append(text_block("**How to fix:**", spacing="small"))
        steps = "\r".join(f"{n}. {step}" for n, step in enumerate(meaning.steps, 1))
        items.append(text_block(steps, spacing="none"))
    return items


def _canvas_items(finding: CanvasFinding) -> list[dict[str, Any]]:
    """What Canvas showed, above the documented steps; Canvas names are teachers' text."""
    items = [text_block(adaptive_escape(sentences.canvas_note(finding)), spacing="medium")]
    more = sentences.canvas_more_note(finding)
    if more:
        items.append(text_block(more, isSubtle=True, spacing="none"))
    if finding.status == "found":
        action = {
            "type": "Action.OpenUrl",
            "title": sentences.OPEN_IN_CANVAS,
            "url": finding.open_url,
        }
        items.append({"type": "ActionSet", "actions": [action]})
    return items


def _details(error: ErrorAnswer) -> list[dict[str, Any]]:
    """The values from the paste, what Canvas showed, each cause and its fix."""
    items: list[dict[str, Any]] = []
    if error.facts:
        facts = [
            {
                "title": fact.label,
                "value": adaptive_escape(
                    clip(" ".join(sentences.fact_value(fact).split()), MAX_VALUE_CHARS)
                ),
            }
            for fact in error.facts
        ]
        items.append({"type": "FactSet", "facts": facts})
    if error.canvas is not None:
        items += _canvas_items(error.canvas)
    for meaning in error.meanings:
        items += meaning_items(meaning)
    return items


def full_error(error: ErrorAnswer) -> dict[str, Any]:
    """One error with everything shown."""
    items = [title_block(error.title)]
    note = sentences.occurrence_note(error)
    if note:
        items.append(text_block(note.capitalize(), isSubtle=True, spacing="none"))
    items += _details(error)
    items += guide_items(error.resources)
    items.append(text_block(sentences.escalation_note(error.escalation), isSubtle=True))
    return {"type": "Container", "items": items}


def _token_for(tokens: str | Mapping[str, str] | None, error: ErrorAnswer) -> str | None:
    if tokens is None or isinstance(tokens, str):
        return tokens
    return tokens.get(error.entry_id)


def _compact_error(
    error: ErrorAnswer,
    n: int,
    tokens: str | Mapping[str, str] | None,
    case: Case | None,
    joined: bool,
) -> dict[str, Any]:
    details_id = f"passback-error-{n}-details"
    note = sentences.occurrence_note(error)
    title = f"{error.title} ({note})" if note else error.title
    items: list[dict[str, Any]] = [text_block(f"**{adaptive_escape(title)}**", size="medium")]
    items.append(text_block(sentences.glance_meaning(error), spacing="none"))
    hidden = _details(error)
    hidden.append(text_block(sentences.escalation_note(error.escalation), isSubtle=True))
    items.append({"type": "Container", "id": details_id, "isVisible": False, "items": hidden})
    actions: list[dict[str, Any]] = [
        {
            "type": "Action.ToggleVisibility",
            "title": sentences.SHOW_FIX_BUTTON,
            "targetElements": [details_id],
        }
    ]
    if case is not None and error.entry_id in case.entry_ids:
        items.append(case_line(case, joined))
    else:
        token = _token_for(tokens, error)
        if error.escalation.button and token:
            actions.append(escalate_action(sentences.ESCALATE_ONE_BUTTON, token))
    items.append({"type": "ActionSet", "actions": actions, "spacing": "small"})
    return {"type": "Container", "items": items, "separator": True, "spacing": "medium"}


def _shared_guides(errors: tuple[ErrorAnswer, ...]) -> list[dict[str, Any]]:
    seen: dict[str, Resource] = {}
    for error in errors:
        for resource in error.resources:
            seen.setdefault(resource.url, resource)
    return guide_items(tuple(seen.values()))


def several_errors(
    answer: Answer,
    tokens: str | Mapping[str, str] | None,
    case: Case | None,
    joined: bool,
) -> list[dict[str, Any]]:
    """Several errors at a glance; `tokens` gives each one that escalates its own button (one
    string: the same token for each)."""
    shown = answer.errors[:MAX_FULL_ERRORS]
    body: list[dict[str, Any]] = [
        title_block(sentences.count_title(answer)),
        text_block(adaptive_escape(sentences.count_line(answer)), spacing="small"),
    ]
    body += [_compact_error(e, n, tokens, case, joined) for n, e in enumerate(shown)]
    rest = [e.title for e in answer.errors[MAX_FULL_ERRORS:]]
    if rest:
        body.append(text_block(sentences.more_note(rest), separator=True, spacing="large"))
    shared = _shared_guides(shown)
    if shared:
        shared[0].update(separator=True, spacing="large")
    return body + shared
