"""Socket Mode: chosen by SLACK_APP_TOKEN, no HTTP endpoint, the same listeners over a WebSocket.

The stand-in answers apps.connections.open with a ws://127.0.0.1 URL and serves the
WebSocket itself, so the real slack_sdk Socket Mode client connects and bolt dispatches.
"""

from __future__ import annotations

import asyncio
import copy
import json

import aiohttp

from bots.cards.slack import ESCALATE_ACTION_ID
from bots.slack import socket_mode
from bots.slack.socket_mode import SocketModeConnection
from bots.slack.web import SOCKET_MODE_KEY
from tests.bots.slack.harness import SlackTestServer, fixture
from tests.bots.slack.messages import buttons
from tests.bots.slack.standin import BOT_USER_ID, SlackStandIn
from tests.polling import eventually

APP_TOKEN = "xapp-1-A0PASSBACK-1000-e2eTestAppTokenNotReal"
KIMONO = "A Kimono Job has timed out and been cancelled."


async def socket_server(start_server) -> SlackTestServer:
    # No signing secret: Socket Mode does not use one.
    server = await start_server(SLACK_APP_TOKEN=APP_TOKEN, SLACK_SIGNING_SECRET="")
    assert server.app is not None
    return server


async def test_the_app_token_selects_socket_mode_and_no_http_endpoint(
    start_server, standin: SlackStandIn
) -> None:
    server = await socket_server(start_server)
    assert server.app is not None and SOCKET_MODE_KEY in server.app
    reply = await server.post(
        server.command_body(KIMONO, "command"), "application/x-www-form-urlencoded"
    )
    assert reply.status in (404, 405)
    opened = await eventually(lambda: standin.sent("apps.connections.open"))
    assert opened
    assert [c.token for c in standin.calls if c.method == "apps.connections.open"] == [APP_TOKEN]


async def test_a_slash_command_over_the_websocket_is_acked_and_answered(
    start_server, standin: SlackStandIn
) -> None:
    await socket_server(start_server)
    envelope = fixture("socket_mode_slash_command.json")
    envelope["payload"].update(text=KIMONO, response_url=standin.response_url("socket"))
    await standin.socket_send(envelope)
    (ack,) = await eventually(lambda: standin.socket_acks)
    assert ack["envelope_id"] == envelope["envelope_id"]
    (answer,) = await eventually(lambda: standin.responded("socket"))
    assert answer["response_type"] == "ephemeral"
    assert "Kimono Job Error" in json.dumps(answer["blocks"])
    assert buttons(answer)[ESCALATE_ACTION_ID]


async def test_a_mention_over_the_websocket_is_answered_in_its_thread_once(
    start_server, standin: SlackStandIn
) -> None:
    await socket_server(start_server)
    callback = fixture("app_mention.json")
    callback["event"]["text"] = f"<@{BOT_USER_ID}> {KIMONO}"
    envelope = {
        "envelope_id": "5b0c2a9e-0c11-4d7e-8f5e-3a1b2c3d4e5f",
        "payload": callback,
        "type": "events_api",
        "accepts_response_payload": False,
        "retry_attempt": 0,
        "retry_reason": "",
    }
    await standin.socket_send(envelope)
    retried = copy.deepcopy(envelope)
    retried.update(
        envelope_id="9e8d7c6b-5a49-4838-2716-05f4e3d2c1b0", retry_attempt=1, retry_reason="timeout"
    )
    (post,) = await eventually(lambda: standin.sent("chat.postMessage"))
    await standin.socket_send(retried)
    await eventually(lambda: len(standin.socket_acks) >= 2)
    await standin.settle()
    assert post["thread_ts"] == callback["event"]["ts"]
    assert len(standin.sent("chat.postMessage")) == 1


async def test_a_refused_app_token_is_said_in_the_log_and_the_server_still_runs(
    start_server, standin: SlackStandIn, caplog
) -> None:
    standin.failures["apps.connections.open"] = "invalid_auth"
    server = await socket_server(start_server)
    await eventually(
        lambda: any("Socket Mode could not connect" in r.getMessage() for r in caplog.records)
    )
    line = next(r.getMessage() for r in caplog.records if "could not connect" in r.getMessage())
    assert "SlackApiError(invalid_auth)" in line and "SLACK_APP_TOKEN" in line
    assert APP_TOKEN not in line
    async with aiohttp.ClientSession() as session, session.get(f"{server.url}/healthz") as response:
        assert response.status == 200


class _NeverCloses:
    async def close_async(self) -> None:
        await asyncio.Event().wait()


async def test_stopping_does_not_wait_for_a_client_that_never_closes(monkeypatch) -> None:
    """A SIGTERM must finish inside a container's 30 s whatever slack_sdk's client does."""
    monkeypatch.setattr(socket_mode, "STOP_SECONDS", 0.05)
    connection = SocketModeConnection(None, APP_TOKEN)  # type: ignore[arg-type]
    connection.handler = _NeverCloses()  # type: ignore[assignment]
    await asyncio.wait_for(connection.stop(), 5)
