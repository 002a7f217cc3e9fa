"""Slack and Bot Connector stand-ins for the load benchmark, as one small loopback process.

`python -m benchmarks.standins` listens on 127.0.0.1 (a free port), prints its URL on the first
line of standard output, and answers:
- `/api/{method}`: the Slack Web API methods the bot calls on this path (`auth.test`), as
  Slack answers them;
- `POST /response/{name}`: a slash command's `response_url`;
- `POST /amer/v3/conversations/{conversation}/activities[/{activity}]`: the Bot Connector
  calls that send or reply to a Teams conversation.

It records when each answer arrived (`time.monotonic()`, the same clock in every process on
the machine) and the answer's summary line, and hands them over on `GET /bench/received`.
It runs in its own process so that receiving the answers does not slow the load generator.
"""

from __future__ import annotations

import itertools
import socket
import time
from typing import Any

from aiohttp import web

TEAM_ID = "T0DISTRICT"
BOT_USER_ID = "U0PASSBACK"
CONNECTOR_PATH = "/amer/"  # Teams service URLs have a path: https://smba.trafficmanager.net/amer/

RECEIVED_KEY = web.AppKey("received", dict)


async def _api(request: web.Request) -> web.Response:
    method = request.match_info["method"]
    request.app[RECEIVED_KEY]["api"].append(method)
    if method == "auth.test":
        return web.json_response(
            {
                "ok": True,
                "url": "https://district.slack.com/",
                "team": "District",
                "user": "passback",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": "B0PASSBACK",
                "is_enterprise_install": False,
            }
        )
    return web.json_response({"ok": False, "error": "unknown_method"})


async def _response_url(request: web.Request) -> web.Response:
    body = await request.json()
    said = str(body.get("text", "")) if isinstance(body, dict) else ""
    request.app[RECEIVED_KEY]["slack"].append([request.match_info["name"], time.monotonic(), said])
    return web.Response(text="ok")


def _card_text(body: Any) -> str:
    """What a Teams answer says first: its card's fallback text, or the message's text."""
    if not isinstance(body, dict):
        return ""
    for attachment in body.get("attachments") or ():
        content = attachment.get("content") if isinstance(attachment, dict) else None
        if isinstance(content, dict) and content.get("fallbackText"):
            return str(content["fallbackText"])
    return str(body.get("text") or "")


async def _activity(request: web.Request) -> web.Response:
    body = await request.json()
    received = request.app[RECEIVED_KEY]
    received["teams"].append(
        [request.match_info["conversation"], time.monotonic(), _card_text(body)]
    )
    return web.json_response({"id": str(next(received["ids"]))}, status=201)


async def _received(request: web.Request) -> web.Response:
    received = request.app[RECEIVED_KEY]
    return web.json_response({k: received[k] for k in ("api", "slack", "teams")})


def build_standins() -> web.Application:
    app = web.Application(client_max_size=4 * 1024 * 1024)
    app[RECEIVED_KEY] = {"api": [], "slack": [], "teams": [], "ids": itertools.count(1)}
    app.router.add_route("*", "/api/{method}", _api)
    app.router.add_post("/response/{name}", _response_url)
    activities = CONNECTOR_PATH + "v3/conversations/{conversation}/activities"
    app.router.add_post(activities, _activity)
    app.router.add_post(activities + "/{activity}", _activity)
    app.router.add_get("/bench/received", _received)
    return app


def main() -> None:
    # Bind here so the parent learns the port before anything else can take it.
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    print(f"http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
    web.run_app(build_standins(), sock=sock, print=None, access_log=None, backlog=1024)


if __name__ == "__main__":
    main()
