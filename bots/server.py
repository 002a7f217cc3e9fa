"""The aiohttp application that `passback serve` runs and the platform adapters mount on."""

from __future__ import annotations

import asyncio
import logging
import re
import time
import traceback
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from aiohttp import web
from aiohttp.typedefs import Handler

from bots.assistant import Assistant
from bots.config import Settings
from bots.escalation.service import EscalationService
from bots.escalation.web import mount_escalation
from bots.health import healthz, index, readyz_handler
from bots.http_server import read_body_within
from bots.lifecycle import IN_FLIGHT_KEY, InFlight
from bots.logs import log_context, quiet_libraries
from bots.metrics import METRICS_KEY, Metrics
from bots.slack.settings import HOW_TO_TURN_ON as SLACK_OFF
from catalog import Catalog

if TYPE_CHECKING:
    from bots.canvas_chat import CanvasChecks

log = logging.getLogger("passback.server")

SETTINGS_KEY = web.AppKey("settings", Settings)
ASSISTANT_KEY = web.AppKey("assistant", Assistant)
ESCALATION_KEY = web.AppKey("escalation", EscalationService)
# How long a SIGTERM waits for answers still being sent after their request ended.
DRAIN_SECONDS = 10.0
# How long a SIGTERM waits for requests in flight (compose gives the container 30 s in all).
SHUTDOWN_SECONDS = 10.0
_PLATFORMS = (("/slack/", "slack"), ("/api/messages", "teams"), ("/escalations/", "escalation"))
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
access_log = logging.getLogger("passback.access")


@web.middleware
async def request_context(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A request id, the platform and the timing on every log line of a request; one access
    line per request (path only: query strings and bodies never reach the log)."""
    platform = next((name for prefix, name in _PLATFORMS if request.path.startswith(prefix)), None)
    given = request.headers.get("X-Request-Id", "")
    request_id = given if _REQUEST_ID.fullmatch(given) else None
    started = time.perf_counter()
    status = 500
    with log_context(request_id=request_id, platform=platform) as context:
        try:
            response = await handler(request)
            status = response.status
            response.headers["X-Request-Id"] = context["request_id"]
            return response
        except web.HTTPException as exc:
            status = exc.status
            raise
        except (asyncio.CancelledError, ConnectionError):
            status = 499  # the client went away (or the server is stopping) mid-request
            raise
        except Exception as exc:  # our own bug: an answer in words, a log line without values
            frames = traceback.extract_tb(exc.__traceback__)[-5:]  # where, never values
            log.error(
                "%s %s failed with %s at %s",
                request.method,
                request.path,
                type(exc).__name__,
                " <- ".join(f"{f.name} ({f.filename}:{f.lineno})" for f in reversed(frames)),
            )
            return web.json_response({"error": "internal error"}, status=500)
        finally:
            if request.path not in ("/healthz", "/readyz", "/metrics"):
                access_log.info(
                    "%s %s %d",
                    request.method,
                    request.path,
                    status,
                    extra={"duration_ms": round((time.perf_counter() - started) * 1000, 1)},
                )


async def _drain_answers(app: web.Application) -> AsyncIterator[None]:
    yield
    # On the way out aiohttp has stopped accepting and finished the requests in flight, but
    # Slack answers go on after their request (the ack) ended: wait for them. Registered after
    # the escalation store, so this runs before the store closes and flushes its outbox.
    await app[IN_FLIGHT_KEY].drain(DRAIN_SECONDS)


def build_app(settings: Settings, catalog: Catalog) -> web.Application:
    """The whole wiring: each part is built once here and handed to what needs it."""
    quiet_libraries()
    app = web.Application(
        client_max_size=1024 * 1024,
        middlewares=[request_context, read_body_within(settings.server.body_seconds)],
    )
    metrics = Metrics()
    assistant = Assistant.for_catalog(catalog, metrics=metrics)
    in_flight = InFlight()
    escalation = EscalationService(settings.escalation, catalog)  # opened at start-up
    escalation.add_event_listener(lambda event: metrics.escalations.labels(event=event).inc())

    async def outbox_backlog() -> None:
        metrics.outbox_backlog.set(await escalation.backlog())

    metrics.before_scrape(outbox_backlog)
    app[SETTINGS_KEY] = settings
    app[ASSISTANT_KEY] = assistant
    app[METRICS_KEY] = metrics
    app[IN_FLIGHT_KEY] = in_flight
    app[ESCALATION_KEY] = escalation
    app.router.add_get("/", index)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz_handler(len(catalog.entries), escalation))
    app.router.add_get("/metrics", metrics.handle)
    # Cleanup contexts start in this order and stop in the reverse: the store opens first and
    # closes last; Slack answers still being sent drain before it closes.
    mount_escalation(app, escalation)
    canvas: CanvasChecks | None = None
    if settings.canvas is not None:  # "Check in Canvas" on the cards; off: cards as before
        from bots.canvas_chat import CanvasChecks  # the Canvas client loads only when on

        canvas = CanvasChecks(settings.canvas, catalog, assistant.matcher, metrics)
        app.cleanup_ctx.append(canvas.session)  # closes after the answers in flight drain
    app.cleanup_ctx.append(_drain_answers)
    if settings.slack is not None:
        from bots.slack.web import mount_slack  # slack_bolt loads only when Slack is on

        mount_slack(app, settings.slack, assistant, escalation, metrics, in_flight, canvas)
    else:
        log.info(SLACK_OFF)
    if settings.teams is not None and settings.teams.enabled:  # on by default: Emulator mode
        from bots.teams.web import mount_teams  # botbuilder loads only when Teams is on

        mount_teams(app, settings.teams, assistant, escalation, metrics, in_flight, canvas)
    return app
