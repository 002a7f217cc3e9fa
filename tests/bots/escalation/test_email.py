"""E-mail delivery to a local SMTP server (aiosmtpd), and every destination at once."""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import Message
from functools import partial
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from bots.escalation.diagnosis import CaseDiagnosis, CheckedError
from bots.escalation.settings import SmtpSettings
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
    person,
    put_oneroster_draft,
)
from tests.polling import eventually
from tests.processes import free_port


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        )
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


class SmtpStandIn:
    def __init__(self, port: int, mailbox: _Mailbox, auth: bool):
        self.port = port
        self.mailbox = mailbox
        self.auth = auth

    @property
    def messages(self) -> list[Message]:
        return self.mailbox.messages

    def settings(self, **changes) -> SmtpSettings:
        base: dict[str, Any] = {
            "host": "127.0.0.1",
            "port": self.port,
            "sender": "passback@district.example.org",
            "to": ("sis-support@district.example.org", "admins@district.example.org"),
            "starttls": False,
        }
        if self.auth:
            base |= {"user": "passback", "password": "correct horse"}
        return SmtpSettings(**(base | changes))


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"passback",
        b"correct horse",
    )
    return AuthResult(success=ok)


def _smtp(auth: bool) -> Iterator[SmtpStandIn]:
    mailbox = _Mailbox()
    port = free_port()
    options: dict[str, Any] = (
        {"authenticator": _authenticator, "auth_require_tls": False} if auth else {}
    )
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield SmtpStandIn(port, mailbox, auth)
    finally:
        controller.stop()


@pytest.fixture
def smtp_server() -> Iterator[SmtpStandIn]:
    yield from _smtp(auth=False)


@pytest.fixture
def smtp_server_with_login() -> Iterator[SmtpStandIn]:
    yield from _smtp(auth=True)


async def test_email_goes_to_a_local_smtp_server_as_a_ready_to_file_case(
    make_service: ServiceFactory, smtp_server_with_login: SmtpStandIn
):
    server = smtp_server_with_login
    service = await make_service(smtp=server.settings())
    case = await escalate_one(service)
    delivery = await eventually(lambda: delivered(service, case.reference, "email"))
    assert len(server.messages) == 1
    message = server.messages[0]
    assert message["Subject"] == (
        f"[Passback {case.reference}] PUT for OneRoster Error — Lincoln High #grades"
    )
    assert message["X-Passback-Case"] == case.reference
    assert delivery.external_id == str(message["Message-ID"]).strip()
    assert server.mailbox.envelopes[0] == (
        "passback@district.example.org",
        ["sis-support@district.example.org", "admins@district.example.org"],
    )
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    body = payload.decode()
    for expected in (
        "Error: PUT for OneRoster Error (catalog entry put-oneroster)",
        "What it means",
        "Fix steps already suggested to the reporter:",
        f"Student result: {STUDENT_ID}",
        "Teacher 1 (slack user U0001)",
        "Conversation: https://lincoln.slack.com/archives/",
        "Error text as reported:",
    ):
        assert expected in body, expected


async def test_email_with_starttls_is_never_sent_in_the_clear(
    make_service: ServiceFactory, smtp_server_with_login: SmtpStandIn
):
    server = smtp_server_with_login  # offers no STARTTLS
    service = await make_service(smtp=server.settings(starttls=True), max_attempts=2)
    case = await escalate_one(service)

    async def failed():
        d = await delivery_state(service, case.reference, "email")
        return d if d and d.state == "failed" else None

    delivery = await eventually(failed)
    assert delivery.last_error == "SMTP: the server does not offer STARTTLS"
    assert server.messages == []


async def test_email_with_wrong_credentials_is_retried_not_lost(
    make_service: ServiceFactory, smtp_server_with_login: SmtpStandIn
):
    server = smtp_server_with_login
    service = await make_service(smtp=server.settings(password="wrong"))
    case = await escalate_one(service)

    async def refused():
        d = await delivery_state(service, case.reference, "email")
        return d if d and d.last_error else None

    delivery = await eventually(refused)
    assert delivery.state == "pending" and delivery.last_error.startswith("SMTP: ")
    assert "wrong" not in delivery.last_error and server.messages == []


async def test_every_destination_at_once_each_gets_it_once(
    make_service: ServiceFactory, receiver: Receiver, slack_api: SlackApi, smtp_server
):
    service = await make_service(
        slack_channel=SUPPORT_CHANNEL,
        slack_bot_token=SLACK_TOKEN,
        slack_api_url=slack_api.url,
        teams_webhook_url=receiver.url.replace("/hook", "/hook?teams"),
        webhook_url=receiver.url,
        webhook_secret=WEBHOOK_SECRET,
        smtp=smtp_server.settings(),
    )
    case = await escalate_one(service)
    for name in ("slack", "teams", "webhook", "email"):
        await eventually(partial(delivered, service, case.reference, name), what=name)
    await asyncio.sleep(0.3)
    assert len(slack_api.calls) == 1 and len(receiver.requests) == 2
    assert len(smtp_server.messages) == 1


async def test_a_later_check_reaches_every_destination_once_and_mail_replies_to_the_case(
    make_service: ServiceFactory, receiver: Receiver, slack_api: SlackApi, smtp_server
):
    service = await make_service(
        slack_channel=SUPPORT_CHANNEL,
        slack_bot_token=SLACK_TOKEN,
        slack_api_url=slack_api.url,
        teams_webhook_url=receiver.url.replace("/hook", "/hook?teams"),
        webhook_url=receiver.url,
        webhook_secret=WEBHOOK_SECRET,
        smtp=smtp_server.settings(),
    )
    token = await service.prepare(put_oneroster_draft())
    case = (await service.escalate(token, person(1))).case
    for name in ("slack", "teams", "webhook", "email"):
        await eventually(partial(delivered, service, case.reference, name), what=name)
    checked = CaseDiagnosis(
        checked_at=datetime.now(UTC) + timedelta(seconds=5),
        course_name="Chemistry",
        course_url="https://canvas.example/courses/101",
        checks=(CheckedError("put-oneroster", "found", "score-removed", "Score removed", "…"),),
    )
    assert await service.attach_diagnosis(token, checked)

    async def all_sent() -> bool:
        async with service.db.transaction(write=False) as tx:
            rows = await tx.fetch("SELECT state FROM case_updates")
        return len(rows) == 4 and all(r["state"] == "delivered" for r in rows)

    await eventually(all_sent)
    opening, reply = smtp_server.messages
    assert reply["Subject"] == "Re: " + opening["Subject"]
    assert reply["In-Reply-To"] == reply["References"] == opening["Message-ID"]
    text = reply.get_content()
    first, second = text.splitlines()[:2]
    assert first == "Canvas was checked after this case was opened. What it showed:"
    assert second.startswith("Checked in Canvas at ") and "after the case was opened" in second
    assert STUDENT_ID in text  # the whole case follows, as in the first e-mail
    teams_cards = [json.loads(b) for h, b in receiver.requests if "X-Passback-Event" not in h]
    later = teams_cards[1]["attachments"][0]["content"]
    assert "Canvas was checked after this case was opened" in json.dumps(later)
    assert [m for m, _ in slack_api.calls] == ["chat.postMessage", "chat.update"]
