"""A real `passback serve`: SIGTERM finishes the answer in flight, then exits 0; its logs are
JSON lines with request id, platform, entry id and timing, and no pasted text or student ids."""

from __future__ import annotations

import asyncio
import json
import signal

import aiohttp
import pytest

from tests.bots.slack.harness import BOT_TOKEN, SECRET, signed_command
from tests.bots.slack.standin import SlackStandIn
from tests.polling import eventually
from tests.processes import start_serve

STUDENT = "s5518273"
PUT_422 = (
    f'PUT for ONEROSTER:Result[result/results] for "{STUDENT}" failed with HTTP Status: 422 '
    'with: [{"codeMajor":"FAILURE", "severity": "ERROR", "codeMinor": "INVALID DATA", '
    '"description": "Result denied."}]'
)


async def slash_command(port: int, text: str, response_url: str) -> int:
    body, headers = signed_command(text, response_url)
    headers["X-Request-Id"] = "req-shutdown-1"
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"http://127.0.0.1:{port}/slack/events", data=body, headers=headers) as r,
    ):
        return r.status


@pytest.fixture
async def standin():
    stand_in = SlackStandIn()
    stand_in.release_responses = asyncio.Event()  # answers are held until the test says
    await stand_in.start()
    yield stand_in
    stand_in.release_responses.set()
    await stand_in.stop()


async def test_sigterm_waits_for_the_answer_in_flight_and_logs_json(tmp_path, standin) -> None:
    env = {
        "LOG_LEVEL": "DEBUG",
        "PASSBACK_TEAMS": "off",
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": standin.api_url,
    }
    served = start_serve(tmp_path, env)
    try:
        await served.ready("/readyz")
        assert await slash_command(served.port, PUT_422, standin.response_url("held")) == 200
        await eventually(lambda: standin.responded("held"))  # the answer is on its way

        served.process.send_signal(signal.SIGTERM)
        # Still running a second later, and no longer accepting: the answer is still held.
        await asyncio.sleep(1.0)
        assert served.returncode is None, "exited with an answer still in flight"
        with pytest.raises(aiohttp.ClientConnectionError):
            async with aiohttp.ClientSession() as session:
                await session.get(f"{served.url}/healthz")

        standin.release_responses.set()
        assert await served.exited(60) == 0
    finally:
        await served.stop()
    out, err = served.out, served.err

    assert standin.responded("held")[0]["text"].startswith("PUT for OneRoster Error")
    lines = [json.loads(line) for line in err.splitlines() if line.strip()]  # all JSON
    access = [e for e in lines if e.get("logger") == "passback.access"]
    assert access and access[0]["request_id"] == "req-shutdown-1"
    assert access[0]["platform"] == "slack" and "duration_ms" in access[0]
    answered = [e for e in lines if e.get("logger") == "passback.answers"]
    assert answered and answered[0]["entry_id"] == "put-oneroster"
    assert answered[0]["request_id"] == "req-shutdown-1" and "answer_ms" in answered[0]
    assert any("waiting for 1 answer(s) in flight" in e["message"] for e in lines)
    for leaked in (STUDENT, "Result denied", BOT_TOKEN, SECRET):
        assert leaked not in out + err
