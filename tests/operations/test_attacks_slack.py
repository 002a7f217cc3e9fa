"""Attacks on `POST /slack/events` of a real `passback serve`, on loopback: refused in words
before anything is parsed, never a 500 or a traceback."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import pytest

from tests.bots.slack.harness import SECRET, fixture, signature
from tests.bots.slack.standin import SlackStandIn
from tests.operations.target import ENV, outside, start_target
from tests.polling import eventually
from tests.processes import Child


async def post(target: Child, body: bytes, timestamp: str, sign_as: str = "") -> int:
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature(SECRET, sign_as or "1", body.decode("latin-1").encode()),
    }
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{target.url}/slack/events", data=body, headers=headers) as response,
    ):
        return response.status


@pytest.mark.parametrize("timestamp", ["9" * 400, "1" + "0" * 19, "١٧٠٠٠٠٠٠٠٠", "-5", ""])
async def test_a_timestamp_that_is_not_a_time_is_a_401(target: Child, timestamp: str) -> None:
    assert await post(target, b"command=%2Fpassback&text=hi", timestamp) == 401
    assert "Traceback" not in target.err


async def test_a_body_that_is_not_utf8_is_a_400(target: Child) -> None:
    now = str(int(time.time()))
    assert await post(target, b"command=%2Fpassback&text=\xff\xfe", now, sign_as=now) == 400
    assert "Traceback" not in target.err


async def test_start_up_and_an_unknown_command_log_one_plain_line_each(tmp_path: Path) -> None:
    slack = SlackStandIn()
    await slack.start()
    served = await start_target(tmp_path, {**ENV, "SLACK_API_URL": slack.api_url}).ready()
    try:
        form = fixture("slash_command.json")
        form.update(command="/evil", text="hello", response_url=slack.response_url("evil"))
        body = urlencode(form).encode()
        now = str(int(time.time()))
        assert await post(served, body, now, sign_as=now) == 200
        await eventually(lambda: "no listener handles" in served.err)  # bolt logs after the ack
    finally:
        await served.stop()
        await slack.stop()
    assert "slack: ignored a request that no listener handles" in served.err
    assert "[Suggestion]" not in served.err and "/evil" not in served.err
    assert "will be unused" not in served.err
    assert outside(served) == []
