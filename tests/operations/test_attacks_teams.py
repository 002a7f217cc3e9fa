"""Attacks on `POST /api/messages` of a real `passback serve` in local mode, on loopback.

A recorder listens on a free loopback port and notes every connection made to it: an
activity whose serviceUrl tricks the bot into calling it fails the test."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bots.teams.service_url import is_loopback_host, service_url_problem
from tests.bots.teams.conftest import activity
from tests.bots.teams.standin import ConnectorStandIn
from tests.operations.target import outside, start_target
from tests.polling import eventually
from tests.processes import Child, free_port


class Recorder:
    """Every connection to 127.0.0.1:port and the first bytes sent on it."""

    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[bytes] = []
        self._server: asyncio.Server | None = None

    async def _connected(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        try:
            self.received.append(await asyncio.wait_for(reader.read(4096), 2))
        except TimeoutError:
            self.received.append(b"")
        writer.close()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._connected, "127.0.0.1", self.port)

    async def close(self) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()


@pytest.fixture
async def recorder() -> AsyncIterator[Recorder]:
    listening = Recorder()
    await listening.start()
    yield listening
    await listening.close()


async def post(target: Child, body: object) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{target.url}/api/messages",
            data=body if isinstance(body, str) else json.dumps(body),
            headers={"Content-Type": "application/json"},
        ) as response,
    ):
        return response.status, await response.text()


def tricks(port: int) -> list[str]:
    return [
        f"http://127.0.0.1:{port}\\@127.0.0.1:9/amer/",  # urllib3 connects before the backslash
        f"http://127.0.0.1:{port}%5c@127.0.0.1:9/amer/",
        f"http://user:pass@127.0.0.1:{port}/amer/",
        f"gopher://127.0.0.1:{port}/_POST%20/admin",
        f"ftp://127.0.0.1:{port}/",
        f"http://localhost:{port}/../../admin/",  # POST /admin/v3/... on any loopback service
        f"http://localhost:{port}/amer/%2e%2e/%2E%2E/admin/",
        f"http://localhost:{port}/amer/?x=/../admin",
        f" http://localhost:{port}/amer/",
        f"http://localhost:{port}/amer/\r\nX-Injected: 1",
    ]


async def test_a_service_url_that_points_elsewhere_is_refused_and_nothing_is_sent(
    target: Child, recorder: Recorder
) -> None:
    for url in tricks(recorder.port):
        status, text = await post(target, activity("personal_message", url))
        assert status == 400, (url, status, text)
        assert "serviceUrl" in json.loads(text)["error"]
    await asyncio.sleep(0.5)  # anything sent in the background would have arrived by now
    assert recorder.received == []
    assert "Traceback" not in target.err


async def test_a_short_loopback_address_is_this_machine(
    target: Child, connector: ConnectorStandIn
) -> None:
    url = connector.service_url.replace("127.0.0.1", "127.1")
    status, _ = await post(target, activity("personal_message", url))
    assert status == 201
    assert len(connector.calls) == 1


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("127.0.0.1", True),
        ("127.1", True),
        ("0x7f.1", True),
        ("[::1]", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("10.0.0.1", False),
        ("localhost.example.org", False),
        ("127.0.0.1.nip.io", False),
    ],
)
def test_loopback_is_spelled_the_way_the_resolver_reads_it(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


def test_the_teams_service_urls_are_plain_enough() -> None:
    for url in (
        "https://smba.trafficmanager.net/amer/",
        "https://smba.trafficmanager.net/emea/",
        "http://localhost:56789",
        "http://[::1]:56789/",
    ):
        assert service_url_problem(url, local=False) is None, url
    assert service_url_problem("https://smba.trafficmanager.net/amer/", local=True)


def test_local_mode_listens_on_loopback_only_unless_told_otherwise(tmp_path: Path) -> None:
    served = start_target(tmp_path, {}, host=False).ready_blocking()
    try:
        addresses = _listening(served.port)
    finally:
        served.stop_blocking()
    assert addresses == {"127.0.0.1"}, addresses
    assert f"http://127.0.0.1:{served.port}" in served.err  # the banner, as a log record


def _listening(port: int) -> set[str]:
    """The local addresses LISTENing on `port`, from /proc/net/tcp and tcp6."""
    found = set()
    for name, width in (("tcp", 8), ("tcp6", 32)):
        path = Path("/proc/net") / name
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port and len(address) == width:
                if width == 8:
                    found.add(".".join(str(b) for b in reversed(bytes.fromhex(address))))
                else:
                    found.add("::" if set(address) == {"0"} else address)
    return found


MARKER = "PASTED-s4471122-TEXT"


def malformed(service_url: str) -> list[object]:
    base = activity("personal_message", service_url, text=MARKER)
    deep = json.dumps(base)[:-1] + ', "value": ' + "[" * 100_000 + "]" * 100_000 + "}"
    return [
        {**base, "conversation": MARKER},
        {**base, "attachments": [MARKER]},
        {**base, "attachments": MARKER},
        {**base, "entities": MARKER},
        {**base, "timestamp": MARKER},
        {**base, "membersAdded": MARKER},
        {**base, "from": [MARKER]},
        deep,
    ]


async def test_a_malformed_activity_is_a_400_in_words_and_nothing_of_it_is_logged(
    target: Child, connector: ConnectorStandIn
) -> None:
    for body in malformed(connector.service_url):
        status, text = await post(target, body)
        assert status == 400, (status, text[:200])
        assert json.loads(text)["error"] in (
            "The request body is not a Bot Framework activity.",
            "The request body is not valid JSON.",  # nested too deep to read
        )
    assert connector.calls == []
    assert "Traceback" not in target.err
    assert MARKER not in target.err and "s4471122" not in target.err


async def metrics_lines(target: Child) -> list[str]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{target.url}/metrics") as response,
    ):
        text = await response.text()
    return [line for line in text.splitlines() if line.startswith("passback_requests_total{")]


async def test_callers_cannot_add_label_values_to_the_metrics(
    target: Child, connector: ConnectorStandIn
) -> None:
    before = await metrics_lines(target)
    async with aiohttp.ClientSession() as session:
        for n in range(60):
            kind = "kind" + "".join(chr(ord("a") + int(d)) for d in str(n))
            service_url = connector.service_url if n % 2 else "https://smba.example.org/amer/"
            body = activity("personal_message", service_url, type=kind, id=f"m{n}")
            async with session.post(f"{target.url}/api/messages", json=body) as response:
                assert response.status in (201, 403), await response.text()
            headers = {"Content-Type": "application/json"}
            data = json.dumps({"type": kind, "event": {"type": kind}})
            async with session.post(f"{target.url}/slack/events", data=data, headers=headers) as r:
                assert r.status == 401
    after = await metrics_lines(target)
    assert not any("kind" in line.split("}")[0].split("kind=")[-1] for line in after), after
    assert len(after) <= len(before) + 1  # at most {platform="teams",kind="other"} is new


async def test_a_forged_token_in_local_mode_makes_no_network_call(
    target: Child, connector: ConnectorStandIn
) -> None:
    forged = (
        "Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6ImZvcmdlZCIsInR5cCI6IkpXVCJ9."
        "eyJpc3MiOiJodHRwczovL2FwaS5ib3RmcmFtZXdvcmsuY29tIiwiYXVkIjoiZm9yZ2VkIn0.c2lnbmF0dXJl"
    )
    body = activity("personal_message", connector.service_url, id="forged-1")
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{target.url}/api/messages", json=body, headers={"Authorization": forged}
        ) as response,
    ):
        assert response.status in (201, 401)
    assert outside(target) == []
    assert "Traceback" not in target.err


class Unhelpful:
    """A Bot Connector that never answers (`hold`), or hangs up on every request."""

    def __init__(self, hold: bool) -> None:
        self.port = free_port()
        self.hold = hold
        self.connections = 0
        self._held: list[asyncio.StreamWriter] = []
        self._server: asyncio.Server | None = None

    @property
    def service_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/amer/"

    async def _connected(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.connections += 1
        if self.hold:
            self._held.append(writer)
        else:
            writer.close()

    async def start(self) -> Unhelpful:
        self._server = await asyncio.start_server(self._connected, "127.0.0.1", self.port)
        return self

    def release(self) -> None:
        self.hold = False
        for writer in self._held:
            writer.close()

    async def close(self) -> None:
        self.release()
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()


async def test_a_connector_that_is_down_fails_the_turn_without_retries_or_ids_in_the_log(
    target: Child,
) -> None:
    closed = f"http://127.0.0.1:{free_port()}/amer/"  # nothing listens there
    conversation = {"conversationType": "personal", "id": "a:convSECRETid42"}
    body = activity("personal_message", closed, id="down-1", conversation=conversation)
    status, _ = await asyncio.wait_for(post(target, body), 40)
    assert status in (201, 500)
    assert "Retrying" not in target.err  # urllib3's three retries with back-off: 5 s a call
    assert "convSECRETid42" not in target.err


async def test_turns_for_a_service_that_never_answers_do_not_stall_the_others(
    target: Child, connector: ConnectorStandIn
) -> None:
    service = await Unhelpful(hold=True).start()
    slow = [
        asyncio.create_task(
            post(target, activity("personal_message", service.service_url, id=f"slow{n}"))
        )
        for n in range(12)
    ]
    try:
        await eventually(lambda: service.connections >= 6)  # the slow turns wait on the service
        body = activity("personal_message", connector.service_url, id="meanwhile")
        status, _ = await asyncio.wait_for(post(target, body), 8)
        assert status == 201
        assert len(connector.calls) == 1
    finally:
        service.release()
        await asyncio.wait_for(asyncio.gather(*slow, return_exceptions=True), 60)
        await service.close()
