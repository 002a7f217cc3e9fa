"""Delivery from the outbox: each destination, failures and recovery, signatures, e-mail."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import replace
from pathlib import Path

import aiohttp
import jsonschema

from bots.cards.support_slack import ACK_ACTION_ID, RESOLVE_ACTION_ID
from bots.cards.ticket import build_ticket
from bots.escalation.destinations import SlackDestination
from bots.escalation.signing import sign
from catalog import Catalog
from tests.bots.escalation.conftest import (
    SLACK_TOKEN,
    STUDENT_ID,
    SUPPORT_CHANNEL,
    WEBHOOK_SECRET,
    Receiver,
    ServiceFactory,
    SlackApi,
    delivered,
    delivery_state,
    escalate_one,
    fast_settings,
    person,
    put_oneroster_draft,
)
from tests.polling import eventually

CARD_SCHEMA = Path(__file__).parents[2] / "data" / "adaptive-card-1.5.json"


async def test_the_webhook_gets_the_case_once_signed_so_a_receiver_can_verify_it(
    make_service: ServiceFactory, receiver: Receiver
):
    service = await make_service(webhook_url=receiver.url, webhook_secret=WEBHOOK_SECRET)
    case = await escalate_one(service)
    delivery = await eventually(lambda: delivered(service, case.reference, "webhook"))
    assert delivery.external_id == "T-1"  # the receiver's ticket id
    assert len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    # What a receiver does (README): HMAC-SHA256 over "<timestamp>.<raw body>".
    assert headers["X-Passback-Signature"] == sign(
        WEBHOOK_SECRET, headers["X-Passback-Timestamp"], body
    )
    assert receiver.signed(0)
    assert abs(int(headers["X-Passback-Timestamp"]) - time.time()) < 300
    assert headers["Idempotency-Key"] == f"{case.reference}:webhook"
    assert headers["X-Passback-Event"] == "case.opened"
    payload = json.loads(body)
    assert payload["reference"] == case.reference and payload["status"] == "open"
    assert payload["errors"][0]["entry_id"] == "put-oneroster"
    assert payload["errors"][0]["title"] == "PUT for OneRoster Error"
    assert payload["fields"]["put-oneroster"]["result_sourced_id"] == STUDENT_ID
    assert {"label": "Student result", "value": STUDENT_ID}.items() <= payload["facts"][0].items()
    assert payload["reporters"][0]["display_name"] == "Teacher 1"
    assert payload["origin"]["link"].startswith("https://lincoln.slack.com/")
    assert payload["subject"].startswith(f"[Passback {case.reference}] PUT for OneRoster Error")
    assert payload["status_callback"] == f"/escalations/{case.reference}/status"
    assert "Fix steps already suggested" in payload["body"]
    # Tampering breaks the signature.
    assert (
        sign(WEBHOOK_SECRET, headers["X-Passback-Timestamp"], body + b" ")
        != headers["X-Passback-Signature"]
    )


async def test_a_failing_destination_is_retried_until_it_recovers_and_gets_it_once(
    make_service: ServiceFactory, receiver: Receiver
):
    receiver.script = ["500", "hang", "503", "ok"]
    service = await make_service(
        webhook_url=receiver.url, webhook_secret=WEBHOOK_SECRET, delivery_timeout_seconds=0.5
    )
    case = await escalate_one(service)
    delivery = await eventually(lambda: delivered(service, case.reference, "webhook"))
    assert delivery.attempts == 4
    assert len(receiver.requests) == 4
    assert len(receiver.tickets) == 1  # filed once
    keys = {headers["Idempotency-Key"] for headers, _ in receiver.requests}
    assert keys == {f"{case.reference}:webhook"}
    await asyncio.sleep(0.3)  # a few more polls: nothing is sent again
    assert len(receiver.requests) == 4


async def test_a_failure_is_recorded_without_secrets_or_text(
    make_service: ServiceFactory, receiver: Receiver
):
    receiver.script = ["500"] * 50
    service = await make_service(webhook_url=receiver.url, webhook_secret=WEBHOOK_SECRET)
    case = await escalate_one(service)

    async def failed_once():
        d = await delivery_state(service, case.reference, "webhook")
        return d if d and d.last_error else None

    delivery = await eventually(failed_once)
    assert delivery.state == "pending" and delivery.last_error == "webhook: HTTP 500"
    assert receiver.url not in delivery.last_error


async def test_a_destination_that_never_recovers_is_marked_failed(
    make_service: ServiceFactory, receiver: Receiver
):
    receiver.script = ["500"] * 10
    service = await make_service(
        webhook_url=receiver.url, webhook_secret=WEBHOOK_SECRET, max_attempts=3
    )
    case = await escalate_one(service)

    async def failed():
        d = await delivery_state(service, case.reference, "webhook")
        return d if d and d.state == "failed" else None

    delivery = await eventually(failed)
    assert delivery.attempts == 3 and len(receiver.requests) == 3


async def test_slack_support_channel_gets_the_case_with_buttons(
    make_service: ServiceFactory, slack_api: SlackApi
):
    slack_api.script = ["500", "ratelimited"]  # then ok
    service = await make_service(
        slack_channel=SUPPORT_CHANNEL, slack_bot_token=SLACK_TOKEN, slack_api_url=slack_api.url
    )
    case = await escalate_one(service)
    delivery = await eventually(lambda: delivered(service, case.reference, "slack"), within=20)
    posts = [payload for method, payload in slack_api.calls if method == "chat.postMessage"]
    assert len(posts) == 3 and delivery.attempts == 3
    assert delivery.external_id == f"{SUPPORT_CHANNEL}:1700000100.000003"
    message = posts[-1]
    assert message["channel"] == SUPPORT_CHANNEL and message["unfurl_links"] is False
    actions = next(b for b in message["blocks"] if b["type"] == "actions")["elements"]
    assert [(a["action_id"], a["value"]) for a in actions] == [
        (ACK_ACTION_ID, case.reference),
        (RESOLVE_ACTION_ID, case.reference),
    ]
    text = json.dumps(message["blocks"])
    assert "PUT for OneRoster Error" in text and STUDENT_ID in text and "<@U0001>" in text


async def test_slack_delivery_posts_the_ticket_it_is_given(
    make_service: ServiceFactory, slack_api: SlackApi, catalog: Catalog, database_url: str
):
    """The outbox builds the ticket once and hands it to every destination; the Slack one
    posts that ticket, as the Teams, webhook and e-mail ones do, rather than building another."""
    service = await make_service(start=False)
    case = await escalate_one(service)
    ticket = replace(build_ticket(case, catalog), subject="The ticket the outbox built")
    settings = fast_settings(
        database_url,
        slack_channel=SUPPORT_CHANNEL,
        slack_bot_token=SLACK_TOKEN,
        slack_api_url=slack_api.url,
    )
    async with aiohttp.ClientSession() as session:
        await SlackDestination(settings, catalog, session).deliver(case, ticket)
    ((method, message),) = slack_api.calls
    assert method == "chat.postMessage"
    assert message["text"] == "The ticket the outbox built"


async def test_teams_channel_gets_a_valid_adaptive_card(
    make_service: ServiceFactory, receiver: Receiver
):
    service = await make_service(teams_webhook_url=receiver.url)
    case = await escalate_one(service)
    await eventually(lambda: delivered(service, case.reference, "teams"))
    _, body = receiver.requests[0]
    envelope = json.loads(body)
    assert envelope["type"] == "message"
    attachment = envelope["attachments"][0]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    schema = json.loads(CARD_SCHEMA.read_text())
    jsonschema.validators.validator_for(schema)(schema).validate(card)
    assert card["version"] == "1.5"
    runs = [i["text"] for b in card["body"] if b["type"] == "RichTextBlock" for i in b["inlines"]]
    assert any(case.reference in r for r in runs) and STUDENT_ID in runs
    assert card["actions"][0]["url"].startswith("https://lincoln.slack.com/")


async def test_with_no_destination_cases_stay_in_the_database(make_service: ServiceFactory):
    service = await make_service()
    assert service.settings.destinations == ()
    assert "No escalation destination" in service.settings.describe_destinations()
    case = await escalate_one(service)
    assert case.deliveries == ()
    listed = await service.list_cases()
    assert [c.reference for c in listed] == [case.reference]


def readme_verifier():
    """The receiver's snippet from the README, run as written."""
    readme = (Path(__file__).parents[3] / "README.md").read_text()
    snippet = next(
        block.split("```", 1)[0]
        for block in readme.split("```python\n")[1:]
        if "def passback_signed" in block
    )
    namespace: dict = {}
    exec(snippet, namespace)
    return namespace["passback_signed"]


async def test_the_readme_snippet_verifies_a_real_delivery(
    make_service: ServiceFactory, receiver: Receiver
):
    service = await make_service(webhook_url=receiver.url, webhook_secret=WEBHOOK_SECRET)
    case = await escalate_one(service)
    await eventually(lambda: delivered(service, case.reference, "webhook"))
    headers, body = receiver.requests[0]
    passback_signed = readme_verifier()
    assert passback_signed(WEBHOOK_SECRET, headers, body)
    assert not passback_signed("another-secret-entirely", headers, body)
    assert not passback_signed(WEBHOOK_SECRET, headers, body.replace(b"open", b"shut"))


async def test_events_and_backlog_for_metrics(make_service: ServiceFactory, receiver: Receiver):
    receiver.script = ["500"]
    service = await make_service(
        start=False, webhook_url=receiver.url, webhook_secret=WEBHOOK_SECRET
    )
    events: list[str] = []
    service.add_event_listener(events.append)

    def broken(event: str) -> None:
        raise ZeroDivisionError(event)

    service.add_event_listener(broken)  # a broken listener changes nothing
    token = await service.prepare(put_oneroster_draft())
    case = (await service.escalate(token, person(1))).case
    await service.escalate(token, person(2))
    assert await service.backlog() == 1
    await service.start()
    await eventually(lambda: "delivered" in events)
    assert events == ["opened", "joined", "retried", "delivered"]
    assert await delivered(service, case.reference, "webhook")
    assert await service.backlog() == 0
