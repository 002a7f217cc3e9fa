"""/metrics after real traffic: requests, answers, escalations, backlog, latency; no user data."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bots.cards.slack import ESCALATE_ACTION_ID
from catalog import Catalog
from tests.bots.slack.harness import SlackTestServer
from tests.bots.slack.messages import buttons
from tests.bots.slack.standin import SlackStandIn
from tests.bots.teams.standin import ConnectorStandIn
from tests.polling import eventually

STUDENT = "s7731905"
PUT_422 = (
    f'PUT for ONEROSTER:Result[result/results] for "{STUDENT}" failed with HTTP Status: 422 '
    'with: [{"codeMajor":"FAILURE", "severity": "ERROR", "codeMinor": "INVALID DATA", '
    '"description": "Result denied."}]'
)
KIMONO = "A Kimono Job has timed out and been cancelled."
FIXTURES = Path(__file__).parents[1] / "fixtures" / "teams"


@pytest.fixture
async def slack(
    catalog: Catalog, tmp_path: Path
) -> AsyncIterator[tuple[SlackTestServer, SlackStandIn]]:
    standin = SlackStandIn()
    await standin.start()
    server = SlackTestServer(standin, catalog, tmp_path / "data", {})
    await server.start()
    yield server, standin
    await server.stop()
    await standin.stop()


def sample(body: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus text format (0 when absent)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    pattern = (
        rf"^{name}(?:\{{{re.escape(wanted)}\}})? ([0-9.e+-]+)$"
        if labels
        else rf"^{name} ([0-9.e+-]+)$"
    )
    found = re.search(pattern, body, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


async def scrape(server: SlackTestServer) -> str:
    async with aiohttp.ClientSession() as session, session.get(f"{server.url}/metrics") as r:
        assert r.status == 200
        assert r.headers["Content-Type"].startswith("text/plain")
        return await r.text()


async def test_metrics_follow_real_traffic(slack, catalog: Catalog) -> None:
    server, standin = slack
    await server.command(PUT_422, response="put")
    await server.command("how do I change my password?", response="nothing")
    await server.command(KIMONO, response="kimono")
    (card,) = await eventually(lambda: standin.responded("kimono"))
    await eventually(lambda: standin.responded("put") and standin.responded("nothing"))
    await server.click(ESCALATE_ACTION_ID, buttons(card)[ESCALATE_ACTION_ID], response="esc")
    await eventually(lambda: len(standin.responded("esc")) >= 2)

    connector = ConnectorStandIn()
    await connector.start()
    try:
        activity = json.loads((FIXTURES / "personal_message.json").read_text())
        activity.update(serviceUrl=connector.service_url, text=KIMONO)
        async with (
            aiohttp.ClientSession() as session,
            session.post(f"{server.url}/api/messages", json=activity) as response,
        ):
            assert response.status in (200, 201)
    finally:
        await connector.close()

    body = await scrape(server)
    assert sample(body, "passback_requests_total", platform="slack", kind="command") == 3
    assert sample(body, "passback_requests_total", platform="slack", kind="action") == 1
    assert sample(body, "passback_requests_total", platform="teams", kind="message") == 1
    assert sample(body, "passback_answers_total", entry="put-oneroster") == 1
    assert sample(body, "passback_answers_total", entry="no_match") == 1
    # Two questions about a Kimono job (Slack, Teams); the card redrawn after the click is not one.
    assert sample(body, "passback_answers_total", entry="kimono-job") == 2
    assert sample(body, "passback_escalations_total", event="opened") == 1
    assert sample(body, "passback_answer_latency_seconds_count", platform="slack") == 3
    assert sample(body, "passback_answer_latency_seconds_count", platform="teams") == 1
    assert "passback_outbox_backlog " in body

    async def delivered() -> str | None:  # the outbox delivers to the support channel meanwhile
        scraped = await scrape(server)
        return scraped if sample(scraped, "passback_escalations_total", event="delivered") else None

    body = await eventually(delivered)
    assert sample(body, "passback_escalations_total", event="delivered") == 1
    assert sample(body, "passback_outbox_backlog") == 0
    # No pasted text, student ids or user ids in any label.
    for leaked in (STUDENT, "Kimono Job has", "password", "U0TEACHER1", "ana.lopez"):
        assert leaked not in body
