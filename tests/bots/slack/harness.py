"""The real `passback serve` app on a loopback port, and Slack's requests to it, signed.

Requests are built the way Slack sends them: a slash command form-encoded, Events API
callbacks as JSON, interactivity as a form with one `payload=` field holding JSON. The
payloads start from the captured shapes in tests/fixtures/slack/.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web

from bots.config import load_settings
from bots.server import build_app
from catalog import Catalog
from tests.bots.slack.standin import SlackStandIn

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "slack"
SECRET = "e2e0signing0secret0for0tests0only"
BOT_TOKEN = "xoxb-1000-2000-e2eTestBotTokenNotReal"
SUPPORT_CHANNEL = "C0SUPPORT1"


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text())


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """Slack's v0 signature: HMAC-SHA256 of "v0:{timestamp}:{body}" with the signing secret."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_command(text: str, response_url: str, secret: str = SECRET) -> tuple[bytes, dict]:
    """A /passback slash command as Slack sends it: form body and signed headers."""
    form = fixture("slash_command.json")
    form.update(text=text, response_url=response_url)
    body = urlencode(form).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature(secret, timestamp, body),
    }
    return body, headers


@dataclass
class Reply:
    status: int
    text: str
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.text)


@dataclass
class SlackTestServer:
    """`build_app` from `load_settings(env)`, served by aiohttp on 127.0.0.1."""

    standin: SlackStandIn
    catalog: Catalog
    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    url: str = ""

    def __post_init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._ids = itertools.count(1)
        self.app: web.Application | None = None

    def environment(self) -> dict[str, str]:
        return {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": self.standin.api_url,
            "PASSBACK_SLACK_ESCALATION_CHANNEL": SUPPORT_CHANNEL,
            "PASSBACK_DATA_DIR": str(self.data_dir),
            **self.env,
        }

    async def start(self) -> SlackTestServer:
        settings = load_settings(self.environment())
        self.app = build_app(settings, self.catalog)
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        self._session = aiohttp.ClientSession()
        return self

    async def stop(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- raw, signed requests ------------------------------------------------------------
    async def post(
        self,
        body: bytes,
        content_type: str,
        *,
        secret: str | None = SECRET,
        timestamp: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        assert self._session is not None
        sent = {"Content-Type": content_type, **(headers or {})}
        if secret is not None:
            ts = str(int(time.time()) if timestamp is None else timestamp)
            sent["X-Slack-Request-Timestamp"] = ts
            sent["X-Slack-Signature"] = signature(secret, ts, body)
        async with self._session.post(f"{self.url}/slack/events", data=body, headers=sent) as r:
            return Reply(r.status, await r.text(), dict(r.headers))

    # --- the shapes Slack sends ----------------------------------------------------------
    def command_body(self, text: str, response: str, **fields: str) -> bytes:
        form = fixture("slash_command.json")
        form.update(text=text, response_url=self.standin.response_url(response), **fields)
        return urlencode(form).encode()

    async def command(self, text: str, response: str = "command", **fields: str) -> Reply:
        body = self.command_body(text, response, **fields)
        return await self.post(body, "application/x-www-form-urlencoded")

    def event_body(self, name: str, event_id: str | None = None, **event: Any) -> bytes:
        payload = fixture(name)
        payload["event"].update(event)
        payload["event_id"] = event_id or f"Ev0TEST{next(self._ids):05d}"
        return json.dumps(payload).encode()

    async def event(
        self,
        name: str,
        *,
        event_id: str | None = None,
        headers: dict[str, str] | None = None,
        **event: Any,
    ) -> Reply:
        body = self.event_body(name, event_id, **event)
        return await self.post(body, "application/json", headers=headers)

    def action_payload(
        self,
        action_id: str,
        value: str,
        response: str = "click",
        *,
        user: tuple[str, str] = ("U0TEACHER1", "ana.lopez"),
        ephemeral: bool = True,
        channel: str = "C0HELPDESK",
        user_team: str | None = None,  # a Slack Connect clicker's own team
    ) -> dict[str, Any]:
        payload = copy.deepcopy(fixture("block_actions.json"))
        payload["user"].update(id=user[0], username=user[1], name=user[1])
        if user_team is not None:
            payload["user"]["team_id"] = user_team
        payload["response_url"] = self.standin.response_url(response)
        payload["container"].update(is_ephemeral=ephemeral, channel_id=channel)
        payload["channel"]["id"] = channel
        if not ephemeral:  # Slack includes the message itself when it is not ephemeral
            payload["message"] = {"type": "message", "ts": payload["container"]["message_ts"]}
        action = payload["actions"][0]
        action.update(action_id=action_id, value=value, action_ts=f"{time.time():.6f}")
        return payload

    async def click(self, action_id: str, value: str, response: str = "click", **kw: Any) -> Reply:
        payload = self.action_payload(action_id, value, response, **kw)
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return await self.post(body, "application/x-www-form-urlencoded")
