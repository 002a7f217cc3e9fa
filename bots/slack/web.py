"""Slack on the project's aiohttp server: `POST /slack/events` (HTTP mode) or Socket Mode.

One endpoint takes slash commands, Events API callbacks and interactivity, as Slack sends
them to the Request URL. bolt verifies every signature; the same check (slack_sdk's
`SignatureVerifier`, which bolt uses) runs first here so that a rejected request is answered
401 without bolt logging its body (someone's pasted text), and so that a signed request can be
acknowledged at once and answered in the background.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator

from aiohttp import web
from aiohttp.typedefs import Handler
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier

from bots.assistant import Assistant
from bots.canvas_chat import CanvasChecks
from bots.escalation.service import EscalationService
from bots.lifecycle import InFlight
from bots.metrics import Metrics
from bots.slack.app import build_slack_app
from bots.slack.failures import log_failure
from bots.slack.listeners import untracked
from bots.slack.listeners.support import reporter_notifier
from bots.slack.settings import SlackSettings
from bots.slack.socket_mode import SocketModeConnection

log = logging.getLogger("passback.slack")

EVENTS_PATH = "/slack/events"
SLACK_APP_KEY = web.AppKey("slack_app", AsyncApp)
SOCKET_MODE_KEY = web.AppKey("slack_socket_mode", SocketModeConnection)


def mount_slack(
    app: web.Application,
    settings: SlackSettings,
    assistant: Assistant,
    escalation: EscalationService,
    metrics: Metrics,
    in_flight: InFlight,
    canvas: CanvasChecks | None = None,
) -> AsyncApp:
    """Add Slack to `app`: the bolt app, its endpoint or Socket Mode, and case notifications."""
    # Counted for a graceful shutdown: over HTTP each background dispatch (which runs its
    # listener to the end); in Socket Mode each listener, which outlives bolt's ack.
    tracked = in_flight.track if settings.socket_mode else untracked
    bolt = build_slack_app(settings, assistant, escalation, metrics, tracked, canvas)
    app[SLACK_APP_KEY] = bolt
    escalation.add_notifier("slack", reporter_notifier(bolt.client))

    if settings.socket_mode:
        connection = SocketModeConnection(bolt, settings.app_token)
        app[SOCKET_MODE_KEY] = connection

        async def socket_mode(app: web.Application) -> AsyncIterator[None]:
            await connection.start()
            yield
            await connection.stop()  # before the answers drain and the store closes

        app.cleanup_ctx.append(socket_mode)
    else:
        app.router.add_post(EVENTS_PATH, events_endpoint(bolt, settings.signing_secret, in_flight))
    where = "Socket Mode" if settings.socket_mode else f"HTTP, POST {EVENTS_PATH}"
    log.info("slack: on (%s)", where)
    return bolt


# Requests answered (by bolt) at the same time; the rest wait their turn after their ack.
DISPATCH_SLOTS = 2


def events_endpoint(bolt: AsyncApp, signing_secret: str, in_flight: InFlight) -> Handler:
    """The Request URL. A signed request is acknowledged (200) at once and handed to bolt in
    the background, a few at a time, so the ack never waits behind answers being computed.
    Only `url_verification`, whose answer is the challenge, is dispatched before answering."""
    verifier = SignatureVerifier(signing_secret)
    slots = asyncio.Semaphore(DISPATCH_SLOTS)

    async def dispatch(request: web.Request) -> None:
        async with slots:
            try:
                # Parsed here, not before the ack: the body is already read and kept.
                await bolt.async_dispatch(await to_bolt_request(request))
            except Exception as exc:  # listeners answer their own failures; this is the last line
                log_failure(log, "dispatching a request", exc)

    async def slack_events(request: web.Request) -> web.Response:
        body = await request.read()
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature", "")
        try:
            body.decode("utf-8")  # Slack sends UTF-8; the verifier decodes before it checks
        except UnicodeDecodeError:
            return web.json_response({"error": "the body is not UTF-8"}, status=400)
        if not _signed(verifier, body, timestamp, signature):
            log.warning("slack: refused a request with a missing, wrong or stale signature")
            return web.json_response({"error": "invalid request"}, status=401)
        if not _url_verification(request, body):
            in_flight.spawn(dispatch(request), name="slack-dispatch")
            return web.Response(status=200)
        try:
            response = await bolt.async_dispatch(await to_bolt_request(request))
        except Exception as exc:  # bolt answers its own errors; this is the last line
            log_failure(log, "dispatching a request", exc)
            return web.json_response({"error": "internal error"}, status=500)
        return await to_aiohttp_response(response)

    return slack_events


def _url_verification(request: web.Request, body: bytes) -> bool:
    if b"url_verification" not in body or "json" not in request.content_type:
        return False
    try:
        return json.loads(body).get("type") == "url_verification"
    except (ValueError, AttributeError):
        return False


# Unix seconds have 10 digits until the year 2286; a longer "timestamp" is not one (and
# slack_sdk's int-to-float comparison overflows on a few hundred digits).
_MAX_TIMESTAMP_DIGITS = 12


def _signed(verifier: SignatureVerifier, body: bytes, timestamp: str, signature: str) -> bool:
    if not (timestamp.isascii() and timestamp.isdigit()) or not signature:
        return False
    if len(timestamp) > _MAX_TIMESTAMP_DIGITS:
        return False
    return verifier.is_valid(body=body, timestamp=timestamp, signature=signature)
