"""A local stand-in for Slack: the Web API, `response_url`s and a Socket Mode WebSocket.

It records what the bot sent and answers the way Slack does for the methods the bot uses.
Tests can make a method fail (`fail`), rate-limit it (`rate_limit`), or give a thread's first
message (`threads`). Loopback only.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

BOT_USER_ID = "U0PASSBACK"
BOT_ID = "B0PASSBACK"
TEAM_ID = "T0DISTRICT"


@dataclass
class ApiCall:
    method: str
    args: dict[str, Any]
    token: str  # from the Authorization header
    at: float  # time.monotonic() when it arrived


@dataclass
class SlackStandIn:
    calls: list[ApiCall] = field(default_factory=list)
    responses: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (name, body)
    threads: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)  # method -> Slack error code
    failures_left: dict[str, int] = field(default_factory=dict)  # method -> times (else always)
    drops: dict[str, int] = field(default_factory=dict)  # method -> connections to cut
    response_errors: dict[str, int] = field(default_factory=dict)  # response name -> 400s
    rate_limits: dict[str, int] = field(default_factory=dict)  # method -> 429s still to send
    retry_after: int = 1
    socket_acks: list[dict[str, Any]] = field(default_factory=list)
    # users.info: the workspace's people by user id (a `user` object as Slack documents it).
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    # The bot token's scopes: users.info needs users:read, and its profile.email users:read.email.
    scopes: set[str] = field(
        default_factory=lambda: {"chat:write", "commands", "users:read", "users:read.email"}
    )
    # When set, a response_url call is recorded on arrival, then answered only once it is set.
    release_responses: asyncio.Event | None = None
    url: str = ""

    def __post_init__(self) -> None:
        self._ts = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._sockets: list[web.WebSocketResponse] = []
        self._socket_open = asyncio.Event()
        self.app = web.Application()
        self.app.router.add_post("/api/{method}", self._api)
        self.app.router.add_get("/api/{method}", self._api)  # chat.getPermalink is a GET
        self.app.router.add_post("/response/{name}", self._response_url)
        self.app.router.add_get("/socket", self._socket)

    # --- lifecycle -----------------------------------------------------------------------
    async def start(self) -> None:
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.url}/response/{name}"

    # --- what tests read -----------------------------------------------------------------
    def sent(self, method: str) -> list[dict[str, Any]]:
        return [c.args for c in self.calls if c.method == method]

    def responded(self, name: str) -> list[dict[str, Any]]:
        return [body for n, body in self.responses if n == name]

    async def settle(self, quiet: float = 0.3) -> None:
        """Wait until nothing new has arrived for `quiet` seconds (for "sent nothing" checks)."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            before = (len(self.calls), len(self.responses))
            await asyncio.sleep(quiet)
            if (len(self.calls), len(self.responses)) == before:
                return

    # --- Web API -------------------------------------------------------------------------
    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.method == "GET":
            args: dict[str, Any] = dict(request.query)
        elif request.content_type == "application/json":
            args = await request.json()
        else:
            args = dict(await request.post())
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") or str(args.get("token", ""))
        self.calls.append(ApiCall(method, args, token, time.monotonic()))
        if self.rate_limits.get(method, 0) > 0:
            self.rate_limits[method] -= 1
            return web.json_response(
                {"ok": False, "error": "ratelimited"},
                status=429,
                headers={"Retry-After": str(self.retry_after)},
            )
        if self.drops.get(method, 0) > 0:  # the connection goes away before any answer
            self.drops[method] -= 1
            assert request.transport is not None
            request.transport.close()
            return web.Response(status=500)
        if method in self.failures and self.failures_left.get(method, 1) > 0:
            if method in self.failures_left:
                self.failures_left[method] -= 1
            return web.json_response({"ok": False, "error": self.failures[method]})
        return web.json_response(self._answer(method, args))

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://district.slack.com/",
                "team": "District",
                "user": "passback",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        if method in ("chat.postMessage", "chat.update"):
            ts = args.get("ts") or f"1700000000.{next(self._ts):06d}"
            channel = str(args.get("channel", ""))
            return {
                "ok": True,
                "channel": channel,
                "ts": ts,
                "message": {"type": "message", "bot_id": BOT_ID, "text": args.get("text", "")},
            }
        if method == "chat.getPermalink":
            ts = str(args.get("message_ts", "")).replace(".", "")
            link = f"https://district.slack.com/archives/{args.get('channel')}/p{ts}"
            return {"ok": True, "permalink": link}
        if method == "conversations.replies":
            messages = self.threads.get((str(args.get("channel")), str(args.get("ts"))))
            if messages is None:
                return {"ok": False, "error": "thread_not_found"}
            return {
                "ok": True,
                "messages": messages[: int(args.get("limit", 1000))],
                "has_more": False,
            }
        if method == "users.info":
            return self._users_info(str(args.get("user", "")))
        if method == "chat.postEphemeral":
            if not args.get("user") or not args.get("channel"):
                return {"ok": False, "error": "user_not_in_channel"}
            return {"ok": True, "message_ts": f"1700000000.{next(self._ts):06d}"}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.url.replace("http://", "ws://") + "/socket"}
        return {"ok": False, "error": "unknown_method"}

    def _users_info(self, user_id: str) -> dict[str, Any]:
        """users.info: `missing_scope` (with `needed` and `provided`) without users:read; the
        profile without `email` unless the token has users:read.email; `user_not_found`."""
        if "users:read" not in self.scopes:
            return {
                "ok": False,
                "error": "missing_scope",
                "needed": "users:read",
                "provided": ",".join(sorted(self.scopes)),
            }
        user = self.users.get(user_id)
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        user = json.loads(json.dumps(user))
        if "users:read.email" not in self.scopes:
            (user.get("profile") or {}).pop("email", None)
        return {"ok": True, "user": user}

    def add_user(
        self, user_id: str, email: str | None, name: str = "teacher", **flags: Any
    ) -> None:
        """A member of the workspace in users.info's shape (flags: is_restricted, ...)."""
        profile: dict[str, Any] = {"real_name": name, "display_name": name}
        if email is not None:
            profile["email"] = email
        self.users[user_id] = {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": name,
            "deleted": False,
            "real_name": name,
            "is_admin": False,
            "is_owner": False,
            "is_bot": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_app_user": False,
            "profile": profile,
            **flags,
        }

    # --- response_url --------------------------------------------------------------------
    async def _response_url(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        self.responses.append((name, await request.json()))
        if self.release_responses is not None:
            await asyncio.wait_for(self.release_responses.wait(), 10)
        if self.response_errors.get(name, 0) > 0:  # what Slack says to blocks it rejects
            self.response_errors[name] -= 1
            return web.Response(status=400, text="invalid_blocks")
        return web.Response(text="ok")

    # --- Socket Mode ---------------------------------------------------------------------
    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json(
            {"type": "hello", "num_connections": 1, "debug_info": {"host": "standin"}}
        )
        self._socket_open.set()
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                self.socket_acks.append(json.loads(message.data))
        self._sockets.remove(ws)
        return ws

    async def socket_send(self, envelope: dict[str, Any]) -> None:
        await asyncio.wait_for(self._socket_open.wait(), 10)
        await self._sockets[-1].send_json(envelope)
