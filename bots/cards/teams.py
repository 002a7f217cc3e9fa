"""An `Answer` as a Microsoft Teams Adaptive Card (schema version 1.5).

Text the user pasted is shown literally: values in the FactSet and notes pass through
`adaptive_escape` (TextBlock and Fact text are markdown in Teams); the excerpt of the paste is
a `TextRun`, which Adaptive Cards never read as markdown. Links in user text are broken.

The escalate button is an `Action.Submit` whose `data` is
`{"action": ESCALATE_ACTION, "token": <token from EscalationService.prepare>}`: the Teams adapter
reads `activity.value["action"]` and `activity.value["token"]` when it is clicked.
"""

from __future__ import annotations

import re
import string
from typing import Any

from bots.answer import Answer, ErrorAnswer, Meaning, SuggestionView
from bots.answer_canvas import CanvasFinding
from bots.cards import wording
from bots.escalation.model import Case

ESCALATE_ACTION = "passback.escalate"
CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA_URL = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"

HOW_TO_ASK = (
    "**How to ask:** in a 1:1 chat with me, paste the error. In a group chat or a channel, "
    "@mention me with the error: Teams shows me only the messages that mention me there."
)
MAX_FULL_ERRORS = 5  # Teams refuses cards over about 28 KB; the rest are listed by title
MAX_GUIDES = 5
MAX_VALUE_CHARS = 1000
MAX_EXCERPT_CHARS = 500

_PUNCTUATION = frozenset(string.punctuation)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)")
_ORDERED = re.compile(r"^([0-9]{1,9})([.)])(?=[ \t]|$)")
_WORD_JOINER = "\u2060"


def _literal(text: str) -> str:
    """User text for a TextRun: no markdown there, but links and {{DATE()}} still form."""
    return wording.defang_links(text).replace("{{", "{" + _WORD_JOINER + "{")


def _needs_escape(line: str, i: int) -> bool:
    ch = line[i]
    before = line[i - 1] if i else ""
    after = line[i + 1] if i + 1 < len(line) else ""
    if ch == "\\":
        return after in _PUNCTUATION  # else a backslash is already literal
    if ch in "*`[]~|":  # emphasis, code, links, strikethrough, tables
        return True
    if ch == "_":  # "snake_case_id" cannot form emphasis; "_this_" can
        return not (before.isalnum() and after.isalnum())
    if ch == "<":  # an HTML tag or an autolink
        return after.isalpha() or after in "/!?"
    if ch == "&":  # "&amp;" would be shown as "&"
        return _ENTITY.match(line, i) is not None
    if i == 0 and ch == ">":  # block quote
        return True
    if i == 0 and ch == "#":
        return _HEADING.match(line) is not None
    if i == 0 and ch in "-+=":  # list item, thematic break, setext underline
        return after in ("", " ", "\t") or not line.strip(ch + " \t")
    return False


def adaptive_escape(text: str) -> str:
    """User text for a TextBlock or Fact so its markdown and links show literally.

    Backslash-escapes (CommonMark) only the characters that would start markup at that spot,
    so ordinary ids ("s842620", "fv5-v10-zze", "snake_case") are shown unchanged.
    """
    text = _literal(text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = []
    for raw in text.split("\n"):
        line = raw.lstrip(" \t")  # indentation would make a code block
        escaped = "".join("\\" + ch if _needs_escape(line, i) else ch for i, ch in enumerate(line))
        lines.append(_ORDERED.sub(r"\1\\\2", escaped))
    return "\n".join(lines)


def attachment(card: dict[str, Any]) -> dict[str, Any]:
    """The card as a Bot Framework attachment for `Activity.attachments`."""
    return {"contentType": CONTENT_TYPE, "content": card}


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _title(text: str) -> dict[str, Any]:
    return _text(text, size="large", weight="bolder", style="heading")


def _meaning_items(meaning: Meaning) -> list[dict[str, Any]]:
    heading = meaning.heading
    items = [_text(f"**{adaptive_escape(heading)}**", spacing="medium")] if heading else []
    items.append(_text(f"**What it means:** {meaning.text}"))
    if meaning.steps:
        items.append(_text("**How to fix:**", spacing="small"))
        steps = "\r".join(f"{n}. {step}" for n, step in enumerate(meaning.steps, 1))
        items.append(_text(steps, spacing="none"))
    return items


def _link(title: str, url: str) -> str:
    """A markdown link from catalog text: the title escaped, the URL kept to one token."""
    target = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    return f"[{adaptive_escape(title)}]({target})"


def _guides(error: ErrorAnswer) -> list[dict[str, Any]]:
    """The guides as links in text, which wraps at any width: a button's title does not, and a
    long one ran past the edge of a phone-width card."""
    links = [_link(r.title, r.url) for r in error.resources[:MAX_GUIDES]]
    if not links:
        return []
    lines = "\r".join(f"- {link}" for link in links)
    return [
        _text(f"**{wording.GUIDES_LABEL}**", spacing="medium"),
        _text(lines, spacing="none"),
    ]


def _canvas_items(finding: CanvasFinding) -> list[dict[str, Any]]:
    """What Canvas showed, above the documented steps; Canvas names are teachers' text."""
    items = [_text(adaptive_escape(wording.canvas_note(finding)), spacing="medium")]
    more = wording.canvas_more_note(finding)
    if more:
        items.append(_text(more, isSubtle=True, spacing="none"))
    if finding.status == "found":
        action = {
            "type": "Action.OpenUrl",
            "title": wording.OPEN_IN_CANVAS,
            "url": finding.open_url,
        }
        items.append({"type": "ActionSet", "actions": [action]})
    return items


def _error_container(error: ErrorAnswer, separator: bool) -> dict[str, Any]:
    items = [_title(error.title)]
    note = wording.occurrence_note(error)
    if note:
        items.append(_text(note.capitalize(), isSubtle=True, spacing="none"))
    if error.facts:
        facts = [
            {
                "title": fact.label,
                "value": adaptive_escape(
                    wording.clip(" ".join(fact.value.split()), MAX_VALUE_CHARS)
                ),
            }
            for fact in error.facts
        ]
        items.append({"type": "FactSet", "facts": facts})
    if error.canvas is not None:
        items += _canvas_items(error.canvas)
    for meaning in error.meanings:
        items += _meaning_items(meaning)
    items += _guides(error)
    items.append(_text(wording.escalation_note(error.escalation), isSubtle=True))
    container: dict[str, Any] = {"type": "Container", "items": items}
    if separator:
        container.update(separator=True, spacing="large")
    return container


def _suggestion_items(suggestions: tuple[SuggestionView, ...]) -> list[dict[str, Any]]:
    if not suggestions:
        return []
    lines = []
    for s in suggestions:
        # The note quotes values from the paste ("HTTP status 500, not the documented 422").
        note = f" ({adaptive_escape(' '.join(s.note.split()))})" if s.note else ""
        lines.append(f"- {s.title}{note}")
    return [
        _text(f"**{wording.SUGGESTIONS_TITLE}**", spacing="medium"),
        _text("\r".join(lines), spacing="none"),
    ]


def _errors_body(answer: Answer) -> list[dict[str, Any]]:
    shown = answer.errors[:MAX_FULL_ERRORS]
    body = [_error_container(e, separator=i > 0) for i, e in enumerate(shown)]
    rest = [e.title for e in answer.errors[MAX_FULL_ERRORS:]]
    if rest:
        body.append(_text(wording.more_note(rest), separator=True, spacing="large"))
    return body + _suggestion_items(answer.suggestions)


def _no_match_body(answer: Answer) -> list[dict[str, Any]]:
    body = [_title(wording.NO_MATCH_TITLE)]
    if answer.excerpt:
        excerpt = _literal(wording.clip(answer.excerpt, MAX_EXCERPT_CHARS))
        body.append(_text(f"**{wording.EXCERPT_LABEL}**", isSubtle=True, spacing="small"))
        run = {"type": "TextRun", "text": excerpt, "fontType": "monospace"}
        body.append({"type": "RichTextBlock", "inlines": [run], "spacing": "none"})
    body += _suggestion_items(answer.suggestions)
    if answer.unlisted is None:
        body.append(_text(wording.NO_MATCH_HINT, spacing="medium"))
        if answer.ask_support:
            body.append(_text(wording.ASK_SUPPORT_NOTE, isSubtle=True))
        return body
    unlisted = answer.unlisted
    items = [_text(f"**{unlisted.title}**", spacing="medium")]
    for meaning in unlisted.meanings:
        items += _meaning_items(meaning)
    items += _guides(unlisted)
    items.append(_text(wording.escalation_note(unlisted.escalation), isSubtle=True))
    body.append({"type": "Container", "items": items})
    return body


def _help_body(answer: Answer) -> list[dict[str, Any]]:
    return [
        _title(wording.HELP_TITLE),
        _text(wording.HELP_INTRO),
        _text(HOW_TO_ASK),
        _text(wording.HELP_LIST_HINT, spacing="medium"),
    ]


def _list_body(answer: Answer) -> list[dict[str, Any]]:
    known = "\r".join(f"- {adaptive_escape(title)}" for _, title in answer.known)
    return [_title(wording.LIST_TITLE), _text(known), _text(wording.LIST_HINT, spacing="medium")]


def render_teams_card(
    answer: Answer,
    *,
    escalate_token: str | None = None,
    case: Case | None = None,
    joined: bool = False,
) -> dict[str, Any]:
    """The Adaptive Card for `answer`.

    The Escalate action appears when the answer escalates, no case exists yet and a token is
    given; with `case`, a line with the case reference takes its place ("Already escalated as"
    when `joined`: the click found a case opened before).
    """
    body: list[dict[str, Any]] = []
    if answer.truncated:
        body.append(_text(wording.TRUNCATED_NOTE, color="warning"))
    if answer.kind == "help":
        body += _help_body(answer)
    elif answer.kind == "list":
        body += _list_body(answer)
    elif answer.kind == "errors":
        body += _errors_body(answer)
    else:
        body += _no_match_body(answer)
    actions = []
    if case is not None:
        # Default colour, bold: Teams' "good" green is 2.1:1 on white, the faintest on the card.
        note = adaptive_escape(wording.case_note(case, joined))
        body.append(_text(note, weight="bolder", separator=True, spacing="large"))
    elif answer.escalates and escalate_token:
        actions.append(
            {
                "type": "Action.Submit",
                "title": wording.escalate_button(answer),
                "style": "positive",
                "data": {"action": ESCALATE_ACTION, "token": escalate_token},
            }
        )
    card: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA_URL,
        "version": VERSION,
        "fallbackText": wording.summary(answer, case, joined),
        "body": body,
    }
    if actions:
        card["actions"] = actions
    card["msteams"] = {"width": "Full"}  # Teams-only: use the whole width of the chat
    return card
