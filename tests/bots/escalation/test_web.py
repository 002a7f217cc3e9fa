"""The server side: start-up and shutdown, and the signed status callback."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bots.config import load_settings
from bots.escalation.model import Status
from bots.escalation.service import EscalationService
from bots.escalation.signing import sign
from bots.escalation.web import mount_escalation
from bots.server import ESCALATION_KEY, build_app
from catalog import Catalog
from tests.bots.escalation.conftest import (
    WEBHOOK_SECRET,
    fast_settings,
    person,
    put_oneroster_draft,
)
from tests.polling import eventually


def signed(
    body: bytes,
    secret: str = WEBHOOK_SECRET,
    at: float | None = None,
    reference: str = "PB-1001",
) -> dict[str, str]:
    """Headers signing a status callback for the case `reference`."""
    timestamp = str(int(time.time() if at is None else at))
    target = f"POST /escalations/{reference}/status"
    return {
        "X-Passback-Timestamp": timestamp,
        "X-Passback-Signature": sign(secret, timestamp, body, target),
        "Content-Type": "application/json",
    }


@pytest.fixture
async def client(database_url: str, catalog: Catalog) -> AsyncIterator[TestClient]:
    app = web.Application()
    service = EscalationService(fast_settings(database_url, webhook_secret=WEBHOOK_SECRET), catalog)
    app[ESCALATION_KEY] = service
    mount_escalation(app, service)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield client


async def open_case(client: TestClient) -> str:
    service = client.app[ESCALATION_KEY]
    outcome = await service.escalate(await service.prepare(put_oneroster_draft()), person(1))
    return outcome.case.reference


async def test_a_signed_callback_resolves_the_case_and_tells_the_reporters(client: TestClient):
    service = client.app[ESCALATION_KEY]
    told: list[str] = []

    async def notifier(case, reporter, origin, text):
        told.append(text)

    service.add_notifier("slack", notifier)
    reference = await open_case(client)
    body = json.dumps({"status": "resolved", "by": "Canvas Support (ticket 0042)"}).encode()
    reply = await client.post(
        f"/escalations/{reference}/status", data=body, headers=signed(body, reference=reference)
    )
    assert reply.status == 200
    assert await reply.json() == {
        "reference": reference,
        "status": "resolved",
        "status_by": "Canvas Support (ticket 0042)",
    }
    case = await service.get(reference)
    assert case is not None and case.status == Status.RESOLVED
    await eventually(lambda: told)
    assert "resolved by Canvas Support (ticket 0042)" in told[0]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Passback-Timestamp": "1", "X-Passback-Signature": "sha256=00"},
        "wrong secret",
        "stale",
        "garbled timestamp",
    ],
)
async def test_a_bad_signature_is_a_401(client: TestClient, headers):
    reference = await open_case(client)
    body = b'{"status": "resolved"}'
    if headers == "wrong secret":
        headers = signed(body, secret="not-the-secret-at-all", reference=reference)
    elif headers == "stale":
        headers = signed(body, at=time.time() - 3600, reference=reference)
    elif headers == "garbled timestamp":
        headers = signed(body, reference=reference) | {"X-Passback-Timestamp": "१२३"}
    reply = await client.post(f"/escalations/{reference}/status", data=body, headers=headers)
    assert reply.status == 401
    assert "signature" in (await reply.json())["error"]
    case = await client.app[ESCALATION_KEY].get(reference)
    assert case is not None and case.status == Status.OPEN


async def test_an_unknown_case_is_a_404(client: TestClient):
    body = b'{"status": "acknowledged"}'
    for reference in ("PB-424242", "not-a-case"):
        reply = await client.post(
            f"/escalations/{reference}/status", data=body, headers=signed(body, reference=reference)
        )
        assert reply.status == 404 and await reply.json() == {"error": "no such case"}


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[1, 2]",
        b'{"status": "open"}',
        b'{"status": "done"}',
        b"\xff\xfe",
        b'{"status": "resolved", "by": 7}',
    ],
)
async def test_a_bad_body_is_a_400(client: TestClient, body: bytes):
    reference = await open_case(client)
    reply = await client.post(
        f"/escalations/{reference}/status", data=body, headers=signed(body, reference=reference)
    )
    assert reply.status == 400 and "error" in await reply.json()


async def test_a_huge_body_is_a_400_not_a_500(client: TestClient):
    reference = await open_case(client)
    body = json.dumps({"status": "resolved", "by": "x" * 100_000}).encode()
    reply = await client.post(
        f"/escalations/{reference}/status", data=body, headers=signed(body, reference=reference)
    )
    assert reply.status == 400


async def test_going_back_is_a_409(client: TestClient):
    reference = await open_case(client)
    await client.app[ESCALATION_KEY].set_status(reference, Status.RESOLVED)
    body = b'{"status": "acknowledged"}'
    reply = await client.post(
        f"/escalations/{reference}/status", data=body, headers=signed(body, reference=reference)
    )
    assert reply.status == 409 and "already resolved" in (await reply.json())["error"]


async def test_without_a_secret_callbacks_are_refused(database_url: str, catalog: Catalog):
    app = web.Application()
    mount_escalation(app, EscalationService(fast_settings(database_url), catalog))
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        body = b'{"status": "resolved"}'
        reply = await client.post(
            "/escalations/PB-1001/status", data=body, headers=signed(body, reference="PB-1001")
        )
        assert reply.status == 401


async def test_the_server_starts_the_service_says_where_cases_go_and_closes_it(
    database_url: str, catalog: Catalog, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO, logger="passback.escalation")
    settings = load_settings(
        {"PASSBACK_DATABASE_URL": database_url, "PASSBACK_DATA_DIR": str(tmp_path)}
    )
    app = build_app(settings, catalog)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        service = client.app[ESCALATION_KEY]
        assert await service.ping()
        assert (await client.get("/healthz")).status == 200
    assert "No escalation destination is configured" in caplog.text
    assert "passback escalations list" in caplog.text
    assert not await service.ping()  # closed with the server
