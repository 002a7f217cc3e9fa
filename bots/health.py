"""`GET /healthz` (the process answers), `GET /readyz` (it can do its job), and `GET /`, a line
for whoever opens the server's address in a browser after `make run`.

Ready means: the catalog is loaded, the case database answers, and its migrations are applied.
A load balancer or orchestrator sends traffic only to ready instances; /healthz stays 200 while
the database is down so the process is not restarted for someone else's outage.
"""

from __future__ import annotations

import asyncio

from aiohttp import web
from aiohttp.typedefs import Handler

from bots.escalation.migrations import pending_migrations
from bots.escalation.service import EscalationService

_CHECK_SECONDS = 3.0


INDEX = (
    "passback is running. This address takes messages from Slack and Microsoft Teams, not from "
    "a browser: ask it in Slack or Teams, or run `passback ask` in a terminal. "
    "Health: /healthz, readiness: /readyz.\n"
)


async def index(request: web.Request) -> web.Response:
    return web.Response(text=INDEX)


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def readiness(service: EscalationService, catalog_entries: int) -> dict[str, str]:
    """Each check's state: "ok", or a short reason (no hosts, no credentials)."""
    checks = {"catalog": "ok" if catalog_entries else "no entries loaded"}
    if not service.is_open:
        checks["database"] = "not open yet"
        return checks
    try:
        reachable = await asyncio.wait_for(service.ping(), _CHECK_SECONDS)
    except TimeoutError:
        reachable = False
    checks["database"] = "ok" if reachable else "unreachable"
    if reachable:
        try:
            missing = await asyncio.wait_for(pending_migrations(service.db), _CHECK_SECONDS)
        except Exception:
            checks["migrations"] = "could not be read"
        else:
            checks["migrations"] = "ok" if not missing else f"missing {missing}"
    return checks


def readyz_handler(entries: int, service: EscalationService) -> Handler:
    async def readyz(request: web.Request) -> web.Response:
        checks = await readiness(service, entries)
        ready = all(state == "ok" for state in checks.values())
        return web.json_response(
            {"status": "ready" if ready else "not ready", "checks": checks},
            status=200 if ready else 503,
        )

    return readyz
