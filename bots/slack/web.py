"""Slack on the project's aiohttp server: `POST /slack/events` (HTTP mode) or Socket Mode.

One endpoint takes slash commands, Events API callbacks and interactivity, as Slack sends
them to the Request URL. bolt verifies every signature; the same check (slack_sdk's
`SignatureVerifier`, which bolt uses) runs first here only so that a rejected request is
answered 401 without bolt logging its body, which is someone's pasted text.
"""

from __future__ import annotations

import logging

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier

from bots.assistant import Assistant
from bots.escalation.web import ESCALATION_KEY
from bots.lifecycle import IN_FLIGHT_KEY
from bots.metrics import METRICS_KEY
from bots.slack.app import build_slack_app
from bots.slack.failures import log_failure
from bots.slack.listeners.support import reporter_notifier
from bots.slack.services import SlackServices
from bots.slack.settings import SlackSettings
from bots.slack.socket_mode import SocketModeConnection

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
SLACK_APP_KEY = web.AppKey("slack_app", AsyncApp)
SOCKET_MODE_KEY = web.AppKey("slack_socket_mode", SocketModeConnection)


def mount_slack(app: web.Application, settings: SlackSettings, assistant: Assistant) -> AsyncApp:
    """Add Slack to `app`: the bolt app, its endpoint or Socket Mode, and case notifications."""

    def services() -> SlackServices:
        return SlackServices(
            assistant=assistant,
            escalation=app.get(ESCALATION_KEY),
            settings=settings,
            metrics=app.get(METRICS_KEY),
        )

    in_flight = app.get(IN_FLIGHT_KEY)
    bolt = build_slack_app(settings, services, in_flight.track if in_flight else None)
    app[SLACK_APP_KEY] = bolt

    async def notify_reporters(app: web.Application) -> None:
        service = app.get(ESCALATION_KEY)  # started by its cleanup context, which runs first
        if service is not None:
            service.add_notifier("slack", reporter_notifier(bolt.client))

    app.on_startup.append(notify_reporters)

    if settings.socket_mode:
        connection = SocketModeConnection(bolt, settings.app_token)
        app[SOCKET_MODE_KEY] = connection

        async def start_socket_mode(app: web.Application) -> None:
            await connection.start()

        async def stop_socket_mode(app: web.Application) -> None:
            await connection.stop()  # before cleanup closes the escalation store

        app.on_startup.append(start_socket_mode)
        app.on_shutdown.append(stop_socket_mode)
    else:
        app.router.add_post(EVENTS_PATH, events_endpoint(bolt, settings.signing_secret))
    where = "Socket Mode" if settings.socket_mode else f"HTTP, POST {EVENTS_PATH}"
    log.info("slack: on (%s)", where)
    return bolt


def events_endpoint(bolt: AsyncApp, signing_secret: str):
    verifier = SignatureVerifier(signing_secret)

    async def slack_events(request: web.Request) -> web.Response:
        body = await request.read()
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature", "")
        if not _signed(verifier, body, timestamp, signature):
            log.warning("slack: refused a request with a missing, wrong or stale signature")
            return web.json_response({"error": "invalid request"}, status=401)
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return web.json_response({"error": "the body is not UTF-8"}, status=400)
        try:
            response = await bolt.async_dispatch(await to_bolt_request(request))
        except Exception as exc:  # bolt answers its own errors; this is the last line
            log_failure(log, "dispatching a request", exc)
            return web.json_response({"error": "internal error"}, status=500)
        return await to_aiohttp_response(response)

    return slack_events


def _signed(verifier: SignatureVerifier, body: bytes, timestamp: str, signature: str) -> bool:
    if not timestamp.isdigit() or not signature:
        return False
    return verifier.is_valid(body=body, timestamp=timestamp, signature=signature)
