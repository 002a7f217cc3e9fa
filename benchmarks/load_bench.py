"""Load on loopback: N concurrent signed slash commands and N Teams messages against a real
`passback serve`, and the same load against a bare aiohttp endpoint, as a ratio.

Targets on the project's 2-core machine (issue 7): 500 concurrent slash commands all acked well
inside Slack's 3 s, p99 ack < 100 ms, zero errors, throughput >= 30% of the bare endpoint.
Teams waits for the whole turn (the answer is sent before the HTTP response), so its response
times are shown against Teams' 15 s, after which it sends the message again.

Bounded: every wait has a timeout and the whole run a deadline; every process and temporary
directory is removed at the end, however it ends. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from benchmarks import load_processes as processes
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
DEADLINE_SECONDS = 300.0
REQUEST_SECONDS = 30.0  # one request, however loaded the server is
ANSWER_SECONDS = 60.0  # for every answer of a burst to reach the stand-ins
SLACK_ACK_LIMIT = 3.0
TEAMS_RETRY_AFTER = 15.0
P99_TARGET = 0.100
RATIO_TARGET = 0.30
SECRET = "bench0signing0secret0on0loopback0only"
BOT_TOKEN = "xoxb-1000-2000-benchTokenNotReal"


@dataclass(frozen=True, slots=True)
class Burst:
    """N requests sent at once: how long each took to its HTTP answer, and how many failed."""

    sent: int
    errors: int  # an unexpected status, a dropped connection or a timeout
    elapsed: float  # seconds from the first request sent to the last answer
    latencies: tuple[float, ...]  # seconds, of the requests taken, ascending
    sent_at: dict[str, float]  # request name -> time.monotonic() when it was sent

    @property
    def per_second(self) -> float:
        return self.sent / self.elapsed if self.elapsed > 0 else 0.0

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
    slack: Platform
    teams: Platform


def quantile(values: tuple[float, ...], q: float) -> float:
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(len(values) * q))]


async def fire(url: str, requests: list[LoadRequest]) -> Burst:
    """Send every request at once, on a fresh session with a connection for each."""
    connector = aiohttp.TCPConnector(limit=len(requests) + 8)
    timeout = aiohttp.ClientTimeout(total=REQUEST_SECONDS)

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

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
    first = min(sent for _, sent, _, _ in results)
    last = max(done for _, _, done, _ in results)
    return Burst(
        sent=len(results),
        errors=sum(1 for *_, taken in results if not taken),
        elapsed=last - first,
        latencies=tuple(sorted(done - sent for _, sent, done, taken in results if taken)),
        sent_at={name: sent for name, sent, _, _ in results},
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


async def _warm_up(server_url: str, standins_url: str, texts: list[Sample]) -> None:
    """One of each request, answered, before the clock starts: bolt asks auth.test once, the
    first Teams turn builds its connector client, SQLite opens its journal."""
    warm = (
        ("/slack/events", "slack", slash_commands(1, texts, standins_url, SECRET, prefix="warm")),
        (
            "/api/messages",
            "teams",
            teams_messages(1, texts, standins_url + CONNECTOR_PATH, prefix="warm"),
        ),
    )
    for path, kind, requests in warm:
        burst = await fire(server_url + path, requests)
        if burst.errors:
            raise processes.BenchError(f"the warm-up request to {path} was not taken")
        await answers(standins_url, kind, requests, burst, expected=1)


async def measure(n: int = N, *, broken: int = 0) -> LoadReport:
    """Run the whole benchmark with `n` requests per burst; `broken` of each kind are sent
    wrong (a bad signature, no serviceUrl) to show that errors are counted."""
    async with asyncio.timeout(DEADLINE_SECONDS):
        with tempfile.TemporaryDirectory(prefix="passback-load-") as tmp:
            return await _measure(Path(tmp), n, broken)


async def _measure(workdir: Path, n: int, broken: int) -> LoadReport:
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
            await _warm_up(server.url, standins.url, texts)
            slack_requests = slash_commands(n, texts, standins.url, SECRET, broken=broken)
            slack_load = await fire(f"{server.url}/slack/events", slack_requests)
            slack_answers = await answers(
                standins.url, "slack", slack_requests, slack_load, n - broken
            )
            teams_requests = teams_messages(n, texts, standins.url + CONNECTOR_PATH, broken=broken)
            teams_load = await fire(f"{server.url}/api/messages", teams_requests)
            teams_answers = await answers(
                standins.url, "teams", teams_requests, teams_load, n - broken
            )
            slack_bare = await fire(f"{bare.url}/slack/events", slack_requests)
            teams_bare = await fire(f"{bare.url}/api/messages", teams_requests)
    return LoadReport(
        n=n,
        slack=Platform("slack /passback", slack_load, slack_answers, slack_bare),
        teams=Platform("teams messages", teams_load, teams_answers, teams_bare),
    )


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def _verdict(met: bool) -> str:
    return "ok" if met else "MISSED"


def report_lines(report: LoadReport) -> list[str]:
    n, slack, teams = report.n, report.slack, report.teams
    lines = [f"load: {n} concurrent requests per burst, passback serve on loopback"]
    for platform, limit, p99_target in (
        (slack, SLACK_ACK_LIMIT, P99_TARGET),
        (teams, TEAMS_RETRY_AFTER, None),
    ):
        load, got = platform.load, platform.answers
        what = "ack" if platform is slack else "response"
        p99 = load.quantile(0.99)
        lines += [
            f"  {platform.label}",
            f"    throughput:  {load.per_second:,.0f} requests/s, {platform.ratio:.0%} of the "
            f"bare endpoint's {platform.bare.per_second:,.0f}/s "
            f"(target >= {RATIO_TARGET:.0%}) {_verdict(platform.ratio >= RATIO_TARGET)}",
            f"    {what}:{' ' * (12 - len(what))}p50 {_ms(load.quantile(0.5))}, p99 {_ms(p99)}, "
            f"max {_ms(load.latencies[-1] if load.latencies else float('nan'))}"
            + (
                f" (target p99 < {_ms(p99_target)}) {_verdict(p99 < p99_target)}"
                if p99_target
                else ""
            ),
            f"    within {limit:.0f} s: {load.within(limit)}/{load.sent} "
            f"(target all) {_verdict(load.within(limit) == load.sent)}",
            f"    errors:      {load.errors} (target 0) {_verdict(load.errors == 0)}",
            f"    answers:     {got.delivered}/{got.expected} delivered, {got.right} name the "
            f"error; p50 {_ms(quantile(got.latencies, 0.5))}, "
            f"p99 {_ms(quantile(got.latencies, 0.99))} after the request",
        ]
    return lines


def run(n: int = N) -> None:
    try:
        report = asyncio.run(measure(n))
    except (processes.BenchError, TimeoutError) as exc:
        print(f"load: could not finish: {exc or 'the run took longer than its deadline'}")
        return
    print("\n".join(report_lines(report)))


if __name__ == "__main__":
    run()
