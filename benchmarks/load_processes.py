"""The load benchmark's processes on loopback: the stand-ins, `passback serve`, a bare endpoint.

Started, waited for and stopped (terminate, then kill) by tests/processes.py, the one process
helper of the tests and the benchmarks, with their output in log files in the run's temporary
directory; the run stops them when it ends, however it ends. A process that does not start is
a BenchError, said in words.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from tests.processes import Child, DidNotStart, free_port, start, start_serve


class BenchError(Exception):
    """The benchmark could not run (a process did not start, a deadline passed)."""


@dataclass(frozen=True, slots=True)
class Running:
    url: str  # http://127.0.0.1:PORT
    child: Child


@contextlib.asynccontextmanager
async def _running(child: Child, up: Callable[[Child], Awaitable[str]]) -> AsyncIterator[Running]:
    try:
        try:
            url = await up(child)
        except DidNotStart as exc:
            raise BenchError(str(exc)) from None
        yield Running(url, child)
    finally:
        await asyncio.shield(child.stop())


@contextlib.asynccontextmanager
async def standins(workdir: Path) -> AsyncIterator[Running]:
    """`python -m benchmarks.standins`, which prints its URL on its first line."""

    async def up(child: Child) -> str:
        url = await child.first_line()
        if not url.startswith("http://127.0.0.1:"):
            raise BenchError(f"the stand-ins did not start:\n{child.tail()}")
        child.port = int(url.rsplit(":", 1)[1])
        await child.ready("/bench/received")
        return url

    child = start(["-m", "benchmarks.standins"], {}, workdir, name="standins")
    async with _running(child, up) as running:
        yield running


@contextlib.asynccontextmanager
async def passback_serve(workdir: Path, env: dict[str, str]) -> AsyncIterator[Running]:
    child = start_serve(workdir, env, name="passback-serve")
    async with _running(child, _healthy) as running:
        yield running


@contextlib.asynccontextmanager
async def bare_endpoint(workdir: Path) -> AsyncIterator[Running]:
    port = free_port()
    child = start(
        ["-m", "benchmarks.bare_endpoint", str(port)], {}, workdir, name="bare", port=port
    )
    async with _running(child, _healthy) as running:
        yield running


async def _healthy(child: Child) -> str:
    await child.ready()
    return child.url
