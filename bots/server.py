"""The aiohttp application that `passback serve` runs and the platform adapters mount on."""

from __future__ import annotations

import logging

from aiohttp import web

from bots.assistant import Assistant
from bots.config import Settings
from bots.escalation.web import setup_escalation
from bots.slack.settings import HOW_TO_TURN_ON as SLACK_OFF
from catalog import Catalog

log = logging.getLogger(__name__)

SETTINGS_KEY = web.AppKey("settings", Settings)
ASSISTANT_KEY = web.AppKey("assistant", Assistant)


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def build_app(settings: Settings, catalog: Catalog) -> web.Application:
    """The server with every configured part mounted: health, Slack, Teams, escalation."""
    app = web.Application(client_max_size=1024 * 1024)
    assistant = Assistant.for_catalog(catalog)
    app[SETTINGS_KEY] = settings
    app[ASSISTANT_KEY] = assistant
    app.router.add_get("/healthz", healthz)
    if settings.escalation is not None:  # first: the adapters find the service at start-up
        setup_escalation(app, settings.escalation, catalog)
    if settings.slack is not None:
        from bots.slack.web import mount_slack  # slack_bolt loads only when Slack is on

        mount_slack(app, settings.slack, assistant)
    else:
        log.info(SLACK_OFF)
    if settings.teams is not None and settings.teams.enabled:  # on by default: Emulator mode
        from bots.teams.web import mount_teams  # botbuilder loads only when Teams is on

        mount_teams(app, settings.teams, assistant)
    return app
