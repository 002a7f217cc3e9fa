"""Attacks on the status callback of a real `passback serve`, on loopback."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import re
import time
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import pytest

from bots.cards.slack import ESCALATE_ACTION_ID
from tests.bots.slack.harness import SECRET, fixture, signature, signed_command
from tests.bots.slack.messages import buttons
from tests.bots.slack.standin import SlackStandIn
from tests.bots.teams.cards import escalate_actions, only_card
from tests.bots.teams.conftest import activity
from tests.bots.teams.standin import ConnectorStandIn
from tests.operations.target import ENV, WEBHOOK_SECRET, start_target
from tests.polling import eventually
from tests.processes import Child

KIMONO = "A Kimono Job has timed out and been cancelled."


def sign(timestamp: str, body: bytes, target: str = "") -> str:
    """A status callback's signature, as the README tells a ticket system to make it."""
    signed = f"{timestamp}.{target}.".encode() if target else f"{timestamp}.".encode()
    return "sha256=" + hmac.new(WEBHOOK_SECRET.encode(), signed + body, hashlib.sha256).hexdigest()


async def open_case(
    session: aiohttp.ClientSession, target: Child, connector: ConnectorStandIn, n: int
) -> str:
    """Ask in Teams from a different chat each time and click Escalate: a new case."""
    url = f"{target.url}/api/messages"
    chat = {"conversationType": "personal", "id": f"a:chat{n}"}
    question = activity("personal_message", connector.service_url, id=f"q{n}", conversation=chat)
    before = len(connector.calls)
    async with session.post(url, json=question) as response:
        assert response.status == 201, await response.text()
    call = connector.calls[before]
    (button,) = escalate_actions(only_card(call))
    click = activity(
        "submit_escalate",
        connector.service_url,
        id=f"click{n}",
        replyToId=call.created_id,
        conversation=chat,
        value={"action": "passback.escalate", "token": button["data"]["token"]},
    )
    async with session.post(url, json=click) as response:
        assert response.status in (200, 201), await response.text()
    update = connector.of_kind("update")[-1]
    found = re.search(r"PB-\d+", json.dumps(only_card(update)))
    assert found is not None
    return found.group(0)


def callback_headers(timestamp: str, signature: str) -> dict[str, str]:
    return {
        "X-Passback-Timestamp": timestamp,
        "X-Passback-Signature": signature,
        "Content-Type": "application/json",
    }


async def test_a_signed_callback_cannot_be_replayed_against_another_case(
    target: Child, connector: ConnectorStandIn
) -> None:
    async with aiohttp.ClientSession() as session:
        first, second, third = [await open_case(session, target, connector, n) for n in range(3)]
        assert len({first, second, third}) == 3
        body = json.dumps({"status": "resolved", "by": "Canvas Support"}).encode()
        timestamp = str(int(time.time()))
        # Signed over the body alone (what the signature used to cover), the callback for one
        # case was good for all of them.
        bare = callback_headers(timestamp, sign(timestamp, body))
        for reference in (second, third):
            url = f"{target.url}/escalations/{reference}/status"
            async with session.post(url, data=body, headers=bare) as response:
                assert response.status == 401, reference
        signature = sign(timestamp, body, f"POST /escalations/{first}/status")
        headers = callback_headers(timestamp, signature)
        answers = {}
        for reference in (first, second, third):
            url = f"{target.url}/escalations/{reference}/status"
            async with session.post(url, data=body, headers=headers) as response:
                answers[reference] = (response.status, await response.json())
    assert answers[first] == (
        200,
        {"reference": first, "status": "resolved", "status_by": "Canvas Support"},
    )
    assert answers[second][0] == answers[third][0] == 401


@pytest.mark.parametrize("timestamp", ["9" * 400, "1" + "0" * 30, "-1", "1e9"])
async def test_an_absurd_timestamp_is_a_401_not_a_500(target: Child, timestamp: str) -> None:
    body = b'{"status": "resolved"}'
    headers = callback_headers(timestamp, sign("1", body))
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{target.url}/escalations/PB-1001/status", data=body, headers=headers) as r,
    ):
        assert r.status == 401
        assert "signature" in (await r.json())["error"]
    assert "Traceback" not in target.err


def opened_total(metrics: str) -> float:
    found = re.search(r'^passback_escalations_total\{event="opened"\} ([0-9.]+)$', metrics, re.M)
    return float(found.group(1)) if found else 0.0


async def test_one_click_delivered_ten_times_at_once_is_one_case_opened_once(
    tmp_path: Path,
) -> None:
    slack = SlackStandIn()
    await slack.start()
    served = await start_target(tmp_path, {**ENV, "SLACK_API_URL": slack.api_url}).ready()
    url = f"{served.url}/slack/events"
    try:
        async with aiohttp.ClientSession() as session:
            body, headers = signed_command(KIMONO, slack.response_url("ask"))
            async with session.post(url, data=body, headers=headers) as response:
                assert response.status == 200
            (answer,) = await eventually(lambda: slack.responded("ask"), within=30)
            payload = fixture("block_actions.json")
            payload["response_url"] = slack.response_url("click")
            payload["actions"][0].update(
                action_id=ESCALATE_ACTION_ID,
                value=buttons(answer)[ESCALATE_ACTION_ID],
                action_ts=f"{time.time():.6f}",
            )
            click = urlencode({"payload": json.dumps(payload)}).encode()

            async def deliver() -> int:
                timestamp = str(int(time.time()))
                headers = {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-Slack-Request-Timestamp": timestamp,
                    "X-Slack-Signature": signature(SECRET, timestamp, click),
                }
                async with session.post(url, data=click, headers=headers) as response:
                    return response.status

            assert await asyncio.gather(*(deliver() for _ in range(10))) == [200] * 10
            await eventually(lambda: len(slack.responded("click")) >= 10, within=30)
            async with session.get(f"{served.url}/metrics") as response:
                metrics = await response.text()
                opened = opened_total(metrics)
    finally:
        await served.stop()
        await slack.stop()
    assert opened == 1
    (help_line,) = [
        line for line in metrics.splitlines() if "HELP passback_escalations_total " in line
    ]
    assert all(event in help_line for event in ("opened", "joined", "delivered", "retried"))
    assert len([line for line in served.err.splitlines() if " opened for " in line]) == 1
