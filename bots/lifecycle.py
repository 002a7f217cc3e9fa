"""Work that outlives its HTTP request, counted so a graceful shutdown can wait for it.

Slack is answered in two steps: the listener acks within Slack's 3 seconds (that ends the HTTP
request) and goes on to compute and send the answer in the background. On SIGTERM the server
stops accepting, waits for in-flight requests (aiohttp does that), then waits here, within a
bound, for those background answers before the escalation store closes.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from aiohttp import web

log = logging.getLogger("passback.lifecycle")

F = TypeVar("F", bound=Callable[..., Awaitable[Any]])


class InFlight:
    def __init__(self) -> None:
        self.count = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._tasks: set[asyncio.Task[Any]] = set()

    def track(self, func: F) -> F:
        """`func`, counted while it runs. Keyword arguments only (how bolt calls listeners);
        `functools.wraps` keeps the signature bolt reads to choose what to pass."""

        @functools.wraps(func)
        async def tracked(**kwargs: Any) -> Any:
            self.count += 1
            self._idle.clear()
            try:
                return await func(**kwargs)
            finally:
                self.count -= 1
                if self.count == 0:
                    self._idle.set()

        return tracked  # type: ignore[return-value]

    def spawn(self, work: Coroutine[Any, Any, Any], name: str = "") -> asyncio.Task[Any]:
        """Run `work` in the background, counted until it ends (and kept referenced)."""
        self.count += 1
        self._idle.clear()
        task = asyncio.get_running_loop().create_task(work, name=name or None)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        self.count -= 1
        if self.count == 0:
            self._idle.set()

    async def drain(self, within: float) -> int:
        """Wait until nothing is in flight, or `within` seconds; how many were left."""
        if self.count:
            log.info("shutdown: waiting for %d answer(s) in flight", self.count)
            try:
                await asyncio.wait_for(self._idle.wait(), within)
            except TimeoutError:
                log.warning(
                    "shutdown: %d answer(s) still in flight after %.0f s", self.count, within
                )
        return self.count


IN_FLIGHT_KEY = web.AppKey("in_flight", InFlight)
