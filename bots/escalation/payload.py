"""The case as JSON: the generic webhook's body and the status callback's answer.

The shape is documented in the README ("Escalation" section) and kept stable: fields are only
ever added.
"""

from __future__ import annotations

from typing import Any

from bots.cards.ticket import Ticket, render_ticket_text
from bots.escalation.model import Case

SCHEMA_VERSION = 1


def _iso(case_time: Any) -> str:
    return case_time.isoformat().replace("+00:00", "Z")


def case_payload(case: Case, ticket: Ticket, event: str = "case.opened") -> dict[str, Any]:
    origin = case.origin
    return {
        "schema": SCHEMA_VERSION,
        "event": event,
        "reference": case.reference,
        "status": case.status.value,
        "subject": ticket.subject,
        "created_at": _iso(case.created_at),
        "updated_at": _iso(case.updated_at),
        "errors": [
            {
                "entry_id": error.entry_id,
                "title": error.title,
                "causes": [
                    {"label": cause.label, "meaning": cause.meaning, "steps": list(cause.steps)}
                    for cause in error.causes
                ],
                "escalate_to": error.escalate_to,
                "escalate_when": error.escalate_when,
            }
            for error in ticket.errors
        ],
        "fields": {entry: dict(values) for entry, values in case.fields.items()},
        "facts": [
            {"label": f.label, "value": f.value, "field": f.field, "entry_id": f.entry_id}
            for f in ticket.facts
        ],
        "diagnosis": case.diagnosis.as_json() if case.diagnosis else None,
        "text": case.text,
        "origin": {
            "platform": origin.platform,
            "workspace": origin.workspace,
            "workspace_name": origin.workspace_name,
            "channel": origin.channel,
            "channel_name": origin.channel_name,
            "thread": origin.thread,
            "link": ticket.link,
            "team_id": origin.team_id,
            "conversation": origin.conversation,
            "scope": origin.scope,
            "place": ticket.place,
        },
        "reporters": [
            {
                "user_id": r.reporter.user_id,
                "display_name": r.reporter.display_name,
                "platform": r.reporter.platform or r.origin.platform,
                "reported_at": _iso(r.reported_at),
            }
            for r in case.reports
        ],
        "status_by": case.status_by,
        "body": render_ticket_text(ticket),
        "status_callback": f"/escalations/{case.reference}/status",
    }
