"""An `Answer` as a Microsoft Teams Adaptive Card (schema version 1.5).

Text the user pasted is shown literally: values in the FactSet and notes pass through
`adaptive_escape` (TextBlock and Fact text are markdown in Teams); the excerpt of the paste is
a `TextRun`, which Adaptive Cards never read as markdown. Links in user text are broken.

A card of several errors gives each error that calls for support its own Escalate button (one
case per error, joining the open case for that error); a card of one error has one. An escalate
button is an `Action.Submit` whose `data` is
`{"action": ESCALATE_ACTION, "token": <token from EscalationService.prepare>}`: the Teams adapter
reads `activity.value["action"]` and `activity.value["token"]` when it is clicked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bots.answer import Answer, SuggestionView
from bots.cards import sentences
from bots.cards.fit import clip
from bots.cards.teams_canvas import check_action, course_menu_items, status_items
from bots.cards.teams_errors import (
    ESCALATE_ACTION,
    MAX_FULL_ERRORS,
    case_line,
    escalate_action,
    full_error,
    meaning_items,
    several_errors,
)
from bots.cards.teams_markup import (
    adaptive_escape,
    guide_items,
    literal,
    text_block,
    title_block,
)
from bots.escalation.model import Case

if TYPE_CHECKING:  # rendering a card must not load the Canvas client
    from bots.canvas_check import CourseChoice

__all__ = ["ESCALATE_ACTION", "MAX_FULL_ERRORS", "adaptive_escape", "render_teams_card"]

CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA_URL = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"

HOW_TO_ASK = (
    "**How to ask:** in a 1:1 chat with me, paste the error. In a group chat or a channel, "
    "@mention me with the error: Teams shows me only the messages that mention me there."
)
MAX_EXCERPT_CHARS = 500


def attachment(card: dict[str, Any]) -> dict[str, Any]:
    """The card as a Bot Framework attachment for `Activity.attachments`."""
    return {"contentType": CONTENT_TYPE, "content": card}


def _suggestion_items(suggestions: tuple[SuggestionView, ...]) -> list[dict[str, Any]]:
    if not suggestions:
        return []
    lines = []
    for s in suggestions:
        # The note quotes values from the paste ("HTTP status 500, not the documented 422").
        note = f" ({adaptive_escape(' '.join(s.note.split()))})" if s.note else ""
        lines.append(f"- {s.title}{note}")
    return [
        text_block(f"**{sentences.SUGGESTIONS_TITLE}**", spacing="medium"),
        text_block("\r".join(lines), spacing="none"),
    ]


def _errors_body(
    answer: Answer,
    tokens: str | Mapping[str, str] | None,
    case: Case | None,
    joined: bool,
) -> list[dict[str, Any]]:
    if len(answer.errors) > 1:
        return several_errors(answer, tokens, case, joined) + _suggestion_items(answer.suggestions)
    return [full_error(answer.errors[0]), *_suggestion_items(answer.suggestions)]


def _no_match_body(answer: Answer) -> list[dict[str, Any]]:
    body = [title_block(sentences.NO_MATCH_TITLE)]
    if answer.excerpt:
        excerpt = literal(clip(answer.excerpt, MAX_EXCERPT_CHARS))
        body.append(text_block(f"**{sentences.EXCERPT_LABEL}**", isSubtle=True, spacing="small"))
        run = {"type": "TextRun", "text": excerpt, "fontType": "monospace"}
        body.append({"type": "RichTextBlock", "inlines": [run], "spacing": "none"})
    body += _suggestion_items(answer.suggestions)
    if answer.unlisted is None:
        body.append(text_block(sentences.NO_MATCH_HINT, spacing="medium"))
        if answer.ask_support:
            body.append(text_block(sentences.ASK_SUPPORT_NOTE, isSubtle=True))
        return body
    unlisted = answer.unlisted
    items = [text_block(f"**{unlisted.title}**", spacing="medium")]
    for meaning in unlisted.meanings:
        items += meaning_items(meaning)
    items += guide_items(unlisted.resources)
    items.append(text_block(sentences.escalation_note(unlisted.escalation), isSubtle=True))
    body.append({"type": "Container", "items": items})
    return body


def _help_body(answer: Answer) -> list[dict[str, Any]]:
    return [
        title_block(sentences.HELP_TITLE),
        text_block(sentences.HELP_INTRO),
        text_block(HOW_TO_ASK),
        text_block(sentences.HELP_LIST_HINT, spacing="medium"),
    ]


def _list_body(answer: Answer) -> list[dict[str, Any]]:
    known = "\r".join(f"- {adaptive_escape(title)}" for _, title in answer.known)
    return [
        title_block(sentences.LIST_TITLE),
        text_block(known),
        text_block(sentences.LIST_HINT, spacing="medium"),
    ]


def render_teams_card(
    answer: Answer,
    *,
    escalate_token: str | Mapping[str, str] | None = None,
    case: Case | None = None,
    joined: bool = False,
    check_token: str | None = None,
    canvas_status: str | None = None,
    courses: tuple[CourseChoice, ...] = (),
) -> dict[str, Any]:
    """The Adaptive Card for `answer`.

    The Escalate action appears when the answer escalates, no case exists yet and a token is
    given; with `case`, a line with the case reference takes its place ("Already escalated as"
    when `joined`: the click found a case opened before). For several errors, `escalate_token`
    maps each escalating error's entry id to its own token, and `case` is shown on its error.
    `check_token` adds "Check in Canvas" (the caller decides whether Canvas can check it);
    `canvas_status` a line under the answer ("Checking Canvas…", or why Canvas added nothing);
    `courses` the menu of the person's courses to pick from (with `check_token`'s draft).
    """
    body: list[dict[str, Any]] = []
    if answer.truncated:
        body.append(text_block(sentences.TRUNCATED_NOTE, color="warning"))
    if answer.kind == "help":
        body += _help_body(answer)
    elif answer.kind == "list":
        body += _list_body(answer)
    elif answer.kind == "errors":
        body += _errors_body(answer, escalate_token, case, joined)
    else:
        body += _no_match_body(answer)
    actions = []
    several = answer.kind == "errors" and len(answer.errors) > 1  # each error has its own
    if case is not None and not several:
        body.append({**case_line(case, joined), "separator": True, "spacing": "large"})
    elif answer.escalates and isinstance(escalate_token, str) and escalate_token and not several:
        actions.append(escalate_action(sentences.escalate_button(answer), escalate_token))
    if courses and check_token:  # the prompt heads the menu
        body += course_menu_items(check_token, courses, canvas_status or "")
    else:
        body += status_items(canvas_status) if canvas_status else []
        if check_token and answer.kind == "errors":
            actions.append(check_action(check_token))
    card: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA_URL,
        "version": VERSION,
        "fallbackText": sentences.summary(answer, case, joined),
        "body": body,
    }
    if actions:
        card["actions"] = actions
    card["msteams"] = {"width": "Full"}  # Teams-only: use the whole width of the chat
    return card
