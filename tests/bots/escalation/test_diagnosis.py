"""A Check in Canvas finding in the case: every destination shows it, without student names."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import jsonschema

from bots.cards.support_slack import render_support_message
from bots.cards.support_teams import render_case_card, render_finding_card
from bots.cards.ticket import LATER_CHECK, build_ticket, render_ticket_text
from bots.escalation.diagnosis import CaseDiagnosis, CheckedError, CheckedItem
from bots.escalation.payload import case_payload
from catalog import Catalog
from tests.bots.cards.payload_checks import SCHEMA as CARD_SCHEMA
from tests.bots.cards.samples import make_case

CHECKED = CaseDiagnosis(
    checked_at=datetime(2026, 11, 2, 9, 30, tzinfo=UTC),
    course_name="Chemistry",
    course_url="https://canvas.example/courses/101",
    checks=(
        CheckedError(
            entry_id="put-oneroster",
            status="found",
            cause="score-removed",
            cause_label="Score removed",
            summary="1 score removed in the last 30 days on 'Lab 5'. Which students: private.",
            items=(CheckedItem("Gradebook history", "https://canvas.example/courses/101/gh"),),
            private=1,
        ),
    ),
)


def test_the_json_round_trips_and_a_bad_row_is_none() -> None:
    assert CaseDiagnosis.loads(CHECKED.dumps()) == CHECKED
    assert CaseDiagnosis.loads('{"checked_at": 3}') is None
    assert CaseDiagnosis.loads(None) is None


def test_every_destination_carries_the_finding(catalog: Catalog) -> None:
    opened = CHECKED.checked_at + timedelta(minutes=2)  # checked, then escalated
    case = replace(make_case(), diagnosis=CHECKED, created_at=opened, updated_at=opened)
    ticket = build_ticket(case, catalog)
    text = render_ticket_text(ticket)
    assert "Checked in Canvas at 2026-11-02 09:30 UTC: Chemistry" in text
    assert "put-oneroster: found (Score removed). 1 score removed" in text
    assert "- Gradebook history: https://canvas.example/courses/101/gh" in text
    assert "1 student-level item(s)" in text

    payload = case_payload(case, ticket)
    assert payload["diagnosis"] == {
        "checked_at": "2026-11-02T09:30:00Z",
        "course": {"name": "Chemistry", "url": "https://canvas.example/courses/101"},
        "checks": [
            {
                "entry_id": "put-oneroster",
                "status": "found",
                "cause": "score-removed",
                "cause_label": "Score removed",
                "summary": CHECKED.checks[0].summary,
                "items": [
                    {"title": "Gradebook history", "url": "https://canvas.example/courses/101/gh"}
                ],
                "more_items": 0,
                "student_items": 1,
            }
        ],
    }
    assert case_payload(make_case(), ticket)["diagnosis"] is None

    slack = json.dumps(render_support_message(case, catalog))
    assert "Checked in Canvas at 2026-11-02 09:30 UTC: Chemistry" in slack
    card = render_case_card(ticket)
    jsonschema.validate(card, CARD_SCHEMA)
    assert "Checked in Canvas at 2026-11-02 09:30 UTC" in json.dumps(card)


def test_canvas_names_cannot_ping_in_the_support_post(catalog: Catalog) -> None:
    nasty = replace(CHECKED, course_name="<!channel> Chem")
    case = replace(make_case(), diagnosis=nasty)
    slack = json.dumps(render_support_message(case, catalog))
    assert "<!channel>" not in slack and "&lt;!channel&gt; Chem" in slack


def test_a_check_made_after_the_case_opened_says_so(catalog: Catalog) -> None:
    opened = CHECKED.checked_at - timedelta(hours=1)  # escalated, then checked
    case = replace(make_case(), diagnosis=CHECKED, created_at=opened, updated_at=opened)
    ticket = build_ticket(case, catalog)
    said = "Checked in Canvas at 2026-11-02 09:30 UTC, after the case was opened: Chemistry"
    assert said in render_ticket_text(ticket)
    assert said in json.dumps(render_support_message(case, catalog))
    card = render_finding_card(ticket)
    jsonschema.validate(card, CARD_SCHEMA)
    assert said in json.dumps(card) and LATER_CHECK in json.dumps(card)
