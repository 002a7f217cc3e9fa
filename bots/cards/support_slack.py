"""The case as a Slack message in the support channel, with Acknowledge and Resolve buttons.

The Slack adapter routes clicks on `ACK_ACTION_ID` / `RESOLVE_ACTION_ID` (button `value` = the case
reference) to `EscalationService.set_status`, then re-renders the message with
`render_support_message`; a resolved case has no buttons left.

Every string goes through `slack_escape` and every text object is `verbatim`, so nothing a
person typed becomes a mention, a channel link or a URL link.
"""

from __future__ import annotations

from typing import Any

from bots.cards.fit import clip
from bots.cards.slack_text import fit, slack_escape
from bots.cards.ticket import Ticket, build_ticket
from bots.escalation.model import Case, Status
from catalog import Catalog

ACK_ACTION_ID = "passback_case_ack"
RESOLVE_ACTION_ID = "passback_case_resolve"
ACTIONS_BLOCK_ID = "passback_case_actions"
_SECTION_LIMIT = 2900  # Slack allows 3000 characters in a section's text
_PASTE_LIMIT = 2000
_HEADER_LIMIT = 150


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": clip(text, _SECTION_LIMIT), "verbatim": True}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": _mrkdwn(text)}


def _code(text: str) -> str:
    if len(text) > _PASTE_LIMIT:
        text = text[:_PASTE_LIMIT] + "\n… (shortened here; the full text is in the case)"
    # A backtick could close the code block early; U+02CB looks the same and cannot.
    return "```" + slack_escape(text).replace("`", "\u02cb") + "```"


def reporter_mention(ticket: Ticket) -> str:
    """The first reporter as Slack mrkdwn: a mention of a Slack user (`<@U…>`, which Slack shows
    as their current name, linked to their profile), else name and id, escaped."""
    if not ticket.reports:
        return "unknown"
    first = ticket.reports[0]
    return f"<@{first.slack_user_id}>" if first.slack_user_id else slack_escape(first.who)


def render_support_message(case: Case, catalog: Catalog) -> dict[str, Any]:
    """The message for `case` as it is now (see `support_message`)."""
    return support_message(build_ticket(case, catalog))


def support_message(ticket: Ticket) -> dict[str, Any]:
    """Keyword arguments for chat.postMessage / chat.update: {"text": …, "blocks": […]}."""
    return {"text": slack_escape(ticket.subject), "blocks": support_blocks(ticket)}


def support_blocks(ticket: Ticket) -> list[dict[str, Any]]:
    header = f"{ticket.reference} · {ticket.errors[0].title if ticket.errors else 'Escalation'}"
    header = clip(header, _HEADER_LIMIT)
    more = f" and {len(ticket.reports) - 1} more" if len(ticket.reports) > 1 else ""
    status = ticket.status.capitalize() + (f" by {ticket.status_by}" if ticket.status_by else "")
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": header, "emoji": False}},
        _section(
            slack_escape(f"*Status:* {status}\n*Opened:* {ticket.opened_at}\n*Reported by:* ")
            + reporter_mention(ticket)
            + slack_escape(f"{more}\n*Where:* {ticket.place}")
        ),
    ]
    for error in ticket.errors:
        lines = [f"*{error.title}* (catalog entry {error.entry_id})"]
        for cause in error.causes:
            label = f" ({cause.label})" if cause.label else ""
            lines.append(f"*What it means{label}:* {cause.meaning}")
            if cause.steps:
                lines.append("*Fix steps already suggested:*")
                lines.extend(f"{i}. {step}" for i, step in enumerate(cause.steps, 1))
        if error.escalate_when:
            lines.append(f"*When to escalate:* {error.escalate_when}")
        blocks.append(_section(slack_escape("\n".join(lines))))
    if ticket.facts:
        blocks.append(
            {
                "type": "section",
                "fields": [
                    _mrkdwn(slack_escape(f"*{fact.label}*\n{fact.value}"))
                    for fact in ticket.facts[:10]  # Slack's limit per section
                ],
            }
        )
    if ticket.diagnosis is not None:  # Canvas names: plain text, cannot ping or link
        text = fit("\n".join(ticket.finding_lines()), 2900)
        blocks.append({"type": "section", "text": {"type": "plain_text", "text": text}})
    blocks.append(_section("*Error text as reported:*\n" + _code(ticket.text)))
    context = [slack_escape(f"{len(ticket.reports)} reporter(s). {ticket.subject}")]
    if ticket.link:
        context.append(f"<{ticket.link}|Open the conversation>")
    blocks.append({"type": "context", "elements": [_mrkdwn(" · ".join(context))]})
    buttons = []
    if ticket.status == Status.OPEN:
        buttons.append(_button("Acknowledge", ACK_ACTION_ID, ticket.reference, "primary"))
    if ticket.status != Status.RESOLVED:
        buttons.append(_button("Resolve", RESOLVE_ACTION_ID, ticket.reference, None))
    if buttons:
        blocks.append({"type": "actions", "block_id": ACTIONS_BLOCK_ID, "elements": buttons})
    return blocks


def _button(label: str, action_id: str, reference: str, style: str | None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": label, "emoji": False},
        "action_id": action_id,
        "value": reference,
    }
    if style:
        button["style"] = style
    return button
