"""A whole Canvas diagnosis against the Canvas stand-in: requests made, time, peak in flight.

The diagnosis a teacher would get for a course with every cause in it: authorisation as the
course's teacher, then all seven checkable errors at once, with a cold cache and the client's
production limits (two requests in flight). Run once on loopback and once with 80 ms added
to every Canvas answer, about what a hosted Canvas takes. Targets: under 10 s, a few dozen
requests at most, never more than 2 in flight.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import aiohttp
from aiohttp.test_utils import TestServer

from canvas.access import Authoriser
from canvas.api import CanvasClient
from canvas.diagnoses import Diagnoser, Suspect
from canvas.diagnoses.run import CHECKS
from canvas.transport import Transport
from canvas.urls import CourseRef
from tests.canvas.standin.district import HOST_TOKEN, District
from tests.canvas.standin.server import CanvasStandIn

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


async def one(delay: float) -> dict[str, float]:
    standin = CanvasStandIn(District(delay=delay))
    server = TestServer(standin.app(), host="127.0.0.1")
    await server.start_server()
    try:
        async with aiohttp.ClientSession() as session:
            base = str(server.make_url("")).rstrip("/")
            client = CanvasClient(Transport(session, base, HOST_TOKEN, user_agent="passback/bench"))
            diagnoser = Diagnoser(client, Authoriser())
            started = time.perf_counter()
            result = await diagnoser.diagnose(
                [Suspect(e) for e in CHECKS], CourseRef("101"), "pteacher@district.org", NOW
            )
            elapsed = time.perf_counter() - started
    finally:
        await server.close()
    return {
        "requests": result.requests,
        "seconds": elapsed,
        "peak": standin.district.peak_in_flight,
        "found": len(result.found),
    }


def run() -> None:
    print("canvas diagnosis (7 checks, as the course's teacher, cold cache)")
    for delay, label in ((0.0, "loopback"), (0.08, "+80 ms per answer")):
        f = asyncio.run(one(delay))
        print(
            f"  {label + ':':19} {f['requests']:.0f} requests, {f['seconds']:.3f} s, "
            f"peak {f['peak']:.0f} in flight, {f['found']:.0f}/7 found "
            "(targets < 10 s, <= 40 requests, <= 2 in flight)"
        )


if __name__ == "__main__":
    run()
