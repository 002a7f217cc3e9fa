"""The escalation service on the aiohttp server, and the signed status callback.

`mount_escalation(app, service)` opens the service's store when the server starts (an aiohttp
cleanup context, registered before the adapters', so it is open before they start and closed
after they stop), starts the outbox worker, and closes both on shutdown. It mounts
`POST /escalations/{ref}/status`, where a ticket system moves a case on; the request is signed
like the outgoing webhook, with its method and path in the signed text so it cannot be replayed
against another case (see signing.py):

    {"status": "acknowledged" | "resolved", "by": "Name shown to the reporters"}

Answers are JSON: 200 with the case's reference and status, 400 bad body, 401 bad or missing
signature, 404 unknown case, 409 a move backwards, 503 not running. Never a 500.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator

from aiohttp import web
from aiohttp.typedefs import Handler

from bots.escalation.model import CaseNotFound, EscalationError, Reporter, Status, StatusConflict
from bots.escalation.service import EscalationService
from bots.escalation.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify

log = logging.getLogger("passback.escalation")

STATUS_PATH = "/escalations/{ref}/status"
_MAX_BODY = 16 * 1024
_MAX_NAME = 100


def mount_escalation(app: web.Application, service: EscalationService) -> None:
    async def open_and_close(app: web.Application) -> AsyncIterator[None]:
        await service.open()
        await service.start()
        log.info(service.settings.describe_destinations())
        yield
        await service.close()

    app.cleanup_ctx.append(open_and_close)
    app.router.add_post(STATUS_PATH, status_callback(service))


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def status_callback(service: EscalationService) -> Handler:
    async def handle(request: web.Request) -> web.Response:
        return await _status_callback(service, request)

    return handle


async def _status_callback(service: EscalationService, request: web.Request) -> web.Response:
    settings = service.settings
    if not settings.webhook_secret:
        return _error(401, "status callbacks are off (no PASSBACK_ESCALATION_WEBHOOK_SECRET)")
    if request.content_length is not None and request.content_length > _MAX_BODY:
        return _error(400, f"the body must be at most {_MAX_BODY} bytes")
    body = await request.read()  # within the server's size limit and read timeout
    if len(body) > _MAX_BODY:
        return _error(400, f"the body must be at most {_MAX_BODY} bytes")
    signed = verify(
        settings.webhook_secret,
        request.headers.get(TIMESTAMP_HEADER),
        request.headers.get(SIGNATURE_HEADER),
        body,
        time.time(),
        target=f"{request.method} {request.path}",
    )
    if not signed:
        log.warning("refused a status callback with a missing, wrong or stale signature")
        return _error(401, "missing, wrong or stale signature")
    status, by, problem = _parse(body)
    if problem:
        return _error(400, problem)
    assert status is not None
    reference = request.match_info["ref"]
    actor = Reporter(user_id="webhook", display_name=by or "support", platform="webhook")
    try:
        case = await service.set_status(reference, status, actor)
    except CaseNotFound:
        return _error(404, "no such case")
    except StatusConflict as exc:
        return _error(409, exc.user_message)
    except EscalationError as exc:
        return _error(400, exc.user_message)
    except Exception as exc:  # the database is down, say: an answer, not a traceback
        log.warning("status callback for a case failed (%s)", type(exc).__name__)
        return _error(503, "the case could not be updated; try again later")
    return web.json_response(
        {"reference": case.reference, "status": case.status.value, "status_by": case.status_by}
    )


def _parse(body: bytes) -> tuple[Status | None, str, str]:
    """(status, by, problem): problem is "" when the body is good."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None, "", "the body must be JSON"
    if not isinstance(data, dict):
        return None, "", "the body must be a JSON object"
    raw = data.get("status")
    allowed = (Status.ACKNOWLEDGED.value, Status.RESOLVED.value)
    if raw not in allowed:
        return None, "", f"status must be one of {', '.join(allowed)}"
    by = data.get("by", "")
    if not isinstance(by, str):
        return None, "", "by must be a string"
    by = " ".join(by.split())[:_MAX_NAME]
    return Status(raw), by, ""
