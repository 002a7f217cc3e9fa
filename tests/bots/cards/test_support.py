"""What support sees: the ticket text, the Slack support message and the Teams card.

Text people typed is shown as text everywhere: no pings, no links, no formatting it did not have.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType

import jsonschema
import pytest

from bots.cards.slack_text import slack_escape
from bots.cards.support_slack import (
    ACK_ACTION_ID,
    RESOLVE_ACTION_ID,
    render_support_message,
)
from bots.cards.support_teams import render_case_card, webhook_envelope
from bots.cards.ticket import build_ticket, render_ticket_text
from bots.escalation.model import Case, Origin, Report, Reporter, Status
from bots.escalation.payload import case_payload
from catalog import UNLISTED, Catalog
from tests.bots.cards.payload_checks import walk
from tests.bots.escalation.conftest import STUDENT_ID, slack_origin

CARD_SCHEMA = json.loads(
    (Path(__file__).parents[2] / "data" / "adaptive-card-1.5.json").read_text()
)
NASTY = "<!channel> <@U0BOSS> <https://evil.example|click me> & *bold* ```break out``` [x](https://evil.example)"
AT = datetime(2024, 5, 1, 14, 3, tzinfo=UTC)


def make_case(
    entry_ids: tuple[str, ...] = ("put-oneroster",),
    text: str = "",
    status: Status = Status.OPEN,
    origin: Origin | None = None,
    name: str = "Jane Doe",
) -> Case:
    origin = origin or slack_origin()
    reporter = Reporter("U0JANE", name, "slack")
    return Case(
        reference="PB-1042",
        entry_ids=entry_ids,
        text=text or f'PUT for ONEROSTER:Result[result/results] for "{STUDENT_ID}" failed',
        fields=MappingProxyType(
            {"put-oneroster": MappingProxyType({"result_sourced_id": STUDENT_ID, "_severity": "x"})}
        ),
        origin=origin,
        reporters=(reporter,),
        status=status,
        created_at=AT,
        updated_at=AT,
        reports=(Report(reporter, origin, AT),),
    )


def all_text(blocks: list[dict]) -> list[str]:
    return [node["text"] for node in walk(blocks) if node.get("type") in ("mrkdwn", "plain_text")]


def test_the_ticket_reads_as_a_ready_to_file_case(catalog: Catalog):
    ticket = build_ticket(make_case(), catalog)
    assert ticket.subject == "[Passback PB-1042] PUT for OneRoster Error — Lincoln High #grades"
    text = render_ticket_text(ticket)
    entry = catalog["put-oneroster"]
    for expected in (
        "Passback case PB-1042",
        "Error: PUT for OneRoster Error (catalog entry put-oneroster)",
        entry.causes[0].meaning,
        *(f"{i}. {step}" for i, step in enumerate(entry.causes[0].steps, 1)),
        f"Student result: {STUDENT_ID}",
        "Jane Doe (slack user U0JANE), 2024-05-01 14:03 UTC, in Slack, Lincoln High, #grades",
        "Conversation: https://lincoln.slack.com/archives/C0GRADES1/p1700000000000100",
        f"Source: {catalog.source.title}",
    ):
        assert expected in text, expected
    assert "Severity" not in text  # hidden fields stay hidden


def test_unlisted_and_removed_entries_say_only_what_is_known(catalog: Catalog):
    ticket = build_ticket(make_case(entry_ids=(UNLISTED, "no-longer-in-catalog")), catalog)
    assert ticket.errors[0].title == catalog.unlisted.title
    assert ticket.errors[0].causes == catalog.unlisted.causes
    assert ticket.errors[1].title == "no-longer-in-catalog" and ticket.errors[1].causes == ()
    assert "and 1 more" in ticket.subject


def test_subject_and_link_cannot_carry_injections(catalog: Catalog):
    origin = replace(
        slack_origin(),
        channel_name="grades\r\nBcc: everyone@example.org",
        link="javascript:alert(1)",
    )
    ticket = build_ticket(make_case(origin=origin), catalog)
    assert "\n" not in ticket.subject and "\r" not in ticket.subject
    assert ticket.link == ""
    assert (
        build_ticket(make_case(origin=replace(origin, link="https://x.example/a|b>")), catalog).link
        == ""
    )


def test_slack_support_message_escapes_everything_people_typed(catalog: Catalog):
    message = render_support_message(make_case(text=NASTY, name="<!here> Mallory"), catalog)
    texts = [*all_text(message["blocks"]), message["text"]]
    joined = "\n".join(texts)
    for raw in ("<!channel>", "<!here>", "<@U0BOSS>", "<https://evil.example"):
        assert raw not in joined
    assert slack_escape("<!channel>") in joined and "&amp;" in joined
    assert "```break out```" not in joined  # backticks cannot close the code block
    links = [t for t in texts if "<https://" in t]
    assert links == [
        t for t in texts if "<https://lincoln.slack.com/archives/C0GRADES1/p1700000000000100|" in t
    ]
    for block in message["blocks"]:
        for text in (block.get("text"), *block.get("fields", ()), *block.get("elements", ())):
            if isinstance(text, dict) and text.get("type") == "mrkdwn":
                assert text["verbatim"] is True


def test_reporters_are_named_by_id_not_by_a_legacy_user_name(catalog: Catalog):
    """In Slack a Slack reporter is a mention (Slack shows the current name, linked); Teams,
    e-mail and the webhook say name and id, so support can find the person."""
    case = make_case(name="u0e2erep1")  # Slack's legacy `user.name`: not unique, not clickable
    slack = "\n".join(all_text(render_support_message(case, catalog)["blocks"]))
    assert "*Reported by:* <@U0JANE>\n" in slack and "u0e2erep1" not in slack
    ticket = build_ticket(case, catalog)
    assert "  - u0e2erep1 (slack user U0JANE), 2024-05-01 14:03 UTC" in render_ticket_text(ticket)
    runs = [run["text"] for block in render_case_card(ticket)["body"] for run in block["inlines"]]
    assert any(run.startswith("u0e2erep1 (slack user U0JANE), ") for run in runs)
    teams = Reporter("29:1abc", "Ana Lopez", "teams")
    other = replace(case, reporters=(teams,), reports=(Report(teams, case.origin, AT),))
    slack = "\n".join(all_text(render_support_message(other, catalog)["blocks"]))
    assert "*Reported by:* Ana Lopez (teams user 29:1abc)" in slack


@pytest.mark.parametrize(
    ("status", "buttons"),
    [
        (Status.OPEN, [ACK_ACTION_ID, RESOLVE_ACTION_ID]),
        (Status.ACKNOWLEDGED, [RESOLVE_ACTION_ID]),
        (Status.RESOLVED, []),
    ],
)
def test_slack_buttons_follow_the_status(catalog: Catalog, status: Status, buttons: list[str]):
    blocks = render_support_message(make_case(status=status), catalog)["blocks"]
    found = [
        (element["action_id"], element["value"])
        for block in blocks
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert found == [(action, "PB-1042") for action in buttons]


def test_slack_blocks_stay_within_slack_limits(catalog: Catalog):
    case = make_case(text="x" * 50_000, entry_ids=tuple(e.id for e in catalog.entries))
    blocks = render_support_message(case, catalog)["blocks"]
    assert len(blocks) <= 50
    for text in all_text(blocks):
        assert len(text) <= 3000
    assert len(blocks[0]["text"]["text"]) <= 150


def test_teams_card_is_valid_and_shows_typed_text_only_as_text_runs(catalog: Catalog):
    card = render_case_card(
        build_ticket(make_case(text=NASTY, name="[Mallory](https://x)"), catalog)
    )
    jsonschema.validators.validator_for(CARD_SCHEMA)(CARD_SCHEMA).validate(card)
    assert {block["type"] for block in card["body"]} == {"RichTextBlock"}  # no Markdown anywhere
    runs = [run["text"] for block in card["body"] for run in block["inlines"]]
    assert NASTY in runs
    envelope = webhook_envelope(card)
    assert envelope["attachments"][0]["content"] is card


def test_teams_card_for_unlisted_errors_is_valid_too(catalog: Catalog):
    case = make_case(entry_ids=(UNLISTED,), origin=replace(slack_origin(), link=""))
    card = render_case_card(build_ticket(case, catalog))
    jsonschema.validators.validator_for(CARD_SCHEMA)(CARD_SCHEMA).validate(card)
    assert "actions" not in card


def test_webhook_payload_shape(catalog: Catalog):
    case = make_case()
    payload = case_payload(case, build_ticket(case, catalog))
    assert set(payload) == {
        "schema", "event", "reference", "status", "subject", "created_at", "updated_at",
        "errors", "fields", "facts", "diagnosis", "text", "origin", "reporters", "status_by",
        "body", "status_callback",
    }  # fmt: skip
    assert payload["created_at"] == "2024-05-01T14:03:00Z"
    assert payload["reporters"] == [
        {
            "user_id": "U0JANE",
            "display_name": "Jane Doe",
            "platform": "slack",
            "reported_at": "2024-05-01T14:03:00Z",
        }
    ]
    assert json.loads(json.dumps(payload)) == payload
