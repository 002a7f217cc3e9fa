"""The case as an Adaptive Card (1.5) for a Teams channel's incoming webhook or Workflows URL.

All text goes in TextRuns, which Teams never reads as Markdown: what a person typed (the pasted
error, names, extracted ids) cannot form links or formatting.
"""

from __future__ import annotations

from typing import Any

from bots.cards.teams import CONTENT_TYPE, SCHEMA_URL, VERSION
from bots.cards.ticket import LATER_CHECK, Ticket

_PASTE_LIMIT = 4000


def _plain(text: str, **style: Any) -> dict[str, Any]:
    """User-supplied text, shown literally."""
    return {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": text, **style}]}


def _labelled(label: str, value: str) -> dict[str, Any]:
    return {
        "type": "RichTextBlock",
        "inlines": [
            {"type": "TextRun", "text": f"{label}: ", "weight": "Bolder"},
            {"type": "TextRun", "text": value},
        ],
    }


def render_case_card(ticket: Ticket) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        _plain(ticket.subject, size="Medium", weight="Bolder"),
        _labelled(
            "Status", ticket.status + (f" (by {ticket.status_by})" if ticket.status_by else "")
        ),
        _labelled("Opened", ticket.opened_at),
        _labelled("Where", ticket.place),
    ]
    for error in ticket.errors:
        body.append(
            _plain(f"{error.title} (catalog entry {error.entry_id})", weight="Bolder")
            | {"separator": True, "spacing": "Medium"}
        )
        for cause in error.causes:
            label = f" ({cause.label})" if cause.label else ""
            body.append(_labelled(f"What it means{label}", cause.meaning))
            if cause.steps:
                body.append(_plain("Fix steps already suggested:", weight="Bolder"))
                body.extend(_plain(f"{i}. {step}") for i, step in enumerate(cause.steps, 1))
        if error.escalate_when:
            body.append(_labelled("When to escalate", error.escalate_when))
    if ticket.facts:
        body.append(
            _plain("Values extracted from the error", weight="Bolder") | {"separator": True}
        )
        body.extend(_labelled(fact.label, fact.value) for fact in ticket.facts)
    if ticket.diagnosis is not None:
        first, *rest = ticket.finding_lines()
        body.append(_plain(first, weight="Bolder") | {"separator": True})
        body.extend(_plain(line.strip()) for line in rest)
    text = ticket.text if len(ticket.text) <= _PASTE_LIMIT else ticket.text[:_PASTE_LIMIT] + " …"
    body.append(_plain("Error text as reported", weight="Bolder") | {"separator": True})
    body.append(_plain(text, fontType="Monospace"))
    body.append(
        _plain(f"Reported by ({len(ticket.reports)})", weight="Bolder") | {"separator": True}
    )
    body.extend(_plain(f"{r.who}, {r.at}, in {r.place}") for r in ticket.reports)
    return _card(body, ticket)


def render_finding_card(ticket: Ticket) -> dict[str, Any]:
    """A follow-up for a case the channel already has: what a later Check in Canvas found."""
    first, *rest = ticket.finding_lines() or [""]
    body: list[dict[str, Any]] = [
        _plain(ticket.subject, size="Medium", weight="Bolder"),
        _plain(LATER_CHECK),
        _labelled("Where", ticket.place),
        _plain(first, weight="Bolder") | {"separator": True},
        *(_plain(line.strip()) for line in rest),
    ]
    return _card(body, ticket)


def _card(body: list[dict[str, Any]], ticket: Ticket) -> dict[str, Any]:
    """The card around `body`, with a way back to where the case was reported."""
    card: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA_URL,
        "version": VERSION,
        "body": body,
    }
    if ticket.link:
        card["actions"] = [
            {"type": "Action.OpenUrl", "title": "Open the conversation", "url": ticket.link}
        ]
    return card


def webhook_envelope(card: dict[str, Any]) -> dict[str, Any]:
    """What a Teams incoming webhook or a Workflows "post to a channel" flow accepts."""
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": CONTENT_TYPE,
                "contentUrl": None,
                "content": card,
            }
        ],
    }
