"""Where cases are delivered: a Slack channel, a Teams webhook, a signed JSON webhook, e-mail.

Each destination sends one case and returns an external id (the Slack message, the receiver's
ticket id), and sends follow-ups about a case it has (`follow_up`: a Canvas check made after the
case was opened, `evidence.py`), or raises: `DeliveryError` for a refusal it understood (its
reason is safe to store and log: never a URL, token or pasted text), anything else for
transport failures. The outbox worker retries both with backoff.
"""

from __future__ import annotations

import asyncio
import json
import smtplib
import ssl
import time
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any, Protocol

import aiohttp

from bots.cards.support_slack import render_support_message, support_message
from bots.cards.support_teams import render_case_card, render_finding_card, webhook_envelope
from bots.cards.ticket import LATER_CHECK, Ticket, render_ticket_text
from bots.escalation.evidence import EVENT
from bots.escalation.model import Case
from bots.escalation.payload import case_payload
from bots.escalation.settings import EscalationSettings, SmtpSettings
from bots.escalation.signing import signed_headers
from bots.logs import library_logger
from catalog import Catalog

IDEMPOTENCY_HEADER = "Idempotency-Key"
EVENT_HEADER = "X-Passback-Event"

# slack_sdk formats every request (blocks included) for its debug log when its logger allows
# DEBUG: a library logger never does, so pasted text stays out even with LOG_LEVEL=DEBUG.
_slack_sdk_log = library_logger("escalation.slack_sdk")


class DeliveryError(Exception):
    def __init__(self, reason: str, retry_after: float = 0.0):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class Destination(Protocol):
    name: str

    async def deliver(self, case: Case, ticket: Ticket) -> str: ...

    async def follow_up(self, case: Case, ticket: Ticket, key: str) -> None:
        """Tell support the case has a new Canvas finding; `key` is the same on every retry."""


def _retry_after(headers: Any) -> float:
    raw = headers.get("Retry-After", "") if headers else ""
    return float(raw) if str(raw).isdigit() else 0.0


class SlackDestination:
    name = "slack"

    def __init__(
        self, settings: EscalationSettings, catalog: Catalog, session: aiohttp.ClientSession
    ):
        from slack_sdk.web.async_client import AsyncWebClient

        self.channel = settings.slack_channel
        self.catalog = catalog
        self.client = AsyncWebClient(
            token=settings.slack_bot_token,
            base_url=settings.slack_api_url,
            session=session,
            timeout=max(1, int(settings.delivery_timeout_seconds)),
            logger=_slack_sdk_log,
            retry_handlers=[],  # the outbox retries, with backoff
        )

    async def deliver(self, case: Case, ticket: Ticket) -> str:
        message = support_message(ticket)
        response = await self._call(
            "chat_postMessage",
            channel=self.channel,
            unfurl_links=False,
            unfurl_media=False,
            **message,
        )
        return f"{response['channel']}:{response['ts']}"

    async def follow_up(self, case: Case, ticket: Ticket, key: str) -> None:
        """The support post, updated in place (as a status change updates it); posted anew if
        the case never reached the channel."""
        delivery = case.delivery(self.name)
        if delivery is None or not delivery.external_id:
            await self.deliver(case, ticket)
            return
        channel, _, ts = delivery.external_id.partition(":")
        await self._call("chat_update", channel=channel, ts=ts, **support_message(ticket))

    async def refresh(self, case: Case, external_id: str) -> None:
        """Re-render the support-channel message after a status change."""
        channel, _, ts = external_id.partition(":")
        if channel and ts:
            await self._call(
                "chat_update", channel=channel, ts=ts, **render_support_message(case, self.catalog)
            )

    async def _call(self, method: str, **kwargs: Any) -> Any:
        from slack_sdk.errors import SlackApiError

        try:
            return await getattr(self.client, method)(**kwargs)
        except SlackApiError as exc:
            response = exc.response
            data = response.data if isinstance(response.data, dict) else {}
            reason = data.get("error") or f"HTTP {response.status_code}"
            raise DeliveryError(
                f"Slack {method}: {reason}", _retry_after(response.headers)
            ) from None


class TeamsWebhookDestination:
    name = "teams"

    def __init__(self, settings: EscalationSettings, session: aiohttp.ClientSession):
        self.url = settings.teams_webhook_url
        self.session = session
        self.timeout = aiohttp.ClientTimeout(total=settings.delivery_timeout_seconds)

    async def deliver(self, case: Case, ticket: Ticket) -> str:
        await self._post(webhook_envelope(render_case_card(ticket)))
        return ""

    async def follow_up(self, case: Case, ticket: Ticket, key: str) -> None:
        await self._post(webhook_envelope(render_finding_card(ticket)))

    async def _post(self, envelope: dict[str, Any]) -> None:
        async with self.session.post(self.url, json=envelope, timeout=self.timeout) as response:
            body = (await response.text())[:500]
            if response.status >= 300:
                raise DeliveryError(
                    f"Teams webhook: HTTP {response.status}", _retry_after(response.headers)
                )
            # Legacy Office 365 connectors answer 200 with the failure in the body.
            if "delivery failed" in body.lower():
                raise DeliveryError("Teams webhook: the connector refused the message")


class JsonWebhookDestination:
    name = "webhook"

    def __init__(self, settings: EscalationSettings, session: aiohttp.ClientSession):
        self.url = settings.webhook_url
        self.secret = settings.webhook_secret
        self.session = session
        self.timeout = aiohttp.ClientTimeout(total=settings.delivery_timeout_seconds)

    async def deliver(self, case: Case, ticket: Ticket) -> str:
        return await self._post(case, ticket, "case.opened", f"{case.reference}:webhook")

    async def follow_up(self, case: Case, ticket: Ticket, key: str) -> None:
        await self._post(case, ticket, EVENT, key)

    async def _post(self, case: Case, ticket: Ticket, event: str, key: str) -> str:
        payload = case_payload(case, ticket, event)
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            IDEMPOTENCY_HEADER: key,
            EVENT_HEADER: event,
            **signed_headers(self.secret, body, time.time()),
        }
        async with self.session.post(
            self.url, data=body, headers=headers, timeout=self.timeout
        ) as response:
            if response.status >= 300:
                raise DeliveryError(
                    f"webhook: HTTP {response.status}", _retry_after(response.headers)
                )
            return await _ticket_id(response)


async def _ticket_id(response: aiohttp.ClientResponse) -> str:
    """The receiver's id for the ticket, when it answers {"id": …}; else ""."""
    try:
        data = await response.json(content_type=None)
    except (ValueError, aiohttp.ClientError):
        return ""
    value = data.get("id") if isinstance(data, dict) else None
    return str(value)[:100] if isinstance(value, str | int) else ""


class EmailDestination:
    name = "email"

    def __init__(self, smtp: SmtpSettings, timeout: float):
        self.smtp = smtp
        self.timeout = timeout

    async def deliver(self, case: Case, ticket: Ticket) -> str:
        message = self.message(case, ticket)
        await asyncio.to_thread(self._send, message)
        return str(message["Message-ID"])

    async def follow_up(self, case: Case, ticket: Ticket, key: str) -> None:
        """A reply to the case's e-mail: the new finding first, then the case as it stands."""
        message = self.message(case, ticket, later=True)
        first = case.delivery(self.name)
        if first is not None and first.external_id:
            message["In-Reply-To"] = message["References"] = first.external_id
        await asyncio.to_thread(self._send, message)

    def message(self, case: Case, ticket: Ticket, *, later: bool = False) -> EmailMessage:
        message = EmailMessage()
        message["Subject"] = ("Re: " if later else "") + ticket.subject
        message["From"] = self.smtp.sender
        message["To"] = ", ".join(self.smtp.to)
        message["Date"] = formatdate(localtime=False)
        domain = self.smtp.sender.rpartition("@")[2].strip(">") or "passback.invalid"
        message["Message-ID"] = make_msgid(idstring=case.reference, domain=domain)
        message["X-Passback-Case"] = case.reference
        text = render_ticket_text(ticket)
        if later and ticket.diagnosis is not None:
            text = "\n".join([LATER_CHECK, *ticket.finding_lines(), "", text])
        message.set_content(text)
        return message

    def _send(self, message: EmailMessage) -> None:
        s = self.smtp
        try:
            with smtplib.SMTP(s.host, s.port, timeout=self.timeout) as client:
                client.ehlo()
                if s.starttls:
                    client.starttls(context=ssl.create_default_context())
                    client.ehlo()
                if s.user:
                    client.login(s.user, s.password)
                client.send_message(message)
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(f"SMTP: the server answered {exc.smtp_code}") from None
        except smtplib.SMTPRecipientsRefused:
            raise DeliveryError("SMTP: every recipient was refused") from None
        except smtplib.SMTPNotSupportedError:
            raise DeliveryError("SMTP: the server does not offer STARTTLS") from None
        except smtplib.SMTPException as exc:
            raise DeliveryError(f"SMTP: {type(exc).__name__}") from None
        except ssl.SSLError as exc:
            raise DeliveryError(f"SMTP: TLS failed ({exc.reason or 'handshake'})") from None
        except OSError as exc:
            raise DeliveryError(
                f"SMTP: cannot reach {s.host}:{s.port} ({exc.strerror or type(exc).__name__})"
            ) from None


def build_destinations(
    settings: EscalationSettings, catalog: Catalog, session: aiohttp.ClientSession
) -> dict[str, Destination]:
    """The configured destinations by name, in `settings.destinations` order."""
    found: dict[str, Destination] = {}
    for name in settings.destinations:
        if name == "slack":
            found[name] = SlackDestination(settings, catalog, session)
        elif name == "teams":
            found[name] = TeamsWebhookDestination(settings, session)
        elif name == "webhook":
            found[name] = JsonWebhookDestination(settings, session)
        elif name == "email" and settings.smtp is not None:
            found[name] = EmailDestination(settings.smtp, settings.delivery_timeout_seconds)
    return found
