"""Fixtures for the escalation tests: both databases, services, and local stand-ins.

Every test that takes `database_url` runs twice: on a SQLite file, and on a throwaway PostgreSQL
server started from Debian's binaries (`/usr/lib/postgresql/*/bin`) for the session, whose one
test database is emptied between tests. Without those binaries the PostgreSQL runs are skipped,
saying why; `.ci/run` installs them so CI always runs both.

Destinations are small aiohttp servers and an aiosmtpd server on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bots.escalation.model import Case, Delivery, Draft, Origin, Reporter
from bots.escalation.service import EscalationService
from bots.escalation.settings import EscalationSettings
from bots.escalation.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from catalog import Catalog
from tests.postgres import PostgresServer

WEBHOOK_SECRET = "test-webhook-secret-0123456789"
SLACK_TOKEN = "xoxb-test-token"
SUPPORT_CHANNEL = "C0SUPPORT1"
STUDENT_ID = "s842620"  # appears in pasted text; must never reach a log line
PUT_ONEROSTER = (
    'PUT for ONEROSTER:Result[result/results] for "{sid}" failed with HTTP Status: 422 with: '
    '[{{"codeMajor":"failure","severity":"error","codeMinor":"invalid_data",'
    '"description":"Unable to process score"}}]'
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a new SQLite file, or the PostgreSQL server's shared test database,
    migrated and with every table emptied."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'cases.sqlite3'}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return await server.clean_database()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def unmigrated_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database with no schema at all, for the migration tests."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'cases.sqlite3'}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return await server.new_database()


# Services -----------------------------------------------------------------------------------


def fast_settings(database_url: str, **changes: Any) -> EscalationSettings:
    """Settings with delivery timings short enough for tests."""
    base = EscalationSettings(
        database_url=database_url,
        poll_seconds=0.05,
        delivery_timeout_seconds=1.0,
        lease_seconds=30.0,
        retry_base_seconds=0.05,
        retry_max_seconds=0.2,
        max_attempts=20,
    )
    return replace(base, **changes)


ServiceFactory = Callable[..., Awaitable[EscalationService]]


@pytest.fixture
async def make_service(database_url: str, catalog: Catalog) -> AsyncIterator[ServiceFactory]:
    """make_service(start=True, **settings changes): a service on this test's database."""
    made: list[EscalationService] = []

    async def make(start: bool = True, **changes: Any) -> EscalationService:
        service = await EscalationService.create(fast_settings(database_url, **changes), catalog)
        made.append(service)
        if start:
            await service.start()
        return service

    yield make
    for service in made:
        await service.close()


def slack_origin(channel: str = "C0GRADES1", thread: str = "1700000000.000100") -> Origin:
    return Origin(
        platform="slack",
        workspace="T0LINCOLN",
        channel=channel,
        thread=thread,
        link=f"https://lincoln.slack.com/archives/{channel}/p1700000000000100",
        channel_name="grades",
        workspace_name="Lincoln High",
    )


def teams_origin() -> Origin:
    return Origin(
        platform="teams",
        workspace="tenant-1",
        channel="19:abc@thread.tacv2",
        thread="1700000000001",
        service_url="https://smba.trafficmanager.net/amer/",
        channel_name="Grades",
        workspace_name="Lincoln High",
    )


def put_oneroster_draft(sid: str = STUDENT_ID, origin: Origin | None = None) -> Draft:
    return Draft(
        entry_ids=("put-oneroster",),
        text=PUT_ONEROSTER.format(sid=sid),
        fields={"put-oneroster": {"result_sourced_id": sid, "http_status": "422"}},
        origin=origin or slack_origin(),
        asked_by=Reporter("U0JANE", "Jane Doe", "slack"),
    )


def kimono_draft(origin: Origin | None = None, text: str = "") -> Draft:
    return Draft(
        entry_ids=("kimono-job",),
        text=text or "A Kimono Job has timed out and been cancelled.",
        fields={},
        origin=origin or slack_origin(),
    )


def person(n: int, platform: str = "slack") -> Reporter:
    return Reporter(f"U{n:04d}", f"Teacher {n}", platform)


async def escalate_one(service: EscalationService) -> Case:
    outcome = await service.escalate(await service.prepare(put_oneroster_draft()), person(1))
    assert outcome.created
    return outcome.case


async def delivery_state(
    service: EscalationService, reference: str, destination: str
) -> Delivery | None:
    case = await service.get(reference)
    assert case is not None
    return case.delivery(destination)


async def delivered(
    service: EscalationService, reference: str, destination: str
) -> Delivery | None:
    found = await delivery_state(service, reference, destination)
    return found if found is not None and found.state == "delivered" else None


# Stand-ins ----------------------------------------------------------------------------------


@dataclass
class Receiver:
    """An HTTP endpoint that answers from a script ("500", "hang", "file-then-hang", "ok") and
    keeps what it got.

    Like a careful ticket system, it files one ticket per Idempotency-Key.
    """

    script: list[str] = field(default_factory=list)
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    tickets: dict[str, bytes] = field(default_factory=dict)
    release: asyncio.Event = field(default_factory=asyncio.Event)
    server: TestServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("/hook"))

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.requests.append((dict(request.headers), body))
        step = self.script.pop(0) if self.script else "ok"
        key = request.headers.get("Idempotency-Key", f"request-{len(self.requests)}")
        if step == "file-then-hang":  # the ticket is filed, the answer is lost
            self.tickets.setdefault(key, body)
            step = "hang"
        if step == "hang":
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.release.wait(), 30)
            return web.Response(status=504)
        if step != "ok":
            return web.Response(status=int(step), text="down for maintenance")
        self.tickets.setdefault(key, body)
        return web.json_response({"id": f"T-{len(self.tickets)}"}, status=201)

    def signed(self, index: int) -> bool:
        headers, body = self.requests[index]
        return verify(
            WEBHOOK_SECRET,
            headers.get(TIMESTAMP_HEADER),
            headers.get(SIGNATURE_HEADER),
            body,
            time.time(),
        )


@dataclass
class SlackApi:
    """The two Slack Web API methods the support channel needs."""

    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    script: list[str] = field(default_factory=list)
    server: TestServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("/api/"))

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.headers.get("Authorization") != f"Bearer {SLACK_TOKEN}":
            return web.json_response({"ok": False, "error": "invalid_auth"})
        payload = await request.json()
        self.calls.append((method, payload))
        step = self.script.pop(0) if self.script else "ok"
        if step == "500":
            return web.json_response({"ok": False, "error": "fatal_error"}, status=500)
        if step == "ratelimited":
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"}
            )
        posted = sum(1 for m, _ in self.calls if m == "chat.postMessage")
        return web.json_response(
            {"ok": True, "channel": payload.get("channel"), "ts": f"1700000100.{posted:06d}"}
        )


@pytest.fixture
async def slack_api() -> AsyncIterator[SlackApi]:
    stand_in = SlackApi()
    app = web.Application()
    app.router.add_post("/api/{method}", stand_in.handle)
    stand_in.server = TestServer(app, host="127.0.0.1")
    await stand_in.server.start_server()
    yield stand_in
    await stand_in.server.close()
