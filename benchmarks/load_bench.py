"""Load on loopback: N concurrent signed slash commands and N Teams messages against a real
`passback serve`, and the same load against a bare aiohttp endpoint, as a ratio.

Targets on the project's 2-core machine (issue 7): 500 concurrent slash commands all acked well
inside Slack's 3 s, p99 ack < 100 ms, zero errors, throughput >= 30% of the bare endpoint.
Teams waits for the whole turn (the answer is sent before the HTTP response), so its response
times are shown against Teams' 15 s, after which it sends the message again.

Each burst runs `rounds` times, alternating with the bare endpoint so that both see the same
machine (other work on two cores moves single runs a lot): throughput is the median round's,
latencies and errors are over every request of every round.

Bounded: every wait has a timeout and the whole run a deadline; every process and temporary
directory is removed at the end, however it ends. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from benchmarks import load_processes as processes
from benchmarks.load_report import quantile, report_lines
from benchmarks.load_requests import (
    LoadRequest,
    Sample,
    samples,
    slash_commands,
    teams_messages,
)
from benchmarks.standins import CONNECTOR_PATH
from catalog import load_catalog

N = 500
ROUNDS = 3
DEADLINE_SECONDS = 300.0
REQUEST_SECONDS = 30.0  # one request, however loaded the server is
ANSWER_SECONDS = 60.0  # for every answer of a burst to reach the stand-ins
SECRET = "bench0signing0secret0on0loopback0only"
BOT_TOKEN = "xoxb-1000-2000-benchTokenNotReal"
SLACK_PATH, TEAMS_PATH = "/slack/events", "/api/messages"


@dataclass(frozen=True, slots=True)
class Burst:
    """Requests sent all at once: how long each took to its HTTP answer, how many failed."""

    sent: int
    errors: int  # an unexpected status, a dropped connection or a timeout
    per_second: float  # requests over the time from the first sent to the last answered
    latencies: tuple[float, ...]  # seconds, of the requests taken, ascending
    sent_at: dict[str, float]  # request name -> time.monotonic() when it was sent

    def quantile(self, q: float) -> float:
        return quantile(self.latencies, q)

    def within(self, seconds: float) -> int:
        return sum(1 for t in self.latencies if t < seconds)


@dataclass(frozen=True, slots=True)
class Answers:
    """The answers the stand-ins received for a burst's requests."""

    expected: int
    delivered: int  # requests with at least one answer
    right: int  # answers that name the error the request carried
    latencies: tuple[float, ...]  # seconds from the request sent to its answer, ascending


@dataclass(frozen=True, slots=True)
class Platform:
    label: str
    load: Burst
    answers: Answers
    bare: Burst  # the same requests against the bare endpoint

    @property
    def ratio(self) -> float:
        return self.load.per_second / self.bare.per_second if self.bare.per_second else 0.0


@dataclass(frozen=True, slots=True)
class LoadReport:
    n: int
    rounds: int
    slack: Platform
    teams: Platform


async def fire(url: str, requests: list[LoadRequest], health_url: str) -> Burst:
    """Send every request at once, each on its own connection.

    The connections are opened first (a GET of `health_url` on each, as a proxy's keep-alive
    pool holds them), so the clock times the requests, not this process setting up 500
    sockets on the same two cores as the server."""
    connector = aiohttp.TCPConnector(limit=len(requests) + 8)
    timeout = aiohttp.ClientTimeout(total=REQUEST_SECONDS)

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def connect() -> None:
            async with session.get(health_url) as r:
                await r.read()

        await asyncio.gather(*(connect() for _ in requests))

        async def one(request: LoadRequest) -> tuple[str, float, float, bool]:
            sent = time.monotonic()
            try:
                async with session.post(url, data=request.body, headers=request.headers) as r:
                    await r.read()
                    taken = r.status in request.accepted
            except (aiohttp.ClientError, TimeoutError):
                taken = False
            return request.name, sent, time.monotonic(), taken

        results = await asyncio.gather(*(one(r) for r in requests))
    elapsed = max(done for _, _, done, _ in results) - min(sent for _, sent, _, _ in results)
    return Burst(
        sent=len(results),
        errors=sum(1 for *_, taken in results if not taken),
        per_second=len(results) / elapsed if elapsed > 0 else 0.0,
        latencies=tuple(sorted(done - sent for _, sent, done, taken in results if taken)),
        sent_at={name: sent for name, sent, _, _ in results},
    )


def merged(bursts: list[Burst]) -> Burst:
    """Several rounds as one: the median round's throughput, everything else over all."""
    return Burst(
        sent=sum(b.sent for b in bursts),
        errors=sum(b.errors for b in bursts),
        per_second=statistics.median(b.per_second for b in bursts),
        latencies=tuple(sorted(t for b in bursts for t in b.latencies)),
        sent_at={name: at for b in bursts for name, at in b.sent_at.items()},
    )


async def received(standins_url: str, kind: str) -> list[list[Any]]:
    """[name, arrived at, what it said] for every answer of `kind` ("slack" or "teams")."""
    timeout = aiohttp.ClientTimeout(total=REQUEST_SECONDS)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.get(f"{standins_url}/bench/received") as response,
    ):
        return (await response.json())[kind]


async def answers(
    standins_url: str, kind: str, requests: list[LoadRequest], burst: Burst, expected: int
) -> Answers:
    """Wait (bounded) until `expected` of the requests have an answer, then score them."""
    titles = {r.name: r.title for r in requests}
    deadline = time.monotonic() + ANSWER_SECONDS
    while True:
        records = [r for r in await received(standins_url, kind) if r[0] in titles]
        if len({name for name, *_ in records}) >= expected or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.1)
    first: dict[str, list[Any]] = {}
    for record in records:
        first.setdefault(record[0], record)
    return Answers(
        expected=expected,
        delivered=len(first),
        right=sum(1 for name, _, said in first.values() if said.startswith(titles[name])),
        latencies=tuple(sorted(at - burst.sent_at[name] for name, at, _ in first.values())),
    )


def _all_answers(rounds: list[Answers]) -> Answers:
    return Answers(
        expected=sum(a.expected for a in rounds),
        delivered=sum(a.delivered for a in rounds),
        right=sum(a.right for a in rounds),
        latencies=tuple(sorted(t for a in rounds for t in a.latencies)),
    )


Build = Callable[[str], list[LoadRequest]]  # request name prefix -> the burst's requests


@dataclass(frozen=True, slots=True)
class _Targets:
    server: str
    bare: str
    standins: str


async def _platform(
    label: str, kind: str, path: str, build: Build, at: _Targets, rounds: int, expected: int
) -> Platform:
    loads, bares, got = [], [], []
    for r in range(rounds):
        requests = build(f"r{r}")
        loads.append(await fire(at.server + path, requests, at.server + "/healthz"))
        got.append(await answers(at.standins, kind, requests, loads[-1], expected))
        bares.append(await fire(at.bare + path, requests, at.bare + "/healthz"))
    return Platform(label, merged(loads), _all_answers(got), merged(bares))


async def _warm_up(at: _Targets, texts: list[Sample]) -> None:
    """One of each request, answered, before the clock starts: bolt asks auth.test once, the
    first Teams turn builds its connector client, SQLite opens its journal."""
    warm = (
        (SLACK_PATH, "slack", slash_commands(1, texts, at.standins, SECRET, prefix="warm")),
        (
            TEAMS_PATH,
            "teams",
            teams_messages(1, texts, at.standins + CONNECTOR_PATH, prefix="warm"),
        ),
    )
    for path, kind, requests in warm:
        burst = await fire(at.server + path, requests, at.server + "/healthz")
        if burst.errors:
            raise processes.BenchError(f"the warm-up request to {path} was not taken")
        await answers(at.standins, kind, requests, burst, expected=1)


async def measure(n: int = N, *, rounds: int = ROUNDS, broken: int = 0) -> LoadReport:
    """The whole benchmark: `rounds` bursts of `n` requests of each kind. In each burst the
    first `broken` requests are sent wrong (a bad signature, no serviceUrl), to show that
    errors are counted."""
    async with asyncio.timeout(DEADLINE_SECONDS):
        with tempfile.TemporaryDirectory(prefix="passback-load-") as tmp:
            return await _measure(Path(tmp), n, rounds, broken)


async def _measure(workdir: Path, n: int, rounds: int, broken: int) -> LoadReport:
    texts = samples(load_catalog())
    async with processes.standins(workdir) as standins:
        env = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": f"{standins.url}/api/",
        }
        async with (
            processes.passback_serve(workdir, env) as server,
            processes.bare_endpoint(workdir) as bare,
        ):
            at = _Targets(server.url, bare.url, standins.url)
            await _warm_up(at, texts)

            def commands(prefix: str) -> list[LoadRequest]:
                return slash_commands(n, texts, at.standins, SECRET, broken=broken, prefix=prefix)

            def messages(prefix: str) -> list[LoadRequest]:
                service_url = at.standins + CONNECTOR_PATH
                return teams_messages(n, texts, service_url, broken=broken, prefix=prefix)

            expected = n - broken
            slack = await _platform(
                "slack /passback", "slack", SLACK_PATH, commands, at, rounds, expected
            )
            teams = await _platform(
                "teams messages", "teams", TEAMS_PATH, messages, at, rounds, expected
            )
    return LoadReport(n=n, rounds=rounds, slack=slack, teams=teams)


def run(n: int = N) -> None:
    try:
        report = asyncio.run(measure(n))
    except (processes.BenchError, TimeoutError) as exc:
        reason = str(exc) or f"it took longer than its {DEADLINE_SECONDS:.0f} s deadline"
        raise SystemExit(f"load: could not finish: {reason}") from None
    print("\n".join(report_lines(report)))


if __name__ == "__main__":
    run()
