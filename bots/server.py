"""The aiohttp application that `passback serve` runs and the platform adapters mount on."""

from __future__ import annotations

import logging

from aiohttp import web

from bots.config import Settings
from catalog import Catalog
from matcher import Matcher

log = logging.getLogger(__name__)

CATALOG_KEY = web.AppKey("catalog", Catalog)
MATCHER_KEY = web.AppKey("matcher", Matcher)
SETTINGS_KEY = web.AppKey("settings", Settings)


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def build_app(settings: Settings, catalog: Catalog) -> web.Application:
    app = web.Application(client_max_size=1024 * 1024)
    app[SETTINGS_KEY] = settings
    app[CATALOG_KEY] = catalog
    app[MATCHER_KEY] = Matcher(catalog)
    app.router.add_get("/healthz", healthz)
    return app
